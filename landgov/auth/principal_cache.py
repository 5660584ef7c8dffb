"""An in-process memory of who a credential is, forgotten the moment accounts change.

Looking a key (or a token's user) up on every request was about 40 % of a cached tile's
CPU: two round trips and a pooled connection for an answer that almost never changes.
This cache keeps the answer for ``LANDGOV_AUTH_CACHE_SECONDS`` (default 60 s) and
forgets **everything** as soon as anything in ``api_key`` or ``app_user`` changes:

* migration 0013's statement triggers send a notification on ``landgov_auth`` at the
  commit of any change to those tables, whatever wrote it (CLI, API, raw SQL);
* each process runs one listener thread (``landgov/change_listener.py``) on its own
  connection, which clears the cache when a notification arrives — typically within a
  millisecond of the commit — and on every (re)connect, since it was deaf meanwhile;
* while the listener is not connected the cache is not used at all (every request
  looks its credential up, as before), so a lost connection never means stale access;
* an epoch, advanced by every clear, is read before a lookup and the answer is stored
  only if it has not moved: a lookup that raced a revocation is never remembered;
* this process's own account changes (``auth.service``) clear its caches synchronously.

Only successful authentications are remembered, keyed by the key's SHA-256 digest or the
username (a token is still verified — signature, expiry — on every request). Changes are
rare, so clearing everything is simpler and as cheap as evicting precisely.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref

from sqlalchemy.orm import Session

from landgov.auth.principal import Principal
from landgov.change_listener import ChangeListener
from landgov.db import Identity, database_urls, libpq_dsn, url_identity
from landgov.errors import SetupError
from landgov.settings import get_settings

log = logging.getLogger(__name__)
CHANNEL = "landgov_auth"
_CACHES: weakref.WeakSet[PrincipalCache] = weakref.WeakSet()



class PrincipalCache:
    """Credential → :class:`Principal`, trusted only while its listener is connected."""

    def __init__(self, dsn: str, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self.identity = url_identity(dsn)
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, Principal]] = {}
        self._epoch = 0
        self._lock = threading.Lock()
        self.listener = ChangeListener(dsn, CHANNEL, self.clear)
        _CACHES.add(self)

    def start(self, wait_seconds: float = 0.0) -> PrincipalCache:
        """Start listening; until connected every request is looked up."""
        self.listener.start(wait_seconds)
        return self

    def close(self) -> None:
        """Stop listening and forget everything."""
        _CACHES.discard(self)
        self.listener.stop()
        self.clear()

    def usable(self, session: Session) -> bool:
        """Whether remembered answers hold for this session's database now."""
        if not self.listener.connected:
            return False
        url = session.get_bind().engine.url
        return (url.host, url.port, url.database) == self.identity

    def get(self, key: str) -> Principal | None:
        """The remembered principal, if fresh."""
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic() or not self.listener.connected:
            return None
        return entry[1]

    def epoch(self) -> int:
        """Read before a lookup; pass to :meth:`put`."""
        return self._epoch

    def put(self, key: str, principal: Principal, epoch: int) -> None:
        """Remember a lookup's answer unless anything changed since ``epoch``."""
        with self._lock:
            if epoch != self._epoch or not self.listener.connected:
                return
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + self.ttl, principal)

    def clear(self) -> None:
        """Forget everything and advance the epoch (refusing racing stores)."""
        with self._lock:
            self._epoch += 1
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def clear_local() -> None:
    """Forget in every cache of this process (after this process's own account change)."""
    for cache in list(_CACHES):
        cache.clear()


_SHARED: dict[str, PrincipalCache] = {}
_CONFIGURED: dict[int, str | None] = {}  # id(settings) → the app URL (read once)
_SHARED_LOCK = threading.Lock()


def _configured_url() -> str | None:
    settings = get_settings()
    if id(settings) not in _CONFIGURED:
        try:
            url: str | None = database_urls(settings).app
        except SetupError:
            url = None
        if settings.auth_cache_seconds <= 0:
            url = None
        _CONFIGURED.clear()
        _CONFIGURED[id(settings)] = url
    return _CONFIGURED[id(settings)]


def shared_for(session: Session) -> PrincipalCache | None:
    """The process's cache, if the session is on the configured database and caching is on.

    Started on first use without waiting: requests are looked up until it listens. A
    session on another database (a test's) gets None, and no thread is started for it.
    """
    app_url = _configured_url()
    if app_url is None:
        return None
    cache = _SHARED.get(app_url)
    if cache is None:
        with _SHARED_LOCK:
            url = session.get_bind().engine.url
            if (url.host, url.port, url.database) != url_identity(app_url):
                return None
            cache = _SHARED.get(app_url) or PrincipalCache(
                libpq_dsn(app_url), get_settings().auth_cache_seconds).start()
            _SHARED[app_url] = cache
    return cache if cache.usable(session) else None


def started_for(identity: Identity) -> PrincipalCache | None:
    """The process's cache if it is already running, listening and on ``identity``.

    For callers without a session (answers served before FastAPI runs): never starts a
    cache, never waits.
    """
    app_url = _CONFIGURED.get(id(get_settings()))
    cache = _SHARED.get(app_url) if app_url else None
    if cache is None or cache.identity != identity or not cache.listener.connected:
        return None
    return cache
