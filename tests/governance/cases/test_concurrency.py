"""Two officers opening the same list at once: never two open cases (real connections)."""

from __future__ import annotations

import threading
import time
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.governance.cases import queries
from tests.evaluation.conftest import World


def test_concurrent_open_from_list_opens_each_case_once(committing):
    with Session(committing) as s:
        w = World(s)
        code = w.parcel(300)
        firm = w.firm(land=[(code, 1)])
        s.commit()
    entries = [{"uscc": firm, "action": "vacate", "town_code": "330602001",
                "unit_codes": [code]}]
    args = (2025, entries, date(2025, 12, 31), date(2025, 2, 1))
    first, second = Session(committing), Session(committing)
    try:
        assert len(queries.open_from_list(first, *args, "user:a")) == 1  # not committed yet
        result: dict[str, list[int]] = {}
        worker = threading.Thread(
            target=lambda: result.setdefault("ids", queries.open_from_list(second, *args,
                                                                           "user:b")))
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive()  # waits on the first transaction's index entry
        first.commit()
        worker.join(10)
        second.commit()
        assert result["ids"] == []
        with Session(committing) as check:
            n = check.execute(text("SELECT count(*) FROM governance_case")).scalar_one()
            events = check.execute(text("SELECT count(*) FROM governance_case_event")).scalar_one()
        assert (n, events) == (1, 1)
    finally:
        first.close()
        second.close()
