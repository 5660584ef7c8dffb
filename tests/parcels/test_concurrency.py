"""Concurrent writers on real, separate connections (committing, then truncated)."""

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.coding.unit_code import validate_unit_code
from landgov.errors import PreconditionFailed
from landgov.parcels import service
from landgov.parcels.schemas import ParcelCreate, ParcelUpdate
from tests.factories import geojson, metres_box

WORKERS = 8


def test_simultaneous_creations_never_share_a_code(committing):
    barrier = threading.Barrier(WORKERS)

    def create(i: int) -> str:
        with Session(committing) as s:
            data = ParcelCreate(geometry=geojson(metres_box(20 + 110 * i, 100, 100, 100)))
            barrier.wait()
            return service.create_parcel(s, data).unit_codes[0]

    with ThreadPoolExecutor(WORKERS) as pool:
        codes = list(pool.map(create, range(WORKERS)))
    assert len(set(codes)) == WORKERS
    assert all(validate_unit_code(c) == [] for c in codes)
    assert sorted(int(c[14:19]) for c in codes) == list(range(1, WORKERS + 1))
    with committing.connect() as conn:
        last = conn.execute(text("SELECT last_sequence FROM cadastral_subdistrict "
                                 "WHERE district = '001' AND subdistrict = '001'")).scalar()
    assert last == WORKERS


def test_two_officers_saving_the_same_version_one_wins(committing):
    with Session(committing) as s:
        code = service.create_parcel(s, ParcelCreate(geometry=geojson(metres_box(100, 100, 100, 100)))).unit_codes[0]
    barrier = threading.Barrier(2)

    def edit(name: str) -> str:
        with Session(committing) as s:
            barrier.wait()
            try:
                service.update_parcel(s, code, 1, ParcelUpdate(name=name))
                return "ok"
            except PreconditionFailed:
                return "412"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(edit, ["甲", "乙"]))
    assert outcomes == ["412", "ok"]
    with committing.connect() as conn:
        rows = conn.execute(text("SELECT version FROM parcel WHERE unit_code = :c ORDER BY version"),
                            {"c": code}).scalars().all()
    assert rows == [1, 2]
