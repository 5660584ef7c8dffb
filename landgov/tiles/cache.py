"""Tile caches that can forget exactly the tiles an edit touched.

Two backends behind one small interface: :class:`MemoryCache`, an LRU bounded in
entries and bytes (the default, one per process), and :class:`RedisCache`, shared by
several app processes (``LANDGOV_REDIS_URL``). Both keep an index of the cached tiles
per (layer, tile matrix set, zoom), so an eviction visits only the tiles inside the
changed boxes' ranges, or the cached tiles of that zoom, whichever is fewer.

A tile rendered from a snapshot taken before an edit must not be stored after the
edit's eviction. Every cache therefore has an *epoch* that each eviction advances:
a renderer reads the epoch before its query and :meth:`put` stores only if it is
unchanged (for Redis, atomically in a Lua script), so a stale render is either
refused or stored early enough to be evicted.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

import redis

from landgov.tiles.grids import TileRange

log = logging.getLogger(__name__)
ENTRY_OVERHEAD = 200  # bytes of bookkeeping per cached tile, for the byte bound
SCAN_BATCH = 1000

RangesFor = Callable[[str, int], list[TileRange]]  # (tms, z) -> tile ranges to evict


@dataclass(frozen=True)
class TileKey:
    """Which tile, and for whom: ``scope`` is ``*`` or the town a reader is confined to."""

    layer: str
    tms: str
    z: int
    x: int
    y: int
    scope: str = "*"


@dataclass(frozen=True)
class CachedTile:
    """A tile's bytes and its ETag (a digest of the bytes)."""

    body: bytes
    etag: str


class TileCache(Protocol):
    """What the tile service needs from a cache."""

    def get(self, key: TileKey) -> CachedTile | None:
        """The cached tile, or None."""
        ...

    def epoch(self) -> str:
        """The current epoch; read before rendering, passed back to :meth:`put`."""
        ...

    def put(self, key: TileKey, tile: CachedTile, epoch: str) -> bool:
        """Store unless an eviction happened since ``epoch``; True if stored."""
        ...

    def evict(self, layers: frozenset[str], ranges: RangesFor) -> int:
        """Advance the epoch, then drop the tiles of ``layers`` inside ``ranges``."""
        ...

    def clear(self) -> None:
        """Advance the epoch and drop everything."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


def _cells(ranges: list[TileRange]) -> int:
    return sum((x1 - x0 + 1) * (y1 - y0 + 1) for x0, x1, y0, y1 in ranges)


def _in_ranges(x: int, y: int, ranges: list[TileRange]) -> bool:
    return any(x0 <= x <= x1 and y0 <= y <= y1 for x0, x1, y0, y1 in ranges)


def _xy(member: str) -> tuple[int, int]:
    x, y = member.split("/")
    return int(x), int(y)


def _range_cells(ranges: list[TileRange]) -> Iterator[tuple[int, int]]:
    for x0, x1, y0, y1 in ranges:
        for x in range(x0, x1 + 1):
            for y in range(y0, y1 + 1):
                yield x, y


class MemoryCache:
    """An in-process LRU of tiles, bounded by entry count and bytes."""

    def __init__(self, max_entries: int, max_bytes: int) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._tiles: OrderedDict[TileKey, CachedTile] = OrderedDict()
        # (layer, tms, z) -> (x, y) -> scopes cached there
        self._index: dict[tuple[str, str, int], dict[tuple[int, int], set[str]]] = {}
        self._bytes = 0
        self._epoch = 0
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._tiles)

    def get(self, key: TileKey) -> CachedTile | None:
        """The cached tile (now the most recently used), or None."""
        with self._lock:
            tile = self._tiles.get(key)
            if tile is not None:
                self._tiles.move_to_end(key)
            return tile

    def epoch(self) -> str:
        """The eviction counter as text."""
        return str(self._epoch)

    def put(self, key: TileKey, tile: CachedTile, epoch: str) -> bool:
        """Store the tile if nothing was evicted since ``epoch``; trim to the bounds."""
        size = len(tile.body) + ENTRY_OVERHEAD
        if size > self.max_bytes:
            return False
        with self._lock:
            if str(self._epoch) != epoch:
                return False
            self._drop(key)
            self._tiles[key] = tile
            self._bytes += size
            cell = self._index.setdefault((key.layer, key.tms, key.z), {})
            cell.setdefault((key.x, key.y), set()).add(key.scope)
            while len(self._tiles) > self.max_entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._tiles)))
            return True

    def _drop(self, key: TileKey) -> None:
        tile = self._tiles.pop(key, None)
        if tile is None:
            return
        self._bytes -= len(tile.body) + ENTRY_OVERHEAD
        zoom = self._index.get((key.layer, key.tms, key.z), {})
        scopes = zoom.get((key.x, key.y), set())
        scopes.discard(key.scope)
        if not scopes:
            zoom.pop((key.x, key.y), None)

    def evict(self, layers: frozenset[str], ranges: RangesFor) -> int:
        """Drop the cached tiles of ``layers`` that the ranges of each zoom cover."""
        dropped = 0
        with self._lock:
            self._epoch += 1
            for (layer, tms, z), cached in list(self._index.items()):
                if layer not in layers or not cached:
                    continue
                wanted = ranges(tms, z)
                if _cells(wanted) <= len(cached) * max(len(wanted), 1):
                    hits = [c for c in _range_cells(wanted) if c in cached]
                else:
                    hits = [c for c in cached if _in_ranges(*c, wanted)]
                for x, y in hits:
                    for scope in list(cached.get((x, y), ())):
                        self._drop(TileKey(layer, tms, z, x, y, scope))
                        dropped += 1
        return dropped

    def clear(self) -> None:
        """Forget every tile."""
        with self._lock:
            self._epoch += 1
            self._tiles.clear()
            self._index.clear()
            self._bytes = 0

    def close(self) -> None:
        """Nothing to release."""


_PUT = """
local e = redis.call('GET', KEYS[1]) or '0'
if e ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('EXPIRE', KEYS[2], ARGV[6])
redis.call('SADD', KEYS[3], ARGV[4])
redis.call('EXPIRE', KEYS[3], ARGV[6])
redis.call('SADD', KEYS[4], ARGV[5])
return 1
"""
ETAG_LENGTH = 32  # hex digits of the blake2b-128 digest the service uses as ETag


class RedisCache:
    """Tiles in Redis, shared by every app process; each tile a hash of scope → bytes.

    Every process's listener evicts (the work repeats, harmlessly), so a stale tile
    stored by a process that had not heard of an edit yet is removed by that
    process's own listener; and the shared epoch refuses stores begun before any
    eviction. Errors degrade to misses; an eviction that fails poisons the cache
    (nothing is served from it) until a full clear succeeds.
    """

    def __init__(self, url: str, ttl_seconds: int, namespace: str = "landgov") -> None:
        self._redis: redis.Redis = redis.Redis.from_url(url, socket_timeout=2,
                                                        socket_connect_timeout=2)
        self.ttl = ttl_seconds
        self._ns = f"{namespace}:tiles"
        self._put = self._redis.register_script(_PUT)
        self._poisoned = False

    def _tile_key(self, layer: str, tms: str, z: int, x: int, y: int) -> str:
        return f"{self._ns}:t:{layer}|{tms}|{z}|{x}|{y}"

    def _index_key(self, layer: str, tms: str, z: int) -> str:
        return f"{self._ns}:idx:{layer}|{tms}|{z}"

    def get(self, key: TileKey) -> CachedTile | None:
        """The cached tile, or None (also when Redis fails)."""
        if self._poisoned and not self._recover():
            return None
        try:
            raw: Any = self._redis.hget(self._tile_key(key.layer, key.tms, key.z, key.x, key.y),
                                        key.scope)
        except redis.RedisError as exc:
            log.warning("tile cache read failed: %s", exc)
            return None
        if raw is None:
            return None
        return CachedTile(bytes(raw[ETAG_LENGTH:]), bytes(raw[:ETAG_LENGTH]).decode())

    def epoch(self) -> str:
        """The shared eviction counter (``-`` if Redis cannot be read: store nothing)."""
        try:
            value: Any = self._redis.get(f"{self._ns}:epoch")
        except redis.RedisError:
            return "-"
        return value.decode() if value is not None else "0"

    def put(self, key: TileKey, tile: CachedTile, epoch: str) -> bool:
        """Store atomically unless the shared epoch moved since ``epoch``."""
        if epoch == "-" or self._poisoned or len(tile.etag) != ETAG_LENGTH:
            return False
        zoom = f"{key.layer}|{key.tms}|{key.z}"
        try:
            stored = self._put(
                keys=[f"{self._ns}:epoch", self._tile_key(key.layer, key.tms, key.z, key.x, key.y),
                      self._index_key(key.layer, key.tms, key.z), f"{self._ns}:zooms"],
                args=[epoch, key.scope, tile.etag.encode() + tile.body, f"{key.x}/{key.y}",
                      zoom, self.ttl])
        except redis.RedisError as exc:
            log.warning("tile cache write failed: %s", exc)
            return False
        return bool(stored)

    def evict(self, layers: frozenset[str], ranges: RangesFor) -> int:
        """Advance the epoch, then drop the covered tiles of every cached zoom."""
        try:
            self._redis.incr(f"{self._ns}:epoch")
            zooms: Any = self._redis.smembers(f"{self._ns}:zooms")
            return sum(self._evict_zoom(z.decode(), layers, ranges) for z in zooms)
        except redis.RedisError as exc:
            log.error("tile cache eviction failed (%s): clearing", exc)
            self._poisoned = True
            self._recover()
            return 0

    def _evict_zoom(self, zoom: str, layers: frozenset[str], ranges: RangesFor) -> int:
        layer, tms, z_text = zoom.split("|")
        if layer not in layers:
            return 0
        z = int(z_text)
        index = self._index_key(layer, tms, z)
        wanted = ranges(tms, z)
        cached = int(self._redis.scard(index))
        if not wanted or not cached:
            return 0
        # Deleting a range's keys blindly costs one command per cell; scanning the index
        # costs one transfer per cached tile of the zoom: take the smaller.
        if _cells(wanted) <= max(cached, SCAN_BATCH * 5):
            hits = [f"{x}/{y}" for x, y in _range_cells(wanted)]
        else:
            members: Any = self._redis.sscan_iter(index, count=SCAN_BATCH)
            hits = [m.decode() for m in members if _in_ranges(*_xy(m.decode()), wanted)]
        for start in range(0, len(hits), SCAN_BATCH):
            batch = hits[start:start + SCAN_BATCH]
            pipe = self._redis.pipeline(transaction=False)
            pipe.unlink(*(self._tile_key(layer, tms, z, *_xy(h)) for h in batch))
            pipe.srem(index, *batch)
            pipe.execute()
        return len(hits)

    def clear(self) -> None:
        """Advance the epoch and delete every key of this cache."""
        self._redis.incr(f"{self._ns}:epoch")
        batch: list[Any] = []
        for name in self._redis.scan_iter(match=f"{self._ns}:[tiz]*", count=SCAN_BATCH):
            batch.append(name)
            if len(batch) >= SCAN_BATCH:
                self._redis.unlink(*batch)
                batch.clear()
        if batch:
            self._redis.unlink(*batch)

    def _recover(self) -> bool:
        try:
            self.clear()
        except redis.RedisError:
            return False
        self._poisoned = False
        return True

    def close(self) -> None:
        """Close the connection pool."""
        self._redis.close()
