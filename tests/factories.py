"""Small, hand-checkable test data in EPSG:4549 metres, stored as EPSG:4490.

The test district is a 4 km x 2 km rectangle near 绍兴 (eastings 560000–564000,
northings 3320000–3322000), split into two towns and four cadastral sub-districts.
"""

from __future__ import annotations

from typing import Any

from shapely.geometry import LineString, MultiPolygon, box, mapping
from shapely.geometry.base import BaseGeometry
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.geo import AREA_SRID, to_storage

X0, Y0 = 560_000.0, 3_320_000.0
COUNTY = "330602"


def metres_box(x: float, y: float, w: float, h: float) -> BaseGeometry:
    """A rectangle given in metres from the district's south-west corner, in EPSG:4490."""
    return to_storage(box(X0 + x, Y0 + y, X0 + x + w, Y0 + y + h), AREA_SRID)


def metres_line(*points: tuple[float, float]) -> dict[str, Any]:
    """A GeoJSON line through points given in metres from the south-west corner."""
    line = to_storage(LineString([(X0 + x, Y0 + y) for x, y in points]), AREA_SRID)
    return dict(mapping(line))


def multi(geom: BaseGeometry) -> MultiPolygon:
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon([geom])


def geojson(geom: BaseGeometry) -> dict[str, Any]:
    return dict(mapping(multi(geom)))


def _ewkt(geom: BaseGeometry) -> str:
    return f"SRID=4490;{multi(geom).wkt}"


def load_test_district(session: Session) -> None:
    """County 330602, towns 塔山街道 (west) / 府山街道 (east), four sub-districts."""
    session.execute(
        text("INSERT INTO county (code, name, geom) VALUES (:c, '越城区', ST_GeomFromEWKT(:g))"),
        {"c": COUNTY, "g": _ewkt(metres_box(0, 0, 4000, 2000))},
    )
    for i, (code, name) in enumerate([("330602001", "塔山街道"), ("330602002", "府山街道")]):
        session.execute(
            text("INSERT INTO town (code, name, county_code, cadastral_district, geom) "
                 "VALUES (:code, :name, :c, :d, ST_GeomFromEWKT(:g))"),
            {"code": code, "name": name, "c": COUNTY, "d": f"{i + 1:03d}",
             "g": _ewkt(metres_box(i * 2000, 0, 2000, 2000))},
        )
        for j in range(2):
            session.execute(
                text("INSERT INTO cadastral_subdistrict (county_code, district, subdistrict, geom)"
                     " VALUES (:c, :d, :s, ST_GeomFromEWKT(:g))"),
                {"c": COUNTY, "d": f"{i + 1:03d}", "s": f"{j + 1:03d}",
                 "g": _ewkt(metres_box(i * 2000, j * 1000, 2000, 1000))},
            )
    session.execute(
        text("INSERT INTO platform (code, name, kind, geom) "
             "VALUES ('paojiang', '袍江经开区', 'development_zone', ST_GeomFromEWKT(:g))"),
        {"g": _ewkt(metres_box(1500, 500, 1000, 1000))},
    )
    session.flush()
