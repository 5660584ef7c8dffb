"""OGC API test helpers: a small set of parcels and firms in the test district.

Parcels are made through the domain API (the editing service), firms by SQL. History
tests need versions recorded at different times, which a single rolled-back
transaction cannot give (now() is constant in it): they use ``real_client``, whose
requests commit on their own connections, in a database of their own module
(``own_committing``): committed edits leave audit events, which are append-only, and
since codes restart after each truncation those events would show up in the parcel
histories other tests check in the shared test database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from landgov.coding.uscc import check_character
from landgov.db import get_session, make_engine, translate_errors
from landgov.scratch import ScratchDatabase
from tests.conftest import district_committed, migrated_database
from tests.factories import geojson, metres_box

PROBLEM = "application/problem+json"
GEOJSON = "application/geo+json"
ITEMS = "/ogc/collections/parcels/items"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


def epsg(code: int) -> str:
    return f"http://www.opengis.net/def/crs/EPSG/0/{code}"


def create(client: TestClient, x: float, y: float, w: float = 200, h: float = 200,
           **attrs: Any) -> str:
    """A parcel of w x h metres at (x, y) metres from the district's corner; its code."""
    res = client.post("/api/v1/parcels", json={"geometry": geojson(metres_box(x, y, w, h)),
                                               **attrs})
    assert res.status_code == 201, res.text
    return res.json()["unit_codes"][0]


def uscc(n: int) -> str:
    """A valid 统一社会信用代码 numbered ``n``."""
    first17 = f"91330602MA2B{n:05d}"
    return first17 + check_character(first17)


def add_firm(session: Session, n: int, name: str, chain: str,
             parcels: list[tuple[str, float]]) -> str:
    """An enterprise using ``parcels`` (code, share); its USCC."""
    code = uscc(n)
    firm_id = session.execute(
        text("INSERT INTO enterprise (uscc, name, industry_code, industry_name, chain, chain_link)"
             " VALUES (:u, :n, 'C2614', '有机化学原料制造', :c, '材料') RETURNING id"),
        {"u": code, "n": name, "c": chain},
    ).scalar_one()
    for unit_code, share in parcels:
        session.execute(
            text("INSERT INTO occupancy (unit_code, enterprise_id, share, tenure) "
                 "VALUES (:u, :e, :s, 'owned')"), {"u": unit_code, "e": firm_id, "s": share})
    session.flush()
    return code


def assert_problem(res: Any, status: int, fragment: str = "") -> dict[str, Any]:
    assert res.status_code == status, res.text
    assert res.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = res.json()
    assert body["status"] == status and body["title"] and body["type"]
    assert fragment in body["detail"], body
    assert "Traceback" not in res.text and "SELECT" not in res.text
    return body


@pytest.fixture
def parcels(client: TestClient) -> dict[str, str]:
    """Four parcels: A, B (塔山街道), C (塔山, in 袍江经开区), D (府山街道, in 袍江经开区)."""
    return {
        "A": create(client, 100, 100, status="supplied", name="甲"),
        "B": create(client, 400, 100, status="producing"),
        "C": create(client, 1600, 600, status="producing"),
        "D": create(client, 2100, 1100, status="producing"),
    }


@pytest.fixture(scope="module")
def own_database() -> Iterator[ScratchDatabase]:
    """A database for one test module (see the module docstring)."""
    with migrated_database("landgov_ogc") as db:
        yield db


@pytest.fixture
def own_committing(own_database: ScratchDatabase) -> Iterator[Engine]:
    """Like ``committing``, on the module's own database: the test district, emptied after."""
    engine, owner = make_engine(own_database.app_url), make_engine(own_database.owner_url)
    with district_committed(engine, owner) as committed:
        yield committed
    engine.dispose()
    owner.dispose()


@pytest.fixture
def real_client(own_committing: Engine) -> Iterator[Callable[[str], TestClient]]:
    """``real_client(role)``: requests commit on real connections (distinct now())."""
    from landgov.app import create_app
    from landgov.auth.service import create_key

    app = create_app()
    factory = sessionmaker(own_committing, expire_on_commit=False)

    def session() -> Iterator[Session]:
        with factory() as s, translate_errors():
            yield s

    app.dependency_overrides[get_session] = session
    clients: list[TestClient] = []

    def make(role: str) -> TestClient:
        with factory() as s:
            key = create_key(s, f"历史 {role}", role,
                             "330602001" if role == "town_officer" else None)
        clients.append(TestClient(app, headers={"X-API-Key": key}))
        return clients[-1]

    yield make
    for c in clients:
        c.close()
