"""The 盘活 ledger's statements. Bound parameters only; never commits.

Areas are measured by PostGIS in EPSG:4549; "counted once" rests on the per-record
increments that migration 0010's trigger keeps (see ``sql/increments.sql``).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from landgov.geo import SQM_PER_MU

LOCK_KEY = 7_010_001  # the advisory lock of migration 0010's recount trigger


@cache
def sql(name: str) -> str:
    """A statement from ``reclamation/sql/<name>.sql``."""
    return resources.files("landgov.reclamation").joinpath("sql", f"{name}.sql").read_text(
        "utf-8")


def lock_ledger(session: Session) -> None:
    """Serialise ledger writers (the recount trigger takes the same lock)."""
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})


def parcel_town(session: Session, town_id: int | None) -> str | None:
    """The code of the town with id ``town_id``."""
    if town_id is None:
        return None
    return session.execute(text("SELECT code FROM town WHERE id = :i"), {"i": town_id}).scalar()


def check_geometry(session: Session, code: str, ewkt: str, tol: float) -> Row[Any]:
    """Outside / left-out areas (m²), the clipped geometry and clashing live parcels."""
    return session.execute(text(sql("check_geometry")),
                           {"code": code, "ewkt": ewkt, "tol": tol}).one()


def case_for_update(session: Session, case_id: int, code: str) -> Row[Any] | None:
    """The named governance case, locked, and whether ``code`` is (or descends from) its parcel."""
    return session.execute(text(sql("case_for_update")),
                           {"case_id": case_id, "code": code}).first()


def insert_record(session: Session, values: dict[str, Any]) -> int:
    """Store one record; the database sets its town and recounts the increments."""
    return int(session.execute(text(
        "INSERT INTO reclamation_record (case_id, unit_code, geom, whole_parcel, reclaimed_on, "
        "mode, new_use, note, recorded_by) VALUES (:case_id, :unit_code, "
        "ST_GeomFromEWKT(:ewkt), :whole_parcel, :reclaimed_on, :mode, :new_use, :note, "
        ":recorded_by) RETURNING id"), values).scalar_one())


def records(session: Session, *, record_id: int | None = None, town: str | None = None,
            mode: str | None = None, case_id: int | None = None, unit_code: str | None = None,
            start: date | None = None, end: date | None = None, limit: int = 100,
            offset: int = 0) -> list[Row[Any]]:
    """Ledger records, newest first, each with ``total`` (the count of all matching)."""
    return list(session.execute(text(sql("records")), {
        "record_id": record_id, "town": town, "mode": mode, "case_id": case_id,
        "unit_code": unit_code, "start": start, "end": end, "limit": limit, "offset": offset,
    }).all())


def increments(session: Session, *, start: date, end: date, period: str | None = None,
               by_town: bool = False, by_mode: bool = False,
               town: str | None = None) -> list[Row[Any]]:
    """Union and plain-sum 亩 of the records dated ``start``…``end``, grouped as asked."""
    return list(session.execute(text(sql("increments")), {
        "period": period or "", "by_town": by_town, "by_mode": by_mode, "town": town,
        "start": start, "end": end,
    }).all())


def blocks(session: Session, *, start: date, end: date, town: str | None, eps_m: float,
           min_mu: float) -> list[Row[Any]]:
    """Contiguous blocks of reclaimed land of at least ``min_mu`` 亩."""
    return list(session.execute(text(sql("blocks")), {
        "start": start, "end": end, "town": town, "eps": eps_m, "min_mu": min_mu}).all())


def town_land(session: Session) -> list[Row[Any]]:
    """Every town with its current parcel area in 亩 (the default split of the target)."""
    return list(session.execute(text(
        "SELECT t.code, t.name, COALESCE(sum(p.area_mu), 0) AS land_mu FROM town t "
        "LEFT JOIN parcel p ON p.town_id = t.id AND p.valid_to IS NULL "
        "GROUP BY t.id, t.code, t.name ORDER BY t.code")).all())


UNION_SQL = (f"SELECT COALESCE(ST_Area(ST_Union(r.geom_plane)), 0) / {SQM_PER_MU} "
             "FROM reclamation_record r WHERE r.reclaimed_on BETWEEN :start AND :end")


def union_mu(session: Session, start: date, end: date) -> float:
    """The bare ``ST_Union`` figure: area of the union of the records dated start…end.

    Slow on a large ledger; the service reads increments instead. Kept as the
    reference the tests and the benchmark compare with.
    """
    return float(session.execute(text(UNION_SQL), {"start": start, "end": end}).scalar_one())
