"""The parcel API against the small test district (tests/factories.py)."""

import pytest
from sqlalchemy import text

from landgov.coding.unit_code import validate_unit_code
from tests.factories import geojson, metres_box, metres_line

PROBLEM = "application/problem+json"


def create(client, x=100, y=100, w=200, h=200, **extra):
    body = {"geometry": geojson(metres_box(x, y, w, h)), **extra}
    return client.post("/api/v1/parcels", json=body)


def assert_problem(res, status, fragment=""):
    assert res.status_code == status, res.text
    assert res.headers["content-type"].startswith(PROBLEM)
    body = res.json()
    assert body["status"] == status and body["title"] and body["type"]
    assert fragment in body["detail"], body
    assert "Traceback" not in res.text and "SELECT" not in res.text
    return body


def count(db, table):
    return db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_create_issues_next_code_of_the_subdistrict_and_computes_area(client):
    first = create(client)
    second = create(client, x=400)
    assert first.status_code == 201, first.text
    code1, code2 = first.json()["unit_codes"][0], second.json()["unit_codes"][0]
    assert code1 == "330602001001GB00001W00000000"
    assert code2 == "330602001001GB00002W00000000"
    assert validate_unit_code(code1) == []
    feature = client.get(f"/api/v1/parcels/{code1}")
    assert feature.status_code == 200
    assert feature.headers["etag"] == '"1"'
    props = feature.json()["properties"]
    # 200 m x 200 m = 40,000 m² = 60 亩 (hand-computed, EPSG:4549)
    assert props["area_mu"] == pytest.approx(60.0, abs=1e-3)
    assert props["town_name"] == "塔山街道"
    assert props["version"] == 1


def test_code_follows_the_subdistrict_the_parcel_lies_in(client):
    res = create(client, x=2100, y=1100)  # east town, northern sub-district
    assert res.json()["unit_codes"][0].startswith("330602002002GB00001")


def test_platform_membership_comes_from_geometry(client):
    code = create(client, x=1600, y=600).json()["unit_codes"][0]
    props = client.get(f"/api/v1/parcels/{code}").json()["properties"]
    assert props["platforms"] == ["袍江经开区"]


def test_list_is_geojson_with_bbox_and_paging(client):
    codes = [create(client, x=100 + 300 * i).json()["unit_codes"][0] for i in range(3)]
    res = client.get("/api/v1/parcels", params={"limit": 2})
    assert res.headers["content-type"].startswith("application/geo+json")
    page = res.json()
    assert page["type"] == "FeatureCollection"
    assert page["numberMatched"] == 3 and page["numberReturned"] == 2
    assert [f["id"] for f in page["features"]] == codes[:2]
    nxt = next(link["href"] for link in page["links"] if link["rel"] == "next")
    rest = client.get(nxt).json()
    assert [f["id"] for f in rest["features"]] == codes[2:]
    assert not [link for link in rest["links"] if link["rel"] == "next"]
    west = metres_box(0, 0, 350, 2000).bounds
    only = client.get("/api/v1/parcels", params={"bbox": ",".join(map(str, west))}).json()
    assert [f["id"] for f in only["features"]] == codes[:1]


def test_update_versions_the_record_and_keeps_history(client):
    code = create(client).json()["unit_codes"][0]
    res = client.patch(f"/api/v1/parcels/{code}", headers={"If-Match": '"1"'},
                       json={"geometry": geojson(metres_box(100, 100, 300, 200)), "name": "扩建"})
    assert res.status_code == 200, res.text
    assert res.headers["etag"] == '"2"'
    hist = client.get(f"/api/v1/parcels/{code}/history").json()
    assert [v["version"] for v in hist["versions"]] == [1, 2]
    old, new = hist["versions"]
    assert old["valid_to"] == new["valid_from"]
    assert old["area_mu"] == pytest.approx(60.0, abs=1e-3)
    assert new["area_mu"] == pytest.approx(90.0, abs=1e-3)
    assert new["name"] == "扩建" and old["name"] is None


def test_stale_if_match_is_412_and_missing_is_428(client):
    code = create(client).json()["unit_codes"][0]
    ok = client.patch(f"/api/v1/parcels/{code}", headers={"If-Match": '"1"'}, json={"name": "甲"})
    assert ok.status_code == 200
    stale = client.patch(f"/api/v1/parcels/{code}", headers={"If-Match": '"1"'}, json={"name": "乙"})
    assert_problem(stale, 412, "第 2 版")
    assert_problem(client.patch(f"/api/v1/parcels/{code}", json={"name": "丙"}), 428)
    assert client.get(f"/api/v1/parcels/{code}").json()["properties"]["name"] == "甲"


@pytest.mark.parametrize(
    ("geometry", "fragment"),
    [
        ({"type": "Polygon", "coordinates": [[[120.60, 29.98], [120.61, 29.99], [120.61, 29.98],
                                               [120.60, 29.99], [120.60, 29.98]]]},
         "Self-intersection"),
        ({"type": "Polygon", "coordinates": [[[116.4, 39.9], [116.5, 39.9], [116.5, 40.0],
                                               [116.4, 39.9]]]}, "不在浙江省内"),
        ({"type": "Point", "coordinates": [120.6, 30.0]}, "Polygon"),
        ({"type": "Polygon", "coordinates": [[[120.6]]]}, "无法解析"),
    ],
)
def test_bad_geometry_is_refused_and_nothing_written(client, district, geometry, fragment):
    before = count(district, "land_unit")
    body = assert_problem(client.post("/api/v1/parcels", json={"geometry": geometry}), 422, fragment)
    assert body["errors"][0]["field"] == "geometry"
    assert count(district, "land_unit") == before


def test_unknown_crs_is_refused(client):
    res = client.post("/api/v1/parcels",
                      json={"geometry": geojson(metres_box(0, 0, 10, 10)), "crs": "EPSG:999999"})
    assert_problem(res, 422, "坐标参考系")


def test_input_in_gauss_kruger_is_transformed(client):
    from shapely.geometry import box, mapping

    from tests.factories import X0, Y0
    gk = mapping(box(X0 + 100, Y0 + 100, X0 + 300, Y0 + 300))
    res = client.post("/api/v1/parcels", json={"geometry": gk, "crs": "EPSG:4549"})
    assert res.status_code == 201, res.text
    code = res.json()["unit_codes"][0]
    assert client.get(f"/api/v1/parcels/{code}").json()["properties"]["area_mu"] == pytest.approx(60, abs=1e-3)


def test_overlap_with_a_live_parcel_is_refused_naming_it(client, district):
    code = create(client).json()["unit_codes"][0]
    before = count(district, "land_unit")
    body = assert_problem(create(client, x=150, y=150), 422, code)
    assert body["title"] == "几何图形无效"
    assert count(district, "land_unit") == before


def test_outside_every_subdistrict_is_refused(client):
    assert_problem(create(client, x=5000, y=5000), 422, "地籍子区")


def test_outside_the_district_warns(client):
    res = create(client, x=3950, y=100, w=100, h=100)
    assert res.status_code == 201
    assert res.json()["warnings"] == ["宗地超出区县边界"]


def test_bad_attributes_are_refused_per_field(client):
    body = assert_problem(create(client, land_use_code="0701", status="nonsense"), 422)
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"land_use_code", "status"}


def test_unknown_field_is_refused(client):
    assert_problem(create(client, area_mu=12.0), 422)


def test_malformed_code_names_position_and_unknown_code_is_404(client):
    body = assert_problem(client.get("/api/v1/parcels/330602004012GQ00037W00000000"), 422)
    assert body["errors"][0]["position"] == 14
    assert_problem(client.get("/api/v1/parcels/330602004012GB00037W00000000"), 404, "不存在")


def test_bbox_errors(client):
    assert_problem(client.get("/api/v1/parcels", params={"bbox": "1,2,3"}), 422, "bbox")
    assert_problem(client.get("/api/v1/parcels", params={"bbox": "3,2,1,4"}), 422, "bbox")
    assert_problem(client.get("/api/v1/parcels", params={"limit": 0}), 422)
    assert_problem(client.get("/api/v1/parcels", params={"limit": 10**6}), 422, "limit")


def test_split_issues_child_codes_retires_parent_and_records_lineage(client, district):
    code = create(client).json()["unit_codes"][0]
    line = metres_line((200, 50), (200, 400))  # across the middle of the 200 m square
    res = client.post(f"/api/v1/parcels/{code}/split", headers={"If-Match": '"1"'}, json={"line": line})
    assert res.status_code == 201, res.text
    children = res.json()["unit_codes"]
    assert len(children) == 2 and code not in children
    assert res.json()["retired_codes"] == [code]
    areas = sorted(client.get(f"/api/v1/parcels/{c}").json()["properties"]["area_mu"] for c in children)
    assert areas == pytest.approx([30.0, 30.0], abs=0.05)
    assert_problem(client.get(f"/api/v1/parcels/{code}"), 404, "注销")
    hist = client.get(f"/api/v1/parcels/{code}/history").json()
    assert hist["retired_at"] is not None
    assert {(e["parent_code"], e["child_code"]) for e in hist["lineage"]} == {(code, c) for c in children}


def test_split_line_that_misses_is_refused(client):
    code = create(client).json()["unit_codes"][0]
    line = metres_line((1000, 1000), (1100, 1100))
    res = client.post(f"/api/v1/parcels/{code}/split", headers={"If-Match": '"1"'}, json={"line": line})
    assert_problem(res, 422, "分成两块")


def test_merge_adjacent_parcels_and_refuse_distant_ones(client):
    a = create(client, x=100).json()["unit_codes"][0]
    b = create(client, x=300).json()["unit_codes"][0]
    c = create(client, x=900).json()["unit_codes"][0]
    far = client.post("/api/v1/parcels/merge", json={"parcels": [
        {"unit_code": a, "version": 1}, {"unit_code": c, "version": 1}]})
    assert_problem(far, 422, "不相邻")
    res = client.post("/api/v1/parcels/merge", json={"parcels": [
        {"unit_code": a, "version": 1}, {"unit_code": b, "version": 1}]})
    assert res.status_code == 201, res.text
    merged = res.json()["unit_codes"][0]
    assert client.get(f"/api/v1/parcels/{merged}").json()["properties"]["area_mu"] == pytest.approx(120, abs=1e-3)
    assert sorted(res.json()["retired_codes"]) == sorted([a, b])


def test_retired_code_is_never_reissued(client):
    code = create(client).json()["unit_codes"][0]
    assert client.delete(f"/api/v1/parcels/{code}", headers={"If-Match": '"1"'}).status_code == 200
    again = create(client).json()["unit_codes"][0]
    assert again != code and again.endswith("GB00002W00000000")


def test_validate_endpoint(client):
    ok = client.get("/api/v1/codes/91350100M000100Y43/validate").json()
    assert ok["valid"] and ok["kind"] == "uscc" and ok["parts"]["check"] == "3"
    bad = client.get("/api/v1/codes/91350100M000100Y44/validate").json()
    assert not bad["valid"] and bad["errors"][0]["position"] == 18
    unit = client.get("/api/v1/codes/330602004012GB00037W00000000/validate").json()
    assert unit["valid"] and unit["parts"]["sequence"] == "00037"
    odd = client.get("/api/v1/codes/12345/validate").json()
    assert not odd["valid"] and "长度" in odd["errors"][0]["reason"]


def test_healthz(client):
    res = client.get("/healthz")
    assert res.status_code == 200
    assert res.json()["database"] == "ok" and res.json()["postgis"].startswith("3.")


def test_regions_and_landing_page(client):
    towns = client.get("/api/v1/regions/towns").json()
    assert [f["properties"]["name"] for f in towns["features"]] == ["塔山街道", "府山街道"]
    assert client.get("/api/v1/regions/nonsense").status_code == 422
    page = client.get("/")
    assert page.status_code == 200 and "一码管地" in page.text
    assert "http" not in page.text.split("<body>")[0].replace('content="width', "")


def test_unknown_route_is_problem_json(client):
    assert_problem(client.get("/api/v1/nowhere"), 404)


def test_api_docs_load_only_local_assets(client):
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/vendor/swagger-ui/swagger-ui-bundle.js" in page.text
    assert "cdn.jsdelivr.net" not in page.text and "unpkg.com" not in page.text
    assert client.get("/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/vendor/leaflet/leaflet.js").status_code == 200


def test_nul_character_in_a_parameter_is_a_422_not_a_500(client):
    assert_problem(client.get("/api/v1/parcels", params={"town": "\x00"}), 422)
