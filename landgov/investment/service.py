"""The investment use cases: catalogue, available plots, projects, matches.

Owns the transaction (commits writes); validates what the schema cannot (unknown chain,
link, platform or town, inverted ranges, a bbox outside the district) with a 422 naming
the field before any statement runs, so a bad request never reaches a table scan.
The maps domain (H6) builds on :func:`available_plots`, :func:`plot_detail` and
:func:`matches`.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from landgov.errors import FieldError, InvalidInput, NotFound
from landgov.geo import ZHEJIANG_BOUNDS
from landgov.investment import chains, queries
from landgov.investment.matching_service import run_matches
from landgov.investment.models import InvestmentProject, PlotStandard
from landgov.investment.page_cache import PlotPageCache
from landgov.investment.plot_pages import Page, PageKey
from landgov.investment.queries import PlotFilters
from landgov.investment.schemas import PlotStandardIn, ProjectCreate, ProjectUpdate
from landgov.investment.vocabulary import PROJECT_STATUS

DETAIL_FIRMS = 5


# --- catalogue -------------------------------------------------------------------------


def chain_catalogue(session: Session) -> list[dict[str, Any]]:
    """The six chains, their links, neighbours and how many firms each link has here."""
    counts = queries.firm_counts(session)
    return [{"name": c.name, "description": c.description,
             "links": [{"link": link, "position": i + 1, "upstream": list(c.upstream(link)),
                        "downstream": list(c.downstream(link)),
                        "firm_count": counts.get((c.name, link), 0)}
                       for i, link in enumerate(c.links)]}
            for c in chains.CHAINS]


def check_chain(name: str, field: str = "chain") -> None:
    """Refuse a chain that is not in the catalogue, listing the ones there are."""
    if chains.chain(name) is None:
        known = "、".join(c.name for c in chains.CHAINS)
        raise InvalidInput(f"未知的产业链 {name!r}; 可选: {known}",
                           [FieldError(field, "unknown chain")])


def check_link(chain_name: str, link: str) -> None:
    """Refuse a link that is not a link of the chain."""
    check_chain(chain_name)
    found = chains.chain(chain_name)
    if found is not None and link not in found.links:
        raise InvalidInput(f"产业链 {chain_name} 没有环节 {link!r}; 可选: {'、'.join(found.links)}",
                           [FieldError("link", "unknown link")])


def platform_codes(session: Session, values: list[str], field: str) -> list[str]:
    """Platform codes for codes or names, refusing unknown ones (order kept, no repeats)."""
    known = queries.platforms(session)
    by_name = {name: code for code, name in known.items()}
    out: list[str] = []
    for value in values:
        code = value if value in known else by_name.get(value)
        if code is None:
            raise InvalidInput(f"未知的平台 {value!r}; 可选: {'、'.join(known.values())}",
                               [FieldError(field, "unknown platform")])
        if code not in out:
            out.append(code)
    return out


# --- available plots -------------------------------------------------------------------


def plot_filters(session: Session, *, scope_town: str | None = None,
                 **given: Any) -> PlotFilters:
    """Validated filters: ranges, catalogue chain, existing town/platform, bbox in frame."""
    f = PlotFilters(**given)
    for name in ("min_area_mu", "max_area_mu"):
        value = getattr(f, name)
        if value is not None and value < 0:
            raise InvalidInput(f"{name} 不能为负数", [FieldError(name, "negative")])
    if f.min_area_mu is not None and f.max_area_mu is not None and f.min_area_mu > f.max_area_mu:
        raise InvalidInput(f"面积范围颠倒: min_area_mu {f.min_area_mu:g} > max_area_mu "
                           f"{f.max_area_mu:g}", [FieldError("max_area_mu", "below min_area_mu")])
    if f.chain is not None:
        check_chain(f.chain)
    if f.platform is not None:
        f = replace(f, platform=platform_codes(session, [f.platform], "platform")[0])
    if scope_town is not None:
        if f.town is not None and f.town != scope_town:
            raise InvalidInput(f"镇街工作人员只能查询本镇街 ({scope_town})",
                               [FieldError("town", "outside scope")])
        f = replace(f, town=scope_town)
    elif f.town is not None and not queries.town_exists(session, f.town):
        raise InvalidInput(f"未知的镇街代码 {f.town!r}", [FieldError("town", "unknown town")])
    if f.bbox is not None:
        _check_bbox(session, f.bbox)
    return f


def _check_bbox(session: Session, bbox: tuple[float, float, float, float]) -> None:
    west, south, east, north = ZHEJIANG_BOUNDS
    x0, y0, x1, y1 = bbox
    if x1 < west or x0 > east or y1 < south or y0 > north:
        raise InvalidInput("bbox 不在浙江省内 (应为 CGCS2000 经纬度: "
                           "最小经度,最小纬度,最大经度,最大纬度)",
                           [FieldError("bbox", "outside Zhejiang")])
    if not queries.bbox_in_frame(session, bbox):
        raise InvalidInput("bbox 不在本区 (及相邻县) 范围内",
                           [FieldError("bbox", "outside district")])


def available_plots_page(session: Session, f: PlotFilters) -> tuple[int, list[str]]:
    """(numberMatched, GeoJSON Feature texts) of one page; ``f`` already validated."""
    rows = queries.plot_page(session, f)
    if rows:
        return int(rows[0].matched), [str(r.feature) for r in rows]
    return (queries.plot_count(session, f) if f.offset else 0), []


def available_plots_page_cached(session: Session, cache: PlotPageCache | None,
                                key: PageKey | None, scope_town: str | None,
                                **given: Any) -> Page:
    """One page of the contract route, from the page cache when it has it.

    The cache's epoch is read before the first statement, so a page computed from a
    snapshot that a change overtook is not kept (``page_cache.py``).
    """
    found = cache.get(key) if cache is not None and key is not None else None
    if found is not None:
        return found
    epoch = cache.epoch() if cache is not None else 0
    f = plot_filters(session, scope_town=scope_town, **given)
    matched, features = available_plots_page(session, f)
    page = Page(matched, len(features), ",".join(features), f.offset, f.limit)
    if cache is not None and key is not None:
        cache.put(key, page, epoch)
    return page


def available_plots(session: Session, filters: PlotFilters | dict[str, Any],
                    scope_town: str | None = None) -> dict[str, Any]:
    """Available plots as a GeoJSON FeatureCollection dict (the maps' entry point)."""
    f = filters if isinstance(filters, PlotFilters) else plot_filters(
        session, scope_town=scope_town, **filters)
    matched, features = available_plots_page(session, f)
    return {"type": "FeatureCollection", "numberMatched": matched,
            "numberReturned": len(features), "features": [json.loads(x) for x in features]}


def plot_detail(session: Session, unit_code: str,
                scope_town: str | None = None) -> dict[str, Any]:
    """One available plot as a Feature: area, 标准地 indicators, status, nearest chain firms."""
    f = PlotFilters(unit_code=unit_code, town=scope_town, limit=1, firms=DETAIL_FIRMS)
    _, features = available_plots_page(session, f)
    if not features:
        raise NotFound(f"{unit_code} 不是可供地块 "
                       "(需为现状工业用地, 闲置/已出清/已盘活且无企业使用)")
    feature: dict[str, Any] = json.loads(features[0])
    return feature


def set_plot_standard(session: Session, unit_code: str, data: PlotStandardIn, actor: str,
                      scope_town: str | None = None) -> dict[str, Any]:
    """Set a plot's own 标准地 indicators and delivery date (audited); returns the plot."""
    exists = session.execute(text(
        "SELECT 1 FROM parcel p LEFT JOIN town t ON t.id = p.town_id WHERE p.unit_code = :c "
        "AND p.valid_to IS NULL AND (CAST(:town AS text) IS NULL OR t.code = :town)"),
        {"c": unit_code, "town": scope_town}).first()
    if exists is None:
        raise NotFound(f"没有现状宗地 {unit_code}")
    row = session.get(PlotStandard, unit_code)
    if row is None:
        row = PlotStandard(unit_code=unit_code, set_by=actor)
        session.add(row)
    for key, value in data.model_dump().items():
        setattr(row, key, value)
    row.set_by, row.set_at = actor, func.now()
    session.commit()
    return plot_detail(session, unit_code, scope_town)


# --- projects --------------------------------------------------------------------------


def project_out(session: Session, p: InvestmentProject) -> dict[str, Any]:
    """The API form of a project."""
    names = queries.platforms(session)
    return {c.key: getattr(p, c.key) for c in InvestmentProject.__table__.columns} | {
        "min_area_mu": float(p.min_area_mu), "max_area_mu": float(p.max_area_mu),
        "preferred_platform_names": [names.get(c, c) for c in p.preferred_platforms],
        "status_label": PROJECT_STATUS.get(p.status, p.status)}


def _check_project(session: Session, values: dict[str, Any]) -> dict[str, Any]:
    check_link(values["chain"], values["link"])
    if values["min_area_mu"] > values["max_area_mu"]:
        raise InvalidInput(f"用地需求范围颠倒: 下限 {values['min_area_mu']:g} 亩 > 上限 "
                           f"{values['max_area_mu']:g} 亩",
                           [FieldError("max_area_mu", "below min_area_mu")])
    values["preferred_platforms"] = platform_codes(session, values["preferred_platforms"],
                                                   "preferred_platforms")
    return values


def create_project(session: Session, data: ProjectCreate, actor: str) -> dict[str, Any]:
    """Register a project (validated as a whole; nothing written on refusal)."""
    values = _check_project(session, data.model_dump())
    project = InvestmentProject(**values, created_by=actor, version=1)
    session.add(project)
    session.flush()
    session.refresh(project)
    out = project_out(session, project)
    session.commit()
    return out


def get_project(session: Session, project_id: int) -> InvestmentProject:
    """The project, or 404."""
    project = session.get(InvestmentProject, project_id)
    if project is None:
        raise NotFound(f"没有编号为 {project_id} 的招商项目")
    return project


def list_projects(session: Session, status: str | None, chain: str | None) -> list[dict[str, Any]]:
    """Projects, newest first, optionally by status and chain."""
    query = select(InvestmentProject).order_by(InvestmentProject.id.desc())
    if status is not None:
        if status not in PROJECT_STATUS:
            raise InvalidInput(f"未知的项目状态 {status!r}; 可选: {'、'.join(PROJECT_STATUS)}",
                               [FieldError("status", "unknown status")])
        query = query.where(InvestmentProject.status == status)
    if chain is not None:
        check_chain(chain)
        query = query.where(InvestmentProject.chain == chain)
    return [project_out(session, p) for p in session.scalars(query)]


def update_project(session: Session, project_id: int, data: ProjectUpdate) -> dict[str, Any]:
    """Change the given fields; the merged project is validated as a whole."""
    project = session.get(InvestmentProject, project_id, with_for_update=True)
    if project is None:
        raise NotFound(f"没有编号为 {project_id} 的招商项目")
    given = data.model_dump(exclude_unset=True)
    for key in ("name", "chain", "link", "min_area_mu", "max_area_mu", "preferred_platforms",
                "status"):
        if key in given and given[key] is None:
            raise InvalidInput(f"{key} 不能为空", [FieldError(key, "null")])
    current = {k: getattr(project, k) for k in ("chain", "link", "preferred_platforms")} | {
        "min_area_mu": float(project.min_area_mu), "max_area_mu": float(project.max_area_mu)}
    values = _check_project(session, current | given)
    for key in given:
        setattr(project, key, values[key])
    project.version += 1
    project.updated_at = func.now()
    session.flush()
    session.refresh(project)
    out = project_out(session, project)
    session.commit()
    return out


def matches(session: Session, project_id: int, limit: int = 10,
            scope_town: str | None = None, today: date | None = None) -> dict[str, Any]:
    """A project's ranked plots and zones, each with its score parts and sentences."""
    project = get_project(session, project_id)
    result = run_matches(session, project, limit, scope_town, today)
    return {"project": project_out(session, project), **result}
