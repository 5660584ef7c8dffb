"""DBF field names within 10 bytes, by one stable rule, and the dictionary beside them.

A DBF field name holds 10 bytes in the file's encoding: 5 Chinese characters in GBK,
3 in UTF-8. Desktop GIS cuts longer names wherever the byte limit falls (often inside
a character), which garbles them. The rule, applied in field order:

1. Start from the domain's declared abbreviation (``Field.short``, at most 3 CJK
   characters so the name is the same in GBK and UTF-8), else the full name.
2. A text split over several DBF fields gets the suffixes 1, 2, …; the base keeps
   10 bytes minus the suffix's length.
3. Cut the base at a character boundary until it fits its byte budget.
4. A name equal (case-insensitively) to an earlier one is cut by one more character
   and numbered 2, 3, … until it is unique.

The same fields in the same order always give the same names. ``字段说明.csv`` maps
each short name to the full name and its meaning.

>>> dbf_name("不动产单元代码", "GBK")
'不动产单元'
>>> dbf_name("不动产单元代码", "UTF-8")
'不动产'
>>> [c.name for c in plan([Field("note", "备注", "", parts=2)], "UTF-8")]
['备注1', '备注2']
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from landgov.errors import FieldError, InvalidInput
from landgov.tables import Field

DBF_NAME_BYTES = 10
DICTIONARY = "字段说明.csv"


@dataclass(frozen=True)
class DbfColumn:
    """One DBF field: its short name, the layer field it holds, which part (0 = whole)."""

    name: str
    field: Field
    part: int = 0


def _size(text: str, encoding: str) -> int:
    try:
        return len(text.encode(encoding))
    except UnicodeEncodeError as exc:
        raise InvalidInput(f"字段名 {text!r} 含 {encoding} 无法表示的字符, 请改用 utf-8 编码",
                           [FieldError("encoding", "unencodable field name")]) from exc


def dbf_name(base: str, encoding: str, budget: int = DBF_NAME_BYTES) -> str:
    """``base`` cut at a character boundary to at most ``budget`` bytes."""
    out = base
    while out and _size(out, encoding) > budget:
        out = out[:-1]
    return out


def _unique(name: str, base: str, budget: int, encoding: str, taken: set[str]) -> str:
    n = 1
    while name.upper() in taken:
        n += 1
        name = dbf_name(base, encoding, budget - len(str(n))) + str(n)
    return name


def plan(fields: tuple[Field, ...] | list[Field], encoding: str) -> list[DbfColumn]:
    """The DBF fields for ``fields`` in ``encoding`` (see the module's rule)."""
    taken: set[str] = set()
    out: list[DbfColumn] = []
    for f in fields:
        base = f.short or f.name
        parts = range(1, f.parts + 1) if f.parts > 1 else [0]
        for part in parts:
            suffix = str(part) if part else ""
            budget = DBF_NAME_BYTES - len(suffix)
            name = dbf_name(base, encoding, budget) + suffix
            name = _unique(name, base, budget, encoding, taken)
            taken.add(name.upper())
            out.append(DbfColumn(name, f, part))
    return out


def write_dictionary(path: Path, columns: list[DbfColumn]) -> None:
    """``字段说明.csv``: short name → full name → meaning (UTF-8 with BOM, for Excel)."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["字段名", "完整名称", "含义"])
        for c in columns:
            full = f"{c.field.name} (第 {c.part} 段)" if c.part else c.field.name
            writer.writerow([c.name, full, c.field.meaning])
