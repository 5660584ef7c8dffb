"""The demo step: cases opened from the list and advanced, idempotently."""

from __future__ import annotations

from sqlalchemy import text

from landgov.demo import cases_demo
from tests.evaluation.conftest import YEAR


def test_demo_seed_opens_advances_and_is_idempotent(listed, district):
    summary = cases_demo.seed(district, YEAR)
    assert summary is not None and summary.startswith("治理案件 3 件")
    states = district.execute(text(
        "SELECT c.state, count(v.id) AS events, bool_and(v.event_date <= CURRENT_DATE) AS past "
        "FROM governance_case c JOIN governance_case_event v ON v.case_id = c.id "
        "GROUP BY c.id, c.state")).all()
    assert len(states) == 3 and all(r.past for r in states)
    # every case has one event per step it took: opening + its transitions
    depth = {"待核实": 1, "已列入": 2, "整治中": 3, "腾退中": 3, "已出清": 4}
    for r in states:
        assert r.events == depth.get(r.state, r.events)
    assert cases_demo.seed(district, YEAR) is None
    assert district.execute(text("SELECT count(*) FROM governance_case")).scalar_one() == 3


def test_demo_without_an_evaluation_says_so(district):
    assert "尚未评价" in (cases_demo.seed(district, 2031) or "")
