"""The `cases` tile layer, the parcels' governance_state, and the OGC collection `cases`."""

from __future__ import annotations

from datetime import date

import mapbox_vector_tile
import pytest
from sqlalchemy import text

from landgov.auth.principal import Principal
from landgov.governance.cases import service
from landgov.tiles.layers import layers_reading
from tests.evaluation.conftest import YEAR
from tests.governance.cases.conftest import case_of
from tests.tiles.conftest import tile_at

STEWARD = Principal("user", "steward", "data_steward")


@pytest.fixture
def scene(listed, district, app):
    from landgov.tiles.cache import MemoryCache
    from landgov.tiles.runtime import TileRuntime
    app.state.tile_runtime = TileRuntime(MemoryCache(100, 10**6), dsn=None)
    service.open_from_list(district, STEWARD, YEAR, None)
    east = service.open_case(district, STEWARD, YEAR, listed["east_firm"], listed["east"],
                             "upgrade", date(2099, 12, 31), None)["id"]
    dirty = case_of(district, listed["dirty"])
    service.record_transition(district, dirty, "已列入", actor="t", note=None,
                              on_date=date(2025, 3, 1))
    slow2 = case_of(district, listed["slow"][1])
    service.record_transition(district, slow2, "已退出", actor="t", note="企业已整改达标",
                              on_date=date(2025, 3, 1))
    return {**listed, "east_case": east, "dirty_case": dirty, "slow2_case": slow2,
            "slow1_case": case_of(district, listed["slow"][0])}


def layer_features(client, layer: str) -> dict[int, dict]:
    """Every feature of the layer in the z12 tiles covering the test district, by id."""
    tiles = {tile_at(x, y, 12) for x in (0, 2000, 4000) for y in (0, 1000, 2000)}
    found: dict[int, dict] = {}
    for z, x, y in tiles:
        res = client.get(f"/tiles/{layer}/{z}/{x}/{y}.mvt")
        assert res.status_code == 200, res.text
        if res.content:
            for f in mapbox_vector_tile.decode(res.content).get(layer, {}).get("features", []):
                found[f["id"]] = f
    return found


def test_cases_layer_draws_each_case_on_its_parcel(scene, as_role):
    found = layer_features(as_role("data_steward"), "cases")
    assert set(found) == {scene["dirty_case"], scene["slow1_case"], scene["slow2_case"],
                          scene["east_case"]}
    east = found[scene["east_case"]]["properties"]
    assert east["state"] == "待核实" and east["action"] == "upgrade"
    assert east["overdue"] is False and east["town"] == "府山街道"
    assert east["unit_code"] == scene["east"] and east["deadline"] == "2099-12-31"
    dirty = found[scene["dirty_case"]]["properties"]
    assert dirty["state"] == "已列入" and dirty["overdue"] is True  # due 2025-12-31
    assert found[scene["slow2_case"]]["properties"]["overdue"] is False  # closed
    # a town officer sees its own town's cases only
    mine = layer_features(as_role("town_officer"), "cases")
    assert scene["east_case"] not in mine and len(mine) == 3
    assert as_role("investment").get("/tiles/cases/12/0/0.mvt").status_code == 403


def test_parcels_carry_the_open_case_state(scene, as_role, district):
    found = layer_features(as_role("data_steward"), "parcels")
    fid = dict(district.execute(text("SELECT unit_code, fid FROM land_unit")).all())
    state = {code: found[fid[code]]["properties"].get("governance_state") for code in fid
             if fid[code] in found}
    assert state[scene["dirty_parcel"]] == "已列入"
    assert state[scene["east"]] == "待核实"
    assert state[scene["cluster"][0]] == "待核实"
    assert state[scene["cluster"][1]] is None  # its only case was dropped (已退出)


def test_case_writes_mark_the_tiles_dirty(scene, district):
    assert {v.name for v in layers_reading("governance_case")} >= {"parcels", "cases"}
    district.execute(text("SELECT set_config('landgov.tiles_dirty', '', true)"))
    service.record_transition(district, scene["dirty_case"], "腾退中", actor="t", note=None,
                              on_date=date(2025, 4, 1))
    assert district.execute(text("SELECT current_setting('landgov.tiles_dirty', true)")
                            ).scalar() == "1"


def test_ogc_collection_cases(scene, as_role):
    steward = as_role("data_steward")
    meta = steward.get("/ogc/collections/cases")
    assert meta.status_code == 200, meta.text
    items = steward.get("/ogc/collections/cases/items").json()
    assert len(items["features"]) == 4
    one = steward.get(f"/ogc/collections/cases/items/{scene['east_case']}").json()
    assert one["properties"]["state"] == "待核实" and one["properties"]["town_code"] == "330602002"
    assert one["geometry"]["type"] == "MultiPolygon"
    listed = steward.get("/ogc/collections/cases/items?state=已列入").json()["features"]
    assert [f["id"] for f in listed] == [str(scene["dirty_case"])]
    overdue = steward.get("/ogc/collections/cases/items?overdue=true").json()["features"]
    assert {f["properties"]["town_code"] for f in overdue} == {"330602001"}
    assert len(overdue) == 2
    mine = as_role("town_officer").get("/ogc/collections/cases/items").json()["features"]
    assert len(mine) == 3
    assert steward.post("/ogc/collections/cases/items", json={}).status_code in (403, 405)


def test_cases_tilejson(scene, as_role):
    doc = as_role("data_steward").get("/tiles/cases/tilejson.json")
    assert doc.status_code == 200, doc.text
    body = doc.json()
    layer = body["vector_layers"][0]
    assert layer["id"] == "cases" and {"state", "action", "overdue", "town"} <= set(layer["fields"])
    west, south, east, north = body["bounds"]
    assert west < east and south < north
