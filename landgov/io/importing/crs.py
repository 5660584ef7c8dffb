"""Which CRS a file's coordinates are in, and why we think so.

Order: ``--crs``; the file's own CRS (a ``.prj`` — ESRI WKT without an EPSG code is
matched by PROJ, so ArcGIS's ``CGCS2000_3_Degree_GK_CM_120E`` is EPSG:4549 — or a
GeoPackage's SRS); else the coordinate ranges (DOMAIN.md, "Units and coordinates"):
eastings of zone 40 with the ``40`` prefix → EPSG:4528, without → EPSG:4549, lon/lat →
EPSG:4490. Ranges reveal the zone, never the datum: inferred coordinates are *assumed*
CGCS2000 and the report says so. Chinese tables call the northing X, so a file whose x
holds northings and y eastings is recognised by its ranges and its axes swapped.
Anything else is refused with the bounds found and what to pass.

>>> infer((560000, 3320000, 564000, 3322000)).srid
4549
>>> infer((40560000, 3320000, 40564000, 3322000)).srid
4528
>>> c = infer((3320000, 560000, 3322000, 564000)); (c.srid, c.swap_axes)
(4549, True)
>>> infer((120.5, 30.0, 120.6, 30.1)).srid
4490
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyproj import CRS
from pyproj.exceptions import CRSError

from landgov import geo
from landgov.io.importing.archive import BadImportFile

Bounds = tuple[float, float, float, float]
EASTING = (200_000.0, 800_000.0)  # zone 40 (CM 120°E) over 浙江
PREFIXED = (40_000_000.0 + EASTING[0], 40_000_000.0 + EASTING[1])
NORTHING = (2_900_000.0, 3_500_000.0)  # 浙江 lies between about 27°N and 31.3°N
LON, LAT = (73.0, 136.0), (3.0, 54.0)
ASSUMED = "假定为 CGCS2000 (assumed CGCS2000): 坐标只能说明分带, 不能说明基准"
# Datums with no published exact parameters to CGCS2000: PROJ falls back to a ballpark
# transformation that ignores the datum shift.
OLD_DATUMS = {"xian": "西安 1980", "beijing": "北京 1954"}
OLD_DATUM_WARNING = ("{name} → CGCS2000 没有公开的精确转换参数, PROJ 使用粗略 (ballpark) 转换, "
                     "忽略基准差异: 位置误差可达数十米至百米, 仅宜作参考")


@dataclass(frozen=True)
class CrsChoice:
    """The EPSG code the coordinates are in, why, and whether x/y are swapped."""

    srid: int
    reason: str
    swap_axes: bool = False
    warnings: list[str] = field(default_factory=list)


def _within(lo: float, hi: float, span: tuple[float, float]) -> bool:
    return span[0] <= lo and hi <= span[1]


def infer(bounds: Bounds) -> CrsChoice:
    """The CRS that coordinate ranges reveal, assuming CGCS2000; refuse when unclear."""
    minx, miny, maxx, maxy = bounds
    cases = (
        (LON, LAT, 4490, False, "坐标为经纬度, 按 EPSG:4490 处理 (WGS-84 在此精度下视同)"),
        (PREFIXED, NORTHING, 4528, False, "东坐标带 40 带号, 按 3 度带第 40 带 EPSG:4528 处理"),
        (NORTHING, PREFIXED, 4528, True,
         "X 为北坐标、Y 为带 40 带号的东坐标 (测量习惯), 已交换坐标轴, 按 EPSG:4528 处理"),
        (EASTING, NORTHING, 4549, False, "东坐标不带带号, 按 3 度带中央经线 120°E EPSG:4549 处理"),
        (NORTHING, EASTING, 4549, True,
         "X 为北坐标、Y 为东坐标 (测量习惯), 已交换坐标轴, 按 EPSG:4549 处理"),
    )
    for xs, ys, srid, swap, why in cases:
        if _within(minx, maxx, xs) and _within(miny, maxy, ys):
            return CrsChoice(srid, f"文件未说明坐标系; {why}; {ASSUMED}", swap)
    raise BadImportFile(
        f"无法从坐标范围 ({minx:.3f}, {miny:.3f}, {maxx:.3f}, {maxy:.3f}) 判断坐标系; "
        "请用 --crs 指定, 例如 --crs EPSG:4549 (CGCS2000 3 度带 CM 120°E, 东坐标不带带号)、"
        "EPSG:4528 (带 40 带号) 或 EPSG:4490 (经纬度)")


def _old_datum(crs: CRS) -> list[str]:
    datum = (crs.datum.name if crs.datum else crs.name).lower()
    return [OLD_DATUM_WARNING.format(name=label) for key, label in OLD_DATUMS.items()
            if key in datum]


def from_user(text: str) -> CrsChoice:
    """The CRS named by ``--crs``."""
    srid = geo.parse_srid(text)
    return CrsChoice(srid, f"--crs {text} 指定 (EPSG:{srid})",
                     warnings=_old_datum(CRS.from_epsg(srid)))


def from_file(wkt: str, origin: str) -> CrsChoice:
    """The CRS a ``.prj`` or a GeoPackage declares, matched to an EPSG code by PROJ."""
    try:
        crs = CRS.from_user_input(wkt)
    except CRSError as exc:
        raise BadImportFile(f"{origin} 中的坐标系无法解析; 请用 --crs 指定") from exc
    srid = crs.to_epsg(min_confidence=70)
    if srid is None:
        raise BadImportFile(f"{origin} 中的坐标系 {crs.name!r} 无法对应到 EPSG 代码; "
                            "请用 --crs 指定, 例如 --crs EPSG:4549")
    return CrsChoice(srid, f"{origin} 声明为 {crs.name} (EPSG:{srid})",
                     warnings=_old_datum(crs))


def choose(given: str | None, declared: str | None, origin: str, bounds: Bounds,
           lonlat_by_default: bool = False) -> CrsChoice:
    """Apply the order of the module docstring.

    ``lonlat_by_default`` is for GeoJSON, which GDAL always reports as WGS-84: when its
    coordinates are plainly not lon/lat, the ranges decide instead, with a warning.
    """
    if given:
        return from_user(given)
    if declared and not lonlat_by_default:
        return from_file(declared, origin)
    if lonlat_by_default and _within(bounds[0], bounds[2], LON) and \
            _within(bounds[1], bounds[3], LAT):
        return CrsChoice(4490, "GeoJSON 按规范为 WGS-84 经纬度, 视同 CGCS2000 (EPSG:4490)")
    return infer(bounds)
