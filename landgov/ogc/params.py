"""The query parameters every OGC request shares, as FastAPI dependencies.

Handlers stay a few lines (as in tipg): paging, bbox with ``bbox-crs``, ``crs``,
``datetime`` and the property filters arrive parsed and checked, and anything that
cannot be used is a 400 problem naming the parameter. Whether a filter names a
queryable of *this* collection is checked by the service, which knows the collection.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Header, Query, Request

from landgov.errors import FieldError
from landgov.ogc.crs import OgcCrs, parse_bbox, parse_crs
from landgov.ogc.errors import InvalidParameter
from landgov.ogc.temporal import Interval, parse_datetime
from landgov.settings import get_settings

# Parameters of the items request itself; every other query parameter is a filter.
ITEMS_PARAMETERS = frozenset({"limit", "offset", "bbox", "bbox-crs", "crs", "datetime"})
DEFAULT_LIMIT = 10


@dataclass(frozen=True)
class ItemsParams:
    """A parsed items request (bbox in x/y order of ``bbox_crs``)."""

    limit: int
    offset: int
    crs: OgcCrs
    crs_given: bool
    bbox: tuple[float, float, float, float] | None
    bbox_crs: OgcCrs
    interval: Interval | None
    filters: dict[str, str] = field(default_factory=dict)


def items_params(
    request: Request,
    limit: Annotated[int, Query(
        ge=1, title="每页数量",
        description="默认 10, 最大值见配置 LANDGOV_PAGE_SIZE_MAX")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=100_000_000, title="偏移")] = 0,
    bbox: Annotated[str | None, Query(
        max_length=300, title="范围",
        description="minx,miny,maxx,maxy, 轴序按 bbox-crs (默认 CRS84: 经度,纬度)",
        examples=["120.5,29.95,120.9,30.2"])] = None,
    bbox_crs: Annotated[str | None, Query(alias="bbox-crs", max_length=200,
                                          title="bbox 坐标参考系 (URI)")] = None,
    crs: Annotated[str | None, Query(max_length=200, title="输出坐标参考系 (URI)")] = None,
    datetime: Annotated[str | None, Query(
        max_length=100, title="时间 (历史)",
        description="RFC 3339 时刻或日期, 或 起点/终点 (开放端用 ..): 该时刻或区间内有效的版本",
        examples=["2024-06-01T00:00:00+08:00", "2024-01-01/.."])] = None,
) -> ItemsParams:
    """Parse the items parameters; the rest of the query string are property filters."""
    cap = get_settings().page_size_max
    if limit > cap:
        raise InvalidParameter(f"limit 不能超过 {cap}", [FieldError("limit", f"max {cap}")])
    zone = ZoneInfo(get_settings().time_zone)
    area_crs = parse_crs(bbox_crs, "bbox-crs")
    return ItemsParams(
        limit=limit, offset=offset, crs=parse_crs(crs), crs_given=crs is not None,
        bbox=None if bbox is None else parse_bbox(bbox, area_crs),
        bbox_crs=area_crs,
        interval=None if datetime is None else parse_datetime(datetime, zone),
        filters=_filters(request),
    )


def _filters(request: Request) -> dict[str, str]:
    filters: dict[str, str] = {}
    for name, value in request.query_params.multi_items():
        if name in ITEMS_PARAMETERS:
            continue
        if name in filters:
            raise InvalidParameter(f"查询参数 {name} 只能出现一次",
                                   [FieldError(name, "repeated")])
        if "\x00" in name or "\x00" in value:  # PostgreSQL text cannot hold NUL
            raise InvalidParameter("查询参数含有 NUL 字符", [FieldError(name, "NUL character")])
        filters[name] = value
    return filters


ItemsDep = Annotated[ItemsParams, Depends(items_params)]


def output_crs(crs: str) -> OgcCrs:
    """The ``crs`` asked for a single-feature response."""
    return parse_crs(crs)


def body_crs(
    content_crs: Annotated[str | None, Header(alias="Content-Crs", max_length=200,
                                              title="请求体坐标参考系 (URI)")] = None,
    crs: Annotated[str | None, Query(max_length=200, title="请求体坐标参考系 (URI)")] = None,
) -> OgcCrs:
    """The CRS of a request body: ``Content-Crs``, else ``crs``, else CRS84.

    The two may both be sent only if they agree, since a body read in the wrong CRS
    would land somewhere else without an error.
    """
    header = parse_crs(content_crs, "Content-Crs") if content_crs else None
    query = parse_crs(crs) if crs else None
    if header and query and header != query:
        raise InvalidParameter("Content-Crs 与 crs 参数不一致",
                               [FieldError("Content-Crs", "disagrees with crs")])
    return header or query or parse_crs(None)


BodyCrsDep = Annotated[OgcCrs, Depends(body_crs)]
