"""The 盘活 ledger: record land brought back, read the records.

``record`` owns its transaction and is all-or-nothing: every check runs before the
first write, and the last step (the parcel's status through the parcel editing
service, which commits) runs only after the record and the case transition are in the
same transaction. Ground already brought back by an earlier record is not refused —
the ledger keeps what was reported — but it is counted once (``new_mu``, progress).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from landgov import geo
from landgov.coding.unit_code import UnitCode
from landgov.errors import FieldError, Forbidden, InvalidGeometry, InvalidInput, NotFound
from landgov.governance.cases import service as cases
from landgov.parcels import queries as parcel_queries
from landgov.parcels import service as parcels
from landgov.parcels.schemas import ParcelUpdate
from landgov.reclamation import queries
from landgov.reclamation.schemas import Record, RecordCreate, RecordPage
from landgov.reclamation.vocabulary import CLEARED, MODES, RECLAIMED
from landgov.settings import get_settings

TOLERANCE_SQM = 1.0  # digitising slack: outside the parcel / left out of it, in m²
RECLAIMED_STATUS = "reclaimed"


def today() -> date:
    """Today in the configured time zone."""
    return parcels.today()


def _check_values(data: RecordCreate) -> None:
    errors: list[FieldError] = []
    if data.mode not in MODES:
        errors.append(FieldError("mode", f"未知的盘活方式 {data.mode!r}; 可选: "
                                 + ", ".join(f"{k} ({v})" for k, v in MODES.items())))
    if data.reclaimed_on > today():
        errors.append(FieldError("reclaimed_on", f"盘活日期 {data.reclaimed_on} 晚于今天"
                                 f" ({today()}), 不能登记未来的日期"))
    start = get_settings().reclamation_start
    if data.reclaimed_on < start:
        errors.append(FieldError("reclaimed_on", f"盘活日期 {data.reclaimed_on} 早于盘活计划"
                                 f"起始日 {start}"))
    if not data.new_use.strip():
        errors.append(FieldError("new_use", "新用途不能为空"))
    if errors:
        raise InvalidInput("; ".join(e.reason for e in errors), errors)


def _parcel(session: Session, code: str, scope_town: str | None) -> Any:
    UnitCode.parse(code)
    row = parcel_queries.current_row(session, code, lock=True)
    if row is None:
        raise InvalidInput(f"宗地 {code} 不存在或已注销; 请登记其现行宗地",
                           [FieldError("unit_code", "no current parcel")])
    town = queries.parcel_town(session, row.town_id)
    if scope_town is not None and town != scope_town:
        raise Forbidden(f"宗地 {code} 不在本镇街 ({scope_town}), 不能登记")
    return row


def _geometry(session: Session, data: RecordCreate, parcel: Any) -> tuple[str, bool]:
    """The EWKT to store (clipped to the parcel) and whether it is the whole parcel."""
    if data.geometry is None:
        return str(parcel.ewkt), True
    srid = geo.parse_srid(data.crs)
    geom = geo.to_storage(geo.as_multipolygon(data.geometry), srid)
    geo.check_geometry(geom, get_settings().max_vertices)
    fit = queries.check_geometry(session, data.unit_code, f"SRID={geo.STORAGE_SRID};{geom.wkt}",
                                 TOLERANCE_SQM)
    problems: list[FieldError] = []
    if fit.outside_sqm > TOLERANCE_SQM:
        problems.append(FieldError("geometry", f"盘活范围超出宗地 {data.unit_code} "
                                   f"{fit.outside_sqm:.1f} m²"))
    for clash in fit.clashes:
        problems.append(FieldError("geometry", f"与宗地 {clash['unit_code']} 重叠 "
                                   f"{clash['sqm']:.1f} m²"))
    if problems:
        raise InvalidGeometry("; ".join(p.reason for p in problems), problems)
    if fit.clipped is None or fit.clipped.endswith("EMPTY"):
        raise InvalidGeometry("盘活范围与宗地没有重叠部分",
                              [FieldError("geometry", "no overlap with the parcel")])
    return str(fit.clipped), fit.left_out_sqm <= TOLERANCE_SQM


def _case(session: Session, data: RecordCreate, scope_town: str | None) -> str | None:
    """The named case's state (locked), after checking it may be reclaimed."""
    if data.case_id is None:
        return None
    case = queries.case_for_update(session, data.case_id, data.unit_code)
    if case is None:
        raise InvalidInput(f"治理案件 {data.case_id} 不存在",
                           [FieldError("case_id", "unknown case")])
    if scope_town is not None and case.town_code != scope_town:
        raise Forbidden(f"治理案件 {data.case_id} 不属于本镇街 ({scope_town})")
    if case.state not in (CLEARED, RECLAIMED):
        raise InvalidInput(f"治理案件 {data.case_id} 处于 {case.state} 状态, 须为 {CLEARED}"
                           "才能登记盘活", [FieldError("case_id", "case not cleared")])
    if not case.parcel_matches:
        raise InvalidInput(f"宗地 {data.unit_code} 不是治理案件 {data.case_id} 的宗地 "
                           f"({case.unit_code}) 或其分割/合并后的宗地",
                           [FieldError("unit_code", "not the case's parcel")])
    return str(case.state)


def _move_case(session: Session, case_id: int, record_id: int, on: date, actor: str) -> None:
    """已出清 → 已盘活 through the case service, in this transaction (it never commits)."""
    cases.record_transition(session, case_id, RECLAIMED, actor=actor,
                            note=f"盘活登记 #{record_id}", on_date=on, allow_reclaimed=True)


def record(session: Session, data: RecordCreate, *, actor: str,
           scope_town: str | None = None) -> Record:
    """Store a 盘活 record; move its case to 已盘活; mark a wholly reclaimed parcel."""
    _check_values(data)
    queries.lock_ledger(session)
    parcel = _parcel(session, data.unit_code, scope_town)
    case_state = _case(session, data, scope_town)
    ewkt, whole = _geometry(session, data, parcel)
    record_id = queries.insert_record(session, {
        "case_id": data.case_id, "unit_code": data.unit_code, "ewkt": ewkt,
        "whole_parcel": whole, "reclaimed_on": data.reclaimed_on, "mode": data.mode,
        "new_use": data.new_use.strip(), "note": data.note, "recorded_by": actor})
    if data.case_id is not None and case_state == CLEARED:
        _move_case(session, data.case_id, record_id, data.reclaimed_on, actor)
    warnings: list[str] = []
    if whole and parcel.status != RECLAIMED_STATUS:
        # The parcel editing service is the one write path for parcels; it commits.
        parcels.update_parcel(session, data.unit_code, int(parcel.version),
                              ParcelUpdate(status=RECLAIMED_STATUS))
        warnings.append(f"宗地 {data.unit_code} 状态已改为 已盘活")
    else:
        session.commit()
    found = get_record(session, record_id)
    return found.model_copy(update={"warnings": warnings})


def _as_record(row: Any) -> Record:
    values = {k: v for k, v in row._asdict().items() if k != "total"}
    return Record(**values, mode_label=MODES.get(row.mode, row.mode))


def get_record(session: Session, record_id: int, scope_town: str | None = None) -> Record:
    """One record (404 for another town's, to a town officer)."""
    rows = queries.records(session, record_id=record_id, town=scope_town, limit=1)
    if not rows:
        raise NotFound(f"盘活登记 {record_id} 不存在")
    return _as_record(rows[0])


def list_records(session: Session, *, town: str | None, mode: str | None,
                 case_id: int | None, unit_code: str | None, start: date | None,
                 end: date | None, limit: int, offset: int,
                 scope_town: str | None = None) -> RecordPage:
    """Records filtered and paged, newest first (a town officer: its town only)."""
    if scope_town is not None:
        if town is not None and town != scope_town:
            raise Forbidden(f"只能查看本镇街 ({scope_town}) 的盘活登记")
        town = scope_town
    if mode is not None and mode not in MODES:
        raise InvalidInput(f"未知的盘活方式 {mode!r}", [FieldError("mode", "unknown mode")])
    if start is not None and end is not None and end < start:
        raise InvalidInput("截止日期早于起始日期", [FieldError("to", "before from")])
    rows = queries.records(session, town=town, mode=mode, case_id=case_id, unit_code=unit_code,
                           start=start, end=end, limit=limit, offset=offset)
    total = int(rows[0].total) if rows else 0
    return RecordPage(items=[_as_record(r) for r in rows], total=total, limit=limit,
                      offset=offset)
