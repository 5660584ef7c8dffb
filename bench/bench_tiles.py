"""Benchmark: vector tiles over HTTP — landgov against tipg and the bare SQL.

On a fresh database (from the PostGIS template, dropped afterwards) loaded with the
demo generator (100,000 parcels; ``--smoke``: 2,000), a fixed random set of tiles
z10–z17 inside the data (seeded: the same set every run) is fetched by N concurrent
clients over keep-alive HTTP from real uvicorn servers started here:

* landgov (``landgov.app:create_app``), cold (empty tile cache) then warm (cached);
* tipg (PyPI) serving the same ``parcel`` table of the same database, asked for the
  same attributes and the current rows only (``filter=valid_to IS NULL``), twice;
* the bare ``ST_AsMVT`` statement landgov runs, executed directly by N threads on N
  connections: the floor no HTTP server can beat.

It prints tiles/s and p50/p95 latency for each, the ratios against the targets
(cold ≥ 1.5× tipg's throughput, cold p95 ≤ 1.3× the bare SQL's, warm ≥ 10× tipg) and
the byte budget of z8–z10 tiles over the whole district. Both servers run with access
logs off; tipg runs with its defaults otherwise.

    .venv/bin/python bench/bench_tiles.py            # 100,000 parcels, 400 tiles, 8 clients
    .venv/bin/python bench/bench_tiles.py --smoke    # 2,000 parcels, 60 tiles, 4 clients
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlencode

import morecantile
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from landgov import schema, scratch
from landgov.auth.service import create_key
from landgov.db import libpq_dsn, make_engine
from landgov.demo.dataset import generate
from landgov.demo.loader import load
from landgov.scratch import ScratchDatabase
from landgov.settings import get_settings
from landgov.tiles import queries
from landgov.tiles.grids import grid
from landgov.tiles.layers import layer

FULL = {"parcels": 100_000, "tiles": 400, "clients": 8}
SMOKE = {"parcels": 2_000, "tiles": 60, "clients": 4}
TARGET_COLD, TARGET_P95, TARGET_WARM = 1.5, 1.3, 10.0
WARM_UP = 10  # concurrent start-up requests: the size of landgov's (and tipg's) pool
BUDGET_BYTES = 256 * 1024  # a z8–z10 tile of the whole district, uncompressed
SEED = 42
TIPG_PROPERTIES = "unit_code,area_mu,land_use_code,status,town_id"
MERCATOR = morecantile.tms.get("WebMercatorQuad")


@contextmanager
def scratch_database() -> Iterator[ScratchDatabase]:
    db = scratch.create("landgov_bench_tiles")
    try:
        yield db
    finally:
        scratch.drop(db)


def load_demo(db: ScratchDatabase, n: int) -> float:
    schema.upgrade(db.owner_url)
    started = time.perf_counter()
    engine = make_engine(db.app_url)
    with engine.begin() as conn:
        load(conn, generate(SEED, n))
    engine.dispose()
    analyze(db)
    return time.perf_counter() - started


def analyze(db: ScratchDatabase) -> None:
    """Planner statistics, as autovacuum would gather in time. Only the tables' owner may
    ANALYZE them: the app role's ANALYZE is skipped with a mere warning."""
    owner = make_engine(db.owner_url, isolation_level="AUTOCOMMIT")
    with owner.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    owner.dispose()


def pick_tiles(engine: Engine, count: int) -> list[tuple[int, int, int]]:
    """A fixed random set of distinct tiles z10–z17, each holding a parcel's point."""
    with engine.connect() as conn:
        points = conn.execute(text(
            "SELECT ST_X(p), ST_Y(p) FROM (SELECT ST_PointOnSurface(geom) AS p FROM parcel "
            "WHERE valid_to IS NULL ORDER BY id) s")).all()
    rng = random.Random(SEED)
    chosen: dict[tuple[int, int, int], None] = {}
    while len(chosen) < count:
        lon, lat = rng.choice(points)
        t = MERCATOR.tile(lon, lat, rng.randint(10, 17))
        chosen[(t.z, t.x, t.y)] = None
    return list(chosen)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def server(app: str, env: dict[str, str], ready_path: str, *factory: str) -> Iterator[int]:
    """A uvicorn server on a free port (access log off); yields the port once it answers."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", app, *factory, "--host", "127.0.0.1", "--port",
         str(port), "--no-access-log", "--log-level", "warning"],
        env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                raise RuntimeError(f"{app} exited: {err[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                conn.request("GET", ready_path)
                conn.getresponse().read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


@dataclass(frozen=True)
class Result:
    label: str
    seconds: float
    latencies: list[float]
    sizes: list[int]
    errors: int

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000

    def line(self, unit: str = "tiles/s") -> str:
        mean = statistics.fmean(self.sizes) / 1024 if self.sizes else 0
        return (f"{self.label:<30} {self.rate:9.1f} {unit:<7} p50 {self.pct(0.5):7.1f} ms   "
                f"p95 {self.pct(0.95):7.1f} ms   (mean {mean:.1f} KiB)"
                + (f"   ERRORS {self.errors}" if self.errors else ""))


def run_clients(label: str, jobs: list[object], clients: int, fetch_factory) -> Result:
    """Run every job once over ``clients`` threads; time each and the whole pass."""
    latencies: list[float] = []
    sizes: list[int] = []
    errors = 0
    lock = threading.Lock()
    cursor = iter(jobs)

    def worker() -> None:
        nonlocal errors
        fetch = fetch_factory()
        while True:
            with lock:
                job = next(cursor, None)
            if job is None:
                fetch.close()  # type: ignore[attr-defined]
                return
            started = time.perf_counter()
            ok, size = fetch(job)
            took = time.perf_counter() - started
            with lock:
                latencies.append(took)
                sizes.append(size)
                errors += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return Result(label, time.perf_counter() - started, latencies, sizes, errors)


def http_fetcher(port: int, headers: dict[str, str]):
    def factory():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

        def fetch(path: object) -> tuple[bool, int]:
            conn.request("GET", str(path), headers=headers)
            res = conn.getresponse()
            body = res.read()
            return res.status == 200, len(body)

        fetch.close = conn.close  # type: ignore[attr-defined]
        return fetch

    return factory


def warm_up(port: int, headers: dict[str, str], template: str,
            tiles: list[tuple[int, int, int]]) -> None:
    """Start-up outside the measured set: tiles with data that the set does not hold,
    WARM_UP of them at a time, so every database connection of the server's pool has
    opened and run a transform once (PostgreSQL loads a PROJ pipeline per connection on
    its first ST_Transform, tens of milliseconds). Refuses to measure a misconfigured
    server."""
    failures: list[str] = []

    def fetch(path: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", path, headers=headers)
        res = conn.getresponse()
        body = res.read()
        conn.close()
        if res.status != 200:
            failures.append(f"{path}: HTTP {res.status} {body[:300]!r}")

    for start in range(0, len(tiles), WARM_UP):
        threads = [threading.Thread(target=fetch, args=(template.format(z=z, x=x, y=y),))
                   for z, x, y in tiles[start:start + WARM_UP]]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    if failures:
        raise RuntimeError(failures[0])


def sql_fetcher(engine: Engine):
    """The floor: the tile statement alone, on one autocommit connection per client
    (jit and parallel workers off for the session, as the app sets them per tile)."""
    parcels, mercator = layer("parcels"), grid("WebMercatorQuad")
    cap = get_settings().tile_max_features
    statement = text(queries.statement(parcels, scoped=False))

    def factory():
        conn = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        conn.exec_driver_sql("SET jit = off")
        conn.exec_driver_sql("SET max_parallel_workers_per_gather = 0")

        def fetch(tile: object) -> tuple[bool, int]:
            z, x, y = tile  # type: ignore[misc]
            req = queries.TileRequest(parcels, mercator, z, x, y, None, cap)
            body = conn.execute(statement, queries.parameters(req)).scalar()
            return True, len(body or b"")

        fetch.close = conn.close  # type: ignore[attr-defined]
        return fetch

    return factory


def byte_budget(engine: Engine) -> list[str]:
    """Sizes of the z8–z10 tiles over the whole real district frame (330602)."""
    with engine.connect() as conn:
        box = conn.execute(text("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                                "(SELECT ST_Extent(geom) e FROM county WHERE code = '330602') s"
                                )).one()
    parcels, mercator = layer("parcels"), grid("WebMercatorQuad")
    lines = []
    for z in (8, 9, 10):
        sizes = []
        for t in MERCATOR.tiles(*box, [z]):
            with Session(engine) as session:
                body = queries.render(session, queries.TileRequest(parcels, mercator, z, t.x, t.y))
            sizes.append((len(body), len(gzip.compress(body)), t))
        worst = max(sizes, key=lambda s: s[0])
        verdict = "within" if worst[0] <= BUDGET_BYTES else "OVER"
        lines.append(f"z{z}: {len(sizes)} tiles cover the district; largest "
                     f"{worst[0] / 1024:.0f} KiB ({worst[1] / 1024:.0f} KiB gzip) — {verdict} "
                     f"the {BUDGET_BYTES // 1024} KiB budget")
    return lines


def ratio(label: str, value: float, target: float, higher: bool) -> str:
    met = value >= target if higher else value <= target
    sign = "≥" if higher else "≤"
    return f"{label:<44} {value:7.2f}×   target {sign} {target}×   {'met' if met else 'MISSED'}"


def benchmark(size: dict[str, int]) -> int:
    with scratch_database() as db:
        loaded = load_demo(db, size["parcels"])
        print(f"demo district: {size['parcels']:,} parcels loaded in {loaded:.1f} s "
              f"(database {db.name}, dropped afterwards)", flush=True)
        engine = make_engine(db.app_url, pool_size=size["clients"] + 2)
        with Session(engine) as s:
            key = create_key(s, "bench_tiles", "viewer")
        picked = pick_tiles(engine, size["tiles"] + 2 * WARM_UP)
        tiles, spare = picked[:size["tiles"]], picked[size["tiles"]:]
        print(f"{len(tiles)} tiles z10–z17, {size['clients']} concurrent clients", flush=True)
        for line in byte_budget(engine):
            print("byte budget " + line, flush=True)
        results = measure(db, engine, key, tiles, spare, size["clients"])
        engine.dispose()
    return report(results)


def measure(db: ScratchDatabase, engine: Engine, key: str, tiles: list[tuple[int, int, int]],
            spare: list[tuple[int, int, int]], clients: int) -> dict[str, Result]:
    out: dict[str, Result] = {}
    run_clients("warm-up", tiles, clients, sql_fetcher(engine))  # fills PostgreSQL's buffers
    out["sql"] = run_clients("bare SQL (floor)", tiles, clients, sql_fetcher(engine))
    env = {"LANDGOV_DATABASE_URL": db.app_url, "LANDGOV_RATE_LIMIT_PER_MINUTE": "100000000"}
    paths = [f"/tiles/parcels/{z}/{x}/{y}.mvt" for z, x, y in tiles]
    headers = {"X-API-Key": key}
    with server("landgov.app:create_app", env, "/healthz", "--factory") as port:
        warm_up(port, headers, "/tiles/parcels/{z}/{x}/{y}.mvt", spare)
        out["cold"] = run_clients("landgov cold", paths, clients, http_fetcher(port, headers))
        out["warm"] = run_clients("landgov warm (cached)", paths, clients,
                                  http_fetcher(port, headers))
    tipg_env = {"DATABASE_URL": libpq_dsn(db.app_url), "TIPG_DB_SCHEMAS": '["public"]',
                "TIPG_DB_TABLES": '["public.parcel"]', "TIPG_MAX_FEATURES_PER_TILE": "20000"}
    query = urlencode({"properties": TIPG_PROPERTIES, "filter": "valid_to IS NULL"})
    tipg_paths = [f"/collections/public.parcel/tiles/WebMercatorQuad/{z}/{x}/{y}?{query}"
                  for z, x, y in tiles]
    with server("tipg.main:app", tipg_env, "/collections") as port:
        warm_up(port, {}, "/collections/public.parcel/tiles/WebMercatorQuad/{z}/{x}/{y}?"
                + query.replace("{", "{{").replace("}", "}}"), spare)
        out["tipg"] = run_clients("tipg", tipg_paths, clients, http_fetcher(port, {}))
        out["tipg2"] = run_clients("tipg (second pass)", tipg_paths, clients,
                                   http_fetcher(port, {}))
    return out


def report(r: dict[str, Result]) -> int:
    for key in ("sql", "cold", "warm", "tipg", "tipg2"):
        print(r[key].line(), flush=True)
    tipg_rate = max(r["tipg"].rate, r["tipg2"].rate)
    print(ratio("landgov cold / tipg throughput", r["cold"].rate / tipg_rate, TARGET_COLD, True))
    print(ratio("landgov cold p95 / bare SQL p95", r["cold"].pct(0.95) / r["sql"].pct(0.95),
                TARGET_P95, False))
    print(ratio("landgov warm / tipg throughput", r["warm"].rate / tipg_rate, TARGET_WARM, True))
    print(json.dumps({k: {"tiles_per_s": round(v.rate, 1), "p50_ms": round(v.pct(0.5), 2),
                          "p95_ms": round(v.pct(0.95), 2)} for k, v in r.items()}))
    failed = sum(v.errors for v in r.values())
    if failed:
        print(f"{failed} requests failed", file=sys.stderr)
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="small and quick (make test)")
    args = parser.parse_args()
    return benchmark(SMOKE if args.smoke else FULL)


if __name__ == "__main__":
    sys.exit(main())
