"""The in-process principal cache never authorises on stale account data.

Real commits on a database of this module's own, two app instances each with its own
cache and listener (as two processes would have): a revoked key, a deactivated user
and a changed role are refused at once — by the writing process synchronously, by the
other as soon as migration 0013's notification reaches its listener.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from landgov.auth import service
from landgov.auth.principal import Principal
from landgov.auth.principal_cache import PrincipalCache
from landgov.db import get_session, libpq_dsn, make_engine
from landgov.scratch import ScratchDatabase
from tests.conftest import migrated_database

pytestmark = pytest.mark.commits
PASSWORD = "correct horse battery"


@pytest.fixture(scope="module")
def database() -> Iterator[ScratchDatabase]:
    with migrated_database("landgov_auth_cache") as db:
        yield db


@pytest.fixture(scope="module")
def engine(database: ScratchDatabase) -> Iterator[Engine]:
    eng = make_engine(database.app_url)
    yield eng
    eng.dispose()


@dataclass
class Instance:
    """One app 'process': its app, its cache, a client per credential."""

    app: FastAPI
    cache: PrincipalCache

    def get(self, path: str, headers: dict[str, str]) -> int:
        with TestClient(self.app) as c:
            return c.get(path, headers=headers).status_code


def make_instance(engine: Engine, database: ScratchDatabase) -> Instance:
    from landgov.app import create_app

    app = create_app()

    def real_session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = real_session
    cache = PrincipalCache(libpq_dsn(database.app_url), ttl_seconds=300).start(wait_seconds=5)
    assert cache.listener.connected
    app.state.principal_cache = cache
    return Instance(app, cache)


@pytest.fixture
def pair(engine: Engine, database: ScratchDatabase) -> Iterator[tuple[Instance, Instance]]:
    a, b = make_instance(engine, database), make_instance(engine, database)
    yield a, b
    a.cache.close()
    b.cache.close()


def sql(database: ScratchDatabase, statement: str, *params: object) -> None:
    """A change from outside the app (psql, another program): no in-process clearing."""
    with psycopg.connect(libpq_dsn(database.app_url), autocommit=True) as conn:
        conn.execute(statement, params)  # type: ignore[arg-type]


def new_key(engine: Engine, role: str, owner: str) -> dict[str, str]:
    with Session(engine) as s:
        return {"X-API-Key": service.create_key(s, owner, role)}


def test_a_cached_credential_needs_no_database_round_trip(pair, engine):
    a, _ = pair
    headers = new_key(engine, "viewer", "缓存")
    assert a.get("/api/v1/auth/me", headers) == 200
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert a.get("/api/v1/auth/me", headers) == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert statements == []
    assert len(a.cache) == 1


def test_a_key_revoked_by_this_process_is_refused_at_once(pair, engine):
    a, b = pair
    headers = new_key(engine, "viewer", "本进程吊销")
    assert a.get("/api/v1/auth/me", headers) == 200 and b.get("/api/v1/auth/me", headers) == 200
    with Session(engine) as s:
        service.revoke_key(s, headers["X-API-Key"].split("_")[1])
    # no waiting for any notification: the service cleared this process's caches
    assert a.get("/api/v1/auth/me", headers) == 401
    assert b.get("/api/v1/auth/me", headers) == 401


def test_a_key_revoked_by_raw_sql_is_refused_by_both_instances(pair, engine, database):
    a, b = pair
    headers = new_key(engine, "viewer", "外部吊销")
    assert a.get("/api/v1/auth/me", headers) == 200 and b.get("/api/v1/auth/me", headers) == 200
    assert len(a.cache) == len(b.cache) == 1
    sql(database, "UPDATE api_key SET revoked_at = now() WHERE key_prefix = %s",
        headers["X-API-Key"].split("_")[1])
    assert a.cache.listener.sync() and b.cache.listener.sync()
    assert a.get("/api/v1/auth/me", headers) == 401
    assert b.get("/api/v1/auth/me", headers) == 401


def test_the_notification_arrives_within_a_fraction_of_a_second(pair, engine, database):
    _, b = pair
    headers = new_key(engine, "viewer", "时延")
    assert b.get("/api/v1/auth/me", headers) == 200
    sql(database, "UPDATE api_key SET revoked_at = now() WHERE key_prefix = %s",
        headers["X-API-Key"].split("_")[1])
    started = time.monotonic()
    while len(b.cache) and time.monotonic() - started < 1.0:
        time.sleep(0.005)
    assert len(b.cache) == 0, "the listener did not clear the cache within 1 s"
    assert b.get("/api/v1/auth/me", headers) == 401


def test_a_changed_role_takes_effect_in_both_instances(pair, engine, database):
    a, b = pair
    headers = new_key(engine, "admin", "改角色")
    assert a.get("/api/v1/audit", headers) == 200 and b.get("/api/v1/audit", headers) == 200
    sql(database, "UPDATE api_key SET role = 'viewer' WHERE key_prefix = %s",
        headers["X-API-Key"].split("_")[1])
    assert a.cache.listener.sync() and b.cache.listener.sync()
    assert a.get("/api/v1/audit", headers) == 403 and b.get("/api/v1/audit", headers) == 403
    with TestClient(b.app) as c:
        assert c.get("/api/v1/auth/me", headers=headers).json()["role"] == "viewer"


def test_a_deactivated_user_is_refused_in_both_instances(pair, engine, database):
    a, b = pair
    with Session(engine) as s:
        service.add_user(s, "cache.user", PASSWORD, "viewer")
    with TestClient(a.app) as c:
        token = c.post("/api/v1/auth/token",
                       data={"username": "cache.user", "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert a.get("/api/v1/auth/me", headers) == 200 and b.get("/api/v1/auth/me", headers) == 200
    assert len(b.cache) >= 1
    sql(database, "UPDATE app_user SET active = false WHERE username = 'cache.user'")
    assert a.cache.listener.sync() and b.cache.listener.sync()
    assert a.get("/api/v1/auth/me", headers) == 401 and b.get("/api/v1/auth/me", headers) == 401


def test_without_a_listening_connection_every_request_is_looked_up(pair, engine, database):
    a, _ = pair
    headers = new_key(engine, "viewer", "断线")
    assert a.get("/api/v1/auth/me", headers) == 200
    a.cache.listener.stop()  # deaf: it would not hear the revocation below
    sql(database, "UPDATE api_key SET revoked_at = now() WHERE key_prefix = %s",
        headers["X-API-Key"].split("_")[1])
    assert a.get("/api/v1/auth/me", headers) == 401  # at once, no notification needed


def test_a_lookup_that_raced_a_change_is_not_remembered(database):
    cache = PrincipalCache(libpq_dsn(database.app_url), ttl_seconds=300).start(wait_seconds=5)
    try:
        who = Principal("api_key", "abc(测试)", "admin")
        epoch = cache.epoch()
        cache.clear()  # a notification arrived while the lookup ran
        cache.put("key:x", who, epoch)
        assert cache.get("key:x") is None
        cache.put("key:x", who, cache.epoch())
        assert cache.get("key:x") == who
    finally:
        cache.close()


def test_entries_expire_after_the_ttl(database):
    cache = PrincipalCache(libpq_dsn(database.app_url), ttl_seconds=0.05).start(wait_seconds=5)
    try:
        cache.put("key:y", Principal("api_key", "y", "viewer"), cache.epoch())
        assert cache.get("key:y") is not None
        time.sleep(0.1)
        assert cache.get("key:y") is None
    finally:
        cache.close()


def test_a_session_on_another_database_is_not_served_from_the_cache(pair, engine):
    a, _ = pair
    other = make_engine(engine.url.set(database="postgres").render_as_string(hide_password=False))
    try:
        with Session(other) as s:
            assert not a.cache.usable(s)
        with Session(engine) as s:
            assert a.cache.usable(s)
    finally:
        other.dispose()
