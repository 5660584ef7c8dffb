"""Tile test fixtures.

* ``tiles`` — the rolled-back district app with a runtime that never caches (its data
  vanish with the test, so nothing may outlive it), for content and bad-input tests;
* ``live`` — real commits on a database of the tile tests' own (``tiles_database``),
  an app whose requests use real sessions, and a started runtime listening to that
  database: for invalidation;
* ``redis_url`` — a real ``redis-server`` on a free port in a temporary directory.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import mapbox_vector_tile
import morecantile
import pytest
import redis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from landgov.auth.service import create_key
from landgov.db import get_session, libpq_dsn, make_engine
from landgov.scratch import ScratchDatabase
from landgov.tiles.cache import MemoryCache, TileCache
from landgov.tiles.runtime import TileRuntime
from tests.conftest import district_committed, migrated_database
from tests.factories import AREA_SRID, X0, Y0
from tests.reliability.conftest import free_port

MERCATOR = morecantile.tms.get("WebMercatorQuad")


def lonlat(x: float, y: float) -> tuple[float, float]:
    """Metres from the test district's south-west corner → lon/lat."""
    from landgov.geo import transformer

    lon, lat = transformer(AREA_SRID, 4490).transform(X0 + x, Y0 + y)
    return float(lon), float(lat)


def tile_at(x: float, y: float, z: int) -> tuple[int, int, int]:
    """The WebMercatorQuad tile holding the point (metres in the district)."""
    t = MERCATOR.tile(*lonlat(x, y), z)
    return t.z, t.x, t.y


def decode(body: bytes) -> list[dict]:
    """The parcels layer's features of an MVT (empty tile: no features)."""
    if not body:
        return []
    return mapbox_vector_tile.decode(body).get("parcels", {}).get("features", [])


@pytest.fixture
def tiles(app: FastAPI) -> FastAPI:
    app.state.tile_runtime = TileRuntime(MemoryCache(100, 10**6), dsn=None)
    return app


@dataclass
class Live:
    app: FastAPI
    runtime: TileRuntime
    engine: Engine
    client: Callable[[str], TestClient]

    def key(self, z: int, x: int, y: int, scope: str = "*", tms: str = "WebMercatorQuad"):
        from landgov.tiles.cache import TileKey

        return TileKey("parcels", tms, z, x, y, scope)


def make_live(engine: Engine, database: ScratchDatabase,
              cache: TileCache) -> tuple[FastAPI, TileRuntime]:
    from landgov.app import create_app

    app = create_app()

    def real_session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = real_session
    runtime = TileRuntime(cache, libpq_dsn(database.app_url)).start()
    assert runtime.listener is not None and runtime.listener.connected
    app.state.tile_runtime = runtime
    return app, runtime


@pytest.fixture(scope="session")
def tiles_database() -> Iterator[ScratchDatabase]:
    """A database of the tile tests' own: their commits (and the audit events those
    leave, which cannot be deleted) never meet other tests' data."""
    with migrated_database("landgov_test_tiles") as db:
        yield db


@pytest.fixture(scope="session")
def tiles_engine(tiles_database: ScratchDatabase) -> Iterator[Engine]:
    eng = make_engine(tiles_database.app_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def tiles_owner_engine(tiles_database: ScratchDatabase) -> Iterator[Engine]:
    eng = make_engine(tiles_database.owner_url)
    yield eng
    eng.dispose()


@pytest.fixture
def tiles_committing(tiles_engine: Engine, tiles_owner_engine: Engine) -> Iterator[Engine]:
    """Like ``committing``, on the tile tests' database: the district, truncated after."""
    with district_committed(tiles_engine, tiles_owner_engine) as committed:
        yield committed


@pytest.fixture
def live(tiles_committing: Engine, tiles_database: ScratchDatabase) -> Iterator[Live]:
    committing = tiles_committing
    app, runtime = make_live(committing, tiles_database, MemoryCache(10_000, 10**8))
    clients: dict[str, TestClient] = {}

    def client(role: str) -> TestClient:
        if role not in clients:
            with Session(committing) as s:
                town = "330602001" if role == "town_officer" else None
                key = create_key(s, f"tiles {role}", role, town)
            clients[role] = TestClient(app, headers={"X-API-Key": key})
        return clients[role]

    try:
        yield Live(app, runtime, committing, client)
    finally:
        for c in clients.values():
            c.close()
        runtime.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("redis-server is not installed (make system installs it)")
    port = free_port()
    workdir = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(workdir)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url).ping()
                break
            except redis.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.05)
        yield url
    finally:
        proc.terminate()
        proc.wait(10)
