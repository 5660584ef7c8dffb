"""The ``datetime`` parameter: an instant or an interval, as RFC 3339 text.

History is as recorded (DESIGN Rulings, "Dates"): a parcel version is valid from its
``valid_from`` until its ``valid_to``, and ``datetime`` picks the versions valid at an
instant or at some time during an interval. A bare date is that whole day in the
configured time zone (default Asia/Shanghai), since that is what an officer asking
"how was it on 1 March" means; a time without an offset is read in the same zone.

>>> from zoneinfo import ZoneInfo
>>> tz = ZoneInfo("Asia/Shanghai")
>>> i = parse_datetime("2024-03-01T08:00:00Z", tz)
>>> i.start == i.end, i.start.isoformat()
(True, '2024-03-01T08:00:00+00:00')
>>> i = parse_datetime("2024-03-01", tz)
>>> i.start.isoformat(), i.end.isoformat()
('2024-03-01T00:00:00+08:00', '2024-03-01T23:59:59.999999+08:00')
>>> i = parse_datetime("../2024-03-01T00:00:00+08:00", tz)
>>> i.start is None, i.end.isoformat()
(True, '2024-03-01T00:00:00+08:00')
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from landgov.errors import FieldError
from landgov.ogc.errors import InvalidParameter

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?([Zz]|[+-]\d{2}:\d{2})?$", re.ASCII)
_OPEN = {"", ".."}


@dataclass(frozen=True)
class Interval:
    """Closed interval of transaction time; ``None`` is an open end."""

    start: datetime | None
    end: datetime | None


def parse_datetime(text: str, tz: ZoneInfo) -> Interval:
    """Parse ``datetime``: an instant, a date, or ``start/end`` with ``..`` for open ends."""
    parts = text.strip().split("/")
    if len(parts) == 1:
        if parts[0] in _OPEN:
            raise _bad(text, "empty")
        start, end = _bounds(parts[0], tz, text)
        return Interval(start, end)
    if len(parts) != 2:
        raise _bad(text, "more than one '/'")
    first, second = (p.strip() for p in parts)
    opening = None if first in _OPEN else _bounds(first, tz, text)[0]
    closing = None if second in _OPEN else _bounds(second, tz, text)[1]
    if opening is not None and closing is not None and opening > closing:
        raise InvalidParameter(f"datetime 区间的起点晚于终点: {text}",
                               [FieldError("datetime", "start after end")])
    return Interval(opening, closing)


def _bounds(value: str, tz: ZoneInfo, text: str) -> tuple[datetime, datetime]:
    """First and last instant a date or date-time stands for."""
    try:
        if _DATE.match(value):
            day = date.fromisoformat(value)
            first = datetime.combine(day, time(0), tz)
            return first, first + timedelta(days=1, microseconds=-1)
        if _DATETIME.match(value):
            moment = datetime.fromisoformat(value.replace("z", "Z").replace("t", "T"))
            moment = moment if moment.tzinfo else moment.replace(tzinfo=tz)
            return moment, moment
    except (ValueError, OverflowError) as exc:
        raise _bad(text, str(exc)) from exc
    raise _bad(text, "not RFC 3339")


def _bad(text: str, reason: str) -> InvalidParameter:
    return InvalidParameter(
        f"datetime 格式无效: {text!r} (应为 RFC 3339 时间或日期, 或 起点/终点, 开放端用 ..)",
        [FieldError("datetime", reason)])
