"""Indicator uploads from the tax, statistics, power and environment bureaus.

Each bureau sends a sheet keyed by USCC with the columns it owns (Chinese or English
headers). Every row is checked first — unknown or invalid USCC, malformed or negative
numbers, a missing 规上 flag for a firm new in that year — and the report lists every
problem by row; only a file without problems is written, in one statement, and only the
columns the file has are changed (the tax bureau's upload leaves energy use alone).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.coding.uscc import validate_uscc
from landgov.errors import FieldError, InvalidInput

NUMBER_COLUMNS: dict[str, tuple[str, ...]] = {
    "tax_wan": ("税收", "税收(万元)", "实缴税金(万元)"),
    "revenue_wan": ("销售收入", "销售收入(万元)", "营业收入(万元)"),
    "value_added_wan": ("工业增加值", "工业增加值(万元)", "增加值(万元)"),
    "energy_tce": ("综合能耗", "综合能耗(吨标煤)", "能耗(吨标煤)"),
    "electricity_kwh": ("用电量", "用电量(千瓦时)", "用电量(kWh)"),
    "water_m3": ("用水量", "用水量(立方米)"),
    "cod_t": ("化学需氧量", "COD(吨)", "化学需氧量排放(吨)"),
    "ammonia_n_t": ("氨氮", "氨氮(吨)", "氨氮排放(吨)"),
    "so2_t": ("二氧化硫", "二氧化硫(吨)", "SO2(吨)"),
    "nox_t": ("氮氧化物", "氮氧化物(吨)", "NOx(吨)"),
    "rd_wan": ("研发经费", "研发经费(万元)", "R&D经费(万元)"),
    "employees": ("职工人数", "年平均职工人数", "从业人员(人)"),
}
OTHER_COLUMNS: dict[str, tuple[str, ...]] = {
    "uscc": ("统一社会信用代码", "信用代码"),
    "above_scale": ("规上", "是否规上", "规模以上"),
}
TRUE_WORDS = {"是", "规上", "true", "1", "y", "yes"}
FALSE_WORDS = {"否", "规下", "false", "0", "n", "no"}
MAX_ROWS = 200_000


@dataclass
class UploadReport:
    """What an upload found: the rows it would write and the problems by row."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)

    def add(self, line: int, column: str, reason: str) -> None:
        """Note a problem of one cell."""
        self.problems.append({"row": line, "column": column, "reason": reason})

    def refuse_if_any(self) -> None:
        """Refuse the whole file when any row has a problem."""
        if self.problems:
            first = self.problems[0]
            raise InvalidInput(
                f"{len(self.problems)} 处问题, 未写入任何数据; 首个: 第 {first['row']} 行 "
                f"{first['column']}: {first['reason']}",
                [FieldError(f"row {p['row']}.{p['column']}", p["reason"]) for p in self.problems],
            )


def _header_map(headers: list[str]) -> dict[int, str]:
    names = {alias: key for key, aliases in {**NUMBER_COLUMNS, **OTHER_COLUMNS}.items()
             for alias in (key, *aliases)}
    found: dict[int, str] = {}
    for i, header in enumerate(headers):
        key = names.get(str(header).strip()) if header is not None else None
        if key is not None:
            found[i] = key
    if "uscc" not in found.values():
        raise InvalidInput("表头中没有 统一社会信用代码 (uscc) 列",
                           [FieldError("header", "uscc column missing")])
    return found


def read_table(content: bytes, filename: str) -> list[list[Any]]:
    """Rows of a CSV (UTF-8, with or without BOM, or GBK) or the first sheet of an XLSX."""
    if filename.lower().endswith(".xlsx"):
        try:
            ws = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception as exc:  # openpyxl raises many kinds for a bad file
            raise InvalidInput(f"无法读取 Excel 文件: {exc}") from exc
        assert ws is not None
        return [list(r) for r in ws.iter_rows(values_only=True)]
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return list(csv.reader(io.StringIO(content.decode(encoding))))
        except UnicodeDecodeError:
            continue
    raise InvalidInput("CSV 编码无法识别 (应为 UTF-8 或 GBK)")


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int | float):
        return float(value)
    return float(str(value).replace(",", "").strip())


def _row(line: int, cells: list[Any], header: dict[int, str], report: UploadReport) -> None:
    out: dict[str, Any] = {}
    for i, key in header.items():
        value = cells[i] if i < len(cells) else None
        if key == "uscc":
            code = str(value or "").strip().upper()
            errors = validate_uscc(code)
            if errors:
                report.add(line, "uscc", errors[0].reason)
            out["uscc"] = code
        elif key == "above_scale":
            word = str(value).strip().lower() if value is not None else ""
            out[key] = True if word in TRUE_WORDS else False if word in FALSE_WORDS else None
            if word and out[key] is None:
                report.add(line, key, f"无法识别 {value!r}")
        else:
            try:
                number = _number(value)
            except ValueError:
                report.add(line, key, f"不是数字: {value!r}")
                continue
            if number is not None and number < 0 and key != "tax_wan":
                report.add(line, key, "不能为负数")
            out[key] = number
    report.rows.append({"line": line, **out})


def check_rows(table: list[list[Any]]) -> UploadReport:
    """Parse and check every row (no database access)."""
    if not table:
        raise InvalidInput("文件为空")
    if len(table) - 1 > MAX_ROWS:
        raise InvalidInput(f"行数超过上限 {MAX_ROWS}")
    header = _header_map([str(h) if h is not None else "" for h in table[0]])
    report = UploadReport(columns=[k for k in header.values() if k != "uscc"])
    seen: dict[str, int] = {}
    for line, cells in enumerate(table[1:], start=2):
        if not any(c not in (None, "") for c in cells):
            continue
        _row(line, cells, header, report)
        code = report.rows[-1].get("uscc", "")
        if code in seen:
            report.add(line, "uscc", f"与第 {seen[code]} 行重复")
        seen.setdefault(code, line)
    return report


def apply(session: Session, report: UploadReport, year: int) -> int:
    """Check the rows against the database and write them all, or nothing."""
    payload = json.dumps(report.rows, ensure_ascii=False)
    problems = session.execute(text("""
        SELECT r.line, r.uscc,
               e.id IS NULL AS unknown,
               e.id IS NOT NULL AND i.enterprise_id IS NULL AND r.above_scale IS NULL AS no_scale
        FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(line int, uscc text, above_scale boolean)
        LEFT JOIN enterprise e ON e.uscc = r.uscc
        LEFT JOIN indicator i ON i.enterprise_id = e.id AND i.year = :year
        WHERE e.id IS NULL OR (i.enterprise_id IS NULL AND r.above_scale IS NULL)
        ORDER BY r.line
    """), {"rows": payload, "year": year}).all()
    for p in problems:
        if p.unknown:
            report.add(p.line, "uscc", "企业库中没有此统一社会信用代码")
        else:
            report.add(p.line, "above_scale", "该企业本年度首次填报, 须给出 规上 列")
    report.problems.sort(key=lambda p: (p["row"], p["column"]))
    report.refuse_if_any()
    return _upsert(session, payload, report.columns, year)


def _upsert(session: Session, payload: str, columns: list[str], year: int) -> int:
    """One INSERT … ON CONFLICT for the whole file, changing only the file's columns.

    The 规上 flag is NOT NULL, so rows that exist keep theirs unless the file gives one.
    """
    numbers = [c for c in NUMBER_COLUMNS if c in columns]
    types = ", ".join(["above_scale boolean", *(f"{c} float8" for c in numbers)])
    scale = "COALESCE(r.above_scale, i.above_scale)" if "above_scale" in columns \
        else "i.above_scale"
    updates = ", ".join(["above_scale = EXCLUDED.above_scale",
                         *(f"{c} = EXCLUDED.{c}" for c in numbers)])
    result = session.execute(text(f"""
        INSERT INTO indicator (enterprise_id, year, above_scale{"".join(", " + c for c in numbers)})
        SELECT e.id, :year, {scale}{"".join(", r." + c for c in numbers)}
        FROM jsonb_to_recordset(CAST(:rows AS jsonb)) AS r(uscc text, {types})
        JOIN enterprise e ON e.uscc = r.uscc
        LEFT JOIN indicator i ON i.enterprise_id = e.id AND i.year = :year
        ON CONFLICT (enterprise_id, year) DO UPDATE SET {updates}
    """), {"rows": payload, "year": year})
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
