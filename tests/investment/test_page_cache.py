"""Cached available-plot pages: the same answer as the route, never older than a commit.

Real commits on the committing database, an app whose requests use real sessions, a
listening principal cache and page cache on that database, and
``app.state.database_identity`` naming it (so the fast path may answer). Whether the
route ran is observed by making its service call fail the test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from landgov.auth.principal_cache import PrincipalCache
from landgov.auth.service import create_key
from landgov.db import get_session, libpq_dsn, url_identity
from landgov.investment import service
from landgov.investment.page_cache import PlotPageCache
from landgov.scratch import ScratchDatabase
from tests.factories import metres_box
from tests.investment.conftest import parcel

pytestmark = pytest.mark.commits
URL = "/api/v1/plots/available"


@dataclass
class Scene:
    app: FastAPI
    cache: PlotPageCache
    engine: Engine
    client: Callable[[str], TestClient]
    codes: dict[str, str]


@pytest.fixture
def scene(committing: Engine, commit_database: ScratchDatabase) -> Iterator[Scene]:
    from landgov.app import create_app

    with Session(committing) as s:
        codes = {"west": parcel(s, metres_box(100, 1200, 300, 300), status="idle"),   # 塔山
                 "east": parcel(s, metres_box(2100, 600, 250, 300), status="idle")}  # 府山
        s.commit()
    app = create_app()

    def real_session() -> Iterator[Session]:
        with Session(committing, expire_on_commit=False) as s:
            yield s

    app.dependency_overrides[get_session] = real_session
    dsn = libpq_dsn(commit_database.app_url)
    app.state.database_identity = url_identity(commit_database.app_url)
    app.state.principal_cache = PrincipalCache(dsn, 60).start(wait_seconds=5)
    cache = app.state.plot_page_cache = PlotPageCache(dsn, 10**7).start(wait_seconds=5)
    assert cache.listener.connected and app.state.principal_cache.listener.connected
    clients: dict[str, TestClient] = {}

    def client(role: str) -> TestClient:
        if role not in clients:
            with Session(committing) as s:
                key = create_key(s, f"plots {role}", role,
                                 "330602001" if role == "town_officer" else None)
                s.commit()
            clients[role] = TestClient(app, headers={"X-API-Key": key})
        return clients[role]

    try:
        yield Scene(app, cache, committing, client, codes)
    finally:
        for c in clients.values():
            c.close()
        cache.close()
        app.state.principal_cache.close()


def refuse_route(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the route computed the page")

    monkeypatch.setattr(service, "plot_filters", refuse)


def ids(res) -> list[str]:  # type: ignore[no-untyped-def]
    assert res.status_code == 200, res.text
    return [f["id"] for f in res.json()["features"]]


def test_a_repeated_query_is_answered_from_memory_with_the_routes_bytes(
        scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    get = scene.client("investment").get
    params = {"min_area_mu": 50, "limit": 1}
    first = get(URL, params=params)
    assert ids(first) == [scene.codes["west"]] and len(scene.cache) == 1
    links = {link["rel"]: link["href"] for link in first.json()["links"]}
    assert links["next"].endswith("offset=1") and links["self"].startswith("http://testserver/")
    refuse_route(monkeypatch)
    second = get(URL, params=params)
    assert second.content == first.content
    assert second.headers["content-type"] == first.headers["content-type"]
    assert second.headers["x-request-id"] != first.headers["x-request-id"]
    # the links name the URL asked at, not the one the page was first computed for
    other = get(URL, params=params, headers={"Host": "gis.example.internal:8443"})
    assert other.json()["features"] == first.json()["features"]
    assert other.json()["links"][0]["href"].startswith("http://gis.example.internal:8443/")


def test_a_commit_from_anywhere_is_never_answered_with_the_old_page(
        scene: Scene, commit_database: ScratchDatabase) -> None:
    get = scene.client("investment").get
    assert ids(get(URL)) == [scene.codes["west"], scene.codes["east"]]
    # another program (psql): forgotten when its notification arrives
    with psycopg.connect(libpq_dsn(commit_database.app_url), autocommit=True) as conn:
        conn.execute("UPDATE parcel SET status = 'producing' "
                     "WHERE unit_code = %s AND valid_to IS NULL", (scene.codes["east"],))
    assert scene.cache.listener.sync()
    assert ids(get(URL)) == [scene.codes["west"]]
    # this process's own write: its commit returns only once the cache has forgotten
    with Session(scene.engine) as s:
        s.execute(text("UPDATE parcel SET status = 'idle' "
                       "WHERE unit_code = :c AND valid_to IS NULL"), {"c": scene.codes["east"]})
        s.commit()
    assert ids(get(URL)) == [scene.codes["west"], scene.codes["east"]]
    # a firm's new name shows in the nearest firms at once
    with Session(scene.engine) as s:
        s.execute(text("INSERT INTO enterprise (uscc, name, chain, chain_link) VALUES "
                       "('91330602MA2BCDEF1X', '新来的封测厂', '集成电路', '封装测试')"))
        s.commit()
    assert len(scene.cache) == 0


def test_each_scope_has_its_own_pages(scene: Scene) -> None:
    assert ids(scene.client("investment").get(URL)) == [scene.codes["west"], scene.codes["east"]]
    assert ids(scene.client("town_officer").get(URL)) == [scene.codes["west"]]  # 塔山 only
    assert ids(scene.client("town_officer").get(URL)) == [scene.codes["west"]]
    assert len(scene.cache) == 2


def test_refused_and_ambiguous_requests_are_never_kept(
        scene: Scene, monkeypatch: pytest.MonkeyPatch) -> None:
    get = scene.client("investment").get
    bad = get(URL, params={"min_area_mu": 100, "max_area_mu": 10})
    assert bad.status_code == 422 and "面积范围颠倒" in bad.json()["detail"]
    assert get(URL, params={"town": "999999999"}).status_code == 422
    assert len(scene.cache) == 0
    twice = f"{URL}?limit=1&limit=2"
    assert get(twice).status_code == 200 and len(scene.cache) == 0  # repeated parameter
    assert get(URL).status_code == 200 and len(scene.cache) == 1
    # an unknown key is refused by the guard, cached page or not
    stranger = get(URL, headers={"X-API-Key": "lgk_00000000_not-a-real-key-at-all-xxxxxxxx"})
    assert stranger.status_code == 401 and stranger.json()["status"] == 401
    refuse_route(monkeypatch)
    with pytest.raises(AssertionError, match="the route computed"):
        get(twice)
