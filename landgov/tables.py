"""A list as it is handed to leaders: title, unit line, grouped headers, rows, totals.

Domains describe their lists with :class:`Table`; the writers here (Excel, CSV) know
nothing of the domains.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

Formatter = Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    """One column: its key in the rows, its header, and an optional group header above it."""

    key: str
    header: str
    group: str | None = None
    width: float = 14
    number_format: str | None = None
    total: bool = False
    format: Formatter | None = None

    def value(self, row: dict[str, Any]) -> Any:
        """The cell value of ``row`` (formatted, Decimals as floats)."""
        raw = row.get(self.key)
        out = self.format(raw) if self.format else raw
        return float(out) if isinstance(out, Decimal) else out


@dataclass(frozen=True)
class Table:
    """A titled list with grouped headers and an optional totals row."""

    title: str
    subtitle: str
    columns: list[Column]
    rows: Iterable[dict[str, Any]]
    totals: dict[str, Any] = field(default_factory=dict)
    numbered: bool = True


def area(value: Any) -> Any:
    """亩 with two decimals, as shown everywhere."""
    return None if value is None else round(float(value), 2)


def joined(value: Any) -> Any:
    """A list as one cell (顿号-separated, as in Chinese office tables)."""
    return "、".join(str(v) for v in value) if value else ""


def label(mapping: dict[str, str]) -> Formatter:
    """Map a code to its Chinese label (unknown codes shown as they are)."""
    return lambda value: mapping.get(value, value) if value is not None else ""
