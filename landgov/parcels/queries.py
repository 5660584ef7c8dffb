"""The parcel statements that matter. Bound parameters only; never commits.

Geometry arrives as EWKT with SRID 4490; all measuring is done by PostGIS in EPSG:4549.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session


@cache
def sql(name: str) -> str:
    """A statement from ``parcels/sql/<name>.sql``."""
    return resources.files("landgov.parcels").joinpath("sql", f"{name}.sql").read_text("utf-8")


@dataclass(frozen=True)
class Page:
    """A page of features as GeoJSON text, and how many match in all."""

    features: list[str]
    matched: int


def _filters(bbox: tuple[float, float, float, float] | None, town: str | None) -> str:
    clauses = []
    if bbox is not None:
        clauses.append("p.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4490)")
    if town is not None:
        clauses.append("t.code = :town")
    return "".join(f" AND {c}" for c in clauses)


def list_features(
    session: Session,
    *,
    bbox: tuple[float, float, float, float] | None,
    town: str | None,
    limit: int,
    offset: int,
    digits: int = 7,
) -> Page:
    """Current parcels in ``bbox`` (EPSG:4490) ordered by code, with the total matched."""
    where = _filters(bbox, town)
    params: dict[str, Any] = {"town": town, "limit": limit, "offset": offset, "digits": digits}
    if bbox is not None:
        params.update(zip(("minx", "miny", "maxx", "maxy"), bbox, strict=True))
    rows = session.execute(
        text(sql("feature_select") + where + " ORDER BY p.unit_code LIMIT :limit OFFSET :offset"),
        params,
    ).all()
    matched = session.execute(
        text("SELECT count(*) FROM parcel p LEFT JOIN town t ON t.id = p.town_id "
             "WHERE p.valid_to IS NULL" + where),
        params,
    ).scalar_one()
    return Page([r.feature for r in rows], int(matched))


def feature(session: Session, code: str, digits: int = 9) -> Row[Any] | None:
    """The current parcel ``code`` as GeoJSON text with its version and town."""
    return session.execute(
        text(sql("feature_select") + " AND p.unit_code = :code"), {"code": code, "digits": digits}
    ).first()


def search(session: Session, q: str, town: str | None, limit: int) -> list[Row[Any]]:
    """Current parcels whose code or USCC starts with ``q`` or whose firm's name holds it."""
    escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return list(session.execute(
        text(sql("search")),
        {"prefix": escaped.upper() + "%", "part": f"%{escaped}%", "town": town, "limit": limit},
    ).all())


def last_town(session: Session, code: str) -> str | None:
    """The town code of the parcel's latest version (current or retired)."""
    return session.execute(
        text("SELECT t.code FROM parcel p JOIN town t ON t.id = p.town_id "
             "WHERE p.unit_code = :code ORDER BY p.version DESC LIMIT 1"), {"code": code}
    ).scalar()


def current_row(session: Session, code: str, *, lock: bool = False) -> Row[Any] | None:
    """The current version's columns (optionally locked for update)."""
    return session.execute(
        text("SELECT id, unit_code, version, ST_AsEWKT(geom) AS ewkt, area_mu, town_id, name, "
             "land_use_code, land_use_vintage, land_right_type, right_start_date, "
             "right_end_date, status, note FROM parcel WHERE unit_code = :code "
             "AND valid_to IS NULL" + (" FOR UPDATE" if lock else "")),
        {"code": code},
    ).first()


def unit_state(session: Session, code: str) -> Row[Any] | None:
    """The registry entry of ``code``: when issued, when retired."""
    return session.execute(
        text("SELECT unit_code, issued_at, retired_at FROM land_unit WHERE unit_code = :code"),
        {"code": code},
    ).first()


def subdistrict_at(session: Session, ewkt: str) -> Row[Any] | None:
    """The cadastral sub-district holding the geometry's point-on-surface."""
    return session.execute(
        text("SELECT id, county_code, district, subdistrict FROM cadastral_subdistrict "
             "WHERE ST_Intersects(geom, ST_PointOnSurface(ST_GeomFromEWKT(:g))) "
             "ORDER BY id LIMIT 1"),
        {"g": ewkt},
    ).first()


def issue_code(session: Session, subdistrict_id: int, feature: str, fixture: str) -> str:
    """Issue the next 宗地顺序号 of the sub-district and register the code.

    The UPDATE takes the sub-district's row lock, so concurrent issuers queue and each
    sees the previous one's committed counter; the counter only grows, so a code is
    never issued twice, even after its parcel is retired.
    """
    return str(session.execute(
        text("""
        WITH s AS (
            UPDATE cadastral_subdistrict SET last_sequence = last_sequence + 1
            WHERE id = :sid
            RETURNING id, county_code || district || subdistrict AS prefix, last_sequence
        )
        INSERT INTO land_unit (unit_code, subdistrict_id)
        SELECT prefix || :feature || lpad(last_sequence::text, 5, '0') || :fixture, id FROM s
        RETURNING unit_code
        """),
        {"sid": subdistrict_id, "feature": feature, "fixture": fixture},
    ).scalar_one())


def overlapping(session: Session, ewkt: str, tolerance_sqm: float,
                exclude: list[str]) -> list[Row[Any]]:
    """Live parcels overlapping the geometry by more than ``tolerance_sqm``."""
    return list(session.execute(
        text("""
        SELECT p.unit_code,
               ST_Area(ST_Transform(ST_Intersection(p.geom, g.geom), 4549)) AS overlap_sqm
        FROM parcel p, (SELECT ST_GeomFromEWKT(:g) AS geom) g
        WHERE p.valid_to IS NULL AND p.geom && g.geom AND ST_Intersects(p.geom, g.geom)
          AND NOT (p.unit_code = ANY(:exclude))
          AND ST_Area(ST_Transform(ST_Intersection(p.geom, g.geom), 4549)) > :tol
        ORDER BY overlap_sqm DESC LIMIT 10
        """),
        {"g": ewkt, "tol": tolerance_sqm, "exclude": exclude},
    ).all())


def inside_counties(session: Session, ewkt: str) -> bool:
    """Whether the geometry lies within the county frames, allowing 1 m² outside."""
    return bool(session.execute(
        text("""
        SELECT COALESCE(ST_Area(ST_Transform(
                   ST_Difference(g.geom, (SELECT ST_Union(c.geom) FROM county c
                                          WHERE c.geom && g.geom)), 4549)), 0) <= 1
               AND EXISTS (SELECT 1 FROM county c WHERE c.geom && g.geom)
        FROM (SELECT ST_GeomFromEWKT(:g) AS geom) g
        """),
        {"g": ewkt},
    ).scalar())


def insert_parcel(session: Session, code: str, ewkt: str, attrs: dict[str, Any]) -> None:
    """Insert version 1 of a parcel (the database sets version, valid_from, town)."""
    session.execute(
        text("""
        INSERT INTO parcel (unit_code, geom, name, land_use_code, land_use_vintage,
                            land_right_type, right_start_date, right_end_date, status, note)
        VALUES (:code, ST_GeomFromEWKT(:g), :name, :land_use_code, :land_use_vintage,
                :land_right_type, :right_start_date, :right_end_date, :status, :note)
        """),
        {"code": code, "g": ewkt, **attrs},
    )


EDITABLE = ("name", "land_use_code", "land_use_vintage", "land_right_type", "right_start_date",
            "right_end_date", "status", "note")


def update_current(session: Session, code: str, version: int, ewkt: str | None,
                   attrs: dict[str, Any]) -> int | None:
    """Update the current version if it is still ``version``; the database versions it.

    Returns the new version, or None when the row was not at ``version`` (lost race).
    """
    sets = [f"{k} = :{k}" for k in attrs if k in EDITABLE]
    if ewkt is not None:
        sets.append("geom = ST_GeomFromEWKT(:g)")
    result = session.execute(
        text(f"UPDATE parcel SET {', '.join(sets)} WHERE unit_code = :code "
             "AND valid_to IS NULL AND version = :version RETURNING version"),
        {**{k: v for k, v in attrs.items() if k in EDITABLE}, "g": ewkt, "code": code,
         "version": version},
    ).scalar()
    return int(result) if result is not None else None


def retire_current(session: Session, code: str, version: int) -> bool:
    """Close the current version (and so retire the code) if it is still ``version``."""
    return session.execute(
        text("UPDATE parcel SET valid_to = now() WHERE unit_code = :code "
             "AND valid_to IS NULL AND version = :version RETURNING id"),
        {"code": code, "version": version},
    ).first() is not None


def split_pieces(session: Session, code: str, line_ewkt: str) -> list[Row[Any]]:
    """The pieces a line cuts the current parcel into, largest first."""
    return list(session.execute(text(sql("split")), {"code": code, "line": line_ewkt}).all())


def union_of(session: Session, codes: list[str]) -> Row[Any]:
    """Union of current parcels (EWKT) and how many polygons it has."""
    return session.execute(
        text("SELECT ST_AsEWKT(ST_Multi(u)) AS ewkt, ST_NumGeometries(u) AS parts FROM "
             "(SELECT ST_UnaryUnion(ST_Collect(geom)) AS u FROM parcel "
             "WHERE unit_code = ANY(:codes) AND valid_to IS NULL) s"),
        {"codes": codes},
    ).one()


def record_lineage(session: Session, parents: list[str], children: list[str], kind: str) -> None:
    """Parent → child rows for a split or merge (every parent × every child)."""
    session.execute(
        text("INSERT INTO parcel_lineage (parent_code, child_code, kind) "
             "SELECT p, c, :kind FROM unnest(CAST(:parents AS text[])) p, "
             "unnest(CAST(:children AS text[])) c"),
        {"parents": parents, "children": children, "kind": kind},
    )


def carry_occupancy(session: Session, parents: list[str], children: list[str],
                    today: date) -> None:
    """Move the firms of the (still current) parents onto the children; end the parents' rows.

    Each child gets every firm of the parents that overlap it, with the firm's share
    weighted by the overlapping area, so a split keeps each firm on the pieces it had and
    a merge blends the shares by area.
    """
    session.execute(
        text("""
        WITH kids AS (
            SELECT unit_code, geom, ST_Area(ST_Transform(geom, 4549)) AS area
            FROM parcel WHERE unit_code = ANY(:children) AND valid_to IS NULL
        ), olds AS (
            SELECT o.enterprise_id, o.share, o.tenure, p.geom
            FROM occupancy o
            JOIN parcel p ON p.unit_code = o.unit_code AND p.valid_to IS NULL
            WHERE o.unit_code = ANY(:parents) AND o.end_date IS NULL
        )
        INSERT INTO occupancy (unit_code, enterprise_id, share, tenure, start_date)
        SELECT k.unit_code, o.enterprise_id,
               LEAST(1, round((sum(o.share * ST_Area(ST_Transform(ST_Intersection(o.geom, k.geom),
                                                                   4549))) / k.area)::numeric, 4)),
               min(o.tenure), :today
        FROM kids k JOIN olds o ON ST_Intersects(o.geom, k.geom)
        GROUP BY k.unit_code, k.area, o.enterprise_id
        HAVING sum(o.share * ST_Area(ST_Transform(ST_Intersection(o.geom, k.geom), 4549)))
               / k.area >= 0.0001
        """),
        {"parents": parents, "children": children, "today": today},
    )
    session.execute(
        text("UPDATE occupancy SET end_date = :today WHERE unit_code = ANY(:parents) "
             "AND end_date IS NULL"),
        {"parents": parents, "today": today},
    )


def history(session: Session, code: str) -> list[Row[Any]]:
    """Every version of ``code``, oldest first."""
    return list(session.execute(
        text("SELECT version, valid_from, valid_to, round(area_mu::numeric, 4) AS area_mu, "
             "name, land_use_code, land_use_vintage, land_right_type, status, note, "
             "ST_AsGeoJSON(geom, 9) AS geometry FROM parcel WHERE unit_code = :code "
             "ORDER BY version"),
        {"code": code},
    ).all())


def events(session: Session, code: str) -> list[Row[Any]]:
    """The audit events of the parcel, oldest first, with the versions they moved between."""
    return list(session.execute(
        text("SELECT occurred_at, actor, action, request_id, "
             "(before ->> 'version')::int AS version_before, "
             "(after ->> 'version')::int AS version_after "
             "FROM audit_event WHERE entity = 'parcel' AND entity_key = :code ORDER BY id"),
        {"code": code},
    ).all())


def lineage(session: Session, code: str) -> list[Row[Any]]:
    """Lineage rows where ``code`` is parent or child."""
    return list(session.execute(
        text("SELECT parent_code, child_code, kind, recorded_at FROM parcel_lineage "
             "WHERE parent_code = :code OR child_code = :code ORDER BY recorded_at, id"),
        {"code": code},
    ).all())


def now(session: Session) -> datetime:
    """The transaction's timestamp (what valid_from / valid_to will record)."""
    return session.execute(text("SELECT now()")).scalar_one()  # type: ignore[no-any-return]


def bulk_issue_statement(source: str, target: str, pending: str = "true") -> str:
    """The statement issuing codes to the staged rows of ``source`` (sql/issue_bulk.sql).

    ``source``, ``target`` and ``pending`` are the caller's own temp-table names and
    filter, never request values; run it on a psycopg cursor with ``feature`` and
    ``fixture`` bound.
    """
    return sql("issue_bulk").format(source=source, target=target, pending=pending)
