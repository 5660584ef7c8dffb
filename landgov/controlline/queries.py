"""The control-line statements. Bound parameters only; never commits.

Geometry arrives as EWKT in EPSG:4490; PostGIS measures in EPSG:4549. The rules
themselves (coverage, 先补后占, the total never falling) are the database's triggers
(migration 0009); these statements only record and read.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session


@cache
def sql(name: str) -> str:
    """A statement from ``controlline/sql/<name>.sql``."""
    return resources.files("landgov.controlline").joinpath("sql", f"{name}.sql").read_text("utf-8")


def insert_lines(session: Session, names: list[str], ewkts: list[str], source: str,
                 note: str | None) -> list[int]:
    """Insert line polygons (one statement); their ids in input order."""
    return [int(r.id) for r in session.execute(
        text("INSERT INTO control_line (name, geom, source, note) "
             "SELECT n, ST_Multi(ST_GeomFromEWKT(g)), :source, :note "
             "FROM unnest(CAST(:names AS text[]), CAST(:geoms AS text[])) WITH ORDINALITY "
             "AS u(n, g, ord) ORDER BY ord RETURNING id"),
        {"names": names, "geoms": ewkts, "source": source, "note": note},
    ).all()]


def invalid_geometries(session: Session, ewkts: list[str]) -> list[tuple[int, str]]:
    """(1-based index, reason) of the geometries PostGIS finds invalid."""
    rows = session.execute(
        text("SELECT ord, ST_IsValidReason(ST_GeomFromEWKT(g)) AS reason "
             "FROM unnest(CAST(:geoms AS text[])) WITH ORDINALITY AS u(g, ord) "
             "WHERE NOT ST_IsValid(ST_GeomFromEWKT(g)) ORDER BY ord"),
        {"geoms": ewkts},
    ).all()
    return [(int(r.ord), str(r.reason)) for r in rows]


def retire_imported(session: Session, keep: list[int]) -> int:
    """Close every current polygon that is neither an addition nor in ``keep`` (replacing)."""
    return len(session.execute(
        text("UPDATE control_line SET valid_to = now() WHERE valid_to IS NULL "
             "AND source <> 'addition' AND id <> ALL(:keep) RETURNING id"),
        {"keep": keep}).all())


def line_overlap_sqm(session: Session, ewkt: str) -> float:
    """How much of the geometry already lies under the current line (m²)."""
    return float(session.execute(
        text("SELECT COALESCE(ST_Area(ST_Transform(ST_Intersection(g.geom, ST_Union(l.geom)), "
             "4549)), 0) FROM (SELECT ST_GeomFromEWKT(:g) AS geom) g "
             "LEFT JOIN control_line l ON l.valid_to IS NULL AND l.geom && g.geom "
             "GROUP BY g.geom"),
        {"g": ewkt},
    ).scalar_one())


def insert_addition(session: Session, line_id: int, added_on: Any, note: str | None,
                    by: str) -> Row[Any]:
    """Record an addition on a line polygon; the database measures its area."""
    return session.execute(
        text("INSERT INTO control_line_addition (line_id, added_on, note, recorded_by) "
             "VALUES (:line, :on, :note, :by) "
             "RETURNING id, line_id, added_on, area_mu, recorded_at, note"),
        {"line": line_id, "on": added_on, "note": note, "by": by},
    ).one()


def parcel_inside_sqm(session: Session, code: str) -> float:
    """The current parcel's land inside the current line (m²)."""
    return float(session.execute(
        text("SELECT COALESCE(ST_Area(ST_Transform(ST_Intersection(p.geom, ST_Union(l.geom)), "
             "4549)), 0) FROM parcel p LEFT JOIN control_line l ON l.valid_to IS NULL "
             "AND l.geom && p.geom WHERE p.unit_code = :code AND p.valid_to IS NULL "
             "GROUP BY p.geom"),
        {"code": code},
    ).scalar() or 0.0)


def lock_additions(session: Session, ids: list[int]) -> list[Row[Any]]:
    """The listed additions, locked, with what is still free of each (input order)."""
    return list(session.execute(
        text("""
        SELECT a.id, a.area_mu,
               a.area_mu - COALESCE((SELECT sum(o.area_mu) FROM control_line_offset o
                                     WHERE o.addition_id = a.id), 0) AS free_mu
        FROM unnest(CAST(:ids AS bigint[])) WITH ORDINALITY AS u(id, ord)
        JOIN control_line_addition a ON a.id = u.id
        ORDER BY u.ord
        FOR UPDATE OF a
        """),
        {"ids": ids},
    ).all())


def record_conversion(session: Session, params: dict[str, Any]) -> Row[Any]:
    """Record a conversion and its offsets in one statement (sql/record_conversion.sql)."""
    return session.execute(text(sql("record_conversion")), params).one()


def ledger_entries(session: Session) -> list[Row[Any]]:
    """Additions and conversions in order with running totals (sql/ledger_entries.sql)."""
    return list(session.execute(text(sql("ledger_entries"))).all())


def ledger_pairs(session: Session) -> list[Row[Any]]:
    """Every addition ↔ conversion pairing (sql/ledger_pairs.sql)."""
    return list(session.execute(text(sql("ledger_pairs"))).all())


def area_at(session: Session, at: datetime) -> Row[Any]:
    """Line area and industrial area inside it at ``at`` (sql/area_at.sql)."""
    return session.execute(text(sql("area_at")), {"at": at}).one()


def current_features(session: Session) -> list[str]:
    """The current line polygons as GeoJSON Feature text."""
    return list(session.execute(
        text("SELECT json_build_object('type', 'Feature', 'id', id, "
             "'geometry', ST_AsGeoJSON(geom, 7)::json, 'properties', json_build_object("
             "'name', name, 'source', source, 'area_mu', round(area_mu::numeric, 2), "
             "'valid_from', valid_from, 'note', note))::text "
             "FROM control_line WHERE valid_to IS NULL ORDER BY id")).scalars())


def line_total_mu(session: Session) -> float:
    """The current line's total area (union, 亩)."""
    return float(session.execute(
        text("SELECT COALESCE(ST_Area(ST_Transform(ST_Union(geom), 4549)), 0) / (10000.0 / 15) "
             "FROM control_line WHERE valid_to IS NULL")).scalar_one())


def is_industrial(session: Session, vintage: str | None, code: str | None) -> bool:
    """The database's own crosswalk (the same function the triggers use)."""
    return bool(session.execute(text("SELECT landgov_is_industrial(:v, :c)"),
                                {"v": vintage, "c": code}).scalar())
