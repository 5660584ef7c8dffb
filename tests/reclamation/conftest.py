"""Hand-built parcels and ledger records in the rolled-back test district.

Sizes are chosen so the areas can be checked by hand: 1 亩 = 10000/15 m², so a
200 m × 100 m rectangle is 30 亩 and a 100 m × 100 m square is 15 亩.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.parcels import queries as parcel_queries
from landgov.reclamation import service
from landgov.reclamation.schemas import Record, RecordCreate
from landgov.settings import get_settings
from tests.factories import geojson, metres_box, multi

WEST, EAST = "330602001", "330602002"


class Ledger:
    """Parcels and records, in metres from the test district's south-west corner."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def parcel(self, x: float, y: float, w: float, h: float, status: str = "cleared") -> str:
        wkt = f"SRID=4490;{multi(metres_box(x, y, w, h)).wkt}"
        sub = parcel_queries.subdistrict_at(self.db, wkt)
        code = parcel_queries.issue_code(self.db, sub.id, "GB", "W00000000")
        parcel_queries.insert_parcel(self.db, code, wkt, {
            k: None for k in parcel_queries.EDITABLE} | {
            "land_use_code": "0601", "land_use_vintage": "gbt21010_2017", "status": status})
        return code

    def request(self, code: str, on: date, part: tuple[float, float, float, float] | None = None,
                mode: str = "purchase_reserve", **extra: Any) -> RecordCreate:
        geometry = geojson(metres_box(*part)) if part is not None else None
        return RecordCreate(unit_code=code, geometry=geometry, reclaimed_on=on, mode=mode,
                            new_use="智能制造厂房", **extra)

    def record(self, code: str, on: date, part: tuple[float, float, float, float] | None = None,
               **extra: Any) -> Record:
        return service.record(self.db, self.request(code, on, part, **extra), actor="test:ledger")

    def count(self) -> int:
        return int(self.db.execute(text("SELECT count(*) FROM reclamation_record")).scalar_one())


@pytest.fixture
def ledger(district: Session) -> Ledger:
    return Ledger(district)


@pytest.fixture
def settings_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    """Change LANDGOV_* settings for one test (the cached settings are re-read)."""
    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()
