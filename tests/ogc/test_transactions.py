"""Part 4 on parcels: POST / PUT / PATCH / DELETE through the parcel editing service."""

import pytest
from sqlalchemy import text

from tests.factories import geojson, metres_box
from tests.ogc.conftest import ITEMS, assert_problem, create


def feature(x=100, y=100, w=200, h=200, **props):
    return {"type": "Feature", "geometry": geojson(metres_box(x, y, w, h)), "properties": props}


def count(db, table):
    return db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_post_creates_with_location_and_etag(client):
    res = client.post(ITEMS, json=feature(name="新宗地", status="producing"),
                      headers={"Content-Type": "application/geo+json"})
    assert res.status_code == 201, res.text
    code = res.json()["unit_codes"][0]
    assert code == "330602001001GB00001W00000000"  # issued by the service, per 地籍子区
    assert res.headers["location"].endswith(f"/ogc/collections/parcels/items/{code}")
    assert res.headers["etag"] == '"1"'
    got = client.get(res.headers["location"])
    assert got.headers["etag"] == '"1"'
    props = got.json()["properties"]
    assert props["name"] == "新宗地" and props["status"] == "producing"
    assert props["area_mu"] == pytest.approx(60.0, abs=1e-3)


def test_post_takes_the_feature_code_and_ignores_a_client_id(client):
    body = {**feature(feature_code="JB"), "id": "mine"}
    code = client.post(ITEMS, json=body).json()["unit_codes"][0]
    assert code[12:14] == "JB"


def test_put_replaces_geometry_and_every_attribute(client):
    code = create(client, 100, 100, name="旧名", note="备注", status="producing")
    current = client.get(f"{ITEMS}/{code}").json()
    # send back what GET gave (read-only members included), with a new geometry and status
    body = {**current, "geometry": geojson(metres_box(100, 100, 300, 200))}
    body["properties"] = {**current["properties"], "status": "idle", "name": None}
    del body["properties"]["note"]
    res = client.put(f"{ITEMS}/{code}", json=body, headers={"If-Match": '"1"'})
    assert res.status_code == 200, res.text
    assert res.headers["etag"] == '"2"' and "location" not in res.headers
    props = client.get(f"{ITEMS}/{code}").json()["properties"]
    assert props["version"] == 2 and props["status"] == "idle"
    assert props["name"] is None and props["note"] is None  # replaced, not merged
    assert props["area_mu"] == pytest.approx(90.0, abs=1e-3)


def test_patch_changes_only_what_is_sent(client):
    code = create(client, 100, 100, name="旧名", note="保留")
    res = client.patch(f"{ITEMS}/{code}", json={"properties": {"name": "新名"}},
                       headers={"If-Match": '"1"', "Content-Type": "application/merge-patch+json"})
    assert res.status_code == 200, res.text
    props = client.get(f"{ITEMS}/{code}").json()["properties"]
    assert props["name"] == "新名" and props["note"] == "保留" and props["version"] == 2
    res = client.patch(f"{ITEMS}/{code}", headers={"If-Match": '"2"'},
                       json={"geometry": geojson(metres_box(100, 100, 100, 100))})
    assert res.status_code == 200
    assert client.get(f"{ITEMS}/{code}").json()["properties"]["area_mu"] == pytest.approx(15.0)
    cleared = client.patch(f"{ITEMS}/{code}", headers={"If-Match": '"3"'},
                           json={"properties": {"note": None}})
    assert cleared.status_code == 200
    assert client.get(f"{ITEMS}/{code}").json()["properties"]["note"] is None


def test_stale_if_match_is_412_and_missing_is_428(client, district):
    code = create(client, 100, 100)
    client.patch(f"{ITEMS}/{code}", json={"properties": {"name": "a"}}, headers={"If-Match": '"1"'})
    before = count(district, "parcel")
    assert_problem(client.patch(f"{ITEMS}/{code}", json={"properties": {"name": "b"}},
                                headers={"If-Match": '"1"'}), 412, "第 2 版")
    assert_problem(client.put(f"{ITEMS}/{code}", json=feature(), headers={"If-Match": '"1"'}), 412)
    assert_problem(client.delete(f"{ITEMS}/{code}", headers={"If-Match": '"1"'}), 412)
    assert_problem(client.patch(f"{ITEMS}/{code}", json={"properties": {"name": "b"}}), 428)
    assert_problem(client.put(f"{ITEMS}/{code}", json=feature()), 428)
    assert_problem(client.delete(f"{ITEMS}/{code}"), 428)
    assert_problem(client.delete(f"{ITEMS}/{code}", headers={"If-Match": "v1"}), 422, "If-Match")
    assert count(district, "parcel") == before  # nothing written
    assert client.get(f"{ITEMS}/{code}").json()["properties"]["name"] == "a"


def test_delete_retires(client):
    code = create(client, 100, 100)
    res = client.delete(f"{ITEMS}/{code}", headers={"If-Match": '"1"'})
    assert res.status_code == 204 and res.content == b""
    assert_problem(client.get(f"{ITEMS}/{code}"), 404, "datetime")
    assert client.get(ITEMS).json()["numberMatched"] == 0
    assert_problem(client.delete(f"{ITEMS}/{code}", headers={"If-Match": '"1"'}), 404, "注销")


def test_writes_go_through_the_editing_service_history_and_audit(client):
    code = create(client, 100, 100)
    client.patch(f"{ITEMS}/{code}", json={"properties": {"status": "idle"}},
                 headers={"If-Match": '"1"'})
    history = client.get(f"/api/v1/parcels/{code}/history").json()
    assert [v["version"] for v in history["versions"]] == [1, 2]
    updates = [e for e in history["events"] if e["action"] == "update"]
    assert len(updates) == 1 and "测试 land_editor" in updates[0]["actor"]
    assert (updates[0]["version_before"], updates[0]["version_after"]) == (1, 2)


@pytest.mark.parametrize(("body", "status", "fragment"), [
    ({"type": "Feature", "geometry": {"type": "Point", "coordinates": [120.6, 30.0]}}, 422,
     "Polygon"),
    ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[120.6, 30.0],
      [120.61, 30.01], [120.61, 30.0], [120.6, 30.01], [120.6, 30.0]]]}}, 422, "几何无效"),
    ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0],
      [1, 1], [0, 0]]]}}, 422, "浙江"),
    ({"type": "Feature", "geometry": {"type": "Polygon", "coordinates": "x"}}, 422, "坐标"),
    ({**feature(paint="red")}, 422, "paint"),
    ({**feature(status="flying")}, 422, "flying"),
    ({**feature(land_use_code="0101")}, 422, "0101"),
    ({"type": "FeatureCollection", "features": []}, 422, ""),
    ({"type": "Feature"}, 422, ""),
])
def test_bad_post_is_4xx_and_writes_nothing(client, district, body, status, fragment):
    before = count(district, "land_unit")
    assert_problem(client.post(ITEMS, json=body), status, fragment)
    assert count(district, "land_unit") == before


def test_overlapping_post_is_refused(client, district):
    create(client, 100, 100)
    before = count(district, "land_unit")
    assert_problem(client.post(ITEMS, json=feature(150, 150)), 422, "重叠")
    assert count(district, "land_unit") == before


def test_patch_cannot_null_what_must_be_set(client):
    code = create(client, 100, 100)
    assert_problem(client.patch(f"{ITEMS}/{code}", json={"properties": {"status": None}},
                                headers={"If-Match": '"1"'}), 422, "status")
    assert_problem(client.patch(f"{ITEMS}/{code}", json={"geometry": None},
                                headers={"If-Match": '"1"'}), 422, "geometry")
    assert_problem(client.patch(f"{ITEMS}/{code}", json={"properties": {}},
                                headers={"If-Match": '"1"'}), 422, "没有要修改的内容")
    # the domain API's PATCH shares the rule (it used to reach the database: 500)
    assert_problem(client.patch(f"/api/v1/parcels/{code}", json={"status": None},
                                headers={"If-Match": '"1"'}), 422, "status")


def test_only_writers_may_write_and_only_parcels_take_writes(as_role, client):
    code = create(client, 100, 100)
    for role in ("viewer", "planner", "town_officer", "data_steward"):
        assert_problem(as_role(role).post(ITEMS, json=feature(500, 500)), 403, "parcels:write")
        assert_problem(as_role(role).delete(f"{ITEMS}/{code}", headers={"If-Match": '"1"'}), 403)
    res = client.post("/ogc/collections/enterprises/items", json=feature())
    assert_problem(res, 405)
    assert res.headers["allow"] == "GET"
