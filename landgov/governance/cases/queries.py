"""The statements of governance cases. Never commits."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from landgov.governance.cases.evidence import Staged


@cache
def sql(name: str) -> str:
    """The statement of ``governance/cases/sql/<name>.sql``."""
    return resources.files("landgov.governance.cases").joinpath(
        "sql", f"{name}.sql").read_text("utf-8")


@dataclass(frozen=True)
class CaseFilter:
    """What a case list is narrowed to (None: no restriction)."""

    case_id: int | None = None
    town: str | None = None
    state: str | None = None
    action: str | None = None
    year: int | None = None
    overdue: bool | None = None


def open_from_list(session: Session, year: int, entries: list[dict[str, Any]],
                   deadline: date, today: date, actor: str) -> list[int]:
    """Open the missing cases of a 治理清单 (one statement); return their ids."""
    found = session.execute(text(sql("open_from_list")), {
        "entries": json.dumps(entries, ensure_ascii=False), "year": year,
        "deadline": deadline, "today": today, "actor": actor,
        "note": f"由 {year} 年治理清单立案"})
    return [int(v) for v in found.scalars()]


def open_one(session: Session, year: int, enterprise_id: int | None, unit_code: str | None,
             action: str | None, deadline: date, today: date, actor: str,
             note: str | None) -> int:
    """Open one case by hand (town from the parcel), with its opening event."""
    case_id: int = session.execute(text("""
        WITH opened AS (
            INSERT INTO governance_case (year, unit_code, enterprise_id, town_id, action,
                                         deadline, source, opened_by)
            VALUES (:year, :unit_code, :enterprise_id,
                    (SELECT town_id FROM parcel WHERE unit_code = :unit_code
                     AND valid_to IS NULL), :action, :deadline, 'manual', :actor)
            RETURNING id
        )
        INSERT INTO governance_case_event (case_id, from_state, to_state, event_date, actor, note)
        SELECT id, NULL, '待核实', :today, :actor, :note FROM opened
        RETURNING case_id
    """), {"year": year, "unit_code": unit_code, "enterprise_id": enterprise_id,
           "action": action, "deadline": deadline, "actor": actor, "today": today,
           "note": note or "人工立案"}).scalar_one()
    return case_id


def lock_case(session: Session, case_id: int) -> Row[Any] | None:
    """The case row, locked for a transition, with its town and latest transition date.

    The opening event does not count: records of work done before the case was opened
    in landgov may be entered afterwards.
    """
    return session.execute(text("""
        SELECT c.id, c.state, c.action, c.year, t.code AS town_code,
               (SELECT max(v.event_date) FROM governance_case_event v
                WHERE v.case_id = c.id AND v.from_state IS NOT NULL) AS last_event_date
        FROM governance_case c LEFT JOIN town t ON t.id = c.town_id
        WHERE c.id = :id
        FOR UPDATE OF c
    """), {"id": case_id}).one_or_none()


def apply_transition(session: Session, case_id: int, from_state: str, to_state: str,
                     action: str | None, on_date: date, actor: str, note: str | None) -> int:
    """Move the case and write its event (one statement); return the event id."""
    event_id: int = session.execute(text("""
        WITH moved AS (
            UPDATE governance_case
               SET state = :to_state, action = COALESCE(CAST(:action AS text), action),
                   exit_reason = CASE WHEN :to_state = '已退出' THEN :note
                                      ELSE exit_reason END
             WHERE id = :id AND state = :from_state
            RETURNING id
        )
        INSERT INTO governance_case_event (case_id, from_state, to_state, event_date, actor, note)
        SELECT id, :from_state, :to_state, :on_date, :actor, :note FROM moved
        RETURNING id
    """), {"id": case_id, "from_state": from_state, "to_state": to_state, "action": action,
           "on_date": on_date, "actor": actor, "note": note}).scalar_one()
    return event_id


def cases(session: Session, where: CaseFilter, today: date, limit: int,
          offset: int) -> tuple[list[dict[str, Any]], int]:
    """A page of cases and the number matching."""
    rows = session.execute(text(sql("cases")), {
        "case_id": where.case_id, "town": where.town, "state": where.state,
        "action": where.action, "year": where.year, "overdue": where.overdue,
        "today": today, "limit": limit, "offset": offset}).mappings().all()
    total = int(rows[0]["total"]) if rows else 0
    return [dict(r) for r in rows if r["id"] is not None], total


def events(session: Session, case_id: int) -> list[dict[str, Any]]:
    """The case's transition events, oldest first."""
    return [dict(r) for r in session.execute(text("""
        SELECT id, from_state, to_state, event_date, recorded_at, actor, note
        FROM governance_case_event WHERE case_id = :id ORDER BY id
    """), {"id": case_id}).mappings()]


def evidence_list(session: Session, case_id: int) -> list[dict[str, Any]]:
    """The case's evidence files (metadata), oldest first."""
    return [dict(r) for r in session.execute(text("""
        SELECT id, event_id, sha256, size_bytes, original_name, media_type, uploaded_by,
               uploaded_at
        FROM governance_case_evidence WHERE case_id = :id ORDER BY id
    """), {"id": case_id}).mappings()]


def insert_evidence(session: Session, case_id: int, event_id: int, files: list[Staged],
                    actor: str) -> None:
    """Record the staged files of an event (one statement)."""
    if not files:
        return
    payload = [{"sha256": f.sha256, "size": f.size, "name": f.name, "media_type": f.media_type}
               for f in files]
    session.execute(text("""
        INSERT INTO governance_case_evidence (case_id, event_id, sha256, size_bytes,
                                              original_name, media_type, uploaded_by)
        SELECT :case_id, :event_id, x.sha256, x.size, x.name, x.media_type, :actor
        FROM jsonb_to_recordset(CAST(:files AS jsonb))
             AS x(sha256 text, size bigint, name text, media_type text)
    """), {"case_id": case_id, "event_id": event_id, "actor": actor,
           "files": json.dumps(payload, ensure_ascii=False)})


def evidence_row(session: Session, case_id: int, evidence_id: int) -> Row[Any] | None:
    """One evidence file's record."""
    return session.execute(text("""
        SELECT id, sha256, size_bytes, original_name, media_type
        FROM governance_case_evidence WHERE id = :e AND case_id = :c
    """), {"e": evidence_id, "c": case_id}).one_or_none()


def hash_referenced(session: Session, sha256: str) -> bool:
    """Whether any committed evidence row points at this file."""
    found = session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM governance_case_evidence WHERE sha256 = :h)"),
        {"h": sha256}).scalar()
    return bool(found)


def set_deadline(session: Session, case_id: int, deadline: date) -> bool:
    """Change a case's deadline; False when there is no such case."""
    found = session.execute(text(
        "UPDATE governance_case SET deadline = :d WHERE id = :id RETURNING id"),
        {"d": deadline, "id": case_id}).scalar()
    return found is not None


def enterprise_id(session: Session, uscc: str) -> int | None:
    """The id of the firm with this USCC."""
    found = session.execute(text("SELECT id FROM enterprise WHERE uscc = :u"), {"u": uscc})
    value = found.scalar()
    return int(value) if value is not None else None


def parcel_exists(session: Session, unit_code: str) -> bool:
    """Whether a current parcel carries this code."""
    return bool(session.execute(text(
        "SELECT EXISTS (SELECT 1 FROM parcel WHERE unit_code = :u AND valid_to IS NULL)"),
        {"u": unit_code}).scalar())


def town_of(session: Session, case_id: int) -> str | None:
    """The code of the case's town."""
    value = session.execute(text(
        "SELECT t.code FROM governance_case c JOIN town t ON t.id = c.town_id "
        "WHERE c.id = :id"), {"id": case_id}).scalar()
    return str(value) if value is not None else None
