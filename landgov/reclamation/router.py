"""``/api/v1/reclamation``: the 盘活 ledger and progress against the target."""

from __future__ import annotations

from datetime import date
from pathlib import Path as FilePath
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Response

from landgov.auth.guard import ReclamationReader, ReclamationWriter
from landgov.deps import PagingDep, SessionDep
from landgov.reclamation import progress as progress_service
from landgov.reclamation import service
from landgov.reclamation.schemas import Progress, Record, RecordCreate, RecordPage

STATIC = FilePath(__file__).resolve().parent / "static"  # the dashboard page
router = APIRouter(prefix="/api/v1/reclamation", tags=["盘活台账"])
Town = Annotated[str | None, Query(max_length=12, title="镇街代码")]
From = Annotated[date | None, Query(alias="from", title="起始日期 (含)")]
To = Annotated[date | None, Query(alias="to", title="截止日期 (含)")]


@router.post("/records", response_model=Record, status_code=201, summary="登记盘活")
def create_record(principal: ReclamationWriter, data: RecordCreate, session: SessionDep,
                  response: Response) -> Record:
    """Record land brought back; a named case (已出清) moves to 已盘活 in the same step."""
    created = service.record(session, data, actor=principal.actor,
                             scope_town=principal.scope_town)
    response.headers["Location"] = f"{router.prefix}/records/{created.id}"
    return created


@router.get("/records", response_model=RecordPage, summary="盘活登记列表")
def list_records(principal: ReclamationReader, session: SessionDep, page: PagingDep,
                 town: Town = None,
                 mode: Annotated[str | None, Query(max_length=24, title="盘活方式")] = None,
                 case_id: Annotated[int | None, Query(ge=1, title="治理案件编号")] = None,
                 unit_code: Annotated[str | None, Query(max_length=28, title="不动产单元代码")]
                 = None, start: From = None, end: To = None) -> RecordPage:
    """Records newest first, filtered by town, mode, case, parcel and date."""
    return service.list_records(session, town=town, mode=mode, case_id=case_id,
                                unit_code=unit_code, start=start, end=end, limit=page.limit,
                                offset=page.offset, scope_town=principal.scope_town)


@router.get("/records/{record_id}", response_model=Record, summary="一条盘活登记")
def get_record(principal: ReclamationReader, session: SessionDep,
               record_id: Annotated[int, Path(ge=1, title="登记编号")]) -> Record:
    """One record with its geometry and the ground it brought back first."""
    return service.get_record(session, record_id, principal.scope_town)


@router.get("/progress", response_model=Progress, summary="盘活进度")
def progress(principal: ReclamationReader, session: SessionDep,
             by: Annotated[Literal["year", "month", "town", "mode"], Query(title="分组")]
             = "month", start: From = None, end: To = None, town: Town = None) -> Progress:
    """Cumulative 亩 (union, counted once) against the target, the trend and the blocks."""
    return progress_service.progress(session, by=by, start=start, end=end, town=town,
                                     scope_town=principal.scope_town)
