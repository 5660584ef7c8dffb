"""``/api/v1/cases``: governance cases, their transitions and evidence files."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, File, Form, Path, Query, Response, UploadFile

from landgov.auth.guard import CaseReader, GovernanceEditor
from landgov.deps import PagingDep, SessionDep
from landgov.governance.cases import service
from landgov.governance.cases.queries import CaseFilter
from landgov.governance.cases.schemas import (
    STATE_DESCRIPTION,
    ActionKey,
    CaseCreate,
    CaseDetail,
    CasePage,
    DeadlinePatch,
    OpenResult,
)

router = APIRouter(prefix="/api/v1/cases", tags=["治理案件"])
CaseId = Annotated[int, Path(ge=1, le=2**62, title="案件编号")]
Year = Annotated[int, Query(ge=1990, le=2100, title="清单年度")]


@router.get("", response_model=CasePage, summary="治理案件列表")
def list_cases(
    principal: CaseReader, session: SessionDep, paging: PagingDep,
    town: Annotated[str | None, Query(max_length=12, title="镇街代码")] = None,
    state: Annotated[str | None, Query(max_length=8, title="状态",
                                       description=STATE_DESCRIPTION)] = None,
    action: Annotated[ActionKey | None, Query(title="治理措施")] = None,
    overdue: Annotated[bool | None, Query(title="是否逾期")] = None,
    year: Annotated[int | None, Query(ge=1990, le=2100, title="清单年度")] = None,
) -> dict[str, Any]:
    """Cases filtered by town, state, action, overdue and year; a town officer sees its own."""
    where = CaseFilter(town=town, state=state, action=action, year=year, overdue=overdue)
    return service.list_cases(session, principal, where, paging.limit, paging.offset)


@router.post("/open", response_model=OpenResult, summary="由治理清单批量立案")
def open_from_list(principal: GovernanceEditor, session: SessionDep, year: Year,
                   town: Annotated[str | None, Query(max_length=12, title="镇街代码")] = None,
                   ) -> dict[str, Any]:
    """Open a case (待核实) for every entry of the year's 治理清单 that has none yet."""
    return service.open_from_list(session, principal, year, town)


@router.post("", response_model=CaseDetail, status_code=201, summary="人工立案")
def open_case(principal: GovernanceEditor, session: SessionDep, data: CaseCreate,
              ) -> dict[str, Any]:
    """Open one case by hand for a firm and/or a parcel."""
    return service.open_case(session, principal, data.year, data.uscc, data.unit_code,
                             data.action, data.deadline, data.note)


@router.get("/{case_id}", response_model=CaseDetail, summary="案件详情")
def get_case(principal: CaseReader, session: SessionDep, case_id: CaseId) -> dict[str, Any]:
    """A case with its events and evidence files."""
    return service.get_case(session, principal, case_id)


@router.post("/{case_id}/transitions", response_model=CaseDetail, summary="案件流转")
def transition(
    principal: GovernanceEditor, session: SessionDep, case_id: CaseId,
    to_state: Annotated[str, Form(max_length=8, title="新状态", description=STATE_DESCRIPTION)],
    event_date: Annotated[date, Form(title="发生日期", description="不得晚于今天")],
    note: Annotated[str | None, Form(max_length=2000, title="说明 (退出时为理由, 必填)")] = None,
    action: Annotated[str | None, Form(max_length=12, title="治理措施 (列入时确定)")] = None,
    files: Annotated[list[UploadFile] | None, File(title="证据材料",
                                                   description="pdf/jpg/png/docx/xlsx/ofd")] = None,
) -> dict[str, Any]:
    """Move a case one step, with a dated note and optional evidence files (multipart)."""
    uploads = [(f.filename or "evidence", f.file) for f in files or []]
    req = service.TransitionRequest(to_state, event_date, note, action)
    return service.transition(session, principal, case_id, req, uploads)


@router.patch("/{case_id}", response_model=CaseDetail, summary="调整办结期限")
def set_deadline(principal: GovernanceEditor, session: SessionDep, case_id: CaseId,
                 data: DeadlinePatch) -> dict[str, Any]:
    """Change a case's deadline (数据管理 or 管理员)."""
    return service.set_deadline(session, principal, case_id, data.deadline)


@router.get("/{case_id}/evidence/{evidence_id}", summary="下载证据材料",
            response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
def download(principal: CaseReader, session: SessionDep, case_id: CaseId,
             evidence_id: Annotated[int, Path(ge=1, le=2**62, title="证据编号")]) -> Response:
    """The stored file, its hash verified, under its original name."""
    data, name, media_type = service.evidence_file(session, principal, case_id, evidence_id)
    fallback = name.encode("ascii", "replace").decode().replace("?", "_").replace('"', "_")
    disposition = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})
