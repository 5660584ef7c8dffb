"""``/api/v1/regions/{layer}``: counties, towns and platforms for maps and forms."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from landgov.auth.guard import RegionReader
from landgov.deps import SessionDep
from landgov.regions.queries import layer_geojson

router = APIRouter(prefix="/api/v1/regions", tags=["区域"])


@router.get("/{layer}", summary="区域图层 (区县 / 镇街 / 平台)",
            responses={200: {"content": {"application/geo+json": {}}}})
def region_layer(
    _: RegionReader,
    layer: Annotated[Literal["counties", "towns", "platforms"], Path(title="图层")],
    session: SessionDep,
    simplify: Annotated[float, Query(ge=0, le=0.01, title="简化容差(度)")] = 0.0001,
) -> Response:
    """A region layer as GeoJSON (EPSG:4490)."""
    return Response(layer_geojson(session, layer, simplify), media_type="application/geo+json")
