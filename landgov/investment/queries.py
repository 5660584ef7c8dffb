"""The investment domain's statements: bound parameters only, never commits.

The two that matter for speed are in ``sql/``: ``available_plots.sql`` (the contract
route) and ``match_candidates.sql``. Their WHERE clauses are assembled here from fixed
fragments (never from request text), so each request's plan sees only the filters it
uses and the indexes of ``available_plot`` apply.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

NEAREST_FIRMS = 3


@cache
def sql(name: str) -> str:
    """The statement in ``investment/sql/<name>.sql``."""
    return resources.files("landgov.investment").joinpath("sql", f"{name}.sql").read_text("utf-8")


@dataclass(frozen=True)
class PlotFilters:
    """The filters of ``/api/v1/plots/available``, already validated by the service."""

    min_area_mu: float | None = None
    max_area_mu: float | None = None
    town: str | None = None  # town code
    platform: str | None = None  # platform code
    chain: str | None = None
    available_before: date | None = None
    bbox: tuple[float, float, float, float] | None = None
    limit: int = 20
    offset: int = 0
    unit_code: str | None = None
    firms: int = NEAREST_FIRMS  # nearest chain firms listed per plot


@dataclass
class Where:
    """Clauses and parameters of one request."""

    clauses: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    def add(self, clause: str, **params: Any) -> None:
        """One more condition."""
        self.clauses.append(clause)
        self.params.update(params)

    @property
    def sql(self) -> str:
        """The clauses joined (TRUE when there are none)."""
        return " AND ".join(self.clauses) or "TRUE"


def plot_where(f: PlotFilters) -> Where:
    """The WHERE of the available-plots page for these filters."""
    w = Where()
    if f.min_area_mu is not None:
        w.add("a.area_mu >= :min_area", min_area=f.min_area_mu)
    if f.max_area_mu is not None:
        w.add("a.area_mu <= :max_area", max_area=f.max_area_mu)
    if f.town is not None:
        w.add("a.town_id = (SELECT id FROM town WHERE code = :town)", town=f.town)
    if f.platform is not None:
        # @> (not = ANY) so the GIN index on platform_codes serves it
        w.add("a.platform_codes @> ARRAY[CAST(:platform AS text)]", platform=f.platform)
    if f.available_before is not None:
        w.add("a.available_from <= :before", before=f.available_before)
    if f.bbox is not None:
        w.add("a.geom && ST_MakeEnvelope(:bx0, :by0, :bx1, :by1, 4490)",
              **dict(zip(("bx0", "by0", "bx1", "by1"), f.bbox, strict=True)))
    if f.unit_code is not None:
        w.add("a.unit_code = :unit_code", unit_code=f.unit_code)
    return w


# A page costs a few milliseconds: a JIT-compiled plan (PostgreSQL's default above a
# cost the KNN laterals can reach) or parallel workers would cost more than they save
# (the tiles measured the same, docs/tiles.md). Transaction-local.
FAST_SETTINGS = text("SELECT set_config('jit', 'off', true), "
                     "set_config('max_parallel_workers_per_gather', '0', true)")


def plot_page(session: Session, f: PlotFilters) -> list[Row[Any]]:
    """(matched, feature text) rows of one page of available plots."""
    session.execute(FAST_SETTINGS)
    w = plot_where(f)
    firm_filter = "s.chain = :chain" if f.chain else "TRUE"
    statement = sql("available_plots").format(where=w.sql, firm_filter=firm_filter)
    params = {**w.params, "limit": f.limit, "offset": f.offset, "firms": f.firms,
              "knn": 3 * f.firms}
    if f.chain:
        params["chain"] = f.chain
    return list(session.execute(text(statement), params).all())


def plot_count(session: Session, f: PlotFilters) -> int:
    """How many plots match (for a page past the end, where the window count is absent)."""
    w = plot_where(f)
    return int(session.execute(text(f"SELECT count(*) FROM available_plot a WHERE {w.sql}"),
                               w.params).scalar_one())


def platforms(session: Session) -> dict[str, str]:
    """Platform code → name (a handful of rows)."""
    rows = session.execute(text("SELECT code, name FROM platform ORDER BY id")).all()
    return {str(code): str(name) for code, name in rows}


def town_exists(session: Session, code: str) -> bool:
    """Whether a town has this code."""
    return bool(session.execute(text("SELECT EXISTS (SELECT 1 FROM town WHERE code = :c)"),
                                {"c": code}).scalar())


def bbox_in_frame(session: Session, bbox: tuple[float, float, float, float]) -> bool:
    """Whether the bbox touches a loaded county frame (the district and its neighbours)."""
    return bool(session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM county WHERE ST_Intersects(geom, "
        "ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4490)))"),
        dict(zip(("x0", "y0", "x1", "y1"), bbox, strict=True))).scalar())


def firm_counts(session: Session) -> dict[tuple[str, str], int]:
    """Current firms per catalogue chain link (firms with a site in ``chain_site``)."""
    rows = session.execute(text(
        "SELECT chain, link, count(DISTINCT enterprise_id) FROM chain_site GROUP BY chain, link"
    )).all()
    return {(str(c), str(link)): int(n) for c, link, n in rows}


def relation_exists(session: Session, name: str) -> bool:
    """Whether a table or view exists (zones and the control line are other domains')."""
    return session.execute(text("SELECT to_regclass(:n) IS NOT NULL"), {"n": name}).scalar() is True


def has_current_control_line(session: Session) -> bool:
    """Whether any current control-line polygon is recorded."""
    if not relation_exists(session, "control_line"):
        return False
    return bool(session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM control_line WHERE valid_to IS NULL)")).scalar())


CONTROL_SHARE = """(SELECT COALESCE(sum(ST_Area(ST_Intersection(
                        ST_Transform(cl.geom, 4549), c.geom_local))), 0)
                    FROM control_line cl
                    WHERE cl.valid_to IS NULL AND ST_Intersects(cl.geom, c.geom))
                   / NULLIF(ST_Area(c.geom_local), 0)"""
ZONES_CTE = """, zones AS (
    SELECT 'zone'::text AS kind, z.code::text AS key,
           COALESCE(z.net_area_mu, z.area_mu) AS area_mu,
           COALESCE(pl.codes, '{{}}'::text[]) AS platform_codes,
           COALESCE(pl.names, '{{}}'::text[]) AS platform_names,
           tw.name::text AS town_name, NULL::date AS available_from, z.geom::geometry AS geom,
           ST_Transform(z.geom, 4549)::geometry AS geom_local
    FROM current_zone z
    CROSS JOIN LATERAL (
        SELECT array_agg(x.code::text ORDER BY x.id), array_agg(x.name::text ORDER BY x.id)
        FROM platform x WHERE ST_Intersects(x.geom, ST_PointOnSurface(z.geom))) pl(codes, names)
    LEFT JOIN LATERAL (
        SELECT t.name, t.code FROM town t
        WHERE ST_Intersects(t.geom, ST_PointOnSurface(z.geom)) ORDER BY t.id LIMIT 1) tw ON true
    WHERE COALESCE(z.net_area_mu, z.area_mu) BETWEEN :min_area AND :max_area {zone_scope}
      -- a zone that is one available plot is already a candidate as that plot
      AND NOT (z.member_count = 1 AND EXISTS (
          SELECT 1 FROM zone_member m JOIN available_plot ap ON ap.unit_code = m.unit_code
          WHERE m.zone_id = z.id))
    ORDER BY z.code
    LIMIT :cap
)"""


@dataclass(frozen=True)
class CandidateQuery:
    """What the candidate statement needs."""

    chain: str
    link: str
    adjacent: tuple[str, ...]
    min_area: float
    max_area: float
    mid_area: float
    cap: int
    scope_town: str | None
    zones: bool
    control_line: bool


def match_candidates(session: Session, q: CandidateQuery) -> list[Row[Any]]:
    """Candidate plots (and zones) with their measured distances and control-line share."""
    plot_scope = "AND t.code = :scope_town" if q.scope_town else ""
    zone_scope = "AND tw.code = :scope_town" if q.scope_town else ""
    statement = sql("match_candidates").format(
        plot_scope=plot_scope,
        zones_cte=ZONES_CTE.format(zone_scope=zone_scope) if q.zones else "",
        zones_union="UNION ALL SELECT * FROM zones" if q.zones else "",
        control_share=CONTROL_SHARE if q.control_line else "NULL::float8")
    params: dict[str, Any] = {
        "chain": q.chain, "link": q.link, "adjacent": list(q.adjacent),
        "min_area": q.min_area, "max_area": q.max_area,
        "mid_area": q.mid_area, "cap": q.cap}
    if q.scope_town:
        params["scope_town"] = q.scope_town
    return list(session.execute(text(statement), params).all())
