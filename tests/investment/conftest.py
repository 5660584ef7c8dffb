"""A small hand-checked layout for the investment tests (EPSG:4549 metres, factories.py).

    P1  idle       300 × 300 m at (100, 1200)          135 亩   塔山, no platform
    P2  cleared    L: 400 × 100 + 100 × 400 at (1600, 600)  105 亩   塔山, 袍江经开区
    P3  reclaimed  250 × 300 m at (2100, 600)          112.5 亩 府山, 袍江经开区
    P4  relet      300 × 300 m at (2600, 100)          not available (re-let)
    P5  idle       200 × 200 m at (3000, 100), a firm on it: not available
    P6  producing  200 × 200 m at (2100, 1000): F1 集成电路 / 封装测试
    P7  producing  200 × 200 m at (500, 1200):  F2 集成电路 / 制造
    P8  idle       200 × 200 m at (3300, 1500), 0508 物流仓储: not industrial
    P9  producing  200 × 200 m at (3600, 100):  F3 tagged 新材料 (not in the catalogue)
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from shapely.geometry import box
from shapely.ops import unary_union
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.geo import AREA_SRID, to_storage
from landgov.parcels.schemas import ParcelCreate
from landgov.parcels.service import create_parcel
from tests.factories import X0, Y0, geojson, metres_box
from tests.ogc.conftest import uscc

PROBLEM = "application/problem+json"


def parcel(session: Session, geom: object, **attrs: object) -> str:
    result = create_parcel(session, ParcelCreate(geometry=geojson(geom), **attrs))  # type: ignore[arg-type]
    return result.unit_codes[0]


def firm(session: Session, n: int, name: str, chain: str | None, link: str | None,
         code: str) -> int:
    firm_id = int(session.execute(text(
        "INSERT INTO enterprise (uscc, name, chain, chain_link) VALUES (:u, :n, :c, :l) "
        "RETURNING id"), {"u": uscc(n), "n": name, "c": chain, "l": link}).scalar_one())
    session.execute(text("INSERT INTO occupancy (unit_code, enterprise_id, share, tenure) "
                         "VALUES (:u, :e, 1, 'owned')"), {"u": code, "e": firm_id})
    session.flush()
    return firm_id


def ell() -> object:
    """The L: arms 100 m wide, 400 m long, corner at (1600, 600)."""
    shape = unary_union([box(X0 + 1600, Y0 + 600, X0 + 2000, Y0 + 700),
                         box(X0 + 1600, Y0 + 600, X0 + 1700, Y0 + 1000)])
    return to_storage(shape, AREA_SRID)


@dataclass
class Layout:
    codes: dict[str, str]
    firms: dict[str, int]


@pytest.fixture
def layout(district: Session) -> Layout:
    s = district
    codes = {
        "P1": parcel(s, metres_box(100, 1200, 300, 300), status="idle"),
        "P2": parcel(s, ell(), status="cleared"),
        "P3": parcel(s, metres_box(2100, 600, 250, 300), status="reclaimed"),
        "P4": parcel(s, metres_box(2600, 100, 300, 300), status="relet"),
        "P5": parcel(s, metres_box(3000, 100, 200, 200), status="idle"),
        "P6": parcel(s, metres_box(2100, 1000, 200, 200), status="producing"),
        "P7": parcel(s, metres_box(500, 1200, 200, 200), status="producing"),
        "P8": parcel(s, metres_box(3300, 1500, 200, 200), status="idle", land_use_code="0508"),
        "P9": parcel(s, metres_box(3600, 100, 200, 200), status="producing"),
    }
    firms = {
        "F1": firm(s, 1, "越芯封测有限公司", "集成电路", "封装测试", codes["P6"]),
        "F2": firm(s, 2, "越城晶圆制造有限公司", "集成电路", "制造", codes["P7"]),
        "F3": firm(s, 3, "新材科技有限公司", "新材料", "材料", codes["P9"]),
        "F5": firm(s, 5, "闲置地上的企业", None, None, codes["P5"]),
    }
    return Layout(codes, firms)
