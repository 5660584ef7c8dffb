"""Benchmark: export of 100,000 parcels to Shapefile and GeoPackage vs ogr2ogr.

Target (issue 6): landgov's export takes at most 1.2x the time of ``ogr2ogr`` reading
the same PostGIS rows (the same SELECT, with the geometry column instead of WKB) and
peak memory stays flat (1,000,000 parcels under 1 GB). Each export runs in a child
process so its peak resident memory (``ru_maxrss`` from ``wait4``) is its own.
The import half of the benchmark lives in its own functions (added by the import work).

    .venv/bin/python bench/bench_io.py            # 100,000 parcels
    .venv/bin/python bench/bench_io.py --smoke    # 2,000 parcels
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from landgov import schema, scratch
from landgov.db import make_engine
from landgov.demo.dataset import generate
from landgov.demo.loader import load

FULL, SMOKE = 100_000, 2_000
RATIO_LIMIT = 1.2
MEMORY_LIMIT_MB = 1024


def child_export(url: str, fmt: str, out: str) -> None:
    """In the child: export every current parcel with landgov's own code path."""
    from sqlalchemy.orm import Session

    from landgov.io.options import parse_options
    from landgov.io.service import export_layer
    from landgov.parcels.export import parcel_layer

    start = time.perf_counter()
    engine = make_engine(url)
    with Session(engine) as session:
        result = export_layer(session, parcel_layer(srid=4490, tz="Asia/Shanghai"),
                              parse_options(fmt))
        os.replace(result.path, out)
        result.cleanup()
    print(f"{time.perf_counter() - start:.3f}", flush=True)


def child_load(url: str, n: str, seed: str) -> None:
    """In a child: generate and load the demo, so the parent stays small.

    A child's peak memory as the kernel reports it starts from its parent's size at
    fork, so the parent must not hold the generated data when it starts the exports.
    """
    engine = make_engine(url)
    with engine.begin() as conn:
        load(conn, generate(int(seed), int(n)))
    engine.dispose()


def ogr_sql() -> str:
    """The export SELECT as ogr2ogr runs it: literals for the parameters, real geometry."""
    from landgov.parcels.export import select_sql

    return (select_sql()
            .replace("ST_AsBinary(ST_Transform(p.geom, CAST(:srid AS integer)))", "p.geom")
            .replace(":tz", "'Asia/Shanghai'") + " ORDER BY p.unit_code")


def pg_dsn(url: str) -> str:
    u = make_url(url)
    return (f"PG:host={u.host} port={u.port or 5432} dbname={u.database} user={u.username}"
            f" password={u.password}")


def timed(args: list[str]) -> tuple[float, float, str]:
    """Run a child; its wall time (s), peak resident memory (MB) and what it printed."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path.cwd())})
    printed = proc.stdout.read() if proc.stdout else ""
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{args[0]} failed")
    return elapsed, usage.ru_maxrss / 1024, printed.strip()


Row = tuple[str, float, float, float, float, float]


def compare(url: str, work: Path) -> list[Row]:
    rows = []
    for fmt, driver, suffix, lco in (("shp", "ESRI Shapefile", "shp", ["-lco", "ENCODING=GBK"]),
                                     ("gpkg", "GPKG", "gpkg", [])):
        ours, ours_mb, inner = timed([sys.executable, __file__, "--child", url, fmt,
                                      str(work / f"landgov.{fmt}")])
        theirs, theirs_mb, _ = timed(["ogr2ogr", "-q", "-f", driver, *lco,
                                   str(work / f"ogr.{suffix}"), pg_dsn(url),
                                   "-sql", ogr_sql(), "-nln", "parcels"])
        rows.append((fmt, ours, float(inner), ours_mb, theirs, theirs_mb))
    return rows


def report(n: int, rows: list[Row]) -> bool:
    ok = True
    for fmt, ours, inner, ours_mb, theirs, theirs_mb in rows:
        ratio = ours / theirs
        missed = "" if ratio <= RATIO_LIMIT else "  MISSED"
        ok = ok and ratio <= RATIO_LIMIT and ours_mb <= MEMORY_LIMIT_MB
        print(f"export {n:,} parcels to {fmt}: landgov {ours:.1f} s (of which export "
              f"{inner:.1f} s, peak {ours_mb:.0f} MB) vs ogr2ogr {theirs:.1f} s "
              f"(peak {theirs_mb:.0f} MB): {ratio:.2f}x (target <= {RATIO_LIMIT}x){missed}")
    return ok


def run(n: int, seed: int) -> bool:
    db = scratch.create("landgov_bench_io")
    try:
        schema.upgrade(db.owner_url)
        subprocess.run([sys.executable, __file__, "--load", db.app_url, str(n), str(seed)],
                       check=True, env={**os.environ, "PYTHONPATH": str(Path.cwd())})
        with tempfile.TemporaryDirectory(prefix="landgov-bench-io-") as work:
            return report(n, compare(db.app_url, Path(work)))
    finally:
        scratch.drop(db)


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child_export(*sys.argv[2:])
        return 0
    if len(sys.argv) == 5 and sys.argv[1] == "--load":
        child_load(*sys.argv[2:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help=f"{SMOKE:,} parcels only")
    parser.add_argument("--parcels", type=int, default=None, help="override the size")
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    n = args.parcels or (SMOKE if args.smoke else FULL)
    ok = run(n, args.seed)
    return 0 if ok or n < FULL else 1


if __name__ == "__main__":
    sys.exit(main())
