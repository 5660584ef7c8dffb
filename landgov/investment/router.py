"""``/api/v1/plots``, ``/api/v1/projects``, ``/api/v1/chains``: 产业链精准招商."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response

from landgov.auth.guard import InvestmentReader, ProjectWriter
from landgov.db import session_database
from landgov.deps import BBoxDep, SessionDep
from landgov.investment import page_cache, service
from landgov.investment.plot_pages import GEOJSON, page_body, page_key
from landgov.investment.schemas import (
    AREA_MAX,
    ChainOut,
    MatchesOut,
    PlotCollection,
    PlotStandardIn,
    ProjectCreate,
    ProjectOut,
    ProjectUpdate,
)

plots = APIRouter(prefix="/api/v1/plots", tags=["产业链招商"])
projects = APIRouter(prefix="/api/v1/projects", tags=["产业链招商"])
catalogue = APIRouter(prefix="/api/v1/chains", tags=["产业链招商"])
CodePath = Annotated[str, Path(min_length=28, max_length=28, title="不动产单元代码")]
ProjectId = Annotated[int, Path(ge=1, le=2**62, title="项目编号")]
Area = Annotated[float | None, Query(le=AREA_MAX, title="面积 (亩)")]


@catalogue.get("", response_model=list[ChainOut], summary="产业链目录")
def list_chains(_: InvestmentReader, session: SessionDep) -> list[dict[str, Any]]:
    """The six target chains, their links, upstream/downstream links and firm counts."""
    return service.chain_catalogue(session)


@plots.get("/available", response_model=PlotCollection, summary="可供地块 (GeoJSON)",
           responses={200: {"content": {GEOJSON: {}}}})
def available_plots(
    principal: InvestmentReader, request: Request, session: SessionDep, bbox: BBoxDep,
    min_area_mu: Annotated[float | None, Query(le=AREA_MAX, title="最小面积 (亩)")] = None,
    max_area_mu: Annotated[float | None, Query(le=AREA_MAX, title="最大面积 (亩)")] = None,
    town: Annotated[str | None, Query(max_length=12, title="镇街代码")] = None,
    platform: Annotated[str | None, Query(max_length=40, title="平台 (代码或名称)")] = None,
    chain: Annotated[str | None, Query(max_length=40, title="产业链 (列出其最近企业)")] = None,
    available_before: Annotated[date | None, Query(title="最晚可供地日期")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, title="每页数量")] = 20,
    offset: Annotated[int, Query(ge=0, le=1_000_000, title="偏移")] = 0,
) -> Response:
    """Available plots (contract), filtered and paged, as GeoJSON.

    Current industrial parcels, idle / cleared / reclaimed, with no firm on them: area,
    标准地 indicators, status, town, platforms, when free, and the nearest firms of the
    chain asked for (or of any target chain).
    """
    cache = page_cache.cache_for(request.app.state, session_database(session), start=True)
    page = service.available_plots_page_cached(
        session, cache, page_key(principal.scope_town, request.url.query),
        principal.scope_town, min_area_mu=min_area_mu, max_area_mu=max_area_mu, town=town,
        platform=platform, chain=chain, available_before=available_before, bbox=bbox,
        limit=limit, offset=offset)
    return Response(page_body(request.url, page), media_type=GEOJSON)


@plots.get("/{unit_code}", summary="可供地块详情", responses={200: {"content": {GEOJSON: {}}}})
def plot_detail(principal: InvestmentReader, unit_code: CodePath,
                session: SessionDep) -> dict[str, Any]:
    """One available plot with its 标准地 indicators and its five nearest chain firms."""
    return service.plot_detail(session, unit_code, principal.scope_town)


@plots.put("/{unit_code}/standard", summary="设定地块标准地指标")
def set_standard(principal: ProjectWriter, unit_code: CodePath, data: PlotStandardIn,
                 session: SessionDep) -> dict[str, Any]:
    """A plot's own 标准地 indicators and planned delivery date (others: platform default)."""
    return service.set_plot_standard(session, unit_code, data, principal.actor,
                                     principal.scope_town)


@projects.post("", response_model=ProjectOut, status_code=201, summary="新建招商项目")
def create_project(principal: ProjectWriter, data: ProjectCreate,
                   session: SessionDep) -> dict[str, Any]:
    """Register a project; unknown chain, link or platform and inverted ranges are refused."""
    return service.create_project(session, data, principal.actor)


@projects.get("", response_model=list[ProjectOut], summary="招商项目列表")
def list_projects(_: InvestmentReader, session: SessionDep,
                  status: Annotated[str | None, Query(max_length=16, title="状态")] = None,
                  chain: Annotated[str | None, Query(max_length=40, title="产业链")] = None
                  ) -> list[dict[str, Any]]:
    """Projects, newest first."""
    return service.list_projects(session, status, chain)


@projects.get("/{project_id}", response_model=ProjectOut, summary="招商项目")
def get_project(_: InvestmentReader, project_id: ProjectId, session: SessionDep) -> dict[str, Any]:
    """One project."""
    return service.project_out(session, service.get_project(session, project_id))


@projects.patch("/{project_id}", response_model=ProjectOut, summary="修改招商项目")
def update_project(_: ProjectWriter, project_id: ProjectId, data: ProjectUpdate,
                   session: SessionDep) -> dict[str, Any]:
    """Change the given fields (validated together with the rest)."""
    return service.update_project(session, project_id, data)


@projects.get("/{project_id}/matches", response_model=MatchesOut, summary="项目匹配地块与片区")
def project_matches(principal: InvestmentReader, project_id: ProjectId, session: SessionDep,
                    limit: Annotated[int, Query(ge=1, le=100, title="结果数")] = 10
                    ) -> dict[str, Any]:
    """Available plots and current zones ranked by a transparent score, each explained."""
    return service.matches(session, project_id, limit, principal.scope_town)


routers = (catalogue, plots, projects)
