"""Coordinates and units: the one place that knows CRSs, 亩 and where geometry may lie.

Storage is CGCS2000 geographic (EPSG:4490); areas and distances are computed in
CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549), which covers 绍兴. A client's
area is never trusted: the database computes ``area_mu`` with the same constants.

>>> round(mu_from_sqm(666.6666667), 4)
1.0
>>> from shapely.geometry import box
>>> square = to_storage(box(500000, 3330000, 500200, 3330200), AREA_SRID)  # 200 m x 200 m
>>> round(area_mu(square), 2)  # 40,000 m² / (10000/15)
60.0
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from landgov.errors import FieldError, InvalidGeometry, InvalidInput

STORAGE_SRID = 4490
AREA_SRID = 4549
WEB_MERCATOR = 3857
SQM_PER_MU = 10000 / 15
# Envelope of 浙江 (lon/lat, including the offshore islands). A geometry outside it is
# almost always in the wrong CRS, so it is refused outright.
ZHEJIANG_BOUNDS = (118.0, 27.0, 123.3, 31.3)
ACCEPTED_INPUT_SRIDS = frozenset({4490, 4326})


def mu_from_sqm(square_metres: float) -> float:
    """Square metres to 亩 (1 亩 = 10000/15 m²)."""
    return square_metres / SQM_PER_MU


@lru_cache(maxsize=32)
def transformer(src: int, dst: int) -> Transformer:
    """A cached, always-x/y (lon/lat, easting/northing) transformer."""
    return Transformer.from_crs(src, dst, always_xy=True)


def to_storage(geom: BaseGeometry, srid: int) -> BaseGeometry:
    """Transform ``geom`` from ``srid`` to the storage CRS (EPSG:4490)."""
    if srid in ACCEPTED_INPUT_SRIDS:
        return geom
    return shapely.transform(geom, lambda xy: _apply(transformer(srid, STORAGE_SRID), xy))


def _apply(tr: Transformer, xy: Any) -> Any:
    x, y = tr.transform(xy[:, 0], xy[:, 1])
    xy[:, 0], xy[:, 1] = x, y
    return xy


def area_mu(geom: BaseGeometry) -> float:
    """Area in 亩 of a storage-CRS geometry, computed in EPSG:4549."""
    projected = shapely.transform(geom, lambda xy: _apply(transformer(STORAGE_SRID, AREA_SRID), xy))
    return mu_from_sqm(float(projected.area))


def parse_srid(crs: str | int) -> int:
    """An EPSG code from ``4549``, ``EPSG:4549`` or an OGC CRS URI; refuse what PROJ can't place."""
    text = str(crs).strip()
    if text.endswith("/CRS84") or text.upper() in {"CRS84", "OGC:CRS84"}:
        return 4326
    try:
        code = CRS.from_user_input(text if not text.isdigit() else int(text)).to_epsg()
    except CRSError as exc:
        raise InvalidInput(f"无法识别的坐标参考系 {text!r}",
                           [FieldError("crs", "unknown CRS")]) from exc
    if code is None:
        raise InvalidInput(f"坐标参考系 {text!r} 没有对应的 EPSG 代码",
                           [FieldError("crs", "no EPSG code")])
    return code


def as_multipolygon(geojson: dict[str, Any]) -> MultiPolygon:
    """A GeoJSON Polygon or MultiPolygon as a shapely MultiPolygon, or a clear refusal."""
    kind = geojson.get("type")
    if kind not in {"Polygon", "MultiPolygon"}:
        raise InvalidGeometry(f"宗地几何应为 Polygon 或 MultiPolygon, 收到 {kind!r}",
                              [FieldError("geometry", "wrong geometry type")])
    try:
        geom = shape(geojson)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise InvalidGeometry("几何坐标无法解析: " + str(exc),
                              [FieldError("geometry", "malformed coordinates")]) from exc
    return MultiPolygon([geom]) if isinstance(geom, Polygon) else geom


def check_geometry(geom: BaseGeometry, max_vertices: int) -> None:
    """Refuse empty, invalid, oversized or out-of-浙江 geometry, naming the problem."""
    if geom.is_empty:
        raise InvalidGeometry("几何为空", [FieldError("geometry", "empty")])
    vertices = shapely.get_num_coordinates(geom)
    if vertices > max_vertices:
        raise InvalidGeometry(f"几何有 {vertices} 个顶点, 超过上限 {max_vertices}",
                              [FieldError("geometry", "too many vertices")])
    minx, miny, maxx, maxy = geom.bounds
    west, south, east, north = ZHEJIANG_BOUNDS
    if minx < west or maxx > east or miny < south or maxy > north:
        raise InvalidGeometry(
            f"几何范围 ({minx:.4f}, {miny:.4f}, {maxx:.4f}, {maxy:.4f}) 不在浙江省内; "
            "请检查坐标参考系 (应为 CGCS2000 经纬度, EPSG:4490)",
            [FieldError("geometry", "outside Zhejiang")],
        )
    if not shapely.is_valid(geom):
        reason = shapely.is_valid_reason(geom)
        raise InvalidGeometry(f"几何无效: {reason}", [FieldError("geometry", reason)])


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """GeoJSON mapping of a shapely geometry."""
    return dict(mapping(geom))
