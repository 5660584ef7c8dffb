"""Vector tile content: features, attributes, ids, thinning, scope, TMS, ETag / 304."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from landgov.settings import get_settings
from landgov.tiles import layers
from landgov.tiles.grids import grid
from tests.factories import geojson, metres_box, metres_line
from tests.tiles.conftest import decode, lonlat, tile_at

MVT = "application/vnd.mapbox-vector-tile"


def create(client, x, y, w, h, **extra) -> str:
    res = client.post("/api/v1/parcels", json={"geometry": geojson(metres_box(x, y, w, h)), **extra})
    assert res.status_code == 201, res.text
    return res.json()["unit_codes"][0]


def fids(db) -> dict[str, int]:
    return dict(db.execute(text("SELECT unit_code, fid FROM land_unit")).all())


def features(client, z, x, y, **params):
    res = client.get(f"/tiles/parcels/{z}/{x}/{y}.mvt", params=params)
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == MVT
    return decode(res.content)


def test_tile_holds_current_parcels_with_attributes_and_stable_ids(tiles, as_role, district):
    editor = as_role("land_editor")
    west = create(editor, 100, 100, 200, 200, land_use_code="0601", status="producing")
    east = create(editor, 2300, 100, 100, 100)
    ids = fids(district)
    tile = tile_at(200, 200, 12)
    assert tile_at(2350, 150, 12) == tile  # both parcels lie in this tile
    found = {f["properties"]["unit_code"]: f for f in features(editor, *tile)}
    assert set(found) == {west, east}
    f = found[west]
    assert f["id"] == ids[west]
    assert f["properties"] == {"unit_code": west, "area_mu": pytest.approx(60.0, abs=0.01),
                               "town": "塔山街道", "land_use_code": "0601", "status": "producing"}
    assert f["geometry"]["type"] == "Polygon"
    assert found[east]["properties"]["town"] == "府山街道"
    assert found[east]["id"] == ids[east] != ids[west]


def test_feature_id_survives_edits_and_history_rows_stay_out(tiles, as_role, district):
    editor = as_role("land_editor")
    code = create(editor, 100, 100, 200, 200)
    before = features(editor, *tile_at(200, 200, 15))
    res = editor.patch(f"/api/v1/parcels/{code}", headers={"If-Match": '"1"'},
                       json={"geometry": geojson(metres_box(100, 100, 250, 200)), "status": "idle"})
    assert res.status_code == 200, res.text
    after = features(editor, *tile_at(200, 200, 15))
    assert [f["id"] for f in after] == [f["id"] for f in before] == [fids(district)[code]]
    assert after[0]["properties"]["status"] == "idle"
    assert after[0]["properties"]["area_mu"] == pytest.approx(75.0, abs=0.01)


def test_split_children_get_new_ids_and_retired_parents_vanish(tiles, as_role, district):
    editor = as_role("land_editor")
    code = create(editor, 100, 100, 200, 200)
    res = editor.post(f"/api/v1/parcels/{code}/split", headers={"If-Match": '"1"'},
                      json={"line": metres_line((200, 50), (200, 350))})
    assert res.status_code == 201, res.text
    children = res.json()["unit_codes"]
    got = features(editor, *tile_at(200, 200, 15))
    ids = fids(district)
    assert sorted(f["id"] for f in got) == sorted(ids[c] for c in children)
    assert ids[code] not in {f["id"] for f in got}


def test_low_zooms_thin_attributes_and_small_parcels(tiles, as_role):
    editor = as_role("land_editor")
    big = create(editor, 100, 100, 600, 600)  # 540 亩
    create(editor, 1000, 100, 30, 30)  # 1.35 亩: under a quarter pixel at z10
    low = features(editor, *tile_at(400, 400, 10))
    assert len(low) == 1
    assert low[0]["properties"] == {"land_use_code": "0601", "status": "supplied"}
    high = features(editor, *tile_at(400, 400, 12))
    assert {f["properties"]["unit_code"] for f in high} >= {big}
    assert len(high) == 2


def test_feature_cap_keeps_the_largest(tiles, as_role, monkeypatch):
    editor = as_role("land_editor")
    small = create(editor, 100, 100, 100, 100)
    large = create(editor, 300, 100, 300, 300)
    monkeypatch.setenv("LANDGOV_TILE_MAX_FEATURES", "1")
    get_settings.cache_clear()
    try:
        got = features(editor, *tile_at(300, 200, 13))
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert [f["properties"]["unit_code"] for f in got] == [large]
    assert small != large


def test_town_officer_sees_only_its_town(tiles, as_role):
    editor = as_role("land_editor")
    west = create(editor, 1800, 100, 150, 150)  # 塔山街道
    east = create(editor, 2050, 100, 150, 150)  # 府山街道
    tile = tile_at(2000, 150, 14)
    everyone = {f["properties"]["unit_code"] for f in features(as_role("viewer"), *tile)}
    officer = {f["properties"]["unit_code"] for f in features(as_role("town_officer"), *tile)}
    assert everyone == {west, east}
    assert officer == {west}
    res = as_role("investment").get("/tiles/parcels/{}/{}/{}.mvt".format(*tile))
    assert res.status_code == 403


def test_geographic_grids_place_features_where_they_are(tiles, as_role):
    editor = as_role("land_editor")
    code = create(editor, 100, 100, 200, 200)
    lon, lat = lonlat(200, 200)
    quad, tdt = grid("CGCS2000Quad"), grid("TianDiTuCGCS2000")
    t = quad.tms.tile(lon, lat, 14)
    got = features(editor, 14, t.x, t.y, tms="CGCS2000Quad")
    assert [f["properties"]["unit_code"] for f in got] == [code]
    same = features(editor, 15, t.x, t.y, tms="TianDiTuCGCS2000")
    assert same == got
    assert tdt.tms.tile(lon, lat, 15) == type(t)(t.x, t.y, 15)
    # The parcel's centre in tile units matches its lon/lat (y grows downwards).
    west, south, east, north = quad.lonlat_bounds(14, t.x, t.y)
    ring = got[0]["geometry"]["coordinates"][0]
    cx = sum(p[0] for p in ring[:-1]) / 4
    cy = sum(p[1] for p in ring[:-1]) / 4
    assert cx == pytest.approx((lon - west) / (east - west) * 4096, abs=2)
    assert cy == pytest.approx((lat - south) / (north - south) * 4096, abs=2)
    wm = features(editor, *tile_at(200, 200, 14))
    assert wm[0]["id"] == got[0]["id"]


def test_etag_revalidation_gives_304_until_the_tile_changes(tiles, as_role):
    editor = as_role("land_editor")
    code = create(editor, 100, 100, 200, 200)
    url = "/tiles/parcels/{}/{}/{}.mvt".format(*tile_at(200, 200, 15))
    first = editor.get(url)
    tag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    again = editor.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == tag
    editor.patch(f"/api/v1/parcels/{code}", headers={"If-Match": '"1"'}, json={"status": "idle"})
    changed = editor.get(url, headers={"If-None-Match": tag})
    assert changed.status_code == 200 and changed.headers["etag"] != tag


def test_empty_tile_is_an_empty_body(tiles, as_role):
    res = as_role("viewer").get("/tiles/parcels/3/6/3.mvt")
    assert res.status_code == 200 and res.content == b""
    assert res.headers["etag"]


def test_tilejson_describes_layer_bounds_and_zooms(tiles, as_role):
    editor = as_role("land_editor")
    create(editor, 100, 100, 200, 200)
    create(editor, 3000, 1500, 200, 200)
    doc = editor.get("/tiles/parcels/tilejson.json").json()
    assert doc["tilejson"] == "3.0.0"
    assert doc["tiles"] == ["http://testserver/tiles/parcels/{z}/{x}/{y}.mvt"]
    assert (doc["minzoom"], doc["maxzoom"]) == (0, 22)
    west, south = lonlat(100, 100)
    east, north = lonlat(3200, 1700)
    assert doc["bounds"] == pytest.approx([west, south, east, north], abs=1e-4)
    layer = doc["vector_layers"][0]
    assert layer["id"] == "parcels"
    # the layer's own attributes; later issues add theirs (add_attribute) beside them
    assert set(layer["fields"]) >= {"unit_code", "area_mu", "town", "land_use_code", "status",
                                    "colour", "eval_class"}
    assert set(layer["fields"]) == {a.name for a in layers.layer("parcels").attributes}
    geo = editor.get("/tiles/parcels/tilejson.json", params={"tms": "CGCS2000Quad"}).json()
    assert geo["tiles"][0].endswith("/tiles/parcels/{z}/{x}/{y}.mvt?tms=CGCS2000Quad")
    assert geo["tilematrixset"] == "CGCS2000Quad"
    officer = as_role("town_officer").get("/tiles/parcels/tilejson.json").json()
    assert officer["bounds"][2] < lonlat(2000, 0)[0]


def test_tile_matrix_sets_are_listed_and_defined(tiles, as_role):
    viewer = as_role("viewer")
    listed = {t["id"]: t for t in viewer.get("/tiles/tilematrixsets").json()}
    assert {"WebMercatorQuad", "CGCS2000Quad", "TianDiTuCGCS2000", "WorldCRS84Quad"} <= set(listed)
    assert listed["CGCS2000Quad"]["crs"].endswith("/EPSG/0/4490")
    doc = viewer.get("/tiles/tilematrixsets/TianDiTuCGCS2000").json()
    assert doc["tileMatrices"][0]["id"] == "1"
    assert (doc["tileMatrices"][0]["matrixWidth"], doc["tileMatrices"][0]["matrixHeight"]) == (2, 1)
