"""Request pieces many endpoints share, as ``Annotated`` dependencies.

Handlers stay a few lines: the session, the bbox, paging and If-Match arrive parsed
and validated, and a bad value becomes a 422 problem naming the parameter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Query
from sqlalchemy.orm import Session

from landgov.db import get_session
from landgov.errors import FieldError, InvalidInput, PreconditionRequired
from landgov.settings import get_settings

SessionDep = Annotated[Session, Depends(get_session)]
_ETAG = re.compile(r'^(?:W/)?"(\d+)"$')


def parse_bbox(
    bbox: Annotated[str | None, Query(
        title="范围", description="minLon,minLat,maxLon,maxLat (EPSG:4490)",
        examples=["120.5,29.95,120.9,30.2"], max_length=200)] = None,
) -> tuple[float, float, float, float] | None:
    """Parse and check a lon/lat bbox."""
    if bbox is None:
        return None
    try:
        values = tuple(float(v) for v in bbox.split(","))
    except ValueError as exc:
        raise InvalidInput("bbox 应为 4 个数字", [FieldError("bbox", "not numbers")]) from exc
    if len(values) != 4:
        raise InvalidInput("bbox 应为 4 个数字", [FieldError("bbox", "need 4 numbers")])
    minx, miny, maxx, maxy = values
    if not (minx < maxx and miny < maxy) or not all(abs(v) <= 180 for v in values):
        raise InvalidInput("bbox 范围无效 (应为 最小经度,最小纬度,最大经度,最大纬度)",
                           [FieldError("bbox", "min must be below max")])
    return minx, miny, maxx, maxy


BBoxDep = Annotated[tuple[float, float, float, float] | None, Depends(parse_bbox)]


@dataclass(frozen=True)
class Paging:
    """Limit and offset of a page."""

    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, title="每页数量")] = 100,
    offset: Annotated[int, Query(ge=0, le=10_000_000, title="偏移")] = 0,
) -> Paging:
    """Page parameters, with the limit capped by settings."""
    cap = get_settings().page_size_max
    if limit > cap:
        raise InvalidInput(f"limit 不能超过 {cap}", [FieldError("limit", f"max {cap}")])
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]


def if_match(
    value: Annotated[str | None, Header(alias="If-Match", title="版本 ETag")] = None,
) -> int:
    """The version a write replaces, from If-Match (required for every change)."""
    if value is None:
        raise PreconditionRequired("修改宗地须带 If-Match 头 (先 GET 获取 ETag)")
    match = _ETAG.match(value.strip())
    if not match:
        raise InvalidInput(f"If-Match 格式无效: {value!r}, 应为 \"版本号\"",
                           [FieldError("If-Match", "malformed ETag")])
    return int(match.group(1))


IfMatchDep = Annotated[int, Depends(if_match)]


def etag(version: int) -> str:
    """The ETag of a parcel version."""
    return f'"{version}"'


