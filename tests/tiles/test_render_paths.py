"""The pipelined render (a request's fresh session) gives the very tile the in-transaction
render gives, and leaves no setting behind on the pooled connection."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.parcels import service
from landgov.parcels.schemas import ParcelCreate
from landgov.tiles import queries
from landgov.tiles.grids import grid
from landgov.tiles.layers import layer
from tests.factories import geojson, metres_box
from tests.tiles.conftest import decode, tile_at

pytestmark = pytest.mark.commits


def test_pipelined_and_in_transaction_renders_agree(tiles_committing):
    engine = tiles_committing
    with Session(engine) as s:
        code = service.create_parcel(
            s, ParcelCreate(geometry=geojson(metres_box(100, 100, 200, 200)))).unit_codes[0]
    z, x, y = tile_at(200, 200, 15)
    request = queries.TileRequest(layer("parcels"), grid("WebMercatorQuad"), z, x, y)
    with Session(engine) as fresh:  # not in a transaction: one pipelined round trip
        assert not fresh.in_transaction()
        pipelined = queries.render(fresh, request)
        assert not fresh.in_transaction()  # no transaction was opened on the session
    with Session(engine) as s, s.begin():  # already in a transaction: rendered in it
        s.execute(text("SELECT 1"))
        in_transaction = queries.render(s, request)
    assert pipelined == in_transaction
    assert code in {f["properties"]["unit_code"] for f in decode(pipelined)}
    with engine.connect() as conn:  # the pool's connections keep the server defaults
        settings = conn.execute(text("SELECT current_setting('max_parallel_workers_per_gather'), "
                                     "current_setting('jit')")).one()
        assert settings[0] != "0" or conn.execute(text(
            "SELECT boot_val FROM pg_settings WHERE name = 'max_parallel_workers_per_gather'"
        )).scalar() == "0"
