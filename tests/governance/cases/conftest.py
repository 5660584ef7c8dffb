"""A small 治理清单 in the test district, and evidence stored under a temporary directory."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from landgov.evaluation import service as evaluation
from landgov.settings import get_settings
from tests.evaluation.conftest import YEAR, World
from tests.evaluation.test_evaluate import rules

EVIDENCE_LIMIT = 2000


@pytest.fixture(autouse=True)
def evidence_dir(tmp_path, monkeypatch):
    """Evidence files go to a fresh directory with a small size limit."""
    monkeypatch.setenv("LANDGOV_EVIDENCE_DIR", str(tmp_path / "evidence"))
    monkeypatch.setenv("LANDGOV_EVIDENCE_MAX_BYTES", str(EVIDENCE_LIMIT))
    get_settings.cache_clear()
    yield tmp_path / "evidence"
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def listed(district):
    """Three listed firms in 塔山街道 (one 关停, two 腾退 in a 120 亩 cluster) and a clean one,
    plus a parcel in 府山街道 (east of x = 2000 m) with a firm that is not listed."""
    w = World(district)
    clean = w.firm(land=[(w.parcel(400), 1)])
    dirty_parcel = w.parcel(400)
    dirty = w.firm(land=[(dirty_parcel, 1)], tax_wan=60, revenue_wan=600, value_added_wan=600,
                   energy_tce=900)
    a, b = w.parcel(400), w.parcel(400)
    slow1 = w.firm(land=[(a, 1)], tax_wan=60, revenue_wan=240, value_added_wan=300,
                   energy_tce=100, cod_t=1)
    slow2 = w.firm(land=[(b, 1)], tax_wan=60, revenue_wan=240, value_added_wan=300,
                   energy_tce=100, cod_t=1)
    w.x = 2200
    east = w.parcel(300)
    east_firm = w.firm(land=[(east, 1)])
    evaluation.evaluate(district, YEAR, rules(), "test")
    return {"clean": clean, "dirty": dirty, "dirty_parcel": dirty_parcel, "slow": [slow1, slow2],
            "cluster": (a, b), "east": east, "east_firm": east_firm}


def case_of(db, uscc: str) -> int:
    """The id of the (single) case of a firm."""
    return int(db.execute(text(
        "SELECT c.id FROM governance_case c JOIN enterprise e ON e.id = c.enterprise_id "
        "WHERE e.uscc = :u"), {"u": uscc}).scalar_one())
