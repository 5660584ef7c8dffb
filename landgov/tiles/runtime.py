"""The process's tile cache and its listener, wired together.

A :class:`TileRuntime` serves from its cache only while its listener is connected, and
only to sessions on the database the listener hears (a test's session on another
database renders every tile). One runtime per database per process, made on first use
(:func:`shared_runtime`): the listener thread starts with the first tile request, not
with the app, so commands and tests that never ask for a tile open no connection.
"""

from __future__ import annotations

import logging
import threading

import numpy as np
from sqlalchemy.orm import Session

from landgov.db import Identity, database_urls, libpq_dsn, session_database
from landgov.errors import SetupError
from landgov.settings import Settings, get_settings
from landgov.tiles.cache import CachedTile, MemoryCache, RedisCache, TileCache, TileKey
from landgov.tiles.grids import TileRange, grids
from landgov.tiles.layers import layers_reading
from landgov.tiles.listener import Change, Listener
from landgov.tiles.queries import MARGIN

log = logging.getLogger(__name__)


class TileRuntime:
    """A cache plus the listener that keeps it true to the database."""

    def __init__(self, cache: TileCache, dsn: str | None) -> None:
        self.cache = cache
        self.listener = Listener(dsn, self.apply, cache.clear) if dsn else None
        self.evicted = 0

    def start(self) -> TileRuntime:
        """Start listening (waits a few seconds for the first connection)."""
        if self.listener is not None and not self.listener.start():
            log.warning("tile listener not connected yet: tiles are served uncached")
        return self

    def close(self) -> None:
        """Stop the listener and release the cache's connections."""
        if self.listener is not None:
            self.listener.stop()
        self.cache.close()

    @property
    def in_process(self) -> bool:
        """Whether a lookup stays in this process (no network: fine on the event loop)."""
        return isinstance(self.cache, MemoryCache)

    def usable(self, session: Session) -> bool:
        """Whether cached tiles can be trusted for this session's database now."""
        return self.usable_for(session_database(session))

    def usable_for(self, database: Identity | None) -> bool:
        """Whether cached tiles can be trusted for reads of ``database`` now."""
        if self.listener is None or not self.listener.connected:
            return False
        return database is not None and database == self.listener.identity

    def lookup(self, session: Session, key: TileKey) -> CachedTile | None:
        """The cached tile, if the cache is usable and has it."""
        return self.cache.get(key) if self.usable(session) else None

    def epoch(self, session: Session) -> str | None:
        """Read before rendering; None when the render must not be stored."""
        return self.cache.epoch() if self.usable(session) else None

    def store(self, session: Session, key: TileKey, tile: CachedTile, epoch: str | None) -> None:
        """Cache a fresh render unless anything was evicted since ``epoch``."""
        if epoch is not None and self.usable(session):
            self.cache.put(key, tile, epoch)

    def apply(self, change: Change) -> None:
        """Evict what a committed change touched, in every layer that reads its table."""
        layers = frozenset(v.name for v in layers_reading(change.table))
        if not layers:
            return
        boxes = change.boxes
        projected: dict[str, np.ndarray] = {}  # each grid's CRS, computed once per change

        def ranges(tms: str, z: int) -> list[TileRange]:
            grid = grids()[tms]
            if boxes is None:
                matrix = grid.tms.matrix(z)
                return [(0, matrix.matrixWidth - 1, 0, matrix.matrixHeight - 1)]
            if tms not in projected:
                projected[tms] = grid.project(boxes)
            return grid.ranges(projected[tms], z, MARGIN)

        self.evicted += self.cache.evict(layers, ranges)


def make_cache(settings: Settings) -> TileCache:
    """Redis when ``LANDGOV_REDIS_URL`` is set, else the in-process LRU."""
    if settings.redis_url:
        return RedisCache(settings.redis_url, settings.tile_cache_ttl_seconds)
    return MemoryCache(settings.tile_cache_max_entries, settings.tile_cache_max_bytes)


_RUNTIMES: dict[str, TileRuntime] = {}
_KEYS: dict[int, str] = {}  # id(settings) → its key in _RUNTIMES
_LOCK = threading.Lock()


def current_runtime() -> TileRuntime | None:
    """The process's runtime if it has been started (no locking, no I/O)."""
    settings = get_settings()
    key = _KEYS.get(id(settings))
    return _RUNTIMES.get(key) if key is not None else None


def shared_runtime() -> TileRuntime:
    """The process's runtime for the configured database (started on first use)."""
    settings = get_settings()
    try:
        dsn: str | None = libpq_dsn(database_urls(settings).app)
    except SetupError:
        dsn = None
    key = dsn or ""
    _KEYS[id(settings)] = key
    with _LOCK:
        runtime = _RUNTIMES.get(key)
        if runtime is None:
            runtime = _RUNTIMES[key] = TileRuntime(make_cache(settings), dsn).start()
        return runtime
