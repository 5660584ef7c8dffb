"""Pages of ``/api/v1/plots/available`` kept in memory until anything they show changes.

The investment bureaus ask the same few questions many times ("集成电路, 100–200 亩,
滨海新区"), and the answers change only when a plot becomes available or taken, a firm
moves, or a name changes. Each process keeps the pages it has answered (an LRU bounded
in bytes, ``LANDGOV_PLOT_CACHE_MAX_BYTES``) and forgets **all** of them when any table a
page reads or is validated against changes: migration 0014's statement triggers notify
``landgov_plots`` at commit, whatever wrote (API, CLI, import, raw SQL), and the
process's :class:`~landgov.change_listener.ChangeListener` clears the cache — typically
within a millisecond of the commit. Such changes are rare next to reads, so clearing
everything is simpler than working out which pages a change touched, and as safe.

As for tiles and principals: the cache is used only while its listener is connected and
only for requests reading the database it listens to; an epoch, advanced by every clear,
is read before the page's statements, and a page is stored only if it has not moved —
a page computed from a snapshot older than a change is never kept. Read-your-writes for
this process's writers, as for tiles: the triggers mark the transaction
(``landgov.plots_dirty``), and after such a commit the session waits until the listener
has heard it (``ChangeListener.sync``), so the writer's next page is never the old one.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict

from sqlalchemy import event, text
from sqlalchemy.exc import UnboundExecutionError
from sqlalchemy.orm import Session

from landgov.change_listener import ForgetfulCache
from landgov.db import Identity, configured_app_url, libpq_dsn, session_database, url_identity
from landgov.investment.plot_pages import Page, PageKey
from landgov.settings import get_settings

CHANNEL = "landgov_plots"
_CACHES: weakref.WeakSet[PlotPageCache] = weakref.WeakSet()


class PlotPageCache(ForgetfulCache):
    """Page key → :class:`Page`, trusted only while its listener is connected."""

    def __init__(self, dsn: str, max_bytes: int) -> None:
        super().__init__(dsn, CHANNEL)
        self.max_bytes = max_bytes
        self._pages: OrderedDict[PageKey, Page] = OrderedDict()
        self._bytes = 0
        _CACHES.add(self)

    def close(self) -> None:
        """Stop listening and forget everything."""
        _CACHES.discard(self)
        super().close()

    def get(self, key: PageKey) -> Page | None:
        """The cached page (now the most recently used), or None."""
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: PageKey, page: Page, epoch: int) -> None:
        """Keep a page unless anything changed since ``epoch``; evict the least used."""
        if page.size > self.max_bytes:
            return
        with self._lock:
            if not self.may_store(epoch):
                return
            old = self._pages.pop(key, None)
            self._bytes += page.size - (old.size if old else 0)
            self._pages[key] = page
            while self._bytes > self.max_bytes:
                _, evicted = self._pages.popitem(last=False)
                self._bytes -= evicted.size

    def _forget(self) -> None:
        self._pages.clear()
        self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


_SHARED: dict[str, PlotPageCache] = {}
_SHARED_LOCK = threading.Lock()


def cache_for(state: object, database: Identity | None, *,
              start: bool) -> PlotPageCache | None:
    """The page cache for requests reading ``database``, or None (compute every page).

    Tests set one on ``app.state.plot_page_cache``; otherwise the process's own for the
    configured database, started on first use by the route (``start``) without waiting,
    never by the fast path.
    """
    cache: PlotPageCache | None = getattr(state, "plot_page_cache", None)
    if cache is None:
        cache = _shared(database, start)
    return cache if cache is not None and cache.usable_for(database) else None


def _shared(database: Identity | None, start: bool) -> PlotPageCache | None:
    url = _configured_url()
    if url is None or url_identity(url) != database:
        return None
    cache = _SHARED.get(url)
    if cache is None and start:
        with _SHARED_LOCK:
            cache = _SHARED.get(url) or PlotPageCache(
                libpq_dsn(url), get_settings().plot_cache_max_bytes).start()
            _SHARED[url] = cache
    return cache




def _configured_url() -> str | None:
    """The configured app URL, or None when this cache is off."""
    return configured_app_url() if get_settings().plot_cache_max_bytes > 0 else None


_DIRTY = text("SELECT current_setting('landgov.plots_dirty', true)")


def _caches_of(session: Session) -> list[PlotPageCache]:
    try:
        database = session_database(session)
    except UnboundExecutionError:  # a session without a database cannot have changed one
        return []
    return [c for c in list(_CACHES) if c.identity == database]


@event.listens_for(Session, "before_commit")
def _note_plot_changes(session: Session) -> None:
    """Before a commit, note whether this transaction changed anything a page shows."""
    if not _CACHES or not session.in_transaction() or not _caches_of(session):
        return
    if session.execute(_DIRTY).scalar() == "1":
        session.info["plots_dirty"] = True


@event.listens_for(Session, "after_commit")
def _wait_until_forgotten(session: Session) -> None:
    """After such a commit: return only once this process's caches have been cleared."""
    if not session.info.pop("plots_dirty", False):
        return
    for cache in _caches_of(session):
        if not cache.listener.sync():
            cache.clear()  # not heard in time: forget now rather than answer stale
