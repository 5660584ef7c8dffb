"""Control-line polygons from a Shapefile, GeoPackage or GeoJSON, in EPSG:4490.

The CRS comes from the file (a ``.prj`` or the GeoPackage's SRS) or from ``--crs``; a
file with neither cannot be placed and is refused rather than guessed (the parcel
importer's range sniffing lives in ``io``, a layer above this one). Each polygon is
transformed with :mod:`landgov.geo` and checked like a parcel geometry, so a wrong CRS
shows up as "not in 浙江" instead of a line in the sea.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyogrio
import shapely
from pyogrio.errors import DataSourceError
from pyproj import CRS
from pyproj.exceptions import CRSError
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from landgov import geo
from landgov.errors import FieldError, InvalidGeometry, InvalidInput
from landgov.settings import get_settings

NAME_FIELDS = ("name", "NAME", "名称", "mc", "MC")


@dataclass(frozen=True)
class LinePolygons:
    """Named polygons in the storage CRS, and the CRS they were read in."""

    names: list[str]
    geoms: list[BaseGeometry]
    crs: str


def file_srid(crs_text: str | None, override: str | None) -> int:
    """The EPSG code of the file's coordinates: ``--crs`` wins, else the file's own CRS."""
    if override:
        return geo.parse_srid(override)
    if not crs_text:
        raise InvalidInput("文件没有坐标参考系 (缺少 .prj), 无法定位; "
                           "请用 --crs 指定, 如 EPSG:4549", [FieldError("crs", "missing")])
    try:
        code = CRS.from_user_input(crs_text).to_epsg(min_confidence=70)
    except CRSError as exc:
        raise InvalidInput(f"无法识别文件的坐标参考系: {exc}",
                           [FieldError("crs", "unknown")]) from exc
    if code is None:
        raise InvalidInput("文件的坐标参考系没有对应的 EPSG 代码; 请用 --crs 指定",
                           [FieldError("crs", "no EPSG code")])
    return int(code)


def polygon_in_storage(geom: BaseGeometry | None, srid: int, label: str) -> MultiPolygon:
    """One polygon transformed to EPSG:4490 and checked, or a refusal naming ``label``."""
    if not isinstance(geom, Polygon | MultiPolygon):
        kind = geom.geom_type if geom is not None else "空几何"
        raise InvalidGeometry(f"{label}: 控制线图斑应为 Polygon/MultiPolygon, 收到 {kind}",
                              [FieldError("geometry", "wrong geometry type")])
    multi = geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])
    stored = geo.to_storage(multi, srid)
    try:
        geo.check_geometry(stored, get_settings().max_vertices)
    except InvalidInput as exc:
        raise InvalidGeometry(f"{label}: {exc.detail}", exc.errors) from exc
    return stored


def read_file(path: Path, crs: str | None = None, name_field: str | None = None) -> LinePolygons:
    """Every polygon of the file's first layer, named by ``name_field`` (or name/名称)."""
    try:
        meta, _, wkb, fields = pyogrio.raw.read(path)
    except (DataSourceError, OSError) as exc:
        raise InvalidInput(f"无法读取文件 {path.name}: {exc}",
                           [FieldError("path", "unreadable")]) from exc
    if len(wkb) == 0:
        raise InvalidInput(f"文件 {path.name} 没有要素", [FieldError("path", "empty")])
    srid = file_srid(meta.get("crs"), crs)
    columns = list(meta["fields"])
    wanted = [name_field] if name_field else [f for f in NAME_FIELDS if f in columns]
    if name_field and name_field not in columns:
        raise InvalidInput(f"文件没有字段 {name_field}; 可选: {', '.join(columns)}",
                           [FieldError("name_field", "missing")])
    name_values = fields[columns.index(wanted[0])] if wanted else None
    names, geoms = [], []
    for i, blob in enumerate(wkb):
        name = str(name_values[i]) if name_values is not None and name_values[i] else ""
        name = name.strip() or f"{path.stem} #{i + 1}"
        geom = shapely.from_wkb(blob) if blob is not None else None
        geoms.append(polygon_in_storage(geom, srid, f"第 {i + 1} 个要素 ({name})"))
        names.append(name[:120])
    return LinePolygons(names, geoms, f"EPSG:{srid}")
