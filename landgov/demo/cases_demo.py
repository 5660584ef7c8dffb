"""Demo step: governance cases opened from the year's 治理清单 and worked on for months.

Every firm and parcel of the list gets a case (as ``POST /api/v1/cases/open`` would),
opened in February; then, by a stable draw per case, about 85 % are listed in March, 65 %
start their action (整治中 or 腾退中 as the action decides) in May, 35 % are cleared
between August and October, and 8 % are dropped with a reason; deadlines vary so some
open cases are overdue. Every step is one set-based statement that the database guard
checks like any other write (``governance/cases/sql/demo_progress.sql``). No case reaches
已盘活 here: that takes a record in the reclamation ledger.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.evaluation.queries import latest_run_id
from landgov.governance.cases import queries, service
from landgov.governance.service import governance_list

ACTOR = "经信局 (演示)"
# (to_state, from states, draw range [u_min, u_max), first date (month, day), spread, note)
STEPS: tuple[tuple[str, tuple[str, ...], int, int, tuple[int, int], int, str], ...] = (
    ("已列入", ("待核实",), 0, 85, (3, 1), 28, "核实属实, 列入治理清单"),
    ("progress", ("已列入",), 0, 65, (5, 1), 45, "签订整治/腾退协议, 开始实施"),
    ("已出清", ("整治中", "腾退中"), 0, 35, (8, 1), 70,
     "企业已关停或搬离 / 整治达标, 现场核查通过"),
    ("已退出", ("待核实", "已列入"), 92, 100, (4, 1), 30, "核实后企业已整改达标, 移出清单"),
)


def seed(session: Session, year: int) -> str | None:
    """Open and advance the year's cases unless there are some (never commits)."""
    if session.execute(text("SELECT EXISTS (SELECT 1 FROM governance_case WHERE year = :y)"),
                       {"y": year}).scalar():
        return None
    if latest_run_id(session, year) is None:
        return f"{year} 年尚未评价, 未生成治理案件"
    today = service.today()
    entries = [{"uscc": r["uscc"], "action": r["action"], "town_code": r["town_code"],
                "unit_codes": list(r["unit_codes"])} for r in governance_list(session, year, None)]
    opened = queries.open_from_list(session, year, entries, service.default_deadline(year),
                                    min(date(year, 2, 15), today), ACTOR)
    for to_state, from_states, u_min, u_max, (month, day), spread, note in STEPS:
        session.execute(text(queries.sql("demo_progress")), _step_params(
            year, to_state, from_states, u_min, u_max, min(date(year, month, day), today),
            spread, note, today))
    session.execute(text(queries.sql("demo_deadlines")), {"year": year})
    return f"治理案件 {len(opened)} 件: " + _summary(session, year, today)


def _step_params(year: int, to_state: str, from_states: tuple[str, ...], u_min: int,
                 u_max: int, on_date: date, spread: int, note: str,
                 today: date) -> dict[str, Any]:
    return {"year": year, "to_state": to_state, "from_states": list(from_states),
            "u_min": u_min, "u_max": u_max, "on_date": on_date, "spread_days": spread,
            "note": note, "today": today}


def _summary(session: Session, year: int, today: date) -> str:
    rows = session.execute(text("""
        SELECT state, count(*) AS n,
               count(*) FILTER (WHERE deadline < :today
                                AND state NOT IN ('已盘活', '已退出')) AS overdue
        FROM governance_case WHERE year = :y GROUP BY state
    """), {"y": year, "today": today}).all()
    order = ("待核实", "已列入", "整治中", "腾退中", "已出清", "已盘活", "已退出")
    counts = {r.state: int(r.n) for r in rows}
    overdue = sum(int(r.overdue) for r in rows)
    return ", ".join(f"{s} {counts[s]}" for s in order if s in counts) + f"; 逾期 {overdue}"
