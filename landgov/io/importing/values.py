"""One row's raw cell values → parcel attribute values (codes, dates, numbers).

DBF and spreadsheets mangle values in known ways: a land-use code ``0601`` stored as the
number 601, dates as ``2020/3/1`` or ``20200301``, Chinese labels (出让, 在产) where we keep
codes. Each value is normalised or reported; nothing is guessed silently.

>>> row, problems = normalise({"land_use_code": 601.0, "land_right_type": "出让",
...                             "right_start_date": "2020/3/1"})
>>> row["land_use_code"], row["land_use_vintage"], row["land_right_type"], problems
('0601', 'gbt21010_2017', 'transfer', [])
>>> row["right_start_date"]
datetime.date(2020, 3, 1)
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from landgov.coding.unit_code import UnitCode
from landgov.errors import InvalidInput
from landgov.parcels.vocabulary import LAND_RIGHT_TYPE, LAND_STATUS, LAND_USE, LAND_USE_VINTAGE

LABELS = {
    "land_right_type": {**{v: k for k, v in LAND_RIGHT_TYPE.items()},
                        **{k: k for k in LAND_RIGHT_TYPE}},
    "status": {**{v: k for k, v in LAND_STATUS.items()}, **{k: k for k in LAND_STATUS}},
    "land_use_vintage": {**{v: k for k, v in LAND_USE_VINTAGE.items()},
                         **{k: k for k in LAND_USE_VINTAGE}, "三调": "sandiao"},
}
_DATE = re.compile(r"^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?")
Problems = list[tuple[str, str]]


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def infer_vintage(code: str) -> str:
    """The classification a land-use code's form belongs to (DOMAIN: three vintages)."""
    if code in LAND_USE["ydyh_2023"]:
        return "ydyh_2023"
    if code in LAND_USE["gb50137"]:
        return "gb50137"
    return "gbt21010_2017"


def _land_use(text: str) -> str:
    return text.zfill(4) if text.isdigit() and len(text) == 3 else text.upper()


def _date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if len(text) == 10 and text[4] == "-" == text[7]:  # ISO, as our own export writes
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass  # the pattern below says what is wrong
    match = _DATE.match(text)
    if not match:
        raise ValueError(f"无法识别的日期 {value!r} (应为 YYYY-MM-DD)")
    return date(*(int(g) for g in match.groups()))


def _one(attr: str, text: str, raw: Any) -> Any:
    if attr == "unit_code":
        return str(UnitCode.parse(text.upper()))
    if attr == "land_use_code":
        return _land_use(text)
    if attr in LABELS:
        if text not in LABELS[attr]:
            raise ValueError(f"未知的取值 {text!r}; 可用: {', '.join(sorted(LABELS[attr]))}")
        return LABELS[attr][text]
    if attr in ("right_start_date", "right_end_date"):
        return _date(raw)
    if attr == "reported_area":
        return float(text)
    if attr == "name" and len(text) > 120:
        raise ValueError(f"宗地名称超过 120 字 ({len(text)} 字)")
    return text


@lru_cache(maxsize=1 << 16, typed=True)
def _normalised(attr: str, value: Any) -> tuple[Any, str | None]:
    """One value normalised, or its problem.

    Remembered: a column of 100,000 rows holds a few distinct codes, types and dates,
    so each is worked out once.
    """
    text = _text(value)
    if text is None:
        return None, None
    try:
        return _one(attr, text, value), None
    except InvalidInput as exc:
        return None, exc.detail
    except ValueError as exc:
        return None, str(exc)


def _cached(attr: str, value: Any) -> tuple[Any, str | None]:
    try:
        return _normalised(attr, value)
    except TypeError:  # an unhashable value: not remembered
        return _normalised.__wrapped__(attr, value)


def normalise(raw: dict[str, Any]) -> tuple[dict[str, Any], Problems]:
    """Normalised values and the problems found (attribute, reason)."""
    rows, problems = normalise_columns({attr: [value] for attr, value in raw.items()}, 1)
    return rows[0], problems.get(0, [])


_REFUSED = object()


def _column(attr: str, values: list[Any], problems: dict[int, Problems]) -> list[Any]:
    # Text cells (nearly all) are looked up in this column's own dict: cheaper than the
    # typed lru_cache, which other types go through (1 and True must stay apart).
    seen: dict[str, tuple[Any, str | None]] = {}
    out: list[Any] = []
    for i, value in enumerate(values):
        if type(value) is str:
            hit = seen.get(value)
            if hit is None:
                hit = seen[value] = _cached(attr, value)
        else:
            hit = _cached(attr, value)
        if hit[1] is not None:
            problems.setdefault(i, []).append((attr, hit[1]))
            out.append(_REFUSED)
        else:
            out.append(hit[0])
    return out


def normalise_columns(raw: dict[str, list[Any]], rows: int
                      ) -> tuple[list[dict[str, Any]], dict[int, Problems]]:
    """:func:`normalise` of ``rows`` rows given as columns, a column at a time.

    Gives each row's values (an attribute with a problem is left out) and the problems
    of the rows that have any, by row index, in column order.
    """
    problems: dict[int, Problems] = {}
    attrs = list(raw)
    columns = [_column(attr, raw[attr], problems) for attr in attrs]
    out = [dict(zip(attrs, values, strict=True)) for values in zip(*columns, strict=True)] \
        if attrs else [{} for _ in range(rows)]
    for i in problems:
        out[i] = {k: v for k, v in out[i].items() if v is not _REFUSED}
    if "land_use_code" in raw and "land_use_vintage" not in raw:
        for row in out:
            if row.get("land_use_code"):
                row["land_use_vintage"] = infer_vintage(row["land_use_code"])
    return out, problems
