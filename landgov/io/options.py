"""What a caller may ask of an export: format, CRS, encoding — checked in one place.

A bad value is a 422 problem (API) or exit code 2 (CLI) naming the parameter, never a
half-written file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from landgov.errors import FieldError, InvalidInput

Format = Literal["shp", "gpkg", "geojson", "csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("shp", "gpkg", "geojson", "csv", "xlsx")
SPATIAL_FORMATS = frozenset({"shp", "gpkg", "geojson"})
CRS_CODES = {"EPSG:4490": 4490, "EPSG:4549": 4549}
ENCODINGS = {"gbk": "GBK", "utf-8": "UTF-8", "utf8": "UTF-8"}
MEDIA = {"shp": "application/zip", "gpkg": "application/geopackage+sqlite3",
         "geojson": "application/geo+json", "csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
SUFFIX = {"shp": "zip", "gpkg": "gpkg", "geojson": "geojson", "csv": "csv", "xlsx": "xlsx"}


@dataclass(frozen=True)
class ExportOptions:
    """A checked request: the format, the EPSG code, the DBF encoding (GDAL's name)."""

    format: Format
    srid: int = 4490
    encoding: str = "GBK"


def parse_options(fmt: str, crs: str = "EPSG:4490", encoding: str = "gbk") -> ExportOptions:
    """Check the three options together (GeoJSON is RFC 7946: CRS84 only).

    >>> parse_options("shp", "epsg:4549", "UTF-8")
    ExportOptions(format='shp', srid=4549, encoding='UTF-8')
    """
    if fmt not in FORMATS:
        raise InvalidInput(f"未知的导出格式 {fmt!r}, 可选: {', '.join(FORMATS)}",
                           [FieldError("format", "unknown format")])
    srid = CRS_CODES.get(crs.strip().upper().replace("EPSG::", "EPSG:"))
    if srid is None:
        raise InvalidInput(f"不支持的坐标参考系 {crs!r}, 可选: {', '.join(CRS_CODES)}",
                           [FieldError("crs", "unsupported CRS")])
    dbf_encoding = ENCODINGS.get(encoding.strip().lower())
    if dbf_encoding is None:
        raise InvalidInput(f"不支持的编码 {encoding!r}, 可选: gbk, utf-8",
                           [FieldError("encoding", "unsupported encoding")])
    if fmt == "geojson" and srid != 4490:
        raise InvalidInput("GeoJSON (RFC 7946) 只用经纬度 (CRS84, 与 EPSG:4490 等同); "
                           "投影坐标请导出 gpkg 或 shp",
                           [FieldError("crs", "GeoJSON is CRS84 only")])
    return ExportOptions(fmt, srid, dbf_encoding)
