"""Hand-built layouts for zone detection, in metres from the test district's corner."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.parcels import queries as parcel_queries
from landgov.zones import service
from landgov.zones.schemas import BuildRequest
from tests.factories import metres_box, multi
from tests.tiles.conftest import tiles  # noqa: F401 (the tile runtime fixture)

YEAR = 2025


class Layout:
    """Places parcels of a given status at given metre boxes."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def parcel(self, x: float, y: float, w: float, h: float, status: str = "idle") -> str:
        wkt = f"SRID=4490;{multi(metres_box(x, y, w, h)).wkt}"
        sub = parcel_queries.subdistrict_at(self.db, wkt)
        code = parcel_queries.issue_code(self.db, sub.id, "GB", "W00000000")
        parcel_queries.insert_parcel(self.db, code, wkt, {
            k: None for k in parcel_queries.EDITABLE} | {
            "land_use_code": "0601", "land_use_vintage": "gbt21010_2017", "status": status})
        return code

    def set_status(self, code: str, status: str) -> None:
        self.db.execute(text("UPDATE parcel SET status = :s WHERE unit_code = :c "
                             "AND valid_to IS NULL"), {"s": status, "c": code})

    def build(self, **params: object) -> dict:
        request = BuildRequest.model_validate({"year": YEAR, "sources": ["vacated", "reclaimed"],
                                               **params})
        return service.build_zones(self.db, request, "test")

    def zones(self, build_id: int) -> list[dict]:
        rows = self.db.execute(text(
            "SELECT code, area_mu, net_area_mu, compactness, member_count, town_codes, "
            "platform_codes, progress FROM zone WHERE build_id = :b ORDER BY seq"),
            {"b": build_id}).mappings().all()
        return [dict(r) for r in rows]


@pytest.fixture
def layout(district: Session) -> Layout:
    return Layout(district)
