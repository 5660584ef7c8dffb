"""The `reclaimed` vector tiles, OGC collection and export layer; the tile notifications."""

from __future__ import annotations

import json
from datetime import date

import mapbox_vector_tile
from sqlalchemy import text

from landgov.tiles.cache import MemoryCache
from landgov.tiles.runtime import TileRuntime
from tests.reclamation.conftest import WEST, Ledger
from tests.tiles.conftest import tile_at


def test_reclaimed_tile_ogc_and_export(app, client, as_role, ledger: Ledger) -> None:
    app.state.tile_runtime = TileRuntime(MemoryCache(100, 10**6), dsn=None)
    code = ledger.parcel(100, 100, 400, 100)
    rec = ledger.record(code, date(2025, 3, 1), (100, 100, 200, 100))
    z, x, y = tile_at(200, 150, 16)
    res = client.get(f"/tiles/reclaimed/{z}/{x}/{y}.mvt")
    assert res.status_code == 200, res.text
    layer = mapbox_vector_tile.decode(res.content)["reclaimed"]
    assert [(f["id"], f["properties"]["mode"], f["properties"]["area_mu"])
            for f in layer["features"]] == [(rec.id, "purchase_reserve", 30.0)]
    assert as_role("investment").get(f"/tiles/reclaimed/{z}/{x}/{y}.mvt").status_code == 403

    items = client.get("/ogc/collections/reclaimed/items", params={"town_code": WEST}).json()
    assert [(f["id"], f["properties"]["new_mu"], f["properties"]["mode_label"])
            for f in items["features"]] == [(str(rec.id), 30.0, "收购储备")]
    one = client.get(f"/ogc/collections/reclaimed/items/{rec.id}")
    assert one.status_code == 200 and one.json()["properties"]["unit_code"] == code

    exported = client.get("/api/v1/exports/reclaimed", params={"format": "geojson"})
    assert exported.status_code == 200, exported.text
    features = json.loads(exported.content)["features"]
    assert len(features) == 1
    props = features[0]["properties"]
    assert props["登记面积(亩)"] == 30.0 and props["盘活方式"] == "收购储备"


def test_records_notify_their_tiles(ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    ledger.record(code, date(2025, 3, 1))
    dirty = ledger.db.execute(text("SELECT current_setting('landgov.tiles_dirty', true)"))
    assert dirty.scalar() == "1"
