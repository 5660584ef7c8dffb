"""After an edit by any write path no client receives the old tile; unrelated tiles stay.

Real commits on the test database and a started listener (``live``): the triggers of
migration 0003 notify, the listener evicts, the app's writes wait for their eviction.
"""

from __future__ import annotations

import json
import threading
import time

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.db import libpq_dsn
from landgov.parcels import service
from landgov.parcels.schemas import ParcelCreate
from landgov.tiles.cache import RedisCache
from tests.factories import geojson, metres_box, metres_line
from tests.tiles.conftest import Live, decode, make_live, tile_at

pytestmark = pytest.mark.commits
ZOOMS = (12, 14, 16, 18)


def make(live: Live, x: float, y: float, w: float, h: float) -> str:
    with Session(live.engine) as s:
        data = ParcelCreate(geometry=geojson(metres_box(x, y, w, h)))
        return service.create_parcel(s, data).unit_codes[0]


def codes_in(client, tile) -> dict[str, dict]:
    res = client.get("/tiles/parcels/{}/{}/{}.mvt".format(*tile))
    assert res.status_code == 200, res.text
    return {f["properties"].get("unit_code", str(f["id"])): f["properties"]
            for f in decode(res.content)}


def warm(live: Live, client, *points: tuple[float, float]) -> list[tuple[int, int, int]]:
    """Fetch (and so cache) the tiles at the points for every zoom in ZOOMS."""
    tiles = [tile_at(x, y, z) for x, y in points for z in ZOOMS]
    for t in tiles:
        codes_in(client, t)
        assert live.runtime.cache.get(live.key(*t)) is not None
    return tiles


@pytest.fixture
def scene(live: Live):
    """Parcel A in the west town, B far east; tiles around both cached at four zooms."""
    a = make(live, 100, 100, 200, 200)
    b = make(live, 3500, 1500, 200, 200)
    editor = live.client("land_editor")
    tiles_a = warm(live, editor, (200, 200))
    tiles_b = [t for t in warm(live, editor, (3600, 1600)) if t[0] >= 14]
    return live, editor, a, b, tiles_a, tiles_b


def assert_untouched(live: Live, tiles) -> None:
    for t in tiles:
        assert live.runtime.cache.get(live.key(*t)) is not None, f"{t} was evicted"


def test_patch_geometry_evicts_old_and_new_places_at_every_zoom(scene):
    live, editor, a, _b, tiles_a, tiles_b = scene
    new_place = warm(live, editor, (1500, 1500))
    res = editor.patch(f"/api/v1/parcels/{a}", headers={"If-Match": '"1"'},
                       json={"geometry": geojson(metres_box(1400, 1400, 200, 200))})
    assert res.status_code == 200, res.text
    for t in tiles_a + new_place:
        if t[0] >= 14 and t not in new_place:
            assert a not in codes_in(editor, t)
        if t in new_place:
            assert a in codes_in(editor, t)
    assert_untouched(live, tiles_b)


def test_patch_attributes_shows_at_once(scene):
    live, editor, a, _b, tiles_a, tiles_b = scene
    res = editor.patch(f"/api/v1/parcels/{a}", headers={"If-Match": '"1"'},
                       json={"status": "idle"})
    assert res.status_code == 200
    for t in tiles_a:
        assert codes_in(editor, t)[a]["status"] == "idle"
    assert_untouched(live, tiles_b)


def test_split_merge_create_and_retire_through_the_api(scene):
    live, editor, a, _b, tiles_a, tiles_b = scene
    res = editor.post(f"/api/v1/parcels/{a}/split", headers={"If-Match": '"1"'},
                      json={"line": metres_line((200, 50), (200, 350))})
    assert res.status_code == 201, res.text
    children = res.json()["unit_codes"]
    for t in tiles_a:
        assert set(codes_in(editor, t)) >= set(children) and a not in codes_in(editor, t)
    merged = editor.post("/api/v1/parcels/merge", json={
        "parcels": [{"unit_code": c, "version": 1} for c in children]})
    assert merged.status_code == 201, merged.text
    (whole,) = merged.json()["unit_codes"]
    for t in tiles_a:
        seen = codes_in(editor, t)
        assert whole in seen and not set(children) & set(seen)
    empty = warm(live, editor, (900, 900))
    created = editor.post("/api/v1/parcels",
                          json={"geometry": geojson(metres_box(850, 850, 100, 100))})
    assert created.status_code == 201
    (new,) = created.json()["unit_codes"]
    for t in empty:
        assert new in codes_in(editor, t)
    retired = editor.delete(f"/api/v1/parcels/{whole}", headers={"If-Match": '"1"'})
    assert retired.status_code == 200, retired.text
    for t in tiles_a:
        assert whole not in codes_in(editor, t)
    assert_untouched(live, tiles_b)


def test_raw_sql_in_a_session_is_evicted_before_commit_returns(scene):
    live, editor, a, _b, tiles_a, tiles_b = scene
    with Session(live.engine) as s:
        s.execute(text("UPDATE parcel SET status = 'cleared' WHERE unit_code = :c "
                       "AND valid_to IS NULL"), {"c": a})
        s.commit()
    for t in tiles_a:
        assert codes_in(editor, t)[a]["status"] == "cleared"
    assert_untouched(live, tiles_b)


def test_raw_sql_from_another_program_is_evicted_when_its_notification_arrives(
        scene, tiles_database):
    live, _editor, a, _b, tiles_a, tiles_b = scene
    with psycopg.connect(libpq_dsn(tiles_database.app_url), autocommit=True) as conn:
        conn.execute("UPDATE parcel SET geom = ST_Translate(geom, 0.0001, 0) "
                     "WHERE unit_code = %s AND valid_to IS NULL", (a,))
        committed = time.monotonic()
    while any(live.runtime.cache.get(live.key(*t)) for t in tiles_a):
        assert time.monotonic() - committed < 2, "notification not handled within 2 s"
        time.sleep(0.001)
    assert_untouched(live, tiles_b)


def test_bulk_sql_sends_few_notifications_and_evicts_every_touched_tile(live, tiles_database):
    editor = live.client("land_editor")
    with Session(live.engine) as s:
        for i in range(30):
            service.create_parcel(s, ParcelCreate(
                geometry=geojson(metres_box(50 + 60 * i, 50 + 50 * (i % 3), 40, 40))))
    far = make(live, 3500, 1500, 200, 200)
    tiles = warm(live, editor, (70, 70), (1000, 100), (1800, 150))
    far_tiles = [t for t in warm(live, editor, (3600, 1600)) if t[0] >= 14]
    with psycopg.connect(libpq_dsn(tiles_database.app_url), autocommit=True) as listen:
        listen.execute("LISTEN landgov_tiles")
        with Session(live.engine) as s:
            s.execute(text("UPDATE parcel SET status = 'idle' WHERE valid_to IS NULL "
                           "AND unit_code <> :far"), {"far": far})
            s.commit()
        notes = list(listen.notifies(timeout=0.5))
    # other layers' tables (available_plot, …) notify for their own rows too
    boxes = [n for n in notes if '"boxes"' in n.payload
             and json.loads(n.payload)["table"] == "parcel"]
    assert len(boxes) == 1  # one statement, one message (30 boxes)
    for t in tiles:
        assert all(p["status"] == "idle" for c, p in codes_in(editor, t).items() if c != far)
    assert_untouched(live, far_tiles)


def test_concurrent_readers_never_see_a_tile_older_than_the_last_commit(scene):
    """Each edit widens A by 5 m, so its area tells which version a reader got: never
    one older than the last edit that had returned when the read began."""
    live, editor, a, _b, _tiles_a, _tiles_b = scene
    tile = tile_at(200, 200, 16)
    reader = live.client("viewer")
    seen: list[tuple[float, float]] = []
    commits: list[tuple[float, float]] = [(0.0, 60.0)]
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            started = time.monotonic()
            seen.append((started, codes_in(reader, tile)[a]["area_mu"]))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for th in threads:
        th.start()
    try:
        for version in range(1, 16):
            width = 200 + 5 * version
            res = editor.patch(f"/api/v1/parcels/{a}", headers={"If-Match": f'"{version}"'},
                               json={"geometry": geojson(metres_box(100, 100, width, 200))})
            assert res.status_code == 200, res.text
            commits.append((time.monotonic(), round(width * 200 / (10000 / 15), 2)))
            time.sleep(0.01)
    finally:
        stop.set()
        for th in threads:
            th.join()
    assert len(seen) > 30
    order = [area for _, area in commits]
    for started, area in seen:
        newest_done = max(i for i, (t, _) in enumerate(commits) if t <= started)
        assert order.index(pytest.approx(area, abs=0.02)) >= newest_done, (area, order)


def test_listener_reconnects_and_forgets_what_it_may_have_missed(scene, tiles_database):
    live, editor, a, _b, tiles_a, _tiles_b = scene
    listener = live.runtime.listener
    with psycopg.connect(libpq_dsn(tiles_database.app_url), autocommit=True) as conn:
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE query = 'LISTEN landgov_tiles' AND datname = current_database()")
        deadline = time.monotonic() + 5
        while listener.connected and time.monotonic() < deadline:
            time.sleep(0.01)
        conn.execute("UPDATE parcel SET status = 'idle' WHERE unit_code = %s "
                     "AND valid_to IS NULL", (a,))
    for t in tiles_a:  # while deaf, the cache is bypassed; after reconnecting it is cleared
        assert codes_in(editor, t)[a]["status"] == "idle"
    deadline = time.monotonic() + 10
    while not listener.connected:
        assert time.monotonic() < deadline, "listener did not reconnect"
        time.sleep(0.05)
    for t in tiles_a:
        assert codes_in(editor, t)[a]["status"] == "idle"
    assert live.runtime.cache.get(live.key(*tiles_a[0])) is not None  # caching again


def test_redis_cache_shared_by_two_app_processes(tiles_committing, tiles_database, redis_url):
    committing = tiles_committing
    from fastapi.testclient import TestClient

    from landgov.auth.service import create_key

    first, rt1 = make_live(committing, tiles_database, RedisCache(redis_url, 60, "apps"))
    second, rt2 = make_live(committing, tiles_database, RedisCache(redis_url, 60, "apps"))
    try:
        with Session(committing) as s:
            key = create_key(s, "redis test", "land_editor")
            code = service.create_parcel(s, ParcelCreate(
                geometry=geojson(metres_box(100, 100, 200, 200)))).unit_codes[0]
        one = TestClient(first, headers={"X-API-Key": key})
        two = TestClient(second, headers={"X-API-Key": key})
        tiles = [tile_at(200, 200, z) for z in ZOOMS]
        for t in tiles:
            codes_in(one, t)
        for t in tiles:  # the second process is served from the shared cache
            assert rt2.cache.get(Live.key(None, *t)) is not None  # type: ignore[arg-type]
            assert codes_in(two, t)[code]["status"] == "supplied"
        res = one.patch(f"/api/v1/parcels/{code}", headers={"If-Match": '"1"'},
                        json={"status": "idle"})
        assert res.status_code == 200
        for t in tiles:
            assert codes_in(two, t)[code]["status"] == "idle"
        one.close()
        two.close()
    finally:
        rt1.cache.clear()
        rt1.close()
        rt2.close()


def test_renaming_a_town_and_truncating_parcels_evict_too(scene, tiles_owner_engine):
    live, editor, a, _b, tiles_a, tiles_b = scene
    with Session(live.engine) as s:
        s.execute(text("UPDATE town SET name = '塔山街道 (新)' WHERE code = '330602001'"))
        s.commit()
    for t in tiles_a:
        assert codes_in(editor, t)[a]["town"] == "塔山街道 (新)"
    assert_untouched(live, tiles_b)  # 府山街道's tiles keep their names
    with tiles_owner_engine.begin() as conn:
        conn.execute(text("TRUNCATE parcel_lineage, occupancy, parcel CASCADE"))
    assert live.runtime.listener.sync()
    for t in tiles_a + tiles_b:
        assert live.runtime.cache.get(live.key(*t)) is None
        assert codes_in(editor, t) == {}


def test_colour_and_class_follow_evaluation_runs_and_occupancy(scene):
    """A new run flushes the layer; a change of who uses a parcel evicts its tiles."""
    from landgov.evaluation import service as evaluation
    from tests.evaluation.conftest import World

    live, editor, a, _b, tiles_a, tiles_b = scene
    assert codes_in(editor, tiles_a[-1])[a].get("colour") is None  # not evaluated yet
    with Session(live.engine) as s:
        World(s).firm(land=[(a, 1)])  # a firm on A with indicators for 2025
        s.commit()
    for t in tiles_a:  # the occupancy change evicted A's tiles
        assert live.runtime.cache.get(live.key(*t)) is None
    assert_untouched(live, tiles_b)
    with Session(live.engine) as s:
        evaluation.evaluate(s, 2025, None, "test")
    props = codes_in(editor, tiles_a[-1])[a]
    api = editor.get(f"/api/v1/parcels/{a}").json()["properties"]
    # the only firm ranks first (A) and, alone, is also the county's worst decile on every
    # flag (default rules), so red: the tile says what the API says
    assert (props["eval_class"], props["colour"]) == (api["evaluation_class"], api["colour"])
    assert props["eval_class"] == "A" and props["colour"] == "red"
    assert live.runtime.cache.get(live.key(*tiles_b[0])) is None  # a run flushes everything
