"""Tile arithmetic against PostGIS, and the two cache backends (Redis: a real server)."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from landgov.tiles.cache import CachedTile, MemoryCache, RedisCache, TileKey
from landgov.tiles.grids import grid, grids
from landgov.tiles.queries import MARGIN

HIT = text("""
SELECT ST_Transform(ST_TileEnvelope(:tz, :x, :y, ST_MakeEnvelope(:f0, :f1, :f2, :f3, :srid),
                                    margin => :m), 4490)
       && ST_MakeEnvelope(:x0, :y0, :x1, :y1, 4490)
""")


@pytest.mark.parametrize("tms", sorted(grids()))
def test_tile_ranges_are_exactly_the_tiles_the_sql_selects(db, tms):
    """Eviction must cover every tile whose query would pick a row in the box, and no more."""
    g = grid(tms)
    rng = random.Random(7)
    for _ in range(12):
        x0, y0 = rng.uniform(120.5, 120.8), rng.uniform(29.9, 30.2)
        box = (x0, y0, x0 + rng.choice([0.0, 1e-5, 0.002, 0.03]), y0 + rng.choice([0.0, 0.001]))
        z = rng.randint(max(g.tms.minzoom, 6), 18)
        [(tx0, tx1, ty0, ty1)] = g.tile_ranges([box], z, MARGIN)
        for x in range(tx0 - 1, tx1 + 2):
            for y in range(ty0 - 1, ty1 + 2):
                hit = db.execute(HIT, {
                    "tz": z + g.zoom_offset, "x": x, "y": y, "f0": g.frame[0], "f1": g.frame[1],
                    "f2": g.frame[2], "f3": g.frame[3], "srid": g.srid, "m": MARGIN,
                    "x0": box[0], "y0": box[1], "x1": box[2], "y1": box[3]}).scalar()
                inside = tx0 <= x <= tx1 and ty0 <= y <= ty1
                assert hit == inside, (tms, z, x, y, box)


def tile(n: int) -> CachedTile:
    return CachedTile(bytes([n % 256]) * 10, f"{n:032x}")


def everything(tms: str, z: int) -> list[tuple[int, int, int, int]]:
    return [(0, 2**z, 0, 2**z)]


@pytest.fixture(params=["memory", "redis"])
def cache(request, redis_url):
    if request.param == "memory":
        c = MemoryCache(max_entries=1000, max_bytes=10**6)
    else:
        c = RedisCache(redis_url, ttl_seconds=60, namespace=f"test{random.randrange(10**9)}")
        c.clear()
    yield c
    c.clear()
    c.close()


def test_put_get_and_epoch_refuses_renders_older_than_an_eviction(cache):
    key = TileKey("parcels", "WebMercatorQuad", 14, 10, 20)
    epoch = cache.epoch()
    assert cache.put(key, tile(1), epoch)
    assert cache.get(key) == tile(1)
    assert cache.get(TileKey("parcels", "WebMercatorQuad", 14, 10, 20, "330602001")) is None
    stale = cache.epoch()
    cache.evict(frozenset({"zones"}), everything)  # any eviction advances the epoch
    assert not cache.put(key, tile(2), stale)
    assert cache.get(key) == tile(1)


def test_evict_drops_exactly_the_tiles_in_range_for_every_zoom_and_scope(cache):
    keys = [TileKey("parcels", "WebMercatorQuad", z, x, y, s)
            for z in (10, 16) for x in range(4) for y in range(3) for s in ("*", "t1")]
    other = TileKey("zones", "WebMercatorQuad", 16, 1, 1)
    epoch = cache.epoch()
    for i, k in enumerate([*keys, other]):
        assert cache.put(k, tile(i), epoch)

    def ranges(tms: str, z: int):
        return [(1, 2, 1, 1)] if z == 16 else [(0, 0, 2, 2)]

    cache.evict(frozenset({"parcels"}), ranges)
    gone = {k for k in keys if (k.z == 16 and 1 <= k.x <= 2 and k.y == 1)
            or (k.z == 10 and k.x == 0 and k.y == 2)}
    assert len(gone) == 6
    for k in keys:
        assert (cache.get(k) is None) == (k in gone), k
    assert cache.get(other) is not None


def test_clear_forgets_everything(cache):
    key = TileKey("parcels", "CGCS2000Quad", 3, 1, 1)
    cache.put(key, tile(3), cache.epoch())
    cache.clear()
    assert cache.get(key) is None


def test_memory_cache_is_bounded_by_entries_and_bytes():
    cache = MemoryCache(max_entries=3, max_bytes=10**6)
    keys = [TileKey("parcels", "WebMercatorQuad", 1, i, 0) for i in range(4)]
    for i, k in enumerate(keys[:3]):
        cache.put(k, tile(i), cache.epoch())
    cache.get(keys[0])  # now most recently used
    cache.put(keys[3], tile(3), cache.epoch())
    assert cache.get(keys[1]) is None and cache.get(keys[0]) is not None and len(cache) == 3
    small = MemoryCache(max_entries=100, max_bytes=1000)
    for i in range(10):
        small.put(TileKey("parcels", "WebMercatorQuad", 2, i, 0),
                  CachedTile(b"x" * 300, f"{i:032x}"), small.epoch())
    assert len(small) == 2  # 2 × (300 + 200 bookkeeping) bytes


def test_redis_cache_is_shared_between_processes(redis_url):
    one = RedisCache(redis_url, 60, namespace="shared")
    two = RedisCache(redis_url, 60, namespace="shared")
    key = TileKey("parcels", "WebMercatorQuad", 12, 3, 4)
    try:
        epoch = one.epoch()
        two.evict(frozenset({"parcels"}), everything)  # another process evicts meanwhile
        assert not one.put(key, tile(1), epoch)
        assert one.put(key, tile(1), one.epoch())
        assert two.get(key) == tile(1)
        two.evict(frozenset({"parcels"}), lambda tms, z: [(3, 3, 4, 4)])
        assert one.get(key) is None
    finally:
        one.clear()
        one.close()
        two.close()


def test_redis_outage_degrades_to_misses():
    broken = RedisCache("redis://127.0.0.1:1/0", 60)
    key = TileKey("parcels", "WebMercatorQuad", 1, 0, 0)
    assert broken.get(key) is None
    assert broken.epoch() == "-"
    assert not broken.put(key, tile(1), "0")
    broken.close()
