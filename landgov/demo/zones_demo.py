"""Demo step: the year's 连片 zones, built once with the configured defaults.

The demo district is laid out with contiguous low-efficiency blocks of 100 亩+ (whole
street blocks of 两低两高 firms, some across a road of at most 30 m; see
``demo/occupancy.py``); with the vacated and reclaimed parcels and the 治理清单 they are
what a planner's first build finds.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from landgov.zones import queries, service
from landgov.zones.schemas import BuildRequest


def seed(session: Session, year: int) -> str | None:
    """Build the zones of ``year`` unless a build of that year exists (never commits)."""
    if queries.latest_build_id(session, year) is not None:
        return None
    build_id = service.run_build(session, BuildRequest(year=year), "demo")
    s = service.build_summary(session, build_id)
    return (f"连片片区批次 {s['id']}: {s['candidate_count']} 宗候选地块成 "
            f"{s['cluster_count']} 簇, 其中 {s['zone_count']} 片 ≥ "
            f"{s['parameters']['min_area_mu']:g} 亩 (总面积 {s['area_mu']:,.0f} 亩)")
