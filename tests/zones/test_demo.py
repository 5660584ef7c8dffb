"""The demo step: the year's zones built once, finding the district's designed blocks."""

from __future__ import annotations

from sqlalchemy import text

from landgov.demo import zones_demo
from landgov.demo.dataset import generate
from landgov.demo.loader import load
from landgov.evaluation import service as evaluation
from landgov.zones import service
from landgov.zones.schemas import BuildRequest


def test_seed_builds_once_and_finds_the_designed_low_efficiency_blocks(db):
    data = generate(42, 1_500)
    load(db.connection(), data)
    evaluation.evaluate(db, 2025, None, "test")
    summary = zones_demo.seed(db, 2025)
    assert summary is not None and "连片片区批次" in summary
    assert zones_demo.seed(db, 2025) is None  # idempotent
    assert db.execute(text("SELECT count(*) FROM zone_build")).scalar() == 1
    designed = int(data.use.cluster.max()) + 1  # whole blocks of 两低两高 firms, ≥ 110 亩
    low = service.build_summary(db, service.run_build(
        db, BuildRequest(year=2025, sources=["two_low_two_high"]), "test"))
    assert designed >= 5 and low["zone_count"] >= designed, (designed, low)
    sizes = db.execute(text("SELECT min(net_area_mu) FROM current_zone")).scalar()
    assert sizes >= 100
