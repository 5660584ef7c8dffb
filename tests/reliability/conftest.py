"""A real landgov server process (uvicorn) on a free port, for tests that need real
HTTP concurrency or a database that goes away under it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(database_url: str, **env: str) -> Iterator[str]:
    """Run ``landgov serve`` against ``database_url``; yield its base URL."""
    port = free_port()
    environment = {**os.environ, "LANDGOV_DATABASE_URL": database_url,
                   "LANDGOV_RATE_LIMIT_PER_MINUTE": "1000000", **env}
    log = tempfile.NamedTemporaryFile(prefix="landgov-server-", suffix=".log", delete=False)  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "landgov", "serve", "--port", str(port)],
                            env=environment, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: _answers(base), 30, proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        os.environ.get("LANDGOV_KEEP_SERVER_LOG") or os.unlink(log.name)


def _answers(base: str) -> bool:
    try:
        httpx.get(f"{base}/static/landing.css", timeout=1)
        return True
    except httpx.HTTPError:
        return False


def wait_until(predicate: Callable[[], bool], seconds: float,
               proc: subprocess.Popen[bytes] | None = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        if predicate():
            return
        time.sleep(0.2)
    raise TimeoutError(f"condition not met within {seconds} s")
