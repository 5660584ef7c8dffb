"""The available-plot definition, the contract route's filters, bad input and nearest firms."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.parcels.service import today
from tests.investment.conftest import PROBLEM, Layout

URL = "/api/v1/plots/available"


def codes(res) -> list[str]:  # type: ignore[no-untyped-def]
    assert res.status_code == 200, res.text
    return [f["id"] for f in res.json()["features"]]


def test_definition_idle_cleared_reclaimed_unused_industrial(layout: Layout, district: Session):
    rows = district.execute(text("SELECT unit_code FROM available_plot ORDER BY area_mu DESC"))
    c = layout.codes
    assert [r[0] for r in rows] == [c["P1"], c["P3"], c["P2"]]  # 135, 112.5, 105 亩


def test_contract_shape_and_numbers(layout: Layout, as_role):
    res = as_role("investment").get(URL)
    assert res.headers["content-type"].startswith("application/geo+json")
    body = res.json()
    assert body["type"] == "FeatureCollection" and body["numberMatched"] == 3
    p3 = body["features"][1]["properties"]
    assert p3["unit_code"] == layout.codes["P3"]
    assert p3["area_mu"] == 112.5 and p3["status"] == "reclaimed"
    assert p3["town_name"] == "府山街道" and p3["platforms"] == ["袍江经开区"]
    assert p3["available_from"] == today().isoformat()
    assert p3["standard"]["source"] == "platform"  # 袍江 default (migration 0012)
    assert p3["standard"]["investment_intensity_wan_per_mu"] == 400
    assert body["features"][0]["properties"]["standard"]["source"] == "district"
    # F1 (封装测试) 200 m north of P3, F2 (制造) at √(1500² + 400²) = 1552 m; F3 (新材料)
    # is not a catalogue chain and F5 has no chain: neither is listed
    firms = p3["nearest_firms"]
    assert [(f["name"], f["link"], f["distance_m"]) for f in firms] == [
        ("越芯封测有限公司", "封装测试", 200), ("越城晶圆制造有限公司", "制造", 1552)]


def test_filters(layout: Layout, as_role):
    c, get = layout.codes, as_role("investment").get
    assert codes(get(URL, params={"min_area_mu": 110})) == [c["P1"], c["P3"]]
    assert codes(get(URL, params={"min_area_mu": 100, "max_area_mu": 110})) == [c["P2"]]
    assert codes(get(URL, params={"town": "330602002"})) == [c["P3"]]
    assert codes(get(URL, params={"platform": "paojiang"})) == [c["P3"], c["P2"]]
    assert codes(get(URL, params={"platform": "袍江经开区"})) == [c["P3"], c["P2"]]
    assert codes(get(URL, params={"limit": 1, "offset": 1})) == [c["P3"]]
    page = get(URL, params={"limit": 1}).json()
    assert page["numberMatched"] == 3 and any(x["rel"] == "next" for x in page["links"])
    assert get(URL, params={"offset": 10}).json()["numberMatched"] == 3


def test_bbox_and_available_before(layout: Layout, as_role, district: Session):
    c, get = layout.codes, as_role("investment").get
    box = district.execute(text(
        "SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM (SELECT ST_Extent(geom) e "
        "FROM parcel WHERE unit_code = :c AND valid_to IS NULL) s"), {"c": c["P1"]}).one()
    assert codes(get(URL, params={"bbox": ",".join(map(str, box))})) == [c["P1"]]
    future = today() + timedelta(days=90)
    district.execute(text("INSERT INTO plot_standard (unit_code, deliverable_on, set_by) "
                          "VALUES (:c, :d, 'test')"), {"c": c["P2"], "d": future})
    assert codes(get(URL, params={"available_before": today().isoformat()})) == [c["P1"], c["P3"]]
    assert codes(get(URL, params={"available_before": future.isoformat()})) == [
        c["P1"], c["P3"], c["P2"]]


def test_chain_chooses_whose_firms_are_listed(layout: Layout, as_role):
    res = as_role("investment").get(URL, params={"chain": "生物医药"})
    assert all(f["properties"]["nearest_firms"] == [] for f in res.json()["features"])
    res = as_role("investment").get(URL, params={"chain": "集成电路"})
    assert res.json()["features"][0]["properties"]["nearest_firms"][0]["link"] == "制造"


def test_availability_follows_the_register(layout: Layout, district: Session, as_role):
    """A firm moving onto a plot, or the plot being re-let, removes it; triggers keep it."""
    c = layout.codes
    district.execute(text("INSERT INTO occupancy (unit_code, enterprise_id, share, tenure) "
                          "VALUES (:u, :e, 1, 'leased')"), {"u": c["P1"], "e": layout.firms["F2"]})
    district.execute(text("UPDATE parcel SET status = 'relet' WHERE unit_code = :u "
                          "AND valid_to IS NULL"), {"u": c["P2"]})
    assert codes(as_role("investment").get(URL)) == [c["P3"]]
    district.execute(text("UPDATE occupancy SET end_date = current_date WHERE unit_code = :u"),
                     {"u": c["P1"]})
    assert codes(as_role("investment").get(URL)) == [c["P1"], c["P3"]]


def bad(res, field: str, fragment: str = "") -> None:  # type: ignore[no-untyped-def]
    assert res.status_code == 422, res.text
    assert res.headers["content-type"].startswith(PROBLEM)
    body = res.json()
    assert fragment in body["detail"], body
    assert any(e["field"].endswith(field) for e in body["errors"]), body


def test_bad_input(layout: Layout, as_role):
    get = as_role("investment").get
    bad(get(URL, params={"min_area_mu": -1}), "min_area_mu", "负数")
    bad(get(URL, params={"min_area_mu": 50, "max_area_mu": 10}), "max_area_mu", "颠倒")
    bad(get(URL, params={"chain": "纺织"}), "chain", "未知的产业链")
    bad(get(URL, params={"platform": "杭州湾"}), "platform", "未知的平台")
    bad(get(URL, params={"town": "999999999"}), "town", "未知的镇街")
    bad(get(URL, params={"bbox": "100,20,101,21"}), "bbox", "浙江")
    bad(get(URL, params={"bbox": "119,28,119.1,28.1"}), "bbox", "本区")
    bad(get(URL, params={"limit": 0}), "limit")
    bad(get(URL, params={"available_before": "soon"}), "available_before")


def test_permissions_and_town_scope(layout: Layout, as_role, anon: TestClient):
    assert anon.get(URL).status_code == 401
    officer = as_role("town_officer")  # 塔山街道
    assert codes(officer.get(URL)) == [layout.codes["P1"], layout.codes["P2"]]
    assert officer.get(URL, params={"town": "330602002"}).status_code == 422


def test_plot_detail(layout: Layout, as_role):
    get = as_role("investment").get
    res = get(f"/api/v1/plots/{layout.codes['P3']}")
    assert res.status_code == 200 and res.json()["properties"]["area_mu"] == 112.5
    assert get(f"/api/v1/plots/{layout.codes['P6']}").status_code == 404


def test_plot_standard_overrides_the_platform_default(layout: Layout, as_role, district: Session):
    code, writer = layout.codes["P3"], as_role("investment")
    res = writer.put(f"/api/v1/plots/{code}/standard",
                     json={"investment_intensity_wan_per_mu": 700, "floor_area_ratio_min": 2.2})
    assert res.status_code == 200, res.text
    std = res.json()["properties"]["standard"]
    # own values where given, 袍江's default for the rest
    assert (std["source"], std["investment_intensity_wan_per_mu"], std["floor_area_ratio_min"],
            std["tax_per_mu_wan"]) == ("plot", 700, 2.2, 30)
    assert writer.put(f"/api/v1/plots/{code}/standard",
                      json={"admin_share_max_pct": 9}).status_code == 422  # national cap 7 %
    assert as_role("viewer").put(f"/api/v1/plots/{code}/standard", json={}).status_code == 403
    missing = "330602001001GB09999W00000000"
    assert writer.put(f"/api/v1/plots/{missing}/standard", json={}).status_code == 404
    assert district.execute(text("SELECT count(*) FROM audit_event "
                                 "WHERE entity = 'plot_standard'")).scalar_one() == 1
