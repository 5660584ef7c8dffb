"""The available plots elsewhere: vector tiles, the parcels' availability, OGC, export."""

from __future__ import annotations

import json

import mapbox_vector_tile
from fastapi import FastAPI

from landgov.tiles.cache import MemoryCache
from landgov.tiles.runtime import TileRuntime
from tests.investment.conftest import Layout
from tests.tiles.conftest import tile_at


def features(body: bytes, layer: str) -> list[dict]:  # type: ignore[type-arg]
    return mapbox_vector_tile.decode(body).get(layer, {}).get("features", []) if body else []


def test_tiles(layout: Layout, app: FastAPI, as_role):
    app.state.tile_runtime = TileRuntime(MemoryCache(100, 10**6), dsn=None)
    z, x, y = tile_at(250, 1350, 14)  # inside P1; P7 (F2's parcel) lies beside it
    plots = features(as_role("investment").get(f"/tiles/available_plots/{z}/{x}/{y}.mvt").content,
                     "available_plots")
    assert [f["properties"]["unit_code"] for f in plots] == [layout.codes["P1"]]
    assert plots[0]["properties"]["area_mu"] == 135.0
    parcels = features(as_role("viewer").get(f"/tiles/parcels/{z}/{x}/{y}.mvt").content,
                       "parcels")
    by_code = {f["properties"]["unit_code"]: f["properties"] for f in parcels}
    assert by_code[layout.codes["P1"]]["availability"] == "可供地"
    assert "availability" not in by_code[layout.codes["P7"]]
    tilejson = as_role("investment").get("/tiles/available_plots/tilejson.json")
    assert tilejson.status_code == 200, tilejson.text
    assert "available_from" in tilejson.json()["vector_layers"][0]["fields"]
    assert as_role("investment").get(f"/tiles/parcels/{z}/{x}/{y}.mvt").status_code == 403


def test_ogc_collection(layout: Layout, as_role):
    # OGC readers need parcels:read (the /ogc router), the collection investment:read
    res = as_role("viewer").get("/ogc/collections/available_plots/items",
                                params={"platform_code": "paojiang"})
    assert res.status_code == 200, res.text
    assert sorted(f["id"] for f in res.json()["features"]) == sorted(
        [layout.codes["P2"], layout.codes["P3"]])


def test_export_geojson(layout: Layout, as_role):
    res = as_role("planner").get("/api/v1/exports/available_plots", params={"format": "geojson"})
    assert res.status_code == 200, res.text
    rows = [f["properties"] for f in json.loads(res.content)["features"]]
    assert [r["不动产单元代码"] for r in rows] == [layout.codes[k] for k in ("P1", "P3", "P2")]
    assert rows[1]["投资强度下限"] == 400 and rows[1]["所属平台"] == "袍江经开区"
    assert as_role("investment").get("/api/v1/exports/available_plots").status_code == 403
