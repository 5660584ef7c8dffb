"""Benchmark: a full 亩均效益 run and a what-if over ~100,000 enterprises x 3 years.

Targets (issue 5): full run under 10 s, what-if under 5 s; printed beside the time of
the bare aggregate SQL (land per firm joined to the year's figures) measured in the same
run. The demo generator makes ~0.89 firms per parcel, so 113,000 parcels give ~100,000
firms. ``--smoke``: 2,000 parcels.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from bench_tiles import analyze
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov import schema, scratch
from landgov.db import make_engine
from landgov.demo.dataset import generate
from landgov.demo.loader import load
from landgov.evaluation import service

RUN_LIMIT_S, WHAT_IF_LIMIT_S = 10.0, 5.0
FULL, SMOKE = 113_000, 2_000
BARE = """
    SELECT count(*), sum(l.land_mu), sum(i.tax_wan) FROM indicator i
    JOIN (SELECT o.enterprise_id, sum(p.area_mu * o.share) AS land_mu
          FROM occupancy o JOIN parcel p ON p.unit_code = o.unit_code AND p.valid_to IS NULL
          WHERE o.end_date IS NULL GROUP BY o.enterprise_id) l USING (enterprise_id)
    WHERE i.year = :y
"""


def timed(action):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    parcels = SMOKE if args.smoke else FULL
    db = scratch.create("landgov_bench")
    cleanup: list[Callable[[], None]] = []
    try:
        schema.upgrade(db.owner_url)
        engine = make_engine(db.app_url)
        cleanup.append(engine.dispose)
        with engine.begin() as conn:
            load(conn, generate(7, parcels))
        analyze(db)
        with Session(engine) as s:
            firms = s.execute(text("SELECT count(*) FROM indicator WHERE year = 2025")).scalar()
            rows = s.execute(text("SELECT count(*) FROM indicator")).scalar()
            s.execute(text(BARE), {"y": 2025}).all()  # warm the cache for a fair floor
            bare_s, _ = timed(lambda: s.execute(text(BARE), {"y": 2025}).all())
            run_s, run = timed(lambda: service.evaluate(s, 2025, None, "bench"))
            what_s, diff = timed(lambda: service.what_if(
                s, 2025, run["id"], None, {"flags": {"low_benefit": {"below": 5}}}))
    finally:
        for close in cleanup:
            close()
        scratch.drop(db)
    print(f"evaluation: {parcels:,} parcels, {firms:,} firms with 2025 figures, "
          f"{rows:,} indicator rows")
    print(f"  bare aggregate SQL           {bare_s:7.2f} s")
    print(f"  full run (stored)            {run_s:7.2f} s   limit {RUN_LIMIT_S:.0f} s   "
          f"{'OK' if run_s < RUN_LIMIT_S else 'OVER'}   ({run_s / bare_s:.1f}x bare)")
    print(f"  what-if (not stored, diff)   {what_s:7.2f} s   limit {WHAT_IF_LIMIT_S:.0f} s   "
          f"{'OK' if what_s < WHAT_IF_LIMIT_S else 'OVER'}   "
          f"({len(diff['entering_two_low_two_high']):,} would enter 两低两高)")
    print(f"  classes {run['by_class']}, 两低两高 {run['two_low_two_high']}")


if __name__ == "__main__":
    main()
