"""LISTEN for the database's change notifications and hand them to the cache.

The migration's triggers send, at commit, the bounding boxes of every changed current
row on channel ``landgov_tiles`` (any write path, raw SQL included). One thread per
process holds its own connection, LISTENs, and calls back for each change. When the
connection breaks (the database restarts, the network drops) the thread reconnects;
whatever happened while it was deaf is unknown, so it clears the cache on every
(re)connect, and while it is not connected the cache is bypassed.

Read-your-writes for the app's own writers: the trigger also marks the transaction
(``landgov.tiles_dirty``); after such a commit, :func:`_wait_for_eviction` sends a
``sync`` notification and waits until the listener has seen it. PostgreSQL delivers
notifications in commit order, so by then the edit's evictions are done and the
editor's refetch of the tiles it touched cannot get an old one. A writer from outside
the app (psql, another program) is evicted as soon as its notification arrives,
typically within a millisecond of its commit.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import psycopg
from sqlalchemy import event, text
from sqlalchemy.exc import UnboundExecutionError
from sqlalchemy.orm import Session

from landgov.db import session_database, url_identity
from landgov.tiles.grids import Box

log = logging.getLogger(__name__)
CHANNEL = "landgov_tiles"
_ACTIVE: weakref.WeakSet[Listener] = weakref.WeakSet()


@dataclass(frozen=True)
class Change:
    """A committed change: the table, and its boxes (None: assume everything changed)."""

    table: str
    boxes: list[Box] | None


def parse(payload: str) -> Change | str | None:
    """A notification's payload: a :class:`Change`, a sync token, or None if unreadable.

    >>> parse('{"table": "parcel", "boxes": [[120.1, 30.0, 120.2, 30.1]]}')
    Change(table='parcel', boxes=[(120.1, 30.0, 120.2, 30.1)])
    >>> parse('{"sync": "abc"}')
    'abc'
    """
    try:
        data = json.loads(payload)
        if "sync" in data:
            return str(data["sync"])
        if data.get("all"):
            return Change(str(data["table"]), None)
        boxes = [(float(b[0]), float(b[1]), float(b[2]), float(b[3])) for b in data["boxes"]]
        return Change(str(data["table"]), boxes)
    except (ValueError, KeyError, TypeError, IndexError):
        return None


class Listener:
    """A daemon thread that LISTENs on its own connection and reconnects when it drops."""

    def __init__(self, dsn: str, on_change: Callable[[Change], None],
                 on_reset: Callable[[], None], *, poll_seconds: float = 1.0,
                 health_seconds: float = 5.0, retry_seconds: float = 1.0) -> None:
        self.dsn = dsn
        self.identity = url_identity(dsn)
        self._on_change = on_change
        self._on_reset = on_reset
        self._poll = poll_seconds
        self._health = health_seconds
        self._retry = retry_seconds
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._waiters: dict[str, threading.Event] = {}
        self._lock = threading.Lock()
        self._sender: psycopg.Connection[tuple[object, ...]] | None = None
        self._send_lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="landgov-tiles-listener",
                                        daemon=True)

    @property
    def connected(self) -> bool:
        """Whether notifications are being received now (else the cache is bypassed)."""
        return self._connected.is_set()

    def start(self, wait_seconds: float = 5.0) -> bool:
        """Start the thread and wait (bounded) until it listens."""
        self._thread.start()
        _ACTIVE.add(self)
        return self._connected.wait(wait_seconds)

    def stop(self) -> None:
        """Stop listening and close both connections."""
        _ACTIVE.discard(self)
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(self._poll + 5)
        with self._send_lock:
            if self._sender is not None:
                self._sender.close()
                self._sender = None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error as exc:
                log.warning("tile listener lost its connection (%s); reconnecting", exc)
            except Exception:  # the cache's reset failed (Redis down): retry, stay bypassed
                log.exception("tile listener failed; retrying")
            self._connected.clear()
            self._stop.wait(self._retry)

    def _listen(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {CHANNEL}")
            # Deaf until now: anything may have changed. Clear, then serve from cache.
            self._on_reset()
            self._connected.set()
            checked = time.monotonic()
            while not self._stop.is_set():
                for note in conn.notifies(timeout=self._poll):
                    self._dispatch(note.payload)
                if time.monotonic() - checked > self._health:
                    conn.execute("SELECT 1")
                    checked = time.monotonic()

    def _dispatch(self, payload: str) -> None:
        message = parse(payload)
        if isinstance(message, str):
            with self._lock:
                waiter = self._waiters.get(message)
            if waiter is not None:
                waiter.set()
            return
        try:
            if message is None:
                log.warning("unreadable tile notification %.200r: clearing the cache", payload)
                self._on_reset()
            else:
                self._on_change(message)
        except Exception:
            log.exception("tile eviction failed: clearing the cache")
            self._on_reset()

    def sync(self, timeout: float = 2.0) -> bool:
        """Wait until every notification committed before this call has been handled."""
        if not self.connected:
            return False
        token = uuid.uuid4().hex
        done = threading.Event()
        with self._lock:
            self._waiters[token] = done
        try:
            self._send(json.dumps({"sync": token}))
            return done.wait(timeout)
        except psycopg.Error as exc:
            log.warning("tile listener sync failed: %s", exc)
            return False
        finally:
            with self._lock:
                self._waiters.pop(token, None)

    def _send(self, payload: str) -> None:
        with self._send_lock:
            if self._sender is None or self._sender.closed:
                self._sender = psycopg.connect(self.dsn, autocommit=True, connect_timeout=5)
            try:
                self._sender.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            except psycopg.Error:
                self._sender.close()
                self._sender = None
                raise

    def resync(self) -> None:
        """After a failed sync: forget every cached tile (the safe answer)."""
        try:
            self._on_reset()
        except Exception:
            log.exception("tile cache reset failed")


_DIRTY = text("SELECT current_setting('landgov.tiles_dirty', true)")


def _listeners_of(session: Session) -> list[Listener]:
    try:
        database = session_database(session)
    except UnboundExecutionError:  # a session without a database cannot have changed one
        return []
    return [li for li in list(_ACTIVE) if li.identity == database]


@event.listens_for(Session, "before_commit")
def _note_tile_changes(session: Session) -> None:
    """Before a commit, note whether this transaction changed anything a tile shows."""
    if not _ACTIVE or not session.in_transaction() or not _listeners_of(session):
        return
    if session.execute(_DIRTY).scalar() == "1":
        session.info["tiles_dirty"] = True


@event.listens_for(Session, "after_commit")
def _wait_for_eviction(session: Session) -> None:
    """After such a commit: return only once this process's cache has evicted it."""
    if not session.info.pop("tiles_dirty", False):
        return
    for listener in _listeners_of(session):
        if not listener.sync():
            listener.resync()
