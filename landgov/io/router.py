"""``/api/v1/exports/{layer}?format=``: lists and layers in the formats users take away.

One route shape for every layer (DESIGN Rulings); each layer is its own route so it
carries its own guard. The owning domain builds the table; this package writes formats.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse

from landgov.auth.guard import EvaluationReader
from landgov.deps import SessionDep
from landgov.governance import service
from landgov.governance.tables import baseline_table, governance_table
from landgov.io.csv_writer import csv_chunks
from landgov.io.xlsx import write_xlsx
from landgov.tables import Table

router = APIRouter(prefix="/api/v1/exports", tags=["导出"])
Format = Annotated[Literal["xlsx", "csv"], Query(title="格式")]
Year = Annotated[int, Query(ge=1990, le=2100, title="年度")]
Town = Annotated[str | None, Query(max_length=12, title="镇街代码")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {XLSX: {}, "text/csv": {}}, "description": "文件"}}


def _send(table: Table, fmt: str, filename: str) -> StreamingResponse:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}.{fmt}"
    if fmt == "csv":
        return StreamingResponse(csv_chunks(table), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": disposition})
    buffer = io.BytesIO()
    write_xlsx(table, buffer)
    return StreamingResponse(iter([buffer.getvalue()]), media_type=XLSX,
                             headers={"Content-Disposition": disposition})


def _list_route(name: str, build: Callable[..., Table], rows: Callable[..., object],
                summary: str) -> None:
    @router.get(f"/{name}", summary=summary, response_class=StreamingResponse,
                responses=FILE_RESPONSES)
    def export(principal: EvaluationReader, session: SessionDep, year: Year,
               format: Format = "xlsx", town: Town = None) -> StreamingResponse:
        scope = principal.scope_town or town
        table = build(year, scope, rows(session, year, scope))
        return _send(table, format, table.title)

    export.__name__ = f"export_{name}"


_list_route("baseline_list", baseline_table, service.baseline_list, "导出底数清单")
_list_route("governance_list", governance_table, service.governance_list, "导出治理清单")
