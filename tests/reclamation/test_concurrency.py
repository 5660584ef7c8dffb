"""Two officers recording overlapping land at once: the shared ground counts once.

Each write takes the ledger's advisory lock before it reads, and the recount trigger
takes it too; so the second writer waits for the first to commit and then sees its
record, instead of both counting the overlap as new.
"""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.reclamation import queries, service
from landgov.reclamation.progress import progress
from tests.reclamation.conftest import Ledger

pytestmark = pytest.mark.commits


def test_concurrent_overlapping_records_count_once(committing) -> None:
    with Session(committing) as s:
        code = Ledger(s).parcel(100, 100, 400, 100)  # 60 亩
        s.commit()
    first, second = Session(committing), Session(committing)
    try:
        # the first writer holds the ledger (inserted, not yet committed)
        queries.lock_ledger(first)
        queries.insert_record(first, {
            "case_id": None, "unit_code": code, "whole_parcel": False,
            "ewkt": first.execute(text("SELECT ST_AsEWKT(geom) FROM parcel WHERE unit_code = :c "
                                       "AND valid_to IS NULL"), {"c": code}).scalar_one(),
            "reclaimed_on": date(2025, 3, 1), "mode": "merger", "new_use": "厂房",
            "note": None, "recorded_by": "test:first"})
        done: list[object] = []
        worker = threading.Thread(target=lambda: done.append(service.record(
            second, Ledger(second).request(code, date(2025, 3, 1), (100, 100, 200, 100)),
            actor="test:second")))
        worker.start()
        worker.join(timeout=1.0)
        assert worker.is_alive()  # waiting for the first writer's lock
        first.commit()
        worker.join(timeout=30)
        assert not worker.is_alive() and len(done) == 1
        with Session(committing) as check:
            p = progress(check, by="year")
            assert (p.cumulative_union_mu, p.cumulative_sum_mu) == (60.0, 90.0)
    finally:
        first.close()
        second.close()
