"""The zone statements: the build (sql/), reads of builds and zones, the comparison.

Bound parameters only; never commits (the service owns the transaction).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session


@cache
def sql(name: str) -> str:
    """The statement in ``zones/sql/<name>.sql``."""
    return resources.files("landgov.zones").joinpath("sql", f"{name}.sql").read_text("utf-8")


def build_statement() -> str:
    """The whole build: candidates and clusters, then outlines and the inserts."""
    return sql("candidates") + sql("build")


def cluster_statement() -> str:
    """Only the candidates and their clusters, counted (the bare DBSCAN, for the bench)."""
    return sql("candidates") + ("SELECT count(*) AS candidates, count(DISTINCT cid) AS clusters "
                                "FROM clustered")


def insert_build(session: Session, params: dict[str, Any]) -> tuple[int, int]:
    """Run the build statement; return the new build's id and the members written."""
    row = session.execute(text(build_statement()), params).one()
    return int(row.id), int(row.written)


def set_elapsed(session: Session, build_id: int, elapsed_ms: int) -> None:
    """Record how long the build took."""
    session.execute(text("UPDATE zone_build SET elapsed_ms = :ms WHERE id = :id"),
                    {"ms": elapsed_ms, "id": build_id})


def has_cases_table(session: Session) -> bool:
    """Whether the governance case table exists (the zones do not depend on it)."""
    found = session.execute(text("SELECT to_regclass('governance_case') IS NOT NULL"))
    return bool(found.scalar_one())


def fill_case_counts(session: Session, build_id: int) -> None:
    """Each zone's governance cases by state: cases on its parcels or on its firms."""
    session.execute(text("""
        UPDATE zone z SET case_counts = c.counts
        FROM (SELECT zone_id, jsonb_object_agg(state, n ORDER BY state) AS counts
              FROM (SELECT x.zone_id, gc.state, count(DISTINCT gc.id) AS n
                    FROM (SELECT m.zone_id, m.unit_code, (f ->> 'uscc') AS uscc
                          FROM zone m0
                          JOIN zone_member m ON m.zone_id = m0.id
                          LEFT JOIN LATERAL jsonb_array_elements(m.firms) f ON true
                          WHERE m0.build_id = :b) x
                    LEFT JOIN enterprise e ON e.uscc = x.uscc
                    JOIN governance_case gc ON (gc.unit_code = x.unit_code
                                                OR gc.enterprise_id = e.id)
                                           AND gc.year = (SELECT year FROM zone_build
                                                          WHERE id = :b)
                    GROUP BY x.zone_id, gc.state) s
              GROUP BY zone_id) c
        WHERE c.zone_id = z.id AND z.build_id = :b
    """), {"b": build_id})
    session.execute(text("UPDATE zone SET case_counts = '{}' "
                         "WHERE build_id = :b AND case_counts IS NULL"), {"b": build_id})


def latest_evaluation_year(session: Session) -> int | None:
    """The year of the latest evaluation run."""
    year = session.execute(text("SELECT year FROM evaluation_run ORDER BY id DESC LIMIT 1"))
    value = year.scalar()
    return int(value) if value is not None else None


def latest_build_id(session: Session, year: int | None = None) -> int | None:
    """The latest build (of ``year``, when given)."""
    value = session.execute(text(
        "SELECT max(id) FROM zone_build WHERE CAST(:y AS integer) IS NULL OR year = :y"),
        {"y": year}).scalar()
    return int(value) if value is not None else None


def previous_build_id(session: Session, build_id: int) -> int | None:
    """The build before ``build_id``."""
    value = session.execute(text("SELECT max(id) FROM zone_build WHERE id < :b"),
                            {"b": build_id}).scalar()
    return int(value) if value is not None else None


_BUILD_COLUMNS = ("id, built_at, year, evaluation_run_id, parameters, actor, candidate_count, "
                  "cluster_count, zone_count, member_count, round(area_mu::numeric, 2)::float8 "
                  "AS area_mu, round(net_area_mu::numeric, 2)::float8 AS net_area_mu, elapsed_ms")


def build_row(session: Session, build_id: int) -> Row[Any] | None:
    """One build."""
    return session.execute(text(f"SELECT {_BUILD_COLUMNS} FROM zone_build WHERE id = :id"),
                           {"id": build_id}).one_or_none()


def builds(session: Session, limit: int, offset: int) -> list[Row[Any]]:
    """Builds, newest first."""
    return list(session.execute(text(
        f"SELECT {_BUILD_COLUMNS} FROM zone_build ORDER BY id DESC LIMIT :l OFFSET :o"),
        {"l": limit, "o": offset}).all())


def region_exists(session: Session, table: str, code: str) -> bool:
    """Whether a town / platform with this code exists (``table`` is ours, not a request's)."""
    assert table in ("town", "platform")
    found = session.execute(text(f"SELECT EXISTS (SELECT 1 FROM {table} WHERE code = :c)"),
                            {"c": code})
    return bool(found.scalar_one())


_FILTER = """
    FROM zone z
    WHERE z.build_id = :build
      AND (CAST(:town AS text) IS NULL OR CAST(:town AS text) = ANY(z.town_codes))
      AND (CAST(:platform AS text) IS NULL OR CAST(:platform AS text) = ANY(z.platform_codes))
      AND z.area_mu >= :min_area_mu
      AND (CAST(:bx0 AS float8) IS NULL
           OR z.geom && ST_MakeEnvelope(:bx0, :by0, :bx1, :by1, 4490))
"""


def zone_page(session: Session, params: dict[str, Any]) -> tuple[list[Row[Any]], int]:
    """A page of a build's zones (largest first) and how many match the filters."""
    total = session.execute(text("SELECT count(*)" + _FILTER), params).scalar_one()
    rows = session.execute(text(sql("zone_select") + _FILTER
                                + " ORDER BY z.seq LIMIT :limit OFFSET :offset"), params).all()
    return list(rows), int(total)


def zone_by_code(session: Session, code: str) -> Row[Any] | None:
    """One zone with its build's year and time."""
    return session.execute(text(
        sql("zone_select") + ", z.id AS zone_id, round(z.perimeter_m::numeric, 1)::float8 "
        "AS perimeter_m, b.year, b.built_at FROM zone z JOIN zone_build b ON b.id = z.build_id "
        "WHERE z.code = :code"), {"code": code}).one_or_none()


def members(session: Session, zone_id: int) -> list[Row[Any]]:
    """A zone's member parcels as the build saw them."""
    return list(session.execute(text(
        "SELECT unit_code, round(area_mu::numeric, 2)::float8 AS area_mu, status, sources, firms "
        "FROM zone_member WHERE zone_id = :z ORDER BY unit_code"), {"z": zone_id}).all())


def firms(session: Session, zone_id: int) -> list[Row[Any]]:
    """The firms using land in a zone, with the land each uses there (by share)."""
    return list(session.execute(text("""
        SELECT f ->> 'uscc' AS uscc, f ->> 'name' AS name,
               round(sum(m.area_mu * (f ->> 'share')::float8)::numeric, 2)::float8 AS land_mu
        FROM zone_member m, jsonb_array_elements(m.firms) f
        WHERE m.zone_id = :z
        GROUP BY 1, 2 ORDER BY land_mu DESC, uscc
    """), {"z": zone_id}).all())


def compare(session: Session, from_build: int, to_build: int, same_mu: float) -> list[Row[Any]]:
    """The comparison rows (kind new / gone / changed), see ``sql/compare.sql``."""
    return list(session.execute(text(sql("compare")),
                                {"a": from_build, "b": to_build, "same": same_mu}).all())
