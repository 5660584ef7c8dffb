"""Tile use cases: a vector tile (from the cache or one SQL statement), TileJSON, rasters.

Read-only: nothing here commits. The cache is consulted only when it can be trusted
(see :class:`~landgov.tiles.runtime.TileRuntime`); the epoch is read before the
statement's snapshot, so a tile rendered before an edit is never stored after it.
"""

from __future__ import annotations

import hashlib
import math
from typing import Any, NoReturn

from sqlalchemy.orm import Session

from landgov.auth.principal import Principal
from landgov.errors import NotFound
from landgov.settings import get_settings
from landgov.tiles import layers, queries, raster
from landgov.tiles.cache import CachedTile, TileKey
from landgov.tiles.grids import DEFAULT_TMS, Box, Grid, grid, grids
from landgov.tiles.runtime import TileRuntime
from landgov.tiles.schemas import TileJSON, TileMatrixSetInfo, VectorLayerInfo

WORLD: Box = (-180.0, -85.0511, 180.0, 85.0511)


def etag_of(body: bytes) -> str:
    """The ETag of a tile: a digest of its bytes, the same in every process.

    >>> etag_of(b"")
    'cae66941d9efbd404e4d88758ea67670'
    """
    return hashlib.blake2b(body, digest_size=16).hexdigest()


def tile_headers(etag: str) -> dict[str, str]:
    """Headers of every tile answer: browsers and QGIS keep the tile but revalidate."""
    return {"ETag": f'"{etag}"', "Cache-Control": "no-cache", "Vary": "Authorization, X-API-Key"}


def not_modified(if_none_match: str | None, etag: str) -> bool:
    """Whether the client's copy (its If-None-Match header) is still this tile."""
    if if_none_match is None:
        return False
    tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return "*" in tags or f'"{etag}"' in tags


def tile_key(principal: Principal, layer_name: str, tms_id: str | None, z: int, x: int,
              y: int) -> tuple[TileKey, str | None]:
    """The checked address of a tile for this reader, and the town it is confined to."""
    layer, g = layers.layer(layer_name), grid(tms_id)
    g.check(z, x, y, layer.minzoom, layer.maxzoom)
    town = principal.scope_town if layer.town_scoped else None
    return TileKey(layer.name, g.id, z, x, y, town or "*"), town


def cached_vector_tile(session: Session, runtime: TileRuntime, principal: Principal,
                       layer_name: str, tms_id: str | None, z: int, x: int,
                       y: int) -> CachedTile | None:
    """The tile from the cache, or None.

    Bad addresses are refused here as in :func:`vector_tile`.
    """
    key, _town = tile_key(principal, layer_name, tms_id, z, x, y)
    return runtime.lookup(session, key)


def vector_tile(session: Session, runtime: TileRuntime, principal: Principal, layer_name: str,
                tms_id: str | None, z: int, x: int, y: int) -> CachedTile:
    """Tile z/x/y of a layer as MVT, for this reader (a town officer: its town only)."""
    key, town = tile_key(principal, layer_name, tms_id, z, x, y)
    layer, g = layers.layer(layer_name), grid(tms_id)
    cached = runtime.lookup(session, key)
    if cached is not None:
        return cached
    epoch = runtime.epoch(session)
    request = queries.TileRequest(layer, g, z, x, y, town, get_settings().tile_max_features)
    body = queries.render(session, request)
    tile = CachedTile(body, etag_of(body))
    runtime.store(session, key, tile, epoch)
    return tile


def _center(box: Box, minzoom: int, maxzoom: int) -> list[float]:
    """Centre of ``box`` and a zoom at which it about fills a 512-pixel view."""
    width = max(box[2] - box[0], box[3] - box[1], 1e-6)
    zoom = min(max(math.floor(math.log2(360 * 2 / width)), minzoom), maxzoom)
    return [round((box[0] + box[2]) / 2, 6), round((box[1] + box[3]) / 2, 6), float(zoom)]


def _tile_url(base_url: str, path: str, suffix: str, g: Grid) -> str:
    query = "" if g.id == DEFAULT_TMS else f"?tms={g.id}"
    return f"{base_url.rstrip('/')}/tiles/{path}/{{z}}/{{x}}/{{y}}{suffix}{query}"


def tilejson(session: Session, principal: Principal, layer_name: str, tms_id: str | None,
             base_url: str) -> TileJSON:
    """TileJSON 3.0.0 of a vector layer, with the bounds of what this reader may see."""
    layer, g = layers.layer(layer_name), grid(tms_id)
    town = principal.scope_town if layer.town_scoped else None
    box = queries.extent(session, layer, town) or WORLD
    minzoom, maxzoom = max(layer.minzoom, g.tms.minzoom), min(layer.maxzoom, g.tms.maxzoom)
    return TileJSON(
        name=layer.name, description=f"{layer.title}: {layer.description}",
        tiles=[_tile_url(base_url, layer.name, ".mvt", g)],
        minzoom=minzoom, maxzoom=maxzoom, bounds=[round(v, 7) for v in box],
        center=_center(box, minzoom, maxzoom), tilematrixset=g.id,
        vector_layers=[VectorLayerInfo(id=layer.name, description=layer.title, minzoom=minzoom,
                                       maxzoom=maxzoom, fields=layer.fields())],
        hooks=list(layer.hooks) or None,
    )


def raster_tile(name: str, tms_id: str | None, z: int, x: int, y: int) -> CachedTile:
    """A PNG tile of a registered raster."""
    body = raster.render_png(name, grid(tms_id).id, z, x, y)
    return CachedTile(body, etag_of(body))


def raster_tilejson(name: str, tms_id: str | None, base_url: str) -> TileJSON:
    """TileJSON 3.0.0 of a registered raster."""
    source, g = raster.source(name), grid(tms_id)
    box = raster.bounds(name)
    minzoom, maxzoom = raster.zoom_range(name)
    return TileJSON(
        name=name, description=source.title, attribution=source.attribution,
        tiles=[_tile_url(base_url, f"raster/{name}", ".png", g)],
        minzoom=0, maxzoom=maxzoom + 3, bounds=[round(v, 7) for v in box],
        center=_center(box, minzoom, maxzoom), tilematrixset=g.id,
    )


def tile_matrix_sets() -> list[TileMatrixSetInfo]:
    """The tile matrix sets on offer."""
    return [TileMatrixSetInfo(id=g.id, title=g.tms.title or g.id, crs=str(g.tms.crs.root),
                              description=g.description, minzoom=g.tms.minzoom,
                              maxzoom=g.tms.maxzoom)
            for g in grids().values()]


def tile_matrix_set(tms_id: str) -> dict[str, Any]:
    """The OGC TileMatrixSet 2.0 JSON definition of one set (for clients to configure)."""
    return dict(grid(tms_id).tms.model_dump(mode="json", exclude_none=True))


def unknown_layer(name: str) -> NoReturn:
    """Refuse a layer name no route serves (404 listing the registered layers)."""
    layers.layer(name)
    raise NotFound(f"瓦片图层 {name!r} 不提供此格式")
