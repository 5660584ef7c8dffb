"""Excel in the form Chinese offices use.

A title row, a 单位 line, 序号, merged group headers, a totals row, and the header
frozen while scrolling.
"""

from __future__ import annotations

from typing import IO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from landgov.tables import Column, Table

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
FONT = "宋体"
HEADER_ROWS = (3, 4)


def _columns(table: Table) -> list[Column]:
    lead = [Column("__no", "序号", width=6)] if table.numbered else []
    return lead + table.columns


def _headers(ws: Worksheet, columns: list[Column]) -> None:
    top, bottom = HEADER_ROWS
    i = 0
    while i < len(columns):
        col = columns[i]
        start = i + 1
        if col.group is None:
            ws.cell(top, start, col.header)
            ws.merge_cells(start_row=top, start_column=start, end_row=bottom, end_column=start)
            i += 1
            continue
        end = start
        while end < len(columns) and columns[end].group == col.group:
            end += 1
        ws.cell(top, start, col.group)
        ws.merge_cells(start_row=top, start_column=start, end_row=top, end_column=end)
        for j in range(start, end + 1):
            ws.cell(bottom, j, columns[j - 1].header)
        i = end
    for row in ws.iter_rows(min_row=top, max_row=bottom, max_col=len(columns)):
        for cell in row:
            cell.font = Font(name=FONT, bold=True)
            cell.alignment, cell.border, cell.fill = CENTER, BOX, HEADER_FILL


def _title(ws: Worksheet, table: Table, width: int) -> None:
    ws.cell(1, 1, table.title).font = Font(name=FONT, size=16, bold=True)
    ws.cell(1, 1).alignment = CENTER
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.row_dimensions[1].height = 30
    ws.cell(2, 1, table.subtitle).font = Font(name=FONT, size=10)
    ws.cell(2, 1).alignment = Alignment(horizontal="right")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)


def _body(ws: Worksheet, table: Table, columns: list[Column]) -> int:
    row_no = HEADER_ROWS[1]
    for n, row in enumerate(table.rows, start=1):
        row_no += 1
        for j, col in enumerate(columns, start=1):
            cell = ws.cell(row_no, j, n if col.key == "__no" else col.value(row))
            cell.border, cell.font = BOX, Font(name=FONT)
            if col.number_format:
                cell.number_format = col.number_format
    return row_no


def _totals(ws: Worksheet, table: Table, columns: list[Column], row_no: int) -> None:
    ws.cell(row_no, 1, "合计").font = Font(name=FONT, bold=True)
    for j, col in enumerate(columns, start=1):
        if col.key in table.totals:
            cell = ws.cell(row_no, j, table.totals[col.key])
            cell.font = Font(name=FONT, bold=True)
            if col.number_format:
                cell.number_format = col.number_format
        ws.cell(row_no, j).border = BOX


def write_xlsx(table: Table, out: IO[bytes]) -> None:
    """Write ``table`` as one worksheet to ``out``."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = table.title[:31]
    columns = _columns(table)
    _title(ws, table, len(columns))
    _headers(ws, columns)
    last = _body(ws, table, columns)
    if table.totals:
        _totals(ws, table, columns, last + 1)
    for j, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(j)].width = col.width
    ws.freeze_panes = f"A{HEADER_ROWS[1] + 1}"
    ws.print_title_rows = f"{HEADER_ROWS[0]}:{HEADER_ROWS[1]}"
    wb.save(out)
