"""``/api/v1/evaluations`` and ``/api/v1/rule-sets``: runs, what-ifs, explanations."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Path, Query, UploadFile

from landgov.auth.guard import EvaluationReader, EvaluationRunner, IndicatorWriter
from landgov.deps import PagingDep, SessionDep
from landgov.evaluation import indicator_upload, queries, service
from landgov.evaluation.rules import available, load_rule_set
from landgov.evaluation.schemas import (
    EnterprisePage,
    Explanation,
    RunListItem,
    RunRequest,
    RunSummary,
    UploadResult,
    WhatIfRequest,
    WhatIfResult,
)

router = APIRouter(tags=["亩均效益评价"])


@router.post("/api/v1/evaluations", response_model=RunSummary, status_code=201,
             summary="执行年度评价")
def run_evaluation(principal: EvaluationRunner, data: RunRequest,
                   session: SessionDep) -> dict[str, Any]:
    """Evaluate every enterprise for the year and keep the run."""
    rules = load_rule_set(data.rules)
    return service.evaluate(session, data.year, rules, principal.actor)


@router.get("/api/v1/evaluations", response_model=list[RunListItem], summary="评价批次")
def list_runs(_: EvaluationReader, session: SessionDep,
              year: Annotated[int | None, Query(ge=1990, le=2100, title="年度")] = None
              ) -> list[dict[str, Any]]:
    """Stored runs, newest first."""
    return [r._asdict() for r in queries.runs(session, year)]


@router.get("/api/v1/evaluations/{run_id}", response_model=RunSummary, summary="评价批次详情")
def get_run(_: EvaluationReader, run_id: Annotated[int, Path(ge=1, le=2**62, title="批次")],
            session: SessionDep) -> dict[str, Any]:
    """A run's counts by status and class."""
    return service.run_summary(session, run_id)


@router.post("/api/v1/evaluations/what-if", response_model=WhatIfResult, summary="模拟评价")
def what_if(_: EvaluationReader, data: WhatIfRequest, session: SessionDep) -> dict[str, Any]:
    """Re-evaluate with changed rules and report who would move (nothing is stored)."""
    return service.what_if(session, data.year, data.against, data.base, data.changes)


@router.get("/api/v1/enterprises/{uscc}/evaluation", response_model=Explanation,
            summary="企业评价依据", response_model_by_alias=True)
def explain(_: EvaluationReader, uscc: Annotated[str, Path(min_length=18, max_length=18)],
            session: SessionDep,
            year: Annotated[int, Query(ge=1990, le=2100, title="年度")],
            run: Annotated[int | None, Query(ge=1, le=2**62, title="批次")] = None
            ) -> dict[str, Any]:
    """The numbers and rule lines behind the firm's class and each flag (zh and en)."""
    return service.explain_result(session, uscc, year, run)


@router.get("/api/v1/enterprises", response_model=EnterprisePage, summary="企业列表",
            response_model_by_alias=True)
def enterprises(
    principal: EvaluationReader, session: SessionDep, page: PagingDep,
    year: Annotated[int | None, Query(ge=1990, le=2100, title="评价年度 (默认最近评价)")] = None,
    town: Annotated[str | None, Query(max_length=12, title="镇街代码")] = None,
    klass: Annotated[Literal["A", "B", "C", "D"] | None, Query(alias="class", title="类别")] = None,
    flag: Annotated[Literal["low_output", "low_benefit", "high_energy", "high_emission",
                            "two_low_two_high"] | None, Query(title="标签")] = None,
) -> dict[str, Any]:
    """Enterprises with their main town and evaluation, filtered by town, class or flag."""
    return service.enterprise_page(session, year=year, town=principal.scope_town or town,
                                   klass=klass, flag=flag, limit=page.limit, offset=page.offset)


@router.get("/api/v1/rule-sets", summary="规则集列表")
def rule_sets(_: EvaluationReader) -> list[dict[str, Any]]:
    """Every rule set available (shipped and the county's own)."""
    return [{"ref": ref, "title": r.title, "checksum": r.checksum}
            for ref, r in sorted(available().items())]


@router.get("/api/v1/rule-sets/{ref}", summary="规则集内容")
def rule_set(_: EvaluationReader, ref: Annotated[str, Path(max_length=60)]) -> dict[str, Any]:
    """A rule set's full content."""
    return load_rule_set(ref).model_dump(mode="json")


@router.post("/api/v1/indicators/upload", response_model=UploadResult, summary="上传企业指标")
async def upload_indicators(
    _: IndicatorWriter, session: SessionDep,
    file: Annotated[UploadFile, File(title="CSV 或 XLSX, 按统一社会信用代码")],
    year: Annotated[int, Query(ge=1990, le=2100, title="年度")],
    dry_run: Annotated[bool, Query(title="仅校验不写入")] = False,
) -> UploadResult:
    """Check every row, report all problems by row, and write all rows or none."""
    table = indicator_upload.read_table(await file.read(), file.filename or "upload.csv")
    report = indicator_upload.check_rows(table)
    report.refuse_if_any()
    written = 0 if dry_run else service.upload_indicators(session, report, year)
    return UploadResult(year=year, rows=len(report.rows), columns=report.columns,
                        written=written, dry_run=dry_run)
