"""Demo step: the 工业用地控制线 around two platforms' industrial clusters, and its ledger.

The line follows the industrial parcels of 袍江经开区 and 绍兴高新区 (their union grown
and shrunk by 60 m to close the roads, clipped to the platform); the two largest
industrial parcels outside it are brought in as additions (补), and one parcel inside
is converted to 物流仓储 (占), drawing on them in the order recorded (先补后占). All
set-based SQL through ``controlline.queries``; the parcel's change is an ordinary
versioned UPDATE, so the database's commit-time check judges it like any other write.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.controlline import queries
from landgov.parcels import queries as parcel_queries

PLATFORMS = ["paojiang", "gaoxin"]
GROW_M = 60.0
ADDITIONS = 2


def seed(session: Session, year: int) -> str | None:
    """Draw the line, record two additions and one paired conversion (never commits)."""
    if session.execute(text("SELECT 1 FROM control_line WHERE source = 'demo' LIMIT 1")).first():
        return None
    lines = session.execute(text(queries.sql("demo_lines")),
                            {"platforms": PLATFORMS, "grow_m": GROW_M}).all()
    if not lines:
        return None
    added = session.execute(text(queries.sql("demo_additions")),
                            {"n": ADDITIONS, "year": year}).all()
    cover = sum(float(a.area_mu) for a in added)
    pick = session.execute(text(queries.sql("demo_conversion_pick")), {"cover_mu": cover}).first()
    summary = (f"控制线 {len(lines)} 条, 总面积 {queries.line_total_mu(session):,.0f} 亩; "
               f"补充 {len(added)} 块 {cover:.1f} 亩")
    if pick is None:
        return summary + "; 无可演示的转用"
    rec = queries.record_conversion(session, {
        "code": pick.unit_code, "version": pick.version, "to_code": "0508",
        "to_vintage": pick.land_use_vintage, "converted_on": date(year, 10, 15),
        "note": "演示: 改为物流仓储, 以补充图斑抵补", "by": "demo",
        "additions": [int(a.id) for a in added]})
    parcel_queries.update_current(session, pick.unit_code, pick.version, None,
                                  {"land_use_code": "0508",
                                   "land_use_vintage": pick.land_use_vintage})
    return summary + f"; 转用 {pick.unit_code} {float(rec.area_mu):.1f} 亩 (已抵补)"
