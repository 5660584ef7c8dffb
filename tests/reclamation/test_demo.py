"""The demo step records the reclaimed and re-let parcels once, with overlaps."""

from __future__ import annotations

from datetime import date

from sqlalchemy import text

from landgov.demo import reclamation_demo
from landgov.reclamation import queries
from landgov.reclamation.progress import progress
from landgov.reclamation.service import today
from tests.reclamation.conftest import Ledger


def test_demo_seed_is_idempotent_and_overlapping(ledger: Ledger) -> None:
    # hash-chosen parts: enough re-let parcels that some get a second, partial record
    for i in range(12):
        ledger.parcel(100 + i * 150, 100, 100, 100, status="relet")  # 15 亩 each
    ledger.parcel(100, 400, 200, 100, status="reclaimed")  # 30 亩
    ledger.parcel(100, 700, 200, 100, status="producing")
    # cleared cases on their own parcels; the hash of the case id picks about a third
    cases = []
    for i in range(9):
        code = ledger.parcel(100 + i * 150, 1000, 100, 100, status="cleared")
        cases.append(ledger.db.execute(text(
            "INSERT INTO governance_case (year, unit_code, town_id, action, opened_by) "
            "SELECT 2025, :c, town_id, 'vacate', 'test' FROM parcel WHERE unit_code = :c "
            "AND valid_to IS NULL RETURNING id"), {"c": code}).scalar_one())
    for step in ("已列入", "腾退中", "已出清"):
        ledger.db.execute(text("UPDATE governance_case SET state = :s WHERE id = ANY(:ids)"),
                          {"s": step, "ids": cases})
    summary = reclamation_demo.seed(ledger.db, 2025)
    assert summary is not None and "盘活台账" in summary
    assert reclamation_demo.seed(ledger.db, 2025) is None
    p = progress(ledger.db, by="year")
    # every reclaimed/re-let parcel once, plus half of each cleared parcel brought back
    # (a case's eastern half, a fifth of the cleared ones' western half, by hash)
    halves = ledger.db.execute(text(
        "SELECT count(*) FROM reclamation_record WHERE NOT whole_parcel AND reclaimed_on IS NOT "
        "NULL AND unit_code IN (SELECT unit_code FROM parcel WHERE status = 'cleared')")).scalar()
    assert p.cumulative_union_mu == 12 * 15 + 30 + 7.5 * halves
    assert round(queries.union_mu(ledger.db, date(2022, 1, 1), today()), 2) == (
        p.cumulative_union_mu)
    assert p.cumulative_sum_mu >= p.cumulative_union_mu
    states = dict(ledger.db.execute(text(
        "SELECT c.state, count(*) FROM governance_case c GROUP BY c.state")).all())
    linked = ledger.db.execute(text(
        "SELECT count(*) FROM reclamation_record WHERE case_id IS NOT NULL")).scalar_one()
    assert linked >= 1 and states["已盘活"] == linked
    assert states["已盘活"] + states["已出清"] == 9
