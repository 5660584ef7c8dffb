"""``/maps/``: Folium pages, their shell, the 推介单 (HTML / PDF) and its shared link.

Map pages are ``text/html`` with a CSP of their own (``offline.page_csp``: the page's
inline scripts by hash), which ``landgov.hardening`` keeps for ``/maps/`` paths only.
A browser opens them through the public shell ``/maps/``, which trades the tab's token
for a short-lived signed ``/maps/view/{ticket}`` URL (``…/link`` routes) shown in an
iframe; scripts and desktop clients call the guarded pages directly.
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Response
from fastapi.responses import FileResponse

from landgov.auth.guard import EvaluationReader, InvestmentReader, ProjectWriter, ZoneReader
from landgov.deps import BBoxDep, SessionDep
from landgov.maps import brochure_service, offline, service
from landgov.maps.schemas import ShareLink, ViewLink

STATIC = FilePath(__file__).resolve().parent / "static"
router = APIRouter(tags=["专题地图与推介单"])
HTML_PAGE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}}, "description": "Folium 地图页 (HTML)"}}
DOCUMENT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/html": {}, "application/pdf": {}}, "description": "推介单"}}

Town = Annotated[str | None, Query(max_length=12, pattern=r"^[0-9]{9,12}$", title="镇街代码")]
UnitCode = Annotated[str, Path(min_length=28, max_length=28, title="不动产单元代码")]
ZoneCode = Annotated[str, Path(min_length=1, max_length=40, title="连片区编号")]
ProjectId = Annotated[int, Path(ge=1, le=2**62, title="招商项目")]
Limit = Annotated[int, Query(ge=1, le=200, title="结果数")]
Format = Annotated[Literal["html", "pdf"], Query(title="格式 (html 或 pdf)")]
Ticket = Annotated[str, Path(min_length=20, max_length=4000, title="签名链接")]
Days = Annotated[int | None, Query(ge=1, le=90, title="有效天数")]


def page(html: str) -> Response:
    """A map page with its own CSP (its inline scripts by hash), frameable by our pages."""
    return Response(html, media_type="text/html; charset=utf-8", headers={
        "Content-Security-Policy": offline.page_csp(html),
        "X-Frame-Options": "SAMEORIGIN", "Cache-Control": "no-store"})


def document(body: bytes | str, kind: str, code: str) -> Response:
    """A 推介单 as HTML (no scripts: the app's strict CSP applies) or as a PDF download."""
    if kind == "pdf":
        return Response(body, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="brochure-{code}.pdf"',
            "Cache-Control": "private, no-store"})
    return Response(body, media_type="text/html; charset=utf-8",
                    headers={"Cache-Control": "private, no-store"})


@router.get("/maps/", include_in_schema=False)
def shell() -> FileResponse:
    """The public shell page (no data): it opens the map pages with the tab's token."""
    return FileResponse(STATIC / "index.html", media_type="text/html; charset=utf-8")


@router.get("/maps/evaluation", summary="亩均效益评价分类图 (Folium HTML)",
            response_class=Response, responses=HTML_PAGE)
def evaluation(principal: EvaluationReader, session: SessionDep, bbox: BBoxDep = None,
               town: Town = None) -> Response:
    """Parcels coloured by the 一码 status colour of the latest evaluation."""
    return page(service.evaluation_map(session, town=principal.scope_town or town, bbox=bbox))


@router.get("/maps/evaluation/link", response_model=ViewLink, summary="评价分类图 临时链接")
def evaluation_link(principal: EvaluationReader, bbox: BBoxDep = None,
                    town: Town = None) -> dict[str, Any]:
    """A signed URL (minutes) opening the evaluation map in the shell's iframe."""
    return service.view_link(principal, "evaluation", {"town": town, "bbox": bbox})


@router.get("/maps/zones", summary="连片改造区图 (Folium HTML)", response_class=Response,
            responses=HTML_PAGE)
def zones(principal: ZoneReader, session: SessionDep, bbox: BBoxDep = None,
          town: Town = None) -> Response:
    """Zones of the latest build coloured by governance progress."""
    return page(service.zones_map(session, town=principal.scope_town or town, bbox=bbox))


@router.get("/maps/zones/link", response_model=ViewLink, summary="连片改造区图 临时链接")
def zones_link(principal: ZoneReader, bbox: BBoxDep = None, town: Town = None) -> dict[str, Any]:
    """A signed URL (minutes) opening the zones map in the shell's iframe."""
    return service.view_link(principal, "zones", {"town": town, "bbox": bbox})


@router.get("/maps/projects/{project_id}/matches", summary="招商项目匹配图 (Folium HTML)",
            response_class=Response, responses=HTML_PAGE)
def matches(principal: InvestmentReader, project_id: ProjectId, session: SessionDep,
            limit: Limit = 20) -> Response:
    """A project's ranked plots and zones, with the score explained in each popup."""
    return page(service.matches_map(session, project_id, limit, town=principal.scope_town))


@router.get("/maps/projects/{project_id}/matches/link", response_model=ViewLink,
            summary="招商项目匹配图 临时链接")
def matches_link(principal: InvestmentReader, project_id: ProjectId, session: SessionDep,
                 limit: Limit = 20) -> dict[str, Any]:
    """A signed URL (minutes) opening a project's matches map in the shell's iframe."""
    service.check_project(session, project_id)
    return service.view_link(principal, "matches", {"project_id": project_id, "limit": limit})


@router.get("/maps/view/{ticket}", include_in_schema=False, response_class=Response)
def view(ticket: Ticket, session: SessionDep) -> Response:
    """A map page opened by a signed link (the ticket is the credential)."""
    return page(service.open_view(session, ticket))


@router.get("/maps/brochure/plot/{unit_code}", summary="地块推介单 (HTML / PDF)",
            response_class=Response, responses=DOCUMENT)
def plot_brochure(principal: InvestmentReader, unit_code: UnitCode, session: SessionDep,
                  format: Format = "html") -> Response:
    """A plot's printable 推介单: map, area in 亩, 标准地 indicators, chain neighbours."""
    body = brochure_service.plot_brochure(session, unit_code, format,
                                          town=principal.scope_town)
    return document(body, format, unit_code)


@router.get("/maps/brochure/zone/{zone_code}", summary="连片区推介单 (HTML / PDF)",
            response_class=Response, responses=DOCUMENT)
def zone_brochure(principal: InvestmentReader, zone_code: ZoneCode, session: SessionDep,
                  format: Format = "html") -> Response:
    """A 连片 zone's printable 推介单."""
    body = brochure_service.zone_brochure(session, zone_code, format, town=principal.scope_town)
    return document(body, format, zone_code)


@router.post("/api/v1/brochures/plot/{unit_code}/share", response_model=ShareLink,
             status_code=201, summary="分享地块推介单 (限时只读链接)")
def share_plot(principal: ProjectWriter, unit_code: UnitCode, session: SessionDep,
               days: Days = None) -> dict[str, Any]:
    """A signed link to the plot's 推介单 PDF that expires after ``days`` days."""
    return brochure_service.share(session, "plot", unit_code, days, principal)


@router.post("/api/v1/brochures/zone/{zone_code}/share", response_model=ShareLink,
             status_code=201, summary="分享连片区推介单 (限时只读链接)")
def share_zone(principal: ProjectWriter, zone_code: ZoneCode, session: SessionDep,
               days: Days = None) -> dict[str, Any]:
    """A signed link to the zone's 推介单 PDF that expires after ``days`` days."""
    return brochure_service.share(session, "zone", zone_code, days, principal)


@router.get("/maps/shared/{ticket}", include_in_schema=False, response_class=Response)
def shared(ticket: Ticket, session: SessionDep) -> Response:
    """The PDF a shared link names (the ticket is the credential; read-only, expires)."""
    _, code, body = brochure_service.open_shared(session, ticket)
    return document(body, "pdf", code)
