"""Governance case use cases: open, list, move through the life cycle, attach evidence.

:func:`record_transition` is the one place a case changes state. It never commits, so
the reclamation ledger records a 盘活 and moves its case to 已盘活 in one transaction
(``allow_reclaimed=True``); the API's :func:`transition` checks the caller's role and
town first, stores the evidence files and commits.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from landgov.auth.principal import Principal
from landgov.errors import FieldError, Forbidden, InvalidInput, NotFound
from landgov.governance.actions import ACTIONS
from landgov.governance.cases import evidence, queries, workflow
from landgov.governance.cases.queries import CaseFilter
from landgov.governance.service import governance_list
from landgov.settings import get_settings


@dataclass(frozen=True)
class TransitionRequest:
    """What the caller asks: the new state, its legal date, a note, maybe the action."""

    to_state: str
    event_date: date
    note: str | None = None
    action: str | None = None


def today() -> date:
    """Today in the configured time zone (deadlines and event dates are local dates)."""
    return datetime.now(ZoneInfo(get_settings().time_zone)).date()


def default_deadline(year: int) -> date:
    """End of the ``case_deadline_months``-th month counted from January of ``year``.

    >>> default_deadline(2025)  # default 12 months
    datetime.date(2025, 12, 31)
    """
    months = get_settings().case_deadline_months
    y, m = year + (months - 1) // 12, (months - 1) % 12 + 1
    return date(y, m, calendar.monthrange(y, m)[1])


def record_transition(session: Session, case_id: int, to_state: str, *, actor: str,
                      note: str | None, on_date: date, allow_reclaimed: bool = False) -> None:
    """Validate and write a state change and its event in the caller's transaction.

    The caller has authorised ``actor``; the life cycle, the reason of a drop and the
    date (not in the future) are checked here. 已盘活 is accepted only with
    ``allow_reclaimed`` (the reclamation ledger). Never commits.
    """
    _apply(session, case_id, TransitionRequest(to_state, on_date, note), actor=actor,
           principal=None, via_reclamation=allow_reclaimed)


def _apply(session: Session, case_id: int, req: TransitionRequest, *, actor: str,
           principal: Principal | None, via_reclamation: bool = False) -> int:
    case = queries.lock_case(session, case_id)
    if case is None:
        raise NotFound(f"案件 {case_id} 不存在")
    if req.action is not None and req.to_state not in (workflow.LISTED, workflow.RECTIFYING,
                                                       workflow.VACATING):
        raise InvalidInput("治理措施只能在列入或开始整治/腾退时确定",
                           [FieldError("action", "not at this step")])
    workflow.check(case.state, req.to_state,
                   role=principal.role if principal else None,
                   action=req.action or case.action, reason=req.note,
                   actor_town=principal.town_code if principal else None,
                   case_town=case.town_code, via_reclamation=via_reclamation)
    _check_date(req.event_date, case.last_event_date, chronological=not via_reclamation)
    note = req.note.strip() if req.note else None
    return queries.apply_transition(session, case_id, case.state, req.to_state, req.action,
                                    req.event_date, actor, note)


def _check_date(on_date: date, last: date | None, *, chronological: bool) -> None:
    now = today()
    if on_date > now:
        raise InvalidInput(f"事件日期 {on_date} 晚于今天 ({now}), 不能记录未来的日期",
                           [FieldError("event_date", "in the future")])
    if chronological and last is not None and on_date < last:
        raise InvalidInput(f"事件日期 {on_date} 早于上一环节的日期 {last}",
                           [FieldError("event_date", "before the previous event")])


def transition(session: Session, principal: Principal, case_id: int, req: TransitionRequest,
               files: list[tuple[str, BinaryIO]]) -> dict[str, Any]:
    """The API's transition: role and town checked, evidence stored, all or nothing."""
    if req.action is not None and req.action not in workflow.PROGRESS_FOR_ACTION:
        raise InvalidInput(f"未知的治理措施 {req.action!r}; 可选: "
                           f"{', '.join(workflow.PROGRESS_FOR_ACTION)}",
                           [FieldError("action", "unknown action")])
    staged = evidence.stage(files)  # refuses bad files before anything is written
    created: list[Any] = []
    try:
        event_id = _apply(session, case_id, req, actor=principal.actor, principal=principal)
        queries.insert_evidence(session, case_id, event_id, staged, principal.actor)
        created = evidence.place(staged)
        session.commit()
    except BaseException:
        session.rollback()
        evidence.discard(staged, created, lambda sha: queries.hash_referenced(session, sha))
        raise
    return get_case(session, principal, case_id)


def open_from_list(session: Session, principal: Principal, year: int,
                   town: str | None) -> dict[str, Any]:
    """Open a case for every entry of the year's 治理清单 that has none yet."""
    _require(principal.role in workflow.OPEN_ROLES, "立案")
    entries = [{"uscc": r["uscc"], "action": r["action"], "town_code": r["town_code"],
                "unit_codes": list(r["unit_codes"])}
               for r in governance_list(session, year, town)]
    deadline = default_deadline(year)
    with _transaction(session):
        ids = queries.open_from_list(session, year, entries, deadline, today(), principal.actor)
    return {"year": year, "opened": len(ids), "case_ids": sorted(ids), "deadline": deadline}


def open_case(session: Session, principal: Principal, year: int, uscc: str | None,
              unit_code: str | None, action: str | None, deadline: date | None,
              note: str | None) -> dict[str, Any]:
    """Open one case by hand for a firm, a parcel or both."""
    _require(principal.role in workflow.OPEN_ROLES, "立案")
    if uscc is None and unit_code is None:
        raise InvalidInput("须指定企业 (uscc) 或宗地 (unit_code)",
                           [FieldError("uscc", "firm or parcel required")])
    firm = queries.enterprise_id(session, uscc) if uscc else None
    if uscc and firm is None:
        raise NotFound(f"企业 {uscc} 不存在", [FieldError("uscc", "unknown firm")])
    if unit_code and not queries.parcel_exists(session, unit_code):
        raise NotFound(f"宗地 {unit_code} 不存在或已注销",
                       [FieldError("unit_code", "unknown parcel")])
    with _transaction(session):
        case_id = queries.open_one(session, year, firm, unit_code, action,
                                   deadline or default_deadline(year), today(), principal.actor,
                                   note)
    return get_case(session, principal, case_id)


def list_cases(session: Session, principal: Principal, where: CaseFilter, limit: int,
               offset: int) -> dict[str, Any]:
    """A page of cases; a town officer sees only its own town's."""
    scope = principal.scope_town
    if scope is not None:
        if where.town is not None and where.town != scope:
            raise Forbidden(f"镇街工作人员只能查看本镇街 ({scope}) 的案件")
        where = CaseFilter(**{**where.__dict__, "town": scope})
    rows, total = queries.cases(session, where, today(), limit, offset)
    return {"total": total, "limit": limit, "offset": offset, "items": [_shape(r) for r in rows]}


def get_case(session: Session, principal: Principal, case_id: int) -> dict[str, Any]:
    """A case with its events and evidence."""
    rows, _ = queries.cases(session, CaseFilter(case_id=case_id), today(), 1, 0)
    if not rows:
        raise NotFound(f"案件 {case_id} 不存在")
    _require_town(principal, rows[0]["town_code"])
    files = [{**f, "url": f"/api/v1/cases/{case_id}/evidence/{f['id']}"}
             for f in queries.evidence_list(session, case_id)]
    return {**_shape(rows[0]), "events": queries.events(session, case_id), "evidence": files}


def set_deadline(session: Session, principal: Principal, case_id: int,
                 deadline: date) -> dict[str, Any]:
    """Change a case's deadline (数据管理 only)."""
    _require(principal.role in workflow.DEADLINE_ROLES, "调整办结期限")
    with _transaction(session):
        if not queries.set_deadline(session, case_id, deadline):
            raise NotFound(f"案件 {case_id} 不存在")
    return get_case(session, principal, case_id)


def evidence_file(session: Session, principal: Principal, case_id: int,
                  evidence_id: int) -> tuple[bytes, str, str]:
    """An evidence file's bytes (hash verified), original name and media type."""
    _require_town(principal, queries.town_of(session, case_id))
    row = queries.evidence_row(session, case_id, evidence_id)
    if row is None:
        raise NotFound(f"案件 {case_id} 没有证据 {evidence_id}")
    data = evidence.read_verified(row.sha256, int(row.size_bytes))
    return data, str(row.original_name), str(row.media_type)


@contextmanager
def _transaction(session: Session) -> Iterator[None]:
    """Commit what the block wrote, or roll it all back (the session stays usable)."""
    try:
        yield
        session.commit()
    except BaseException:
        session.rollback()
        raise


def _shape(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "action_label": ACTIONS.get(row["action"] or ""),
            "next_states": [s for s in workflow.next_states(row["state"], row["action"])
                            if s != workflow.RECLAIMED]}


def _require(allowed: bool, what: str) -> None:
    if not allowed:
        raise Forbidden(f"只有数据管理 (data_steward) 或管理员可以{what}")


def _require_town(principal: Principal, case_town: str | None) -> None:
    scope = principal.scope_town
    if scope is not None and scope != case_town:
        raise Forbidden(f"镇街工作人员只能查看本镇街 ({scope}) 的案件")
