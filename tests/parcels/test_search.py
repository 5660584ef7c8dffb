"""Parcel search (by code prefix, USCC, firm name) and the code lists for the editor's form."""

from sqlalchemy import text

from tests.factories import geojson, metres_box

USCC = "91350100M000100Y43"


def create(client, x, y=100):
    res = client.post("/api/v1/parcels", json={"geometry": geojson(metres_box(x, y, 200, 200))})
    assert res.status_code == 201, res.text
    return res.json()["unit_codes"][0]


def occupy(db, code, name="绍兴越城精工机械有限公司"):
    firm = db.execute(text("INSERT INTO enterprise (uscc, name) VALUES (:u, :n) RETURNING id"),
                      {"u": USCC, "n": name}).scalar_one()
    db.execute(text("INSERT INTO occupancy (unit_code, enterprise_id, share, tenure) "
                    "VALUES (:c, :e, 1, 'owned')"), {"c": code, "e": firm})


def test_search_by_code_prefix_uscc_and_firm_name(client, db):
    west1, west2, east = create(client, 100), create(client, 400), create(client, 2100)
    occupy(db, west2)
    by_code = client.get("/api/v1/parcels/search", params={"q": "330602001001gb0000"})
    assert by_code.status_code == 200, by_code.text
    assert [h["unit_code"] for h in by_code.json()["hits"]] == [west1, west2]
    assert east.startswith("330602002")
    hit = by_code.json()["hits"][1]
    assert hit["enterprises"] == ["绍兴越城精工机械有限公司"]
    assert hit["area_mu"] == 60.0  # 200 m x 200 m
    assert hit["town_name"] == "塔山街道"
    minx, miny, maxx, maxy = hit["bbox"]
    assert minx < maxx and miny < maxy and 120 < minx < 121
    for q in (USCC[:10], "精工机械", "越城精工"):
        hits = client.get("/api/v1/parcels/search", params={"q": q}).json()["hits"]
        assert [h["unit_code"] for h in hits] == [west2], q


def test_search_wildcards_are_literal_and_short_queries_refused(client, db):
    create(client, 100)
    assert client.get("/api/v1/parcels/search", params={"q": "%%"}).json()["hits"] == []
    assert client.get("/api/v1/parcels/search", params={"q": "__"}).json()["hits"] == []
    res = client.get("/api/v1/parcels/search", params={"q": " 3"})
    assert res.status_code == 422
    assert "至少两个字符" in res.json()["detail"]


def test_town_officer_finds_only_its_town(as_role, client):
    create(client, 100)
    east = create(client, 2100)
    officer = as_role("town_officer")  # scoped to 330602001 (west)
    assert officer.get("/api/v1/parcels/search", params={"q": east[:12]}).json()["hits"] == []
    assert len(officer.get("/api/v1/parcels/search", params={"q": "3306020"}).json()["hits"]) == 1


def test_vocabulary_lists_the_codes_the_server_checks(client):
    vocab = client.get("/api/v1/parcels/vocabulary").json()
    assert {"code": "producing", "label": "在产"} in vocab["status"]
    assert {"code": "transfer", "label": "出让"} in vocab["land_right_type"]
    assert [i["code"] for i in vocab["land_use"]["gb50137"]] == ["M1", "M2", "M3", "W1"]
    assert {i["code"] for i in vocab["land_use_vintage"]} == set(vocab["land_use"])


def test_list_gives_more_digits_for_snapping_on_request(client):
    create(client, 100)
    five = client.get("/api/v1/parcels", params={"digits": 5}).json()["features"][0]
    nine = client.get("/api/v1/parcels", params={"digits": 9}).json()["features"][0]
    x5, x9 = five["geometry"]["coordinates"][0][0][0][0], nine["geometry"]["coordinates"][0][0][0][0]
    assert len(str(x5).split(".")[1]) <= 5 < len(str(x9).split(".")[1]) <= 9
    assert x5 == round(x9, 5)
    assert client.get("/api/v1/parcels", params={"digits": 12}).status_code == 422
