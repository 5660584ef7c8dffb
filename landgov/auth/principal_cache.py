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

import threading
import time
import weakref

from sqlalchemy.orm import Session

from landgov.auth.principal import Principal
from landgov.change_listener import ForgetfulCache
from landgov.db import Identity, configured_app_url, libpq_dsn, session_database, url_identity
from landgov.settings import get_settings

CHANNEL = "landgov_auth"
_CACHES: weakref.WeakSet[PrincipalCache] = weakref.WeakSet()


class PrincipalCache(ForgetfulCache):
    """Credential → :class:`Principal`, trusted only while its listener is connected."""

    def __init__(self, dsn: str, ttl_seconds: float, max_entries: int = 10_000) -> None:
        super().__init__(dsn, CHANNEL)
        self.ttl = ttl_seconds
        self.max_entries = max_entries
        self._entries: dict[str, tuple[float, Principal]] = {}
        _CACHES.add(self)

    def close(self) -> None:
        """Stop listening and forget everything."""
        _CACHES.discard(self)
        super().close()

    def usable(self, session: Session) -> bool:
        """Whether remembered answers hold for this session's database now."""
        return self.usable_for(session_database(session))

    def get(self, key: str) -> Principal | None:
        """The remembered principal, if fresh."""
        entry = self._entries.get(key)
        if entry is None or entry[0] < time.monotonic() or not self.listener.connected:
            return None
        return entry[1]

    def put(self, key: str, principal: Principal, epoch: int) -> None:
        """Remember a lookup's answer unless anything changed since ``epoch``."""
        with self._lock:
            if not self.may_store(epoch):
                return
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = (time.monotonic() + self.ttl, principal)

    def _forget(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


def clear_local() -> None:
    """Forget in every cache of this process (after this process's own account change)."""
    for cache in list(_CACHES):
        cache.clear()


_SHARED: dict[str, PrincipalCache] = {}
_SHARED_LOCK = threading.Lock()


def _configured_url() -> str | None:
    """The configured app URL, or None when this cache is off."""
    return configured_app_url() if get_settings().auth_cache_seconds > 0 else None


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
            if session_database(session) != url_identity(app_url):
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
    app_url = _configured_url()
    cache = _SHARED.get(app_url) if app_url else None
    if cache is None or cache.identity != identity or not cache.listener.connected:
        return None
    return cache
