"""Cached tiles answered before FastAPI (``tiles/fast_path.py``) answer as the route does.

Real commits and a started listener (``live``), plus a listening principal cache on the
same database and ``app.state.database_identity`` naming it, so the fast path may run.
Whether it answered is observed by making the route's own cache lookup fail the test.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.orm import Session

from landgov.auth.principal_cache import PrincipalCache
from landgov.db import libpq_dsn, url_identity
from landgov.hardening import RateLimiter
from landgov.parcels import service as parcels
from landgov.parcels.schemas import ParcelCreate
from landgov.scratch import ScratchDatabase
from landgov.tiles import queries, service
from tests.factories import geojson, metres_box
from tests.tiles.conftest import Live, decode, tile_at

pytestmark = pytest.mark.commits
TILE = tile_at(200, 200, 16)
PATH = "/tiles/parcels/{}/{}/{}.mvt".format(*TILE)


@pytest.fixture
def fast(live: Live, tiles_database: ScratchDatabase) -> Iterator[Live]:
    """``live`` with the fast path able to answer, and one parcel in TILE."""
    cache = PrincipalCache(libpq_dsn(tiles_database.app_url), 60).start(wait_seconds=5)
    assert cache.listener.connected
    live.app.state.principal_cache = cache
    live.app.state.database_identity = url_identity(tiles_database.app_url)
    with Session(live.engine) as s:
        parcels.create_parcel(s, ParcelCreate(geometry=geojson(metres_box(100, 100, 200, 200))))
    try:
        yield live
    finally:
        cache.close()


@pytest.fixture
def route_must_not_run(monkeypatch: pytest.MonkeyPatch):
    """Arm: from now on the route's cache lookup (and render) fails the test."""

    def arm() -> None:
        def refuse(*_a: object, **_k: object) -> None:
            raise AssertionError("the route ran: the fast path did not answer")

        monkeypatch.setattr(service, "cached_vector_tile", refuse)
        monkeypatch.setattr(service, "vector_tile", refuse)

    return arm


def test_a_cached_tile_is_answered_before_the_route_with_the_same_bytes_and_headers(
        fast: Live, route_must_not_run) -> None:
    client = fast.client("viewer")
    first = client.get(PATH)  # rendered by the route, stored
    assert first.status_code == 200 and decode(first.content)
    route_must_not_run()
    second = client.get(PATH)
    assert second.status_code == 200
    assert second.content == first.content
    for name in ("etag", "cache-control", "vary", "content-type", "x-content-type-options",
                 "x-frame-options"):
        assert second.headers[name] == first.headers[name], name
    assert second.headers["x-request-id"] and second.headers["x-request-id"] != \
        first.headers["x-request-id"]
    again = client.get(PATH, headers={"If-None-Match": second.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


def test_unknown_key_forbidden_layer_and_bad_address_still_get_the_routes_refusals(
        fast: Live, route_must_not_run) -> None:
    viewer = fast.client("viewer")
    assert viewer.get(PATH).status_code == 200  # cached for scope *
    bad = viewer.get("/tiles/parcels/3/99/0.mvt")  # outside the matrix: the route's 4xx
    assert 400 <= bad.status_code < 500 and bad.json()["status"] == bad.status_code
    route_must_not_run()
    # what follows never reaches the cache lookup: the guard or the address check refuses
    anon = viewer.get(PATH, headers={"X-API-Key": "lgk_00000000_not-a-real-key-at-all-xxxxxxxx"})
    assert anon.status_code == 401 and anon.json()["status"] == 401
    cases = fast.client("investment").get("/tiles/cases/{}/{}/{}.mvt".format(*TILE))
    assert cases.status_code == 403 and "cases:read" in cases.json()["detail"]


def test_a_town_officer_never_gets_a_tile_cached_for_the_whole_district(
        fast: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    renders: list[object] = []
    real = queries.render
    monkeypatch.setattr(queries, "render", lambda s, r: renders.append(r) or real(s, r))
    fast.client("viewer").get(PATH)
    officer = fast.client("town_officer")
    assert officer.get(PATH).status_code == 200
    assert [r.town for r in renders] == [None, "330602001"]  # rendered for its scope
    officer.get(PATH)
    assert len(renders) == 2  # and from then on served from its own entry


def test_an_edit_is_never_answered_with_the_old_tile(fast: Live, tiles_database) -> None:
    viewer = fast.client("viewer")
    before = {f["properties"]["status"] for f in decode(viewer.get(PATH).content)}
    assert before == {"supplied"}
    with psycopg.connect(libpq_dsn(tiles_database.app_url), autocommit=True) as conn:
        conn.execute("UPDATE parcel SET status = 'idle' WHERE valid_to IS NULL")
    assert fast.runtime.listener is not None and fast.runtime.listener.sync()
    after = {f["properties"]["status"] for f in decode(viewer.get(PATH).content)}
    assert after == {"idle"}


def test_a_caller_over_its_rate_limit_gets_the_routes_429(fast: Live) -> None:
    viewer = fast.client("viewer")
    assert viewer.get(PATH).status_code == 200
    fast.app.state.limiter = RateLimiter(per_minute=2)
    codes = [viewer.get(PATH).status_code for _ in range(4)]
    assert codes[:2] == [200, 200] and codes[2:] == [429, 429]


def test_no_fast_answer_while_the_principal_cache_is_not_listening(
        fast: Live, route_must_not_run, tiles_database) -> None:
    viewer = fast.client("viewer")
    assert viewer.get(PATH).status_code == 200
    fast.app.state.principal_cache.listener.stop()
    route_must_not_run()
    with pytest.raises(AssertionError, match="the route ran"):
        viewer.get(PATH)
