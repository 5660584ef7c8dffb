"""Zone use cases: build (validate, cluster, persist, all or nothing), read, compare.

A build is checked before anything runs (tolerance within the configured maximum,
sources known, an evaluation run for the year when a source needs one) and written by
one statement, so a refused build leaves nothing behind. Builds are never edited: the
latest build is the current one (view ``current_zone``), older ones stay to compare.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from landgov.errors import FieldError, InvalidInput, NotFound
from landgov.evaluation.queries import latest_run_id
from landgov.governance.actions import load_action_rules
from landgov.settings import get_settings
from landgov.zones import queries
from landgov.zones.schemas import SOURCES, BuildRequest

EVALUATED_SOURCES = frozenset({"two_low_two_high", "governance_list"})
SAME_MU = 0.5  # a comparison calls a zone unchanged within this many 亩


def _year(session: Session, requested: int | None) -> int:
    if requested is not None:
        return requested
    latest = queries.latest_evaluation_year(session)
    return latest if latest is not None else datetime.now(ZoneInfo(get_settings().time_zone)).year


def build_parameters(session: Session, request: BuildRequest) -> dict[str, Any]:
    """The request with the configured defaults filled in and checked (4xx when bad)."""
    settings = get_settings()
    tolerance = settings.zone_tolerance_m if request.tolerance_m is None else request.tolerance_m
    if tolerance > settings.zone_max_tolerance_m:
        raise InvalidInput(
            f"连片容差 {tolerance:g} 米过大: 最大 {settings.zone_max_tolerance_m:g} 米 "
            "(更大的容差会把互不相干的地块连成一片)",
            [FieldError("tolerance_m", f"max {settings.zone_max_tolerance_m:g}")])
    sources = sorted(set(request.sources or settings.zone_sources))
    unknown = [s for s in sources if s not in SOURCES]
    if unknown:
        raise InvalidInput(f"未知的候选来源 {', '.join(unknown)}; 可选: {', '.join(SOURCES)}",
                           [FieldError("sources", "unknown source")])
    rules = load_action_rules()
    return {"tolerance_m": float(tolerance),
            "min_area_mu": float(settings.zone_min_area_mu if request.min_area_mu is None
                                 else request.min_area_mu),
            "sources": sources, "list_classes": list(rules.list_classes),
            "list_two_low_two_high": rules.list_two_low_two_high,
            "year": _year(session, request.year)}


def build_zones(session: Session, request: BuildRequest, actor: str) -> dict[str, Any]:
    """Detect the 连片 zones for the year and keep them as a new build; its summary."""
    build_id = run_build(session, request, actor)
    session.commit()
    return build_summary(session, build_id)


def run_build(session: Session, request: BuildRequest, actor: str) -> int:
    """The build itself, without committing (the demo seeds inside its own transaction)."""
    started = time.perf_counter()
    params = build_parameters(session, request)
    year = params.pop("year")
    run_id = latest_run_id(session, year)
    if run_id is None and request.sources is None:  # defaults: use what the year has
        params["sources"] = [s for s in params["sources"] if s not in EVALUATED_SOURCES]
    if run_id is None and EVALUATED_SOURCES & set(params["sources"]):
        raise InvalidInput(
            f"{year} 年尚未进行亩均效益评价, 无法按两低两高或治理清单选取候选地块 "
            "(可先评价, 或只用 vacated / reclaimed)",
            [FieldError("sources", "needs an evaluation run")])
    build_id, _ = queries.insert_build(session, statement_params(params, year, run_id, actor))
    if queries.has_cases_table(session):
        queries.fill_case_counts(session, build_id)
    queries.set_elapsed(session, build_id, round((time.perf_counter() - started) * 1000))
    return build_id


def statement_params(params: dict[str, Any], year: int, run_id: int | None,
                     actor: str) -> dict[str, Any]:
    """The bound parameters of the build statement."""
    return {"year": year, "run_id": run_id, "sources": params["sources"],
            "list_classes": params["list_classes"],
            "list_tlth": params["list_two_low_two_high"],
            "tolerance": params["tolerance_m"], "half": params["tolerance_m"] / 2,
            "min_area_mu": params["min_area_mu"], "parameters": json.dumps(params),
            "actor": actor}


def build_summary(session: Session, build_id: int) -> dict[str, Any]:
    """A stored build."""
    row = queries.build_row(session, build_id)
    if row is None:
        raise NotFound(f"片区批次 {build_id} 不存在")
    return row._asdict()


def list_builds(session: Session, limit: int, offset: int) -> list[dict[str, Any]]:
    """Stored builds, newest first."""
    return [r._asdict() for r in queries.builds(session, limit, offset)]


def _check_region(session: Session, table: str, code: str | None, field: str) -> None:
    if code is not None and not queries.region_exists(session, table, code):
        label = "镇街" if table == "town" else "平台"
        raise InvalidInput(f"未知的{label}代码 {code!r}", [FieldError(field, f"unknown {table}")])


def zone_collection(session: Session, *, build: int | None, town: str | None,
                    platform: str | None, min_area_mu: float,
                    bbox: tuple[float, float, float, float] | None, limit: int,
                    offset: int) -> dict[str, Any]:
    """A page of a build's zones (default the current build) as GeoJSON features."""
    _check_region(session, "town", town, "town")
    _check_region(session, "platform", platform, "platform")
    build_id = build if build is not None else queries.latest_build_id(session)
    if build is not None and queries.build_row(session, build) is None:
        raise NotFound(f"片区批次 {build} 不存在")
    if build_id is None:
        return {"build_id": None, "features": [], "total": 0}
    box = bbox or (None, None, None, None)
    rows, total = queries.zone_page(session, {
        "build": build_id, "town": town, "platform": platform, "min_area_mu": min_area_mu,
        "bx0": box[0], "by0": box[1], "bx1": box[2], "by1": box[3],
        "limit": limit, "offset": offset})
    features = [{"type": "Feature", "id": r.code, "geometry": r.geometry,
                 "properties": {k: v for k, v in r._asdict().items() if k != "geometry"}}
                for r in rows]
    return {"build_id": build_id, "features": features, "total": total}


def zone_detail(session: Session, code: str, scope_town: str | None = None) -> dict[str, Any]:
    """A zone with its members, firms, areas and progress (contract for investment, maps)."""
    row = queries.zone_by_code(session, code)
    if row is None or (scope_town is not None and scope_town not in row.town_codes):
        raise NotFound(f"片区 {code} 不存在")
    out = row._asdict()
    zone_id = out.pop("zone_id")
    out["members"] = [m._asdict() for m in queries.members(session, zone_id)]
    out["firms"] = [f._asdict() for f in queries.firms(session, zone_id)]
    return out


def compare_builds(session: Session, from_build: int | None,
                   to_build: int | None) -> dict[str, Any]:
    """New, gone and continuing (grown / shrunk / unchanged) zones between two builds.

    Defaults: ``to_build`` the latest build, ``from_build`` the one before it.
    """
    to_id = to_build if to_build is not None else queries.latest_build_id(session)
    if to_id is None or queries.build_row(session, to_id) is None:
        raise NotFound(f"片区批次 {to_build} 不存在" if to_build else "尚无片区批次")
    from_id = from_build if from_build is not None else queries.previous_build_id(session, to_id)
    if from_id is None or queries.build_row(session, from_id) is None:
        raise NotFound(f"片区批次 {from_build} 不存在" if from_build
                       else f"批次 {to_id} 之前没有可比较的批次")
    out: dict[str, Any] = {"from_build": from_id, "to_build": to_id, "new": [], "gone": [],
                           "changed": []}
    for r in queries.compare(session, from_id, to_id, SAME_MU):
        brief = {"code": r.code, "area_mu": r.area_mu, "net_area_mu": r.net_area_mu}
        if r.kind != "changed":
            out[r.kind].append(brief)
            continue
        out["changed"].append({
            "to_code": r.code, "from_codes": r.from_codes, "change": r.change,
            "merged": len(r.from_codes) > 1, "from_area_mu": r.from_mu,
            "to_area_mu": r.area_mu, "delta_mu": round(r.area_mu - r.from_mu, 2),
            "overlap_mu": r.overlap_mu})
    counts = {k: len(out[k]) for k in ("new", "gone")}
    for change in ("grown", "shrunk", "unchanged"):
        counts[change] = sum(1 for c in out["changed"] if c["change"] == change)
    out["counts"] = counts
    return out
