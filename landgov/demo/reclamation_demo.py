"""Demo step: a 盘活 ledger behind the parcels the demo district shows as reclaimed.

The loaded district has parcels in the states 已盘活 and 已再出让 with no record of how
they came back; this step records them (whole parcels, dates across the programme,
the five modes), a later 二次开发 of part of some re-let parcels (overlapping ground, so
the dashboard shows the union below the plain sum) and the western half of some cleared
parcels. One set-based INSERT (``reclamation/sql/demo_seed.sql``); the database trigger
computes what each record brought back first.

A third of the cleared (已出清) governance cases of ``cases_demo`` get a record of half
their parcel (``sql/demo_cases.sql``, one INSERT), and each such case is moved to 已盘活
through the case service, as the ledger's own service does (a part: the parcel's status
stays, so nothing here commits).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.governance.cases import service as cases
from landgov.reclamation import progress, queries, service
from landgov.reclamation.vocabulary import RECLAIMED
from landgov.settings import get_settings


def seed(session: Session, year: int) -> str | None:
    """Record the demo ledger unless records exist (never commits)."""
    if session.execute(text("SELECT EXISTS (SELECT 1 FROM reclamation_record)")).scalar():
        return None
    queries.lock_ledger(session)
    session.execute(text(queries.sql("demo_seed")),
                    {"start": get_settings().reclamation_start, "today": service.today()})
    linked = session.execute(text(queries.sql("demo_cases")), {"today": service.today()}).all()
    for record_id, case_id, on in linked:
        cases.record_transition(session, case_id, RECLAIMED, actor="demo",
                                note=f"盘活登记 #{record_id}", on_date=on, allow_reclaimed=True)
    p = progress.progress(session, by="year")
    records = sum(r.records for r in p.rows)
    return (f"盘活台账 {records} 条 (其中 {len(linked)} 条为治理案件出清后盘活): "
            f"累计盘活 {p.cumulative_union_mu:,.0f} 亩 (登记面积合计 {p.cumulative_sum_mu:,.0f} 亩)"
            f" / 任务 {p.target_mu:,.0f} 亩")
