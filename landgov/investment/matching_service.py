"""Running a project's matching: SQL candidates → shape check of the short list → rank.

The candidate filter and every distance are set-based SQL (``sql/match_candidates.sql``);
the weighing is pure (``matching.py``); the usable-rectangle test (``shape_fit.py``)
runs in Python over the short list only: the ``SHORT_LIST`` best candidates by their
score without the shape part (at least 3 × the requested results), since the shape
part can lower a candidate by at most its 20 points.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import shapely
from sqlalchemy.orm import Session

from landgov.geo import SQM_PER_MU
from landgov.investment import chains, queries
from landgov.investment.matching import OVERSIZE, WEIGHTS, Candidate, Need, Scored, rank, score
from landgov.investment.models import InvestmentProject
from landgov.investment.shape_fit import ShapeFit, largest_fitting_share
from landgov.parcels.service import today as local_today

SHORT_LIST = 30
CANDIDATE_CAP = 500


def need_of(project: InvestmentProject, platform_names: dict[str, str]) -> Need:
    """The project's needs as the score sees them."""
    return Need(project.chain, project.link, float(project.min_area_mu),
                float(project.max_area_mu), tuple(project.preferred_platforms),
                tuple(platform_names.get(c, c) for c in project.preferred_platforms),
                project.land_needed_by)


def _candidate(row: Any, shape_share: float | None = None) -> Candidate:
    return Candidate(
        kind=row.kind, key=row.key, area_mu=float(row.area_mu),
        platforms=tuple(row.platform_codes or ()), platform_names=tuple(row.platform_names or ()),
        town_name=row.town_name,
        same_link_m=None if row.same_link_m is None else float(row.same_link_m),
        same_link_firm=row.same_link_firm,
        adjacent_m=None if row.adjacent_m is None else float(row.adjacent_m),
        adjacent_firm=row.adjacent_firm, adjacent_link=row.adjacent_link,
        control_share=None if row.control_share is None else float(row.control_share),
        available_from=row.available_from, shape_share=shape_share)


def _shape(row: Any, need: Need) -> tuple[float, ShapeFit]:
    geom = shapely.from_wkb(bytes(row.wkb))
    return largest_fitting_share(geom, need.min_area_mu * SQM_PER_MU)


def run_matches(session: Session, project: InvestmentProject, limit: int,
                scope_town: str | None, today: date | None = None) -> dict[str, Any]:
    """Ranked results (at most ``limit``) and how they were found."""
    need = need_of(project, queries.platforms(session))
    zones = queries.relation_exists(session, "current_zone")
    control = queries.has_current_control_line(session)
    rows = queries.match_candidates(session, queries.CandidateQuery(
        chain=need.chain, link=need.link, adjacent=chains.adjacent_links(need.chain, need.link),
        min_area=need.min_area_mu, max_area=need.max_area_mu * OVERSIZE,
        mid_area=(need.min_area_mu + need.max_area_mu) / 2, cap=CANDIDATE_CAP,
        scope_town=scope_town, zones=zones, control_line=control))
    day = today or local_today()
    by_key = {(r.kind, r.key): r for r in rows}
    first = rank([score(_candidate(r), need, day) for r in rows])
    short = first[:max(SHORT_LIST, 3 * limit)]
    checked: list[tuple[Scored, ShapeFit, float]] = []
    for s in short:
        row = by_key[(s.candidate.kind, s.candidate.key)]
        share, fit = _shape(row, need)
        checked.append((score(_candidate(row, share), need, day), fit, share))
    ordered = rank([c[0] for c in checked])
    fits = {(s.candidate.kind, s.candidate.key): (fit, share) for s, fit, share in checked}
    results = [_result(s, by_key[(s.candidate.kind, s.candidate.key)],
                       *fits[(s.candidate.kind, s.candidate.key)])
               for s in ordered[:limit]]
    return {"weights": WEIGHTS, "candidates": len(rows), "shape_checked": len(checked),
            "control_line_recorded": control, "zones_included": zones, "results": results}


def _result(s: Scored, row: Any, fit: ShapeFit, share: float) -> dict[str, Any]:
    c = s.candidate
    return {
        "kind": c.kind, "code": c.key, "area_mu": round(c.area_mu, 2), "town_name": c.town_name,
        "platforms": list(c.platform_names), "available_from": c.available_from,
        "total": s.total, "flagged": s.flagged, "explanation": s.explanation,
        "parts": [p.__dict__ for p in s.parts],
        "shape": {"fits": fit.fits, "share": share, "width_m": round(fit.width_m, 1),
                  "height_m": round(fit.height_m, 1), "angle_deg": round(fit.angle_deg, 1)},
        "geometry": _geojson(row.geojson),
    }


def _geojson(value: str) -> dict[str, Any]:
    out: dict[str, Any] = json.loads(value)
    return out
