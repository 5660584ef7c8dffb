"""The database restarts under load: requests fail cleanly (503 problem details) while it
is down and succeed again without restarting the app.

Uses a throwaway cluster of its own (never the shared one), trust-authenticated on
loopback and removed afterwards.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov import local_postgis, schema
from landgov.auth.service import create_key
from landgov.db import make_engine
from tests.factories import load_test_district
from tests.reliability.conftest import free_port, live_server, wait_until


class Cluster:
    def __init__(self, bindir: Path, root: Path, port: int) -> None:
        self.bindir, self.root, self.port = bindir, root, port
        self.data = root / "data"
        self.user = "postgres" if os.geteuid() == 0 else None

    def run(self, *args: str) -> None:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-w", "-o",
                 f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1", "start")

    def stop(self) -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/landgov"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    versions = [v for v in local_postgis._server_versions() if local_postgis._has_postgis(v)]
    if not versions:
        pytest.fail("no PostgreSQL server with PostGIS (run `landgov db up`)")
    root = Path(tempfile.mkdtemp(prefix="landgov-restart-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    c = Cluster(Path(f"/usr/lib/postgresql/{versions[-1]}/bin"), root, free_port())
    c.run("initdb", "-D", str(c.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    c.start()
    try:
        admin = make_engine(c.url.replace("/landgov", "/postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("CREATE DATABASE landgov"))
        admin.dispose()
        schema.upgrade(c.url)
        yield c
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            c.stop()
        shutil.rmtree(root, ignore_errors=True)


def test_requests_fail_cleanly_while_down_and_recover(cluster: Cluster) -> None:
    engine = make_engine(cluster.url)
    with Session(engine) as s:
        load_test_district(s)
        s.commit()
        key = create_key(s, "重启测试", "viewer")
    engine.dispose()
    statuses: Counter[int] = Counter()
    bodies: list[str] = []
    stop = threading.Event()

    def load(base: str) -> None:
        with httpx.Client(headers={"X-API-Key": key}, timeout=10) as http:
            while not stop.is_set():
                try:
                    res = http.get(f"{base}/api/v1/regions/towns")
                except httpx.TransportError as exc:  # a dropped connection is not clean
                    statuses[-1] += 1
                    bodies.append(repr(exc))
                    continue
                statuses[res.status_code] += 1
                if res.status_code != 200:
                    bodies.append(res.text)

    with live_server(cluster.url) as base:
        workers = [threading.Thread(target=load, args=(base,)) for _ in range(4)]
        for w in workers:
            w.start()
        wait_until(lambda: statuses[200] >= 20, 30)
        cluster.stop()
        wait_until(lambda: statuses[503] >= 10, 30)
        cluster.start()
        before = statuses[200]
        wait_until(lambda: statuses[200] >= before + 20, 60)
        stop.set()
        for w in workers:
            w.join(30)
        health = httpx.get(f"{base}/healthz", timeout=10)
    assert health.status_code == 200
    assert set(statuses) <= {200, 503}, statuses  # never a 500, never a hang
    assert all('"status":503' in b and "Traceback" not in b for b in bodies)
