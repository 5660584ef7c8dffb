"""The 占补 rules through the API, in the rolled-back test transaction.

Commit-time checks are made to fire with ``SET CONSTRAINTS ALL IMMEDIATE`` (see
helpers.immediate): before a request when a refusal is expected from the database, or
at the end to prove the accepted writes would commit. Areas are hand-checked: the line
is 1500 亩, parcels 30 亩, additions 30 亩 / 15 亩.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.controlline.helpers import (
    addition,
    addition_body,
    immediate,
    import_line,
    parcel,
    scalar,
    use_of,
)

CONVERT = "/api/v1/control-line/conversions"
TO_LOGISTICS = {"land_use_code": "0508", "land_use_vintage": "gbt21010_2017"}


@pytest.fixture
def layout(district):
    """The line, an industrial parcel inside it (30 亩), one half inside (15 亩 in)."""
    import_line(district)
    return {"inside": parcel(district, 100, 100), "half": parcel(district, 900, 300),
            "outside": parcel(district, 1500, 100)}


def problem(res, status, *fragments):
    assert res.status_code == status, res.text
    body = res.json()
    for f in fragments:
        assert f in body["detail"], body
    return body


def test_first_addition_then_conversion(client, district, layout):
    """先补后占: an addition recorded first, a later conversion draws on it."""
    res = client.post("/api/v1/control-line/additions", json=addition_body(1200, 1200))
    assert res.status_code == 201, res.text
    added = res.json()
    assert added["area_mu"] == 30.0
    res = client.post(CONVERT, json={"unit_code": layout["inside"], **TO_LOGISTICS,
                                     "addition_ids": [added["id"]]})
    assert res.status_code == 201, res.text
    body = res.json()
    assert body["area_mu"] == 30.0 and body["new_version"] == 2
    assert body["offsets"] == [{"addition_id": added["id"], "area_mu": 30.0}]
    assert use_of(district, layout["inside"]) == "0508"
    immediate(district)  # the commit-time checks pass


def test_addition_and_conversion_in_one_request(client, district, layout):
    """改一补一: the addition is recorded in the conversion's own transaction."""
    res = client.post(CONVERT, json={"unit_code": layout["half"], **TO_LOGISTICS,
                                     "addition": addition_body(1400, 1200, 100, 100)})
    assert res.status_code == 201, res.text
    body = res.json()
    assert body["area_mu"] == 15.0 and body["addition"]["area_mu"] == 15.0
    assert body["offsets"][0]["area_mu"] == 15.0
    immediate(district)


def test_same_transaction_raw_sql_passes_at_commit(district, layout):
    """改一补一 in raw SQL: addition, conversion, offset and the parcel change together."""
    code = layout["inside"]
    line = scalar(district, "INSERT INTO control_line (name, geom, source) SELECT '补', "
                  "ST_Multi(ST_Translate(ST_Buffer(geom, 0.0005, 'join=mitre'), 0.02, 0.02)), 'addition' "
                  "FROM parcel WHERE unit_code = :c "
                  "AND valid_to IS NULL RETURNING id", c=code)
    add = scalar(district, "INSERT INTO control_line_addition (line_id, added_on) "
                 "VALUES (:l, current_date) RETURNING id", l=line)
    conv = scalar(district, "INSERT INTO control_line_conversion (unit_code, parcel_version, "
                  "to_use_code, to_use_vintage, converted_on) VALUES (:c, 1, '0508', "
                  "'gbt21010_2017', current_date) RETURNING id", c=code)
    district.execute(text("INSERT INTO control_line_offset SELECT :c, :a, area_mu "
                          "FROM control_line_conversion WHERE id = :c"),
                     {"c": conv, "a": add})
    district.execute(text("UPDATE parcel SET land_use_code = '0508' WHERE unit_code = :c "
                          "AND valid_to IS NULL"), {"c": code})
    immediate(district)


def test_addition_smaller_than_conversion_refused(client, district, layout):
    small = addition(district, 1200, 1200, 100, 100)  # 15 亩 < 30 亩
    res = client.post(CONVERT, json={"unit_code": layout["inside"], **TO_LOGISTICS,
                                     "addition_ids": [small.id]})
    problem(res, 422, "补充面积不足", "30.00 亩", "缺 15.00 亩")
    assert use_of(district, layout["inside"]) == "0601"
    assert scalar(district, "SELECT count(*) FROM control_line_conversion") == 0


def test_several_additions_cover_one_conversion(client, district, layout):
    a, b = addition(district, 1200, 1200, 100, 100), addition(district, 1400, 1200, 100, 100)
    res = client.post(CONVERT, json={"unit_code": layout["inside"], **TO_LOGISTICS,
                                     "addition_ids": [a.id, b.id]})
    assert res.status_code == 201, res.text
    assert [o["area_mu"] for o in res.json()["offsets"]] == [15.0, 15.0]
    immediate(district)


def test_used_up_addition_refused(client, district, layout):
    big = addition(district, 1200, 1200, 100, 300)  # 45 亩
    first = client.post(CONVERT, json={"unit_code": layout["inside"], **TO_LOGISTICS,
                                       "addition_ids": [big.id]})
    assert first.status_code == 201, first.text
    second = client.post(CONVERT, json={"unit_code": layout["half"], **TO_LOGISTICS,
                                        "addition_ids": [big.id]})
    assert second.status_code == 201, second.text  # 15 亩 left, 15 亩 needed
    third_code = parcel(district, 100, 400)
    res = client.post(CONVERT, json={"unit_code": third_code, **TO_LOGISTICS,
                                     "addition_ids": [big.id]})
    problem(res, 422, "已用完", "缺 30.00 亩")
    assert use_of(district, third_code) == "0601"
    immediate(district)


def test_conversion_needs_a_reason_to_exist(client, district, layout):
    res = client.post(CONVERT, json={"unit_code": layout["inside"], **TO_LOGISTICS})
    problem(res, 422, "先补后占")
    add = addition(district, 1200, 1200)
    res = client.post(CONVERT, json={"unit_code": layout["outside"], **TO_LOGISTICS,
                                     "addition_ids": [add.id]})
    problem(res, 422, "不在工业用地控制线内")
    res = client.post(CONVERT, json={"unit_code": layout["inside"], "land_use_code": "1001",
                                     "land_use_vintage": "ydyh_2023", "addition_ids": [add.id]})
    problem(res, 422, "仍是工业用地")
    res = client.post(CONVERT, json={"unit_code": layout["inside"], **TO_LOGISTICS,
                                     "addition_ids": [add.id + 99]})
    problem(res, 404, f"#{add.id + 99}")
    assert scalar(district, "SELECT count(*) FROM control_line_conversion") == 0


def test_addition_overlapping_the_line_refused(client, district, layout):
    res = client.post("/api/v1/control-line/additions", json=addition_body(950, 500))
    problem(res, 422, "重叠", "15.00 亩")
    assert scalar(district, "SELECT count(*) FROM control_line WHERE source = 'addition'") == 0


def test_plain_patch_out_of_industry_refused(client, district, layout):
    immediate(district)
    code = layout["inside"]
    res = client.patch(f"/api/v1/parcels/{code}", json=TO_LOGISTICS, headers={"If-Match": '"1"'})
    problem(res, 422, code, "30.00 亩", "缺少 30.00 亩")
    district.rollback()
    assert use_of(district, code) == "0601"
    assert scalar(district, "SELECT count(*) FROM parcel WHERE unit_code = :c", c=code) == 1


def test_split_keeps_use_and_passes_merge_to_other_use_refused(client, district, layout):
    from tests.factories import metres_line

    immediate(district)
    code = layout["inside"]
    res = client.post(f"/api/v1/parcels/{code}/split", headers={"If-Match": '"1"'},
                      json={"line": metres_line((200, 50), (200, 250))})
    assert res.status_code == 201, res.text
    kids = res.json()["unit_codes"]
    res = client.post("/api/v1/parcels/merge", json={
        "parcels": [{"unit_code": k, "version": 1} for k in kids],
        "attributes": TO_LOGISTICS})
    problem(res, 422, "缺少")


def test_retirement_inside_the_line_needs_pairing(client, district, layout):
    immediate(district)
    code = layout["inside"]
    res = client.delete(f"/api/v1/parcels/{code}", headers={"If-Match": '"1"'})
    problem(res, 422, code, "缺少 30.00 亩")
    district.rollback()
    add = addition(district, 1200, 1200)
    res = client.post(CONVERT, json={"unit_code": code, "retire": True, "addition_ids": [add.id]})
    assert res.status_code == 201, res.text
    assert res.json()["new_version"] is None


def test_deleting_or_changing_ledger_records_refused(district, layout):
    add = addition(district, 1200, 1200)
    for sql in ("DELETE FROM control_line_addition WHERE id = :a",
                "UPDATE control_line_addition SET area_mu = 1 WHERE id = :a",
                "DELETE FROM control_line WHERE id = (SELECT line_id FROM control_line_addition "
                "WHERE id = :a)"):
        with pytest.raises(Exception, match="不可"):
            with district.begin_nested():
                district.execute(text(sql), {"a": add.id})
    district.execute(text("UPDATE control_line_addition SET note = '更正说明' WHERE id = :a"),
                     {"a": add.id})


def test_shrinking_or_retiring_the_line_refused(district, layout):
    immediate(district)
    with pytest.raises(Exception, match="不可直接修改"):
        with district.begin_nested():
            district.execute(text("UPDATE control_line SET geom = ST_Multi(ST_Buffer(geom, -0.001))"))
    with pytest.raises(Exception, match="总量不得减少"):
        with district.begin_nested():
            district.execute(text("UPDATE control_line SET valid_to = now()"))
    with pytest.raises(Exception, match="总量不得减少"):
        import_line(district, (0, 0, 500, 1000), replace=True)  # rolls back itself
    immediate(district)
    result = import_line(district, (0, 0, 1000, 1200), replace=True)  # larger: allowed
    assert result.retired == 1 and result.line_total_mu == 1800.0


def test_ledger_pairs_and_running_total_never_falls(client, district, layout):
    a = addition(district, 1200, 1200, 100, 100, name="甲")  # 15 亩
    b = addition(district, 1400, 1200, 100, 300, name="乙")  # 45 亩
    for code, ids in ((layout["half"], [a.id]), (layout["inside"], [b.id])):
        res = client.post(CONVERT, json={"unit_code": code, **TO_LOGISTICS, "addition_ids": ids})
        assert res.status_code == 201, res.text
    book = client.get("/api/v1/control-line/ledger").json()
    assert [e["kind"] for e in book["entries"]] == ["addition", "addition", "conversion",
                                                    "conversion"]
    totals = [e["line_total_mu"] for e in book["entries"]]
    assert totals == sorted(totals) and totals[-1] == 1560.0
    assert [e["credit_mu"] for e in book["entries"]] == [15.0, 60.0, 45.0, 15.0]
    assert min(e["net_total_mu"] for e in book["entries"]) >= 1500.0
    assert (book["added_total_mu"], book["converted_total_mu"], book["credit_mu"]) == \
        (60.0, 45.0, 15.0)
    assert [(p["addition_id"], p["unit_code"], p["offset_mu"]) for p in book["pairs"]] == [
        (a.id, layout["half"], 15.0), (b.id, layout["inside"], 30.0)]
    area = client.get("/api/v1/control-line/area").json()
    # 1500 + 60 of line; industrial inside: only the 30 亩 "outside" parcel is not inside
    assert area["line_mu"] == 1560.0 and area["industrial_mu"] == 0.0
    immediate(district)


def test_reading_needs_permission(as_role, anon, layout):
    assert anon.get("/api/v1/control-line/ledger").status_code == 401
    assert as_role("viewer").get("/api/v1/control-line/ledger").status_code == 200
    res = as_role("planner").post("/api/v1/control-line/additions", json=addition_body(1200, 1200))
    assert res.status_code == 403
    assert as_role("investment").get("/api/v1/control-line/area").status_code == 403


def test_line_import_api_is_all_or_nothing(client, district):
    from tests.factories import X0, Y0

    def square(x: float, y: float, size: float) -> dict:
        ring = [[x, y], [x + size, y], [x + size, y + size], [x, y + size], [x, y]]
        return {"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {"name": f"线 {x:.0f}"}}

    good = square(X0, Y0, 1000)  # EPSG:4549 metres: 1500 亩
    bad = square(X0 + 2000, Y0 + 9_000_000, 100)  # far outside 浙江 once placed
    res = client.post("/api/v1/control-lines", json={"type": "FeatureCollection", "crs": "EPSG:4549",
                                                    "features": [good, bad]})
    problem(res, 422, "第 2 个要素", "浙江")
    assert scalar(district, "SELECT count(*) FROM control_line") == 0
    res = client.post("/api/v1/control-lines", json={"type": "FeatureCollection", "crs": "EPSG:4549",
                                                    "features": [good]})
    assert res.status_code == 201, res.text
    assert res.json()["line_total_mu"] == 1500.0 and res.json()["crs"] == "EPSG:4549"
    lines = client.get("/api/v1/control-lines").json()
    assert [f["properties"]["name"] for f in lines["features"]] == ["线 560000"]
    immediate(district)


def test_stale_version_and_future_dates_refused(client, district, layout):
    add = addition(district, 1200, 1200)
    body = {"unit_code": layout["inside"], **TO_LOGISTICS, "addition_ids": [add.id]}
    problem(client.post(CONVERT, json={**body, "version": 2}), 412, "第 1 版")
    problem(client.post(CONVERT, json={**body, "converted_on": "2099-01-01"}), 422, "晚于今天")
    problem(client.get("/api/v1/control-line/area?on=2099-01-01"), 422, "晚于今天")
    assert scalar(district, "SELECT count(*) FROM control_line_conversion") == 0
    assert use_of(district, layout["inside"]) == "0601"
