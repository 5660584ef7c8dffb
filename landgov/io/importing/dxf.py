"""DXF (AutoCAD) drawings: the closed outlines in a survey drawing become parcels.

Surveyors hand in 宗地图 as DXF. GDAL's DXF driver reads every entity of the drawing
into one layer: a closed LWPOLYLINE or POLYLINE comes back as a closed LineString, a
HATCH as a Polygon, and lines, texts and points as what they are. Here a closed
outline (at least four points, first = last) or a hatch is a parcel; everything else
(open lines, labels, points) is skipped and counted in the report. A hatch drawn over
its own boundary polyline gives the same polygon twice; exact duplicates are kept
once. ``--layer`` picks one CAD layer (the DXF ``Layer`` of the entities, e.g.
``宗地``); without it every layer's outlines are taken.

A DXF has no coordinate system: the import requires ``--crs`` (refused otherwise,
with the usual candidates named) rather than guessing from coordinate ranges.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import shapely
from numpy.typing import NDArray

from landgov.io.importing.archive import BadImportFile

LINESTRING, POLYGON, MULTIPOLYGON = 1, 3, 6
CAD_LAYER = "Layer"
CRS_REQUIRED = ("DXF 文件不含坐标系; 请用 --crs 指定, 如 EPSG:4549 (CGCS2000 3 度带 120°E, "
                "不带带号), EPSG:4528 (带带号 40), EPSG:4490 (经纬度)")


def to_polygons(geoms: NDArray[np.object_]) -> NDArray[np.object_]:
    """Closed LineStrings → Polygons, (Multi)Polygons as they are, anything else None.

    >>> line = shapely.LineString([(0, 0), (1, 0), (1, 1), (0, 0)])
    >>> [g.wkt if g else None for g in to_polygons(np.array([line, shapely.Point(0, 0)]))]
    ['POLYGON ((0 0, 1 0, 1 1, 0 0))', None]
    """
    geoms = shapely.force_2d(geoms)
    out = np.full(len(geoms), None, dtype=object)
    kinds = shapely.get_type_id(geoms)
    polygons = (kinds == POLYGON) | (kinds == MULTIPOLYGON)
    out[polygons] = geoms[polygons]
    closed = ((kinds == LINESTRING) & shapely.is_closed(geoms)
              & (shapely.get_num_coordinates(geoms) >= 4))
    if closed.any():
        coords, index = shapely.get_coordinates(geoms[closed], return_index=True)
        out[closed] = shapely.polygons(shapely.linearrings(coords, indices=index))
    return out


def _first_of_each(polygons: NDArray[np.object_], keep: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """``keep`` without exact repeats (a hatch over its boundary polyline)."""
    rows = np.flatnonzero(keep)
    if len(rows) == 0:
        return keep
    wkb = shapely.to_wkb(shapely.normalize(polygons[rows]))
    _, first = np.unique(wkb.astype(object).astype(bytes), return_index=True)
    out = np.zeros(len(keep), dtype=bool)
    out[rows[first]] = True
    return out


def select(geoms: NDArray[np.object_], columns: dict[str, list[Any]], layer: str | None,
           filename: str) -> tuple[NDArray[np.object_], NDArray[np.bool_], list[str]]:
    """The parcels of a drawing: polygons, which rows to keep, and a note for the report."""
    polygons = to_polygons(geoms)
    cad = np.array(columns.get(CAD_LAYER) or [None] * len(geoms), dtype=object)
    keep = ~shapely.is_missing(polygons)
    if layer is not None:
        present = sorted({str(c) for c in cad if c is not None})
        if layer not in present:
            raise BadImportFile(f"{filename} 没有 CAD 图层 {layer!r}; 图层有: "
                                + (", ".join(present[:20]) or "无"))
        keep &= cad == layer
    outlines = int(keep.sum())
    keep = _first_of_each(polygons, keep)
    if not keep.any():
        where = f"图层 {layer} 中" if layer is not None else ""
        raise BadImportFile(f"{filename} {where}没有闭合多段线或填充 (LWPOLYLINE/POLYLINE/HATCH), "
                            "无宗地可导入")
    kept = int(keep.sum())
    note = (f"DXF: {kept} 个闭合多段线/填充作为宗地; 略过 {len(geoms) - outlines} 个其他对象 "
            f"(非闭合线、文字、点{'、其他图层' if layer else ''})"
            + (f", {outlines - kept} 个重复轮廓" if outlines > kept else ""))
    return polygons, keep, [note]
