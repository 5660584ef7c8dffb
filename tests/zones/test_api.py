"""The zones API, tile layer, OGC collection and export: shapes, scope, bad input."""

from __future__ import annotations

import io
import json
import zipfile

import mapbox_vector_tile
import pytest
from sqlalchemy import text

from landgov.tiles.layers import layers_reading
from tests.tiles.conftest import tile_at
from tests.zones.conftest import YEAR

BUILD = "/api/v1/zones/build"


@pytest.fixture
def built(layout, as_role):
    """A zone across a road (塔山街道) and one in 府山街道, built through the API."""
    codes = [layout.parcel(100, 100, 200, 200), layout.parcel(320, 100, 200, 200, "cleared"),
             layout.parcel(2500, 1200, 300, 300, "reclaimed")]
    res = as_role("planner").post(BUILD, json={"year": YEAR, "sources": ["vacated", "reclaimed"]})
    assert res.status_code == 201, res.text
    return {"build": res.json(), "codes": codes}


def test_build_returns_its_summary_and_lists_current_zones(built, as_role):
    summary = built["build"]
    assert summary["zone_count"] == 2 and summary["member_count"] == 3
    assert summary["parameters"]["tolerance_m"] == 30 and summary["parameters"]["min_area_mu"] == 100
    assert summary["actor"].startswith("apikey:") or summary["actor"]
    res = as_role("investment").get("/api/v1/zones")
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["type"] == "FeatureCollection" and body["numberMatched"] == 2
    first = body["features"][0]
    assert first["id"] == f"ZB{summary['id']}-1" and first["geometry"]["type"] == "MultiPolygon"
    assert first["properties"]["net_area_mu"] == pytest.approx(135, abs=0.01)
    second = body["features"][1]["properties"]
    assert second["net_area_mu"] == pytest.approx(120, abs=0.01)
    assert second["progress"] == pytest.approx(0.5)
    assert second["status_counts"] == {"cleared": 1, "idle": 1}
    page = as_role("viewer").get("/api/v1/zones", params={"limit": 1}).json()
    assert page["numberReturned"] == 1 and page["links"][0]["rel"] == "next"
    filtered = as_role("viewer").get("/api/v1/zones", params={"town": "330602001"}).json()
    assert [f["properties"]["town_codes"] for f in filtered["features"]] == [["330602001"]]
    big = as_role("viewer").get("/api/v1/zones", params={"min_area_mu": 130}).json()
    assert big["numberMatched"] == 1


def test_town_officer_sees_only_its_town(built, as_role):
    officer = as_role("town_officer")  # 塔山街道
    body = officer.get("/api/v1/zones").json()
    assert [f["properties"]["town_codes"] for f in body["features"]] == [["330602001"]]
    other = f"ZB{built['build']['id']}-1"  # the 府山街道 zone
    assert officer.get(f"/api/v1/zones/{other}").status_code == 404


def test_zone_detail_members_firms_and_progress(built, as_role):
    code = f"ZB{built['build']['id']}-2"
    res = as_role("viewer").get(f"/api/v1/zones/{code}")
    assert res.status_code == 200, res.text
    d = res.json()
    assert sorted(m["unit_code"] for m in d["members"]) == sorted(built["codes"][:2])
    assert d["area_mu"] == pytest.approx(126, abs=0.05) and d["year"] == YEAR
    assert d["firms"] == [] and d["progress"] == 0.5
    assert as_role("viewer").get("/api/v1/zones/ZB999-1").status_code == 404


def test_builds_and_compare_routes(built, layout, as_role):
    planner = as_role("planner")
    assert planner.get("/api/v1/zones/compare").status_code == 404  # only one build yet
    layout.parcel(540, 100, 200, 200)
    assert planner.post(BUILD, json={"year": YEAR, "sources": ["vacated", "reclaimed"]}
                        ).status_code == 201
    builds = planner.get("/api/v1/zones/builds").json()
    assert [b["zone_count"] for b in builds] == [2, 2]
    diff = planner.get("/api/v1/zones/compare", params={
        "from_build": builds[1]["id"], "to_build": builds[0]["id"]}).json()
    assert diff["counts"] == {"new": 0, "gone": 0, "grown": 1, "shrunk": 0, "unchanged": 1}


@pytest.mark.parametrize(("body", "field"), [
    ({"tolerance_m": 10_000}, "tolerance_m"),
    ({"min_area_mu": -5}, "min_area_mu"),
    ({"sources": ["unknown"]}, "sources"),
    ({"sources": []}, "sources"),
    ({"year": 1800}, "year"),
    ({"colour": "red"}, "colour"),
])
def test_bad_build_input_is_a_problem_and_writes_nothing(layout, as_role, body, field):
    layout.parcel(100, 100, 200, 200)
    res = as_role("planner").post(BUILD, json=body)
    assert res.status_code == 422, res.text
    problem = res.json()
    assert res.headers["content-type"].startswith("application/problem+json")
    assert any(field in e["field"] for e in problem["errors"]), problem
    assert layout.db.execute(text("SELECT count(*) FROM zone_build")).scalar() == 0


def test_only_builders_build(layout, as_role):
    assert as_role("viewer").post(BUILD, json={}).status_code == 403
    assert as_role("investment").post(BUILD, json={}).status_code == 403


@pytest.mark.parametrize("params", [{"town": "999999999"}, {"platform": "nowhere"},
                                    {"min_area_mu": -1}, {"bbox": "1,2,3"}])
def test_bad_list_filters(built, as_role, params):
    assert as_role("viewer").get("/api/v1/zones", params=params).status_code == 422


def test_tile_layer_serves_the_current_zones_and_a_build_flushes_it(tiles, built, as_role,
                                                                     district):
    res = as_role("viewer").get("/tiles/zones/{}/{}/{}.mvt".format(*tile_at(300, 200, 13)))
    assert res.status_code == 200, res.text
    layer = mapbox_vector_tile.decode(res.content)["zones"]
    [feature] = layer["features"]
    assert feature["properties"]["zone_code"] == f"ZB{built['build']['id']}-2"
    assert feature["properties"]["area_mu"] == pytest.approx(126, abs=0.05)
    tilejson = as_role("viewer").get("/tiles/zones/tilejson.json").json()
    assert tilejson["vector_layers"][0]["id"] == "zones"
    assert [v.name for v in layers_reading("zone")] == ["zones"]
    # the build's inserts marked the transaction's tiles dirty (layer-wide flush at commit)
    assert district.execute(text("SELECT current_setting('landgov.tiles_dirty', true)")
                            ).scalar() == "1"


def test_ogc_collection_serves_the_current_zones(built, as_role):
    viewer = as_role("viewer")
    res = viewer.get("/ogc/collections/zones/items")
    assert res.status_code == 200, res.text
    body = res.json()
    assert sorted(f["id"] for f in body["features"]) == [
        f"ZB{built['build']['id']}-1", f"ZB{built['build']['id']}-2"]
    one = viewer.get(f"/ogc/collections/zones/items/ZB{built['build']['id']}-2",
                     ).json()
    assert one["properties"]["net_area_mu"] == pytest.approx(120, abs=0.01)
    town = viewer.get("/ogc/collections/zones/items",
                      params={"town_code": "330602002"}).json()
    assert [f["id"] for f in town["features"]] == [f"ZB{built['build']['id']}-1"]


def test_export_layer_zones(built, as_role):
    res = as_role("planner").get("/api/v1/exports/zones", params={"format": "geojson"})
    assert res.status_code == 200, res.text
    raw = res.content
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as z:
            raw = z.read(next(n for n in z.namelist() if n.endswith("json")))
    data = json.loads(raw)
    assert len(data["features"]) == 2
    props = data["features"][1]["properties"]
    assert any(v == pytest.approx(120, abs=0.01) for v in props.values() if isinstance(v, float))
    shp = as_role("planner").get("/api/v1/exports/zones", params={"format": "shp"})
    assert shp.status_code == 200 and shp.content[:2] == b"PK"
