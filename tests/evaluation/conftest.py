"""Firms, parcels and indicators small enough to check by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.coding.uscc import check_character
from landgov.parcels import queries as parcel_queries
from tests.factories import metres_box, multi

YEAR = 2025
FULL = {"tax_wan": 900, "revenue_wan": 18000, "value_added_wan": 6000, "energy_tce": 1000,
        "electricity_kwh": 5_000_000, "water_m3": 60000, "cod_t": 6, "ammonia_n_t": 0.5,
        "so2_t": 1, "nox_t": 1, "rd_wan": 500, "employees": 400}


def uscc(n: int) -> str:
    body = f"913306020000{n:05d}"
    return body + check_character(body)


class World:
    """Builds parcels and firms in the rolled-back test district."""

    def __init__(self, db: Session) -> None:
        self.db = db
        self.n = 0
        self.x = 0.0

    def parcel(self, width: float, height: float = 100.0) -> str:
        """A parcel ``width`` × ``height`` metres, laid left to right in the test district."""
        geom = metres_box(20 + self.x, 20 + (self.n % 5) * 150, width, height)
        self.x += width + 10
        if self.x > 3500:
            self.x = 0
            self.n += 5
        wkt = f"SRID=4490;{multi(geom).wkt}"
        sub = parcel_queries.subdistrict_at(self.db, wkt)
        code = parcel_queries.issue_code(self.db, sub.id, "GB", "W00000000")
        parcel_queries.insert_parcel(self.db, code, wkt, {k: None for k in parcel_queries.EDITABLE} | {
            "land_use_code": "0601", "land_use_vintage": "gbt21010_2017", "status": "producing"})
        return code

    def firm(self, *, land: list[tuple[str, float]] | None = None, above_scale: bool = True,
             industry: str = "C39", started: date | None = date(2010, 1, 1), year: int = YEAR,
             tenure: str = "owned", **figures: Any) -> str:
        self.n += 1
        code = uscc(self.n)
        eid = self.db.execute(text(
            "INSERT INTO enterprise (uscc, name, industry_code, production_start_on) "
            "VALUES (:u, :name, :ind, :started) RETURNING id"),
            {"u": code, "name": f"测试企业{self.n}", "ind": industry, "started": started}).scalar()
        for unit_code, share in land or []:
            self.db.execute(text("INSERT INTO occupancy (unit_code, enterprise_id, share, tenure) "
                                 "VALUES (:c, :e, :s, :t)"),
                            {"c": unit_code, "e": eid, "s": share, "t": tenure})
        values = {**FULL, **figures}
        self.db.execute(text(
            "INSERT INTO indicator (enterprise_id, year, above_scale, tax_wan, revenue_wan, "
            "value_added_wan, energy_tce, electricity_kwh, water_m3, cod_t, ammonia_n_t, so2_t, "
            "nox_t, rd_wan, employees) VALUES (:e, :y, :a, :tax_wan, :revenue_wan, "
            ":value_added_wan, :energy_tce, :electricity_kwh, :water_m3, :cod_t, :ammonia_n_t, "
            ":so2_t, :nox_t, :rd_wan, :employees)"),
            {"e": eid, "y": year, "a": above_scale, **values})
        return code


@pytest.fixture
def world(district: Session) -> World:
    return World(district)
