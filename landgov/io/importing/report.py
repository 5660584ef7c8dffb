"""The import report: what was detected, what each row would do, what is wrong where.

The same object is printed by the CLI, stored as the job's JSON by the upload endpoint,
and carried by :class:`ImportRefused` when any row has an error (all-or-nothing).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from landgov.errors import FieldError, InvalidInput

MAX_LISTED = 1000  # problems and new codes kept in a report; the counts stay exact


@dataclass(frozen=True)
class Problem:
    """One row's problem (``row`` counts features from 1, in file order)."""

    row: int
    field: str
    reason: str
    level: Literal["error", "warning"] = "error"


@dataclass
class ImportReport:
    """Everything an import found and did."""

    source: str
    format: str = ""
    rows: int = 0
    encoding: str = ""
    encoding_reason: str = ""
    crs: str = ""
    crs_reason: str = ""
    conversion: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    mapping: str = ""
    dry_run: bool = False
    written: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    error_count: int = 0
    warning_count: int = 0
    new_codes: dict[int, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add(self, row: int, field_name: str, reason: str,
            level: Literal["error", "warning"] = "error") -> None:
        """Record a problem of ``row``; the list is capped, the counts are not."""
        if level == "error":
            self.error_count += 1
        else:
            self.warning_count += 1
        if len(self.problems) < MAX_LISTED:
            self.problems.append(Problem(row, field_name, reason, level))

    def as_dict(self) -> dict[str, Any]:
        """JSON form (the job's report)."""
        return asdict(self)

    def summary(self) -> str:
        """One line: what happened."""
        verb = "试运行, 未写入" if self.dry_run else ("已写入" if self.written else "未写入")
        return (f"{self.rows} 行: 新建 {self.created}, 更新 {self.updated}, 未变 {self.unchanged}; "
                f"错误 {self.error_count}, 警告 {self.warning_count} ({verb})")

    def refuse_if_errors(self) -> None:
        """All-or-nothing: any row error refuses the whole file."""
        if self.error_count:
            raise ImportRefused(self)


class ImportRefused(InvalidInput):
    """The file had row errors: nothing was written; the report says where and why."""

    title = "导入被拒绝"
    slug = "import-refused"

    def __init__(self, report: ImportReport) -> None:
        first = next(p for p in report.problems if p.level == "error")
        super().__init__(
            f"{report.error_count} 处错误, 未写入任何数据; 首个: 第 {first.row} 行 "
            f"{first.field}: {first.reason}",
            [FieldError(f"row {p.row}.{p.field}", p.reason)
             for p in report.problems if p.level == "error"][:100])
        self.report = report
