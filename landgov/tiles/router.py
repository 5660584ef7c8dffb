"""``/tiles``: vector tiles and TileJSON per registered layer, raster tiles, tile matrix sets.

The vector routes are made per layer from the registry (a small factory, as titiler
does), so each carries its own layer's permission guard. An unknown layer still gets
an answer naming the layers there are. Tiles carry an ETag (a digest of the bytes)
and ``Cache-Control: no-cache``: browsers and QGIS keep them but revalidate, and get a
304 while the tile is unchanged.

No ``from __future__ import annotations`` here: the per-layer routes are closures whose
guard is a local variable, which FastAPI can only see in evaluated annotations.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from landgov.auth.guard import RegionReader, require
from landgov.auth.principal import Principal
from landgov.deps import SessionDep
from landgov.tiles import service
from landgov.tiles.cache import CachedTile
from landgov.tiles.grids import grids
from landgov.tiles.layers import VectorLayer, all_layers
from landgov.tiles.runtime import TileRuntime, current_runtime, shared_runtime
from landgov.tiles.schemas import TileJSON, TileMatrixSetInfo

router = APIRouter(prefix="/tiles", tags=["地图瓦片"])
MVT = "application/vnd.mapbox-vector-tile"
PNG = "image/png"

TmsQuery = Annotated[str | None, Query(
    max_length=64, title="瓦片矩阵集",
    description="默认 WebMercatorQuad; 可选: " + ", ".join(grids()))]
Z = Annotated[int, Path(title="缩放级别")]
X = Annotated[int, Path(title="列号")]
Y = Annotated[int, Path(title="行号 (自上而下)")]
NamePath = Annotated[str, Path(max_length=64, title="图层名")]


async def tile_runtime(request: Request) -> TileRuntime:
    """The app's tile runtime (tests set one on ``app.state``), else the process's.

    Async, so a tile request does not pay a worker-thread hop for it; the first call
    starts the listener (a bounded wait) in a worker thread.
    """
    runtime: TileRuntime | None = getattr(request.app.state, "tile_runtime", None)
    if runtime is None:
        runtime = current_runtime()
    if runtime is None:
        runtime = await run_in_threadpool(shared_runtime)
    return runtime


RuntimeDep = Annotated[TileRuntime, Depends(tile_runtime)]


def tile_response(request: Request, tile: CachedTile, media_type: str) -> Response:
    """The tile, or 304 when the client's copy (If-None-Match) is still the tile."""
    headers = service.tile_headers(tile.etag)
    if service.not_modified(request.headers.get("if-none-match"), tile.etag):
        return Response(status_code=304, headers=headers)
    return Response(tile.body, media_type=media_type, headers=headers)


def _add_layer_routes(layer: VectorLayer) -> None:
    reader = require(layer.permission)

    @router.get(f"/{layer.name}/{{z}}/{{x}}/{{y}}.mvt", response_class=Response,
                summary=f"矢量瓦片: {layer.title}", operation_id=f"tiles_{layer.name}_mvt",
                responses={200: {"content": {MVT: {}}}, 304: {"description": "瓦片未变化"}})
    async def vector_tile(principal: Annotated[Principal, Depends(reader)], request: Request,
                          session: SessionDep, runtime: RuntimeDep, z: Z, x: X, y: Y,
                          tms: TmsQuery = None) -> Response:
        """One Mapbox Vector Tile; the feature id is the unit's stable integer id.

        A tile in the in-process cache is answered on the event loop; a render (or a
        Redis lookup, which waits on the network) runs in a worker thread.
        """
        tile = (service.cached_vector_tile(session, runtime, principal, layer.name, tms, z, x, y)
                if runtime.in_process else None)
        if tile is None:
            tile = await run_in_threadpool(service.vector_tile, session, runtime, principal,
                                           layer.name, tms, z, x, y)
        return tile_response(request, tile, MVT)

    @router.get(f"/{layer.name}/tilejson.json", response_model=TileJSON,
                summary=f"TileJSON: {layer.title}", operation_id=f"tiles_{layer.name}_tilejson")
    def tilejson(principal: Annotated[Principal, Depends(reader)], request: Request,
                 session: SessionDep, tms: TmsQuery = None) -> TileJSON:
        """TileJSON 3.0.0 with vector_layers, bounds and zoom range."""
        return service.tilejson(session, principal, layer.name, tms, str(request.base_url))


for _layer in all_layers():
    _add_layer_routes(_layer)


@router.get("/raster/{name}/{z}/{x}/{y}.png", response_class=Response, summary="栅格瓦片",
            responses={200: {"content": {PNG: {}}}, 304: {"description": "瓦片未变化"}})
def raster_tile(_: RegionReader, request: Request, name: NamePath, z: Z, x: X, y: Y,
                tms: TmsQuery = None) -> Response:
    """A PNG tile of a raster registered in gis_data/rasters.json."""
    return tile_response(request, service.raster_tile(name, tms, z, x, y), PNG)


@router.get("/raster/{name}/tilejson.json", response_model=TileJSON, summary="栅格 TileJSON")
def raster_tilejson(_: RegionReader, request: Request, name: NamePath,
                    tms: TmsQuery = None) -> TileJSON:
    """TileJSON 3.0.0 of a registered raster."""
    return service.raster_tilejson(name, tms, str(request.base_url))


@router.get("/tilematrixsets", response_model=list[TileMatrixSetInfo], summary="瓦片矩阵集列表")
def tile_matrix_sets(_: RegionReader) -> list[TileMatrixSetInfo]:
    """The tile matrix sets the ``tms`` parameter accepts."""
    return service.tile_matrix_sets()


@router.get("/tilematrixsets/{tms}", summary="瓦片矩阵集定义 (OGC TMS 2.0)")
def tile_matrix_set(_: RegionReader,
                    tms: Annotated[str, Path(max_length=64, title="瓦片矩阵集")]) -> dict[str, Any]:
    """The OGC Two Dimensional Tile Matrix Set 2.0 definition of one set."""
    return service.tile_matrix_set(tms)


@router.get("/{layer}/{z}/{x}/{y}.mvt", include_in_schema=False)
def unknown_layer_tile(_: RegionReader, layer: NamePath, z: Z, x: X, y: Y) -> None:
    """Any other layer name: a 404 that lists the layers there are."""
    service.unknown_layer(layer)


@router.get("/{layer}/tilejson.json", include_in_schema=False)
def unknown_layer_tilejson(_: RegionReader, layer: NamePath) -> None:
    """Any other layer name: a 404 that lists the layers there are."""
    service.unknown_layer(layer)
