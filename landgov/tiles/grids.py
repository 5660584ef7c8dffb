"""Tile matrix sets (TMS) the tile routes accept, and the tile arithmetic on them.

Every set offered here is a quadtree over a square frame, which is what lets one SQL
statement serve them all with ``ST_TileEnvelope(zoom + offset, x, y, frame)`` and lets
the cache compute, for any bounding box, exactly which tiles of a zoom it touches:

* ``WebMercatorQuad`` (EPSG:3857, the default; what MapLibre, Leaflet, OpenLayers and
  QGIS's XYZ connections expect);
* ``CGCS2000Quad``: geographic CGCS2000 (EPSG:4490), 2 × 1 tiles of 180° at zoom 0 —
  the layout of OGC's WorldCRS84Quad on the national datum;
* ``TianDiTuCGCS2000``: the same tiles numbered the way 天地图's 经纬度 ("c") tile
  matrix set numbers them (its level 1 is CGCS2000Quad's zoom 0), so a client set up
  for 天地图 tiles asks for ours with the same z/x/y;
* ``WorldCRS84Quad``: the OGC standard geographic set (WGS 84 lon/lat).

>>> g = grid("CGCS2000Quad")
>>> g.tms.tile(120.6, 30.0, 10)
Tile(x=1710, y=341, z=10)
>>> grid("TianDiTuCGCS2000").tms.tile(120.6, 30.0, 11)
Tile(x=1710, y=341, z=11)
>>> grid("WebMercatorQuad").tile_ranges([(120.6, 30.0, 120.6, 30.0)], 10, 0.0)
[(855, 855, 422, 422)]
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import morecantile
import numpy as np
from pyproj import CRS

from landgov.errors import FieldError, InvalidInput, NotFound
from landgov.geo import STORAGE_SRID, transformer

DEFAULT_TMS = "WebMercatorQuad"
MERCATOR_HALF = 20037508.342789244
MERCATOR_MAX_LAT = 85.0511287798066
GEOGRAPHIC_FRAME = (-180.0, -270.0, 180.0, 90.0)  # square, top-left at (-180, 90)
METRES_PER_DEGREE = 111_319.49
EARTH_RADIUS = 6_378_137.0  # of the spherical Web Mercator
# Boxes are padded by this fraction of a tile before the range is taken, so rounding
# never leaves out a tile the SQL envelope would have touched.
EPSILON = 1e-9

Box = tuple[float, float, float, float]
TileRange = tuple[int, int, int, int]  # x0, x1, y0, y1, inclusive


@dataclass(frozen=True)
class Grid:
    """A quadtree tile matrix set and how the SQL envelope is derived from it."""

    id: str
    tms: morecantile.TileMatrixSet
    srid: int  # CRS of the tile envelopes (and of the MVT coordinates)
    frame: Box  # the square ST_TileEnvelope subdivides
    zoom_offset: int  # ST_TileEnvelope zoom = z + zoom_offset
    description: str

    @property
    def geographic(self) -> bool:
        """Whether tile coordinates are degrees (not metres)."""
        return self.srid != 3857

    def span(self, z: int) -> float:
        """Width (= height) of a tile at zoom ``z``, in the grid's CRS units."""
        return math.ldexp(self.frame[2] - self.frame[0], -(z + self.zoom_offset))

    def check(self, z: int, x: int, y: int, minzoom: int, maxzoom: int) -> None:
        """Refuse a tile outside the matrix set or the layer's zoom range (404)."""
        low, high = max(minzoom, self.tms.minzoom), min(maxzoom, self.tms.maxzoom)
        if not low <= z <= high:
            raise NotFound(f"缩放级别 {z} 超出范围 ({self.id}: {low}–{high})",
                           [FieldError("z", f"zoom must be {low}–{high}")])
        matrix = self.tms.matrix(z)
        if not (0 <= x < matrix.matrixWidth and 0 <= y < matrix.matrixHeight):
            raise NotFound(
                f"瓦片 {z}/{x}/{y} 不存在: {self.id} 第 {z} 级 x 为 0–{matrix.matrixWidth - 1},"
                f" y 为 0–{matrix.matrixHeight - 1}",
                [FieldError("x/y", "outside the tile matrix")])

    def project(self, boxes: Iterable[Box]) -> np.ndarray:
        """Lon/lat (EPSG:4490) boxes as an (n, 4) array in the grid's CRS, in one call."""
        arr = np.asarray(list(boxes), dtype=float).reshape(-1, 4)
        if self.geographic or not len(arr):
            return arr
        lat = np.clip(arr[:, [1, 3]], -MERCATOR_MAX_LAT, MERCATOR_MAX_LAT)
        xs, ys = transformer(STORAGE_SRID, self.srid).transform(arr[:, [0, 2]].ravel(),
                                                                lat.ravel())
        xs, ys = np.asarray(xs), np.asarray(ys)
        return np.column_stack([xs[0::2], ys[0::2], xs[1::2], ys[1::2]])

    def ranges(self, projected: np.ndarray, z: int, margin: float) -> list[TileRange]:
        """Per box of :meth:`project`, the tiles of zoom ``z`` that the box touches.

        A tile counts when its envelope padded by ``margin`` tiles intersects the box:
        exactly the tiles whose SQL would have selected a row there.
        """
        if not len(projected):
            return []
        span, (fx0, _, _, fy1) = self.span(z), self.frame
        matrix = self.tms.matrix(z)
        pad = margin + EPSILON
        tx0 = np.maximum(np.ceil((projected[:, 0] - fx0) / span - 1 - pad), 0)
        tx1 = np.minimum(np.floor((projected[:, 2] - fx0) / span + pad), matrix.matrixWidth - 1)
        ty0 = np.maximum(np.ceil((fy1 - projected[:, 3]) / span - 1 - pad), 0)
        ty1 = np.minimum(np.floor((fy1 - projected[:, 1]) / span + pad), matrix.matrixHeight - 1)
        keep = (tx0 <= tx1) & (ty0 <= ty1)
        rows = np.column_stack([tx0, tx1, ty0, ty1])[keep].astype(np.int64)
        return [(int(a), int(b), int(c), int(d)) for a, b, c, d in rows]

    def tile_ranges(self, boxes: Iterable[Box], z: int, margin: float) -> list[TileRange]:
        """:meth:`ranges` of lon/lat boxes."""
        return self.ranges(self.project(boxes), z, margin)

    def lonlat_bounds(self, z: int, x: int, y: int) -> Box:
        """The tile's bounds in lon/lat (closed-form, no PROJ call: this runs per tile)."""
        span, (fx0, _, _, fy1) = self.span(z), self.frame
        x0, x1, y0, y1 = fx0 + x * span, fx0 + (x + 1) * span, fy1 - (y + 1) * span, fy1 - y * span
        if self.geographic:
            return x0, y0, x1, y1
        lon = [math.degrees(v / EARTH_RADIUS) for v in (x0, x1)]
        lat = [math.degrees(math.atan(math.sinh(v / EARTH_RADIUS))) for v in (y0, y1)]
        return lon[0], lat[0], lon[1], lat[1]

    def pixel_metres(self, z: int, x: int, y: int, tile_pixels: int = 256) -> float:
        """Ground size of one screen pixel at the tile's centre latitude, in metres."""
        west, south, east, north = self.lonlat_bounds(z, x, y)
        lat = math.radians((south + north) / 2)
        return (east - west) * METRES_PER_DEGREE * math.cos(lat) / tile_pixels


def _cgcs2000_quad() -> morecantile.TileMatrixSet:
    quad: morecantile.TileMatrixSet = morecantile.TileMatrixSet.custom(
        [-180.0, -90.0, 180.0, 90.0], CRS.from_epsg(STORAGE_SRID), matrix_scale=[2, 1],
        id="CGCS2000Quad", title="CGCS2000 经纬度四叉树 (EPSG:4490, 0 级 2×1 块)", maxzoom=22)
    return quad


def _tianditu() -> morecantile.TileMatrixSet:
    quad = _cgcs2000_quad()
    matrices = [m.model_copy(update={"id": str(int(m.id) + 1)}) for m in quad.tileMatrices]
    return morecantile.TileMatrixSet.model_validate({
        "id": "TianDiTuCGCS2000", "title": "天地图经纬度 (c) 级别编号, CGCS2000 (EPSG:4490)",
        "crs": quad.crs, "orderedAxes": quad.orderedAxes, "tileMatrices": matrices})


@cache
def grids() -> dict[str, Grid]:
    """The tile matrix sets on offer, by id (built once)."""
    mercator = morecantile.tms.get("WebMercatorQuad")
    half = MERCATOR_HALF
    return {g.id: g for g in (
        Grid("WebMercatorQuad", mercator, 3857, (-half, -half, half, half), 0,
             "Web 墨卡托 (EPSG:3857), 默认"),
        Grid("CGCS2000Quad", _cgcs2000_quad(), STORAGE_SRID, GEOGRAPHIC_FRAME, 1,
             "CGCS2000 经纬度 (EPSG:4490), 0 级 2×1 块"),
        Grid("TianDiTuCGCS2000", _tianditu(), STORAGE_SRID, GEOGRAPHIC_FRAME, 0,
             "CGCS2000 经纬度 (EPSG:4490), 天地图 c 级别编号 (1 级 2×1 块)"),
        Grid("WorldCRS84Quad", morecantile.tms.get("WorldCRS84Quad"), 4326, GEOGRAPHIC_FRAME,
             1, "WGS 84 经纬度 (OGC CRS84), 0 级 2×1 块"),
    )}


def grid(tms_id: str | None) -> Grid:
    """The tile matrix set ``tms_id`` (default WebMercatorQuad), or a 422 naming the ids."""
    found = grids().get(tms_id or DEFAULT_TMS)
    if found is None:
        known = ", ".join(grids())
        raise InvalidInput(f"未知的瓦片矩阵集 {tms_id!r}; 可选: {known}",
                           [FieldError("tms", "unknown tile matrix set")])
    return found
