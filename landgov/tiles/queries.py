"""The tile statements. Bound parameters only; identifiers come from the layer registry.

One ``ST_AsMVT`` statement per tile (``sql/tile_frame.sql`` around the layer's features
query ``sql/<layer>.sql``); the zoom-dependent knobs
(thinning, simplification, feature cap) are computed here so the bare-SQL benchmark
runs exactly what the app runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import psycopg
from sqlalchemy import Dialect, Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from landgov.db import translate
from landgov.geo import SQM_PER_MU
from landgov.tiles.grids import Box, Grid
from landgov.tiles.layers import VectorLayer

EXTENT = 4096
BUFFER = 64
MARGIN = BUFFER / EXTENT  # the MVT buffer, as a fraction of a tile
MIN_PIXELS = 0.25  # features smaller than this many screen pixels are thinned out
SIMPLIFY_BELOW_ZOOM = 13
# PostgreSQL's defaults cost a tile query more than they gain: JIT compiles a plan that
# runs for milliseconds, and parallel workers for a few thousand rows only add start-up
# and compete for the same cores. Measured (100,000 parcels, 8 clients, 2 cores): about
# 1.5× the tile throughput with both off (docs/tiles.md).
SESSION_SETTINGS = text("SELECT set_config('jit', 'off', true), "
                        "set_config('max_parallel_workers_per_gather', '0', true)")


@cache
def _template(statement: str) -> str:
    return resources.files("landgov.tiles").joinpath("sql", f"{statement}.sql").read_text("utf-8")


def statement(layer: VectorLayer, scoped: bool) -> str:
    """The layer's SQL with its attributes, joins and (for a town officer) scope filled in."""
    return _statement(layer, scoped)


# A feature's geometry in the tile: simplified at low zooms (in 4490, before projecting),
# projected into the grid's CRS and clipped to the tile with the MVT buffer.
TILE_GEOM = ("ST_AsMVTGeom(ST_Transform(CASE WHEN :simplify > 0 THEN "
             "ST_Simplify({g}, :simplify, true) ELSE {g} END, :srid), "
             "b.tile, :extent, :buffer, true)")


@cache
def _statement(layer: VectorLayer, scoped: bool) -> str:
    joins = "\n".join(dict.fromkeys(a.join for a in layer.attributes if a.join))
    features = _template(layer.statement).format(
        tile_geom=TILE_GEOM.format(g=layer.geometry),
        attributes=",\n       ".join(a.select() for a in layer.attributes),
        joins=joins,
        scope=layer.scope_sql if scoped else "",
    )
    return _template("tile_frame").format(features=features)


@dataclass(frozen=True)
class TileRequest:
    """One tile of one layer, for one reader's scope."""

    layer: VectorLayer
    grid: Grid
    z: int
    x: int
    y: int
    town: str | None = None  # a town officer's town: only its features
    cap: int = 20_000


def parameters(req: TileRequest) -> dict[str, Any]:
    """The bound parameters of the tile statement."""
    g = req.grid
    pixel = g.pixel_metres(req.z, req.x, req.y)
    degrees_per_unit = g.span(req.z) / EXTENT * (1 if g.geographic else 1 / 111_319.49)
    return {
        "tz": req.z + g.zoom_offset, "x": req.x, "y": req.y, "z": req.z,
        "f0": g.frame[0], "f1": g.frame[1], "f2": g.frame[2], "f3": g.frame[3],
        "srid": g.srid, "margin": MARGIN, "extent": EXTENT, "buffer": BUFFER,
        "min_area_mu": MIN_PIXELS * pixel * pixel / SQM_PER_MU,
        "simplify": degrees_per_unit if req.z < SIMPLIFY_BELOW_ZOOM else 0.0,
        "cap": req.cap, "layer": req.layer.name, "town": req.town,
    }


def render(session: Session, req: TileRequest) -> bytes:
    """The tile's MVT bytes (empty when no feature falls in it).

    A request's own session, not yet in a transaction (the app's case): one pooled
    connection in autocommit, the settings and the statement pipelined — one round
    trip, one implicit transaction (so ``set_config(..., true)`` holds for the
    statement), no BEGIN, no ROLLBACK. Otherwise (a session already in a transaction,
    or bound to a connection, as tests are) the statements run in that transaction,
    which sees its uncommitted rows.
    """
    bind = session.get_bind()
    if isinstance(bind, Engine) and not session.in_transaction():
        return _render_pipelined(bind, req)
    session.execute(SESSION_SETTINGS)
    body = session.execute(text(statement(req.layer, req.town is not None)),
                           parameters(req)).scalar()
    return bytes(body) if body else b""


@cache
def _driver_sql(layer: VectorLayer, scoped: bool, dialect: Dialect) -> str:
    """The statement with the driver's placeholders (``%(name)s``)."""
    return str(text(statement(layer, scoped)).compile(dialect=dialect))


_DRIVER_SETTINGS = ("SELECT set_config('jit', 'off', true), "
                    "set_config('max_parallel_workers_per_gather', '0', true)")


def _render_pipelined(engine: Engine, req: TileRequest) -> bytes:
    sql = _driver_sql(req.layer, req.town is not None, engine.dialect)
    params = parameters(req)
    with engine.connect() as conn:
        raw: Any = conn.connection.driver_connection
        raw.autocommit = True
        try:
            with raw.pipeline():
                raw.execute(_DRIVER_SETTINGS)
                cursor = raw.execute(sql, params)
            row = cursor.fetchone()
        except psycopg.Error as exc:
            wrapped = DBAPIError.instance(sql, params, exc, psycopg.Error)
            translated = translate(wrapped) if isinstance(wrapped, DBAPIError) else None
            raise translated or wrapped from exc
        finally:
            if not raw.closed:
                raw.autocommit = False
    body = row[0] if row else None
    return bytes(body) if body else b""


def extent(session: Session, layer: VectorLayer, town: str | None) -> Box | None:
    """The lon/lat extent of the layer's current features (a town's, when scoped)."""
    inner = layer.extent_sql.format(scope=layer.scope_sql if town is not None else "")
    row = session.execute(
        text(f"SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM ({inner}) s(e)"),
        {"town": town},
    ).one()
    if row[0] is None:
        return None
    return float(row[0]), float(row[1]), float(row[2]), float(row[3])
