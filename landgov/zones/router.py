"""``/api/v1/zones``: build 连片 zones, read the current ones, compare two builds."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from landgov.auth.guard import ZoneBuilder, ZoneReader
from landgov.deps import BBoxDep, PagingDep, SessionDep
from landgov.zones import service
from landgov.zones.schemas import (
    BuildRequest,
    BuildSummary,
    Comparison,
    ZoneCollection,
    ZoneDetail,
)

router = APIRouter(prefix="/api/v1/zones", tags=["连片改造片区"])
BuildId = Annotated[int | None, Query(ge=1, le=2**62, title="批次")]


@router.post("/build", response_model=BuildSummary, status_code=201, summary="生成连片片区")
def build(principal: ZoneBuilder, data: BuildRequest, session: SessionDep) -> dict[str, Any]:
    """Cluster the candidate parcels into zones and keep them as a new build."""
    return service.build_zones(session, data, principal.actor)


@router.get("", response_model=ZoneCollection, summary="连片片区 (当前批次)",
            response_model_by_alias=True)
def zones(
    principal: ZoneReader, session: SessionDep, page: PagingDep, bbox: BBoxDep,
    request: Request, build: BuildId = None,
    town: Annotated[str | None, Query(max_length=12, title="镇街代码")] = None,
    platform: Annotated[str | None, Query(max_length=20, title="平台代码")] = None,
    min_area_mu: Annotated[float, Query(ge=0, le=1_000_000, title="最小总面积 (亩)")] = 0,
) -> dict[str, Any]:
    """The zones of the current build (or ``build``), largest first, as GeoJSON."""
    found = service.zone_collection(
        session, build=build, town=principal.scope_town or town, platform=platform,
        min_area_mu=min_area_mu, bbox=bbox, limit=page.limit, offset=page.offset)
    links = []
    if page.offset + page.limit < found["total"]:
        links.append({"href": str(request.url.include_query_params(
            offset=page.offset + page.limit)), "rel": "next"})
    return {"type": "FeatureCollection", "build_id": found["build_id"],
            "features": found["features"], "numberMatched": found["total"],
            "numberReturned": len(found["features"]), "links": links}


@router.get("/builds", response_model=list[BuildSummary], summary="片区批次")
def builds(_: ZoneReader, session: SessionDep, page: PagingDep) -> list[dict[str, Any]]:
    """Stored builds, newest first."""
    return service.list_builds(session, page.limit, page.offset)


@router.get("/compare", response_model=Comparison, summary="比较两个批次")
def compare(_: ZoneReader, session: SessionDep, from_build: BuildId = None,
            to_build: BuildId = None) -> dict[str, Any]:
    """New, gone, grown and shrunk zones (default: the latest build against the one before)."""
    return service.compare_builds(session, from_build, to_build)


@router.get("/{zone_code}", response_model=ZoneDetail, summary="片区详情")
def zone(principal: ZoneReader, session: SessionDep,
         zone_code: Annotated[str, Path(max_length=40, title="片区编号")]) -> dict[str, Any]:
    """A zone with its member parcels, firms, areas and progress."""
    return service.zone_detail(session, zone_code, principal.scope_town)
