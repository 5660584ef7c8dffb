"""Benchmark: a 连片 zone build on 100,000 parcels (issue 8: under 15 s).

A scratch database gets the demo district at 100,000 parcels (laid out again as
neighbouring synthetic counties, DESIGN "Demo data") and a 2025 evaluation, so 两低两高
firms and the 治理清单 exist; then a build with the default parameters (every candidate
source, 30 m, 100 亩) is timed beside the bare clustering SQL (the same candidates and
ST_ClusterDBSCAN, counted, nothing stored) measured in the same run. ``--smoke``: 2,000.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from bench_tiles import analyze
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov import schema, scratch
from landgov.db import make_engine
from landgov.demo.dataset import generate
from landgov.demo.loader import load
from landgov.evaluation import service as evaluation
from landgov.evaluation.queries import latest_run_id
from landgov.zones import queries, service
from landgov.zones.schemas import BuildRequest

BUILD_LIMIT_S = 15.0
FULL, SMOKE = 100_000, 2_000
YEAR = 2025


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def bare(s: Session) -> Any:
    """The candidates and their clusters alone, with the build's own parameters."""
    params = service.build_parameters(s, BuildRequest(year=YEAR))
    bound = service.statement_params(params, YEAR, latest_run_id(s, YEAR), "bench")
    return s.execute(text(queries.cluster_statement()), bound).one()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    parcels = SMOKE if args.smoke else FULL
    db = scratch.create("landgov_bench_zones")
    cleanup: list[Callable[[], None]] = []
    try:
        schema.upgrade(db.owner_url)
        engine = make_engine(db.app_url)
        cleanup.append(engine.dispose)
        with engine.begin() as conn:
            load(conn, generate(7, parcels))
        with Session(engine) as s:
            evaluation.evaluate(s, YEAR, None, "bench")
            s.commit()
        analyze(db)
        with Session(engine) as s:
            bare(s)  # warm the cache for a fair floor
            bare_s, counts = timed(lambda: bare(s))
            s.rollback()
            build_s, summary = timed(lambda: service.build_zones(
                s, BuildRequest(year=YEAR), "bench"))
    finally:
        for close in cleanup:
            close()
        scratch.drop(db)
    print(f"zones: {parcels:,} parcels, {counts.candidates:,} candidates in "
          f"{counts.clusters:,} clusters (30 m)")
    print(f"  bare DBSCAN SQL (candidates + clusters)  {bare_s:7.2f} s")
    print(f"  zone build (outlines, stored)            {build_s:7.2f} s   limit "
          f"{BUILD_LIMIT_S:.0f} s   {'OK' if build_s < BUILD_LIMIT_S else 'OVER'}   "
          f"({build_s / bare_s:.1f}x bare)")
    print(f"  {summary['zone_count']} zones ≥ 100 亩, {summary['member_count']:,} parcels, "
          f"total {summary['area_mu']:,.0f} 亩 (net {summary['net_area_mu']:,.0f} 亩)")


if __name__ == "__main__":
    main()
