"""Test database: one fresh database per run, copied from the PostGIS template and built
by the real migrations; each test runs in a transaction that is rolled back.

Tests that must commit across real connections (concurrency, lost updates) take the
``committing`` fixture, which truncates the data tables afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from landgov import schema, scratch
from landgov.db import get_session, make_engine
from landgov.scratch import ScratchDatabase
from tests.factories import load_test_district

hypothesis_settings.register_profile("ci", max_examples=200, derandomize=True, deadline=None)
hypothesis_settings.register_profile("dev", max_examples=100, deadline=None)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "dev")

DATA_TABLES = ("api_key", "app_user", "indicator", "occupancy", "enterprise", "parcel_lineage", "parcel", "land_unit",
               "cadastral_subdistrict", "platform", "town", "county")


def create_database(prefix: str = "landgov_test") -> ScratchDatabase:
    """A new, empty database on the configured server, from the PostGIS template."""
    return scratch.create(prefix)


def drop_database(db: ScratchDatabase) -> None:
    scratch.drop(db)


@contextmanager
def migrated_database(prefix: str) -> Iterator[ScratchDatabase]:
    """A fresh database built by the real migrations, dropped afterwards.

    Tests that commit (and so leave append-only audit events behind) take one of their
    own, so their events never show in other tests' histories.
    """
    db = create_database(prefix)
    try:
        schema.upgrade(db.owner_url)
        yield db
    finally:
        drop_database(db)


@contextmanager
def district_committed(app_engine: Engine, owner_engine: Engine) -> Iterator[Engine]:
    """The test district committed on ``app_engine``; every data table emptied afterwards."""
    with Session(app_engine) as s:
        load_test_district(s)
        s.commit()
    yield app_engine
    with owner_engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE"))


@pytest.fixture(scope="session")
def test_database() -> Iterator[ScratchDatabase]:
    with migrated_database("landgov_test") as db:
        yield db


@pytest.fixture(scope="session")
def engine(test_database: ScratchDatabase) -> Iterator[Engine]:
    """Engine of the app role (what the running app uses) on the test database."""
    eng = make_engine(test_database.app_url)
    yield eng
    eng.dispose()


@pytest.fixture(scope="session")
def owner_engine(test_database: ScratchDatabase) -> Iterator[Engine]:
    eng = make_engine(test_database.owner_url)
    yield eng
    eng.dispose()


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test (commits become savepoints)."""
    conn = engine.connect()
    trans = conn.begin()
    session = Session(bind=conn, join_transaction_mode="create_savepoint",
                      expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        trans.rollback()
        conn.close()


@pytest.fixture
def district(db: Session) -> Session:
    """The rolled-back session with a small test district loaded (see factories)."""
    load_test_district(db)
    return db


@pytest.fixture
def app(district: Session) -> FastAPI:
    """The app, its requests running in the test's rolled-back session."""
    from landgov.app import create_app

    application = create_app()
    application.dependency_overrides[get_session] = lambda: district
    return application


@pytest.fixture
def anon(app: FastAPI) -> Iterator[TestClient]:
    """A client without credentials."""
    with TestClient(app) as c:
        yield c


@pytest.fixture
def as_role(app: FastAPI, district: Session) -> Iterator[Callable[[str], TestClient]]:
    """``as_role("planner")``: a client holding an API key of that role (town officers
    are scoped to 塔山街道, 330602001)."""
    from landgov.auth.service import create_key

    clients: dict[str, TestClient] = {}

    def make(role: str) -> TestClient:
        if role not in clients:
            town = "330602001" if role == "town_officer" else None
            key = create_key(district, f"测试 {role}", role, town)
            clients[role] = TestClient(app, headers={"X-API-Key": key})
        return clients[role]

    yield make
    for c in clients.values():
        c.close()


@pytest.fixture
def client(as_role: Callable[[str], TestClient]) -> TestClient:
    """A land_editor (自然资源局) client: may read and write parcels."""
    return as_role("land_editor")


@pytest.fixture(scope="session")
def commit_database() -> Iterator[ScratchDatabase]:
    """A second database for the tests that commit: the audit events they leave behind
    (append-only, never truncated) must not show in the rolled-back tests' histories."""
    with migrated_database("landgov_test_commit") as db:
        yield db


@pytest.fixture(scope="session")
def commit_engines(commit_database: ScratchDatabase) -> Iterator[tuple[Engine, Engine]]:
    app_engine = make_engine(commit_database.app_url)
    owner = make_engine(commit_database.owner_url)
    yield app_engine, owner
    app_engine.dispose()
    owner.dispose()


@pytest.fixture
def committing(commit_engines: tuple[Engine, Engine]) -> Iterator[Engine]:
    """For tests that commit on several real connections (on ``commit_database``);
    the data tables are emptied afterwards."""
    with district_committed(*commit_engines) as committed:
        yield committed
