"""Items: paging and links, bbox (+ bbox-crs), property filters, town scope, one item."""

import pytest
from pyproj import Transformer

from tests.factories import X0, Y0, metres_box
from tests.ogc.conftest import GEOJSON, ITEMS, assert_problem, create, epsg


def ids(res):
    assert res.status_code == 200, res.text
    return [f["id"] for f in res.json()["features"]]


def link(doc, rel):
    found = [lk["href"] for lk in doc["links"] if lk["rel"] == rel]
    return found[0] if found else None


def test_default_page_is_ten_with_next_and_prev_links(client):
    codes = [create(client, 100 + 150 * i, 100, 100, 100) for i in range(12)]
    first = client.get(ITEMS)
    assert first.headers["content-type"].startswith(GEOJSON)
    doc = first.json()
    assert doc["type"] == "FeatureCollection"
    assert (doc["numberMatched"], doc["numberReturned"]) == (12, 10)
    assert [f["id"] for f in doc["features"]] == codes[:10]
    assert link(doc, "prev") is None and link(doc, "self")
    second = client.get(link(doc, "next")).json()
    assert [f["id"] for f in second["features"]] == codes[10:]
    assert (second["numberMatched"], second["numberReturned"]) == (12, 2)
    assert link(second, "next") is None
    back = client.get(link(second, "prev")).json()
    assert [f["id"] for f in back["features"]] == codes[:10]
    small = client.get(ITEMS, params={"limit": 5, "offset": 5}).json()
    assert [f["id"] for f in small["features"]] == codes[5:10]
    assert "offset=0" in link(small, "prev") and "offset=10" in link(small, "next")
    beyond = client.get(ITEMS, params={"offset": 50}).json()
    assert beyond["features"] == [] and beyond["numberMatched"] == 12


def test_limit_bounds(client, parcels):
    assert_problem(client.get(ITEMS, params={"limit": 10_001}), 400, "10000")
    assert_problem(client.get(ITEMS, params={"limit": 0}), 422)
    assert_problem(client.get(ITEMS, params={"limit": "ten"}), 422)
    assert len(client.get(ITEMS, params={"limit": 10_000}).json()["features"]) == 4


def test_features_carry_the_parcel_properties(client, parcels):
    feature = client.get(ITEMS, params={"limit": 1}).json()["features"][0]
    props = feature["properties"]
    assert feature["id"] == parcels["A"] == props["unit_code"]
    assert props["area_mu"] == pytest.approx(60.0, abs=1e-3)  # 200 m x 200 m
    assert props["town_name"] == "塔山街道" and props["name"] == "甲"
    assert props["version"] == 1 and props["valid_to"] is None
    assert feature["geometry"]["type"] == "MultiPolygon"
    assert "crs" not in feature["geometry"]  # no pre-RFC 7946 crs member


def bbox_param(bounds):
    return ",".join(f"{v:.10f}" for v in bounds)


def test_bbox_in_crs84_and_in_other_crss(client, parcels):
    west = metres_box(0, 0, 350, 2000).bounds  # holds A only
    assert ids(client.get(ITEMS, params={"bbox": bbox_param(west)})) == [parcels["A"]]
    lon0, lat0, lon1, lat1 = west
    for code in (4326, 4490):  # latitude first
        res = client.get(ITEMS, params={"bbox": bbox_param((lat0, lon0, lat1, lon1)),
                                        "bbox-crs": epsg(code)})
        assert ids(res) == [parcels["A"]]
    # EPSG:4549 is northing, easting
    gk = f"{Y0},{X0},{Y0 + 2000},{X0 + 350}"
    assert ids(client.get(ITEMS, params={"bbox": gk, "bbox-crs": epsg(4549)})) == [parcels["A"]]
    # EPSG:3857 is x, y
    merc = Transformer.from_crs(4490, 3857, always_xy=True).transform_bounds(*west)
    res = client.get(ITEMS, params={"bbox": bbox_param(merc), "bbox-crs": epsg(3857)})
    assert ids(res) == [parcels["A"]]
    east = f"{Y0},{X0 + 2000},{Y0 + 2000},{X0 + 4000}"
    assert ids(client.get(ITEMS, params={"bbox": east, "bbox-crs": epsg(4549)})) == [parcels["D"]]


def test_bbox_counts_and_pages_the_filtered_set(client, parcels):
    town = metres_box(0, 0, 2000, 2000).bounds
    doc = client.get(ITEMS, params={"bbox": bbox_param(town), "limit": 2}).json()
    assert doc["numberMatched"] == 3 and doc["numberReturned"] == 2
    assert "bbox=" in link(doc, "next")
    assert ids(client.get(link(doc, "next"))) == [parcels["C"]]


@pytest.mark.parametrize(("params", "fragment"), [
    ({"bbox": "120.7,30.0,120.6,30.1"}, "最小值大于最大值"),
    ({"bbox": "120.6,30.0,120.7"}, "4 个"),
    ({"bbox": "a,b,c,d"}, "4 个数字"),
    ({"bbox": "120.6,30.0,120.7,nan"}, "有限"),
    ({"bbox": "30.0,120.6,30.1,120.7"}, "经纬度范围"),  # lat/lon sent as CRS84
    ({"bbox": f"{X0},{Y0},{X0 + 100},{Y0 + 100}", "bbox-crs": epsg(4549)}, "适用范围"),
    ({"bbox": "1,1,2,2", "bbox-crs": epsg(4490)}, "适用范围"),
    ({"bbox": "120.6,30.0,120.7,30.1", "bbox-crs": "EPSG:9999"}, "不支持的坐标参考系"),
])
def test_bad_bbox_is_400(client, params, fragment):
    assert_problem(client.get(ITEMS, params=params), 400, fragment)


def test_six_number_bbox_ignores_heights(client, parcels):
    lon0, lat0, lon1, lat1 = metres_box(0, 0, 350, 2000).bounds
    res = client.get(ITEMS, params={"bbox": f"{lon0},{lat0},-10,{lon1},{lat1},100"})
    assert ids(res) == [parcels["A"]]


def test_property_filters(client, parcels):
    assert ids(client.get(ITEMS, params={"status": "producing"})) == [
        parcels["B"], parcels["C"], parcels["D"]]
    res = client.get(ITEMS, params={"status": "producing", "town_name": "塔山街道"})
    assert ids(res) == [parcels["B"], parcels["C"]]
    assert ids(client.get(ITEMS, params={"platform": "袍江经开区"})) == [parcels["C"], parcels["D"]]
    assert ids(client.get(ITEMS, params={"unit_code": parcels["D"]})) == [parcels["D"]]
    assert ids(client.get(ITEMS, params={"town_code": "330602002"})) == [parcels["D"]]
    assert ids(client.get(ITEMS, params={"status": "nothing"})) == []
    doc = client.get(ITEMS, params={"status": "producing", "limit": 1}).json()
    assert doc["numberMatched"] == 3 and "status=producing" in link(doc, "next")


def test_bad_filters_are_400(client, parcels):
    body = assert_problem(client.get(ITEMS, params={"colour": "red"}), 400, "colour")
    assert "town_name" in body["detail"]  # says what is allowed
    assert body["errors"][0]["field"] == "colour"
    assert_problem(client.get(f"{ITEMS}?status=a&status=b"), 400, "只能出现一次")
    assert_problem(client.get("/ogc/collections/enterprises/items", params={"status": "x"}),
                   400, "status")


def test_town_officer_sees_only_its_town(as_role, client, parcels):
    officer = as_role("town_officer")  # 塔山街道
    assert ids(officer.get(ITEMS)) == [parcels["A"], parcels["B"], parcels["C"]]
    assert ids(officer.get(ITEMS, params={"town_code": "330602002"})) == []
    assert officer.get(f"{ITEMS}/{parcels['A']}").status_code == 200
    assert_problem(officer.get(f"{ITEMS}/{parcels['D']}"), 404)


def test_one_item_with_etag_links_and_crs(client, parcels):
    res = client.get(f"{ITEMS}/{parcels['B']}")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith(GEOJSON)
    assert res.headers["etag"] == '"1"'
    assert res.headers["content-crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    feature = res.json()
    assert feature["id"] == parcels["B"]
    rels = {lk["rel"] for lk in feature["links"]}
    assert rels == {"self", "collection"}
    again = client.get(f"{ITEMS}/{parcels['B']}", headers={"If-None-Match": '"1"'})
    assert again.status_code == 304 and again.headers["etag"] == '"1"'
    gk = client.get(f"{ITEMS}/{parcels['B']}", params={"crs": epsg(4549)})
    assert gk.headers["content-crs"] == f"<{epsg(4549)}>"
    northing, easting = gk.json()["geometry"]["coordinates"][0][0][0]
    assert 3_300_000 < northing < 3_400_000 and 500_000 < easting < 600_000


def test_unknown_or_malformed_feature_is_404(client, parcels):
    assert_problem(client.get(f"{ITEMS}/330602001001GB09999W00000000"), 404, "330602001001GB09999")
    assert_problem(client.get(f"{ITEMS}/not-a-code"), 404)
    assert_problem(client.get(f"{ITEMS}/{'x' * 65}"), 422)


def test_current_parcels_carry_the_colour_and_class_of_the_latest_evaluation(client, district):
    from landgov.evaluation import service as evaluation
    from tests.evaluation.conftest import World
    from tests.evaluation.test_evaluate import rules

    w = World(district)
    code = w.parcel(400)
    w.firm(land=[(code, 1)])
    evaluation.evaluate(district, 2025, rules(), "test")
    res = client.get(f"/ogc/collections/parcels/items/{code}")
    assert res.status_code == 200, res.text
    props = res.json()["properties"]
    assert props["evaluation_class"] == "A" and props["colour"] == "green"
    api = client.get(f"/api/v1/parcels/{code}").json()["properties"]
    assert (api["evaluation_class"], api["colour"]) == ("A", "green")
