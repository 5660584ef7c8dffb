"""A list as it is handed to leaders: title, unit line, grouped headers, rows, totals.

Domains describe their lists with :class:`Table`, and their exportable layers with
:class:`Layer`; the writers in ``landgov.io`` (Excel, CSV, Shapefile, GeoPackage,
GeoJSON) know nothing of the domains.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

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


FieldKind = Literal["text", "real", "int", "date", "datetime", "bool"]


@dataclass(frozen=True)
class Field:
    """One attribute of an exported layer.

    ``name`` is the full Chinese name (GeoPackage, GeoJSON, CSV keep it); ``short`` is
    the domain's own abbreviation for the 10-byte DBF limit (at most 3 CJK characters
    so it fits GBK and UTF-8 alike); ``parts`` is how many 254-byte DBF fields a long
    text may fill before a Shapefile export refuses it.
    """

    key: str
    name: str
    meaning: str
    kind: FieldKind = "text"
    short: str | None = None
    parts: int = 1


@dataclass(frozen=True)
class Layer:
    """A layer to export: its fields, whether it has geometry, and where rows come from.

    Large layers give ``sql`` (streamed by a server-side cursor, so memory stays flat);
    lists already built in memory give ``rows``. A spatial layer's rows carry ``geom``
    as WKB in the requested CRS.
    """

    name: str
    title: str
    fields: tuple[Field, ...]
    spatial: bool
    sql: str | None = None
    count_sql: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    rows: Iterable[dict[str, Any]] | None = None
