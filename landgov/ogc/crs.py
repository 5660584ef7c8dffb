"""OGC API - Features Part 2: the CRSs offered, their URIs, axis order and valid area.

An OGC CRS URI names a CRS *with its authority's axis order*: EPSG:4326 and EPSG:4490
are latitude, longitude; EPSG:4549 is northing, easting; OGC CRS84 is longitude,
latitude. PostGIS, shapely and ``landgov.geo`` always work in x/y (east, north), so
coordinates are swapped at the edge of the API whenever the CRS puts north first. The
order is read from PROJ's axis description, not typed in by hand, so a CRS added to
:data:`OFFERED_EPSG` gets it right without a second table.

>>> c = parse_crs("http://www.opengis.net/def/crs/EPSG/0/4549")
>>> c.srid, c.north_first, c.geographic
(4549, True, False)
>>> parse_crs(CRS84).north_first
False
>>> parse_crs("[EPSG:4326]").uri
'http://www.opengis.net/def/crs/EPSG/0/4326'
>>> parse_bbox("30.0,120.5,30.1,120.6", parse_crs("EPSG:4490"))  # lat/lon in, x/y out
(120.5, 30.0, 120.6, 30.1)
>>> swap_axes({"type": "Point", "coordinates": [30.0, 120.5]})
{'type': 'Point', 'coordinates': [120.5, 30.0]}
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from pyproj import CRS, Transformer

from landgov.errors import FieldError
from landgov.ogc.errors import InvalidParameter

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_URI = "http://www.opengis.net/def/crs/EPSG/0/{}"
STORAGE_URI = EPSG_URI.format(4490)
# Offered besides CRS84 (the Part 1 default): CGCS2000, WGS 84, Web Mercator, and the
# Gauss-Kruger zone (CM 120°E) 绍兴's cadastral data are drawn in.
OFFERED_EPSG = (4490, 4326, 3857, 4549)
_EPSG_FORMS = re.compile(
    r"^(?:https?://www\.opengis\.net/def/crs/EPSG/0/|\[?EPSG:)(\d{4,5})\]?$", re.IGNORECASE)
_CRS84_FORMS = {CRS84.lower(), CRS84.lower().replace("http:", "https:"), "crs84",
                "ogc:crs84", "[ogc:crs84]"}
_WORLD = (-180.0, -90.0, 180.0, 90.0)


@dataclass(frozen=True)
class OgcCrs:
    """A CRS as the API offers it."""

    uri: str
    srid: int  # the EPSG code PostGIS and pyproj use (CRS84 → 4326, same x/y order)
    north_first: bool  # the URI's first axis is latitude or northing
    geographic: bool
    area: tuple[float, float, float, float]  # where it is valid, x/y order (east, north)

    @property
    def header(self) -> str:
        """The ``Content-Crs`` header value (Part 2 wraps the URI in angle brackets)."""
        return f"<{self.uri}>"

    @property
    def digits(self) -> int:
        """Decimals written: 1e-9° or 0.1 mm, finer than any survey behind the data."""
        return 9 if self.geographic else 4

    @property
    def label(self) -> str:
        """Short human name for messages."""
        return "CRS84" if self.uri == CRS84 else f"EPSG:{self.srid}"


@cache
def _describe(uri: str) -> OgcCrs:
    if uri == CRS84:
        return OgcCrs(CRS84, 4326, north_first=False, geographic=True, area=_WORLD)
    srid = int(uri.rsplit("/", 1)[1])
    crs = CRS.from_epsg(srid)
    first = crs.axis_info[0].direction.lower()
    return OgcCrs(uri, srid, north_first=first in {"north", "south"},
                  geographic=crs.is_geographic, area=_area(crs, srid))


def _area(crs: CRS, srid: int) -> tuple[float, float, float, float]:
    """The CRS's area of use in its own x/y units (PROJ gives it in lon/lat)."""
    aou = crs.area_of_use
    lonlat = aou.bounds if aou is not None else _WORLD
    if crs.is_geographic:
        return (float(lonlat[0]), float(lonlat[1]), float(lonlat[2]), float(lonlat[3]))
    to_crs = Transformer.from_crs(4326, srid, always_xy=True)
    x0, y0, x1, y1 = to_crs.transform_bounds(*lonlat, densify_pts=21)
    return (float(x0), float(y0), float(x1), float(y1))


def offered() -> list[OgcCrs]:
    """Every CRS the API reads and writes, CRS84 (the default) first."""
    return [_describe(CRS84), *(_describe(EPSG_URI.format(c)) for c in OFFERED_EPSG)]


def offered_uris() -> list[str]:
    """The URIs of :func:`offered` (a collection's ``crs`` list)."""
    return [c.uri for c in offered()]


def parse_crs(value: str | None, field: str = "crs") -> OgcCrs:
    """A CRS from its URI (or a ``[EPSG:n]`` safe CURIE); CRS84 when absent.

    Anything not offered is refused with the list of what is, since a client that asks
    for a CRS we do not serve must not silently get another one.
    """
    if value is None or not value.strip():
        return _describe(CRS84)
    text = value.strip().strip("<>").strip()
    if text.lower() in _CRS84_FORMS:
        return _describe(CRS84)
    match = _EPSG_FORMS.match(text)
    if match and int(match.group(1)) in OFFERED_EPSG:
        return _describe(EPSG_URI.format(int(match.group(1))))
    raise InvalidParameter(
        f"不支持的坐标参考系 {value!r}; 可用: {', '.join(offered_uris())}",
        [FieldError(field, "unsupported CRS")])


def parse_bbox(text: str, crs: OgcCrs, field: str = "bbox") -> tuple[float, float, float, float]:
    """A bbox given in ``crs``'s axis order, returned in x/y order and clipped to its area.

    Four numbers (or six, with heights, which are ignored). A bbox with a minimum above
    its maximum, or lying wholly outside the CRS's area of use (the usual sign of a
    wrong ``bbox-crs``), is refused.
    """
    numbers = _numbers(text, field)
    if len(numbers) == 6:
        numbers = [numbers[0], numbers[1], numbers[3], numbers[4]]
    a0, a1, b0, b1 = numbers
    if a0 > b0 or a1 > b1:
        raise InvalidParameter(f"{field} 的最小值大于最大值: {text}",
                               [FieldError(field, "min greater than max")])
    x0, y0, x1, y1 = (a1, a0, b1, b0) if crs.north_first else (a0, a1, b0, b1)
    if crs.geographic and not (x0 >= -180 and x1 <= 180 and y0 >= -90 and y1 <= 90):
        raise InvalidParameter(f"{field} 超出经纬度范围 (经度 ±180, 纬度 ±90; 轴序按 {crs.label})",
                               [FieldError(field, "outside the coordinate range")])
    ax0, ay0, ax1, ay1 = crs.area
    if x0 > ax1 or x1 < ax0 or y0 > ay1 or y1 < ay0:
        raise InvalidParameter(f"{field} 不在 {crs.label} 的适用范围内; 请检查 {field}-crs 与轴序",
                               [FieldError(field, "outside the CRS's area of use")])
    return max(x0, ax0), max(y0, ay0), min(x1, ax1), min(y1, ay1)


def _numbers(text: str, field: str) -> list[float]:
    try:
        numbers = [float(v) for v in text.split(",")]
    except ValueError as exc:
        raise InvalidParameter(f"{field} 应为逗号分隔的 4 个数字: {text!r}",
                               [FieldError(field, "not numbers")]) from exc
    if len(numbers) not in (4, 6) or not all(math.isfinite(n) for n in numbers):
        raise InvalidParameter(f"{field} 应为 4 个 (或含高程的 6 个) 有限数字: {text!r}",
                               [FieldError(field, "need 4 or 6 finite numbers")])
    return numbers


def swap_axes(geometry: dict[str, Any]) -> dict[str, Any]:
    """A GeoJSON geometry with the first two numbers of every position swapped.

    Used for bodies in a north-first CRS: the editing service takes x/y.
    """
    out = dict(geometry)
    if "coordinates" in geometry:
        out["coordinates"] = _swap(geometry["coordinates"])
    if isinstance(geometry.get("geometries"), list):
        out["geometries"] = [swap_axes(g) if isinstance(g, dict) else g
                             for g in geometry["geometries"]]
    return out


def _swap(value: Any) -> Any:
    if isinstance(value, list):
        if len(value) >= 2 and all(isinstance(v, int | float) for v in value[:2]):
            return [value[1], value[0], *value[2:]]
        return [_swap(v) for v in value]
    return value
