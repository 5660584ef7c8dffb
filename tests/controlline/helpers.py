"""Hand-checkable control-line layouts in the test district (metres from its SW corner).

The line: a 1000 m x 1000 m square at the origin = 1,000,000 m² = 1500 亩. Parcels of
200 m x 100 m = 20,000 m² = 30 亩; additions of 100 m x 200 m = 30 亩 or 100 m x 100 m
= 15 亩, north-east of the line (outside it).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.controlline import service
from landgov.controlline.schemas import Addition, AdditionCreate, LineFeature, LineImport
from landgov.parcels import service as parcel_service
from landgov.parcels.schemas import ParcelCreate
from tests.factories import geojson, metres_box

LINE = (0, 0, 1000, 1000)


def import_line(session: Session, *boxes: tuple[float, float, float, float],
                replace: bool = False) -> Any:
    features = [LineFeature(geometry=geojson(metres_box(*b)), properties={"name": f"控制线{i}"})
                for i, b in enumerate(boxes or (LINE,), start=1)]
    return service.import_geojson(session, LineImport(features=features, replace=replace))


def parcel(session: Session, x: float, y: float, w: float = 200, h: float = 100,
           use: str = "0601", vintage: str = "gbt21010_2017") -> str:
    data = ParcelCreate(geometry=geojson(metres_box(x, y, w, h)), land_use_code=use,
                        land_use_vintage=vintage, status="producing")
    return parcel_service.create_parcel(session, data).unit_codes[0]


def addition(session: Session, x: float, y: float, w: float = 100, h: float = 200,
             name: str = "补充") -> Addition:
    data = AdditionCreate(name=name, geometry=geojson(metres_box(x, y, w, h)))
    return service.add_addition(session, data, "test")


def addition_body(x: float, y: float, w: float = 100, h: float = 200,
                  name: str = "补充") -> dict[str, Any]:
    return {"name": name, "geometry": geojson(metres_box(x, y, w, h))}


def immediate(session: Session) -> None:
    """Fire the deferred (commit-time) checks now, and every later one at statement end."""
    session.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))


def scalar(session: Session, sql: str, **params: Any) -> Any:
    return session.execute(text(sql), params).scalar()


def use_of(session: Session, code: str) -> str:
    return str(scalar(session, "SELECT land_use_code FROM parcel WHERE unit_code = :c "
                               "AND valid_to IS NULL", c=code))
