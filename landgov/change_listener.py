"""Caches that forget everything on any change: their ear and their common skeleton.

A cache that clears itself on any change of its tables (the principal cache, the plot
page cache) needs only to know *that* something committed. Its tables' statement
triggers ``pg_notify(channel, table)`` at commit; one daemon thread per cache holds its
own connection, LISTENs, and calls ``on_change`` for each notification — and on every
(re)connect, because whatever happened while it was deaf is unknown. While it is not
connected the cache must not be used (``connected``). ``sync()`` waits until every
notification committed before the call has been handled (read-your-writes for this
process's own writers).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Self

import psycopg

from landgov.db import Identity, url_identity

log = logging.getLogger(__name__)
_SYNC = "sync:"


class ChangeListener:
    """A daemon thread LISTENing on one channel; reconnects when its connection drops."""

    def __init__(self, dsn: str, channel: str, on_change: Callable[[], None], *,
                 poll_seconds: float = 1.0, retry_seconds: float = 1.0,
                 health_seconds: float = 5.0) -> None:
        self.dsn = dsn
        self.channel = channel
        self._on_change = on_change
        self._poll, self._retry, self._health = poll_seconds, retry_seconds, health_seconds
        self._stop = threading.Event()
        self._connected = threading.Event()
        self._waiters: dict[str, threading.Event] = {}
        self._thread = threading.Thread(target=self._run, name=f"landgov-{channel}-listener",
                                        daemon=True)

    @property
    def connected(self) -> bool:
        """Whether notifications are being received now."""
        return self._connected.is_set()

    def start(self, wait_seconds: float = 0.0) -> bool:
        """Start the thread; optionally wait (bounded) until it listens."""
        self._thread.start()
        return self._connected.wait(wait_seconds) if wait_seconds else self.connected

    def stop(self) -> None:
        """Stop listening (the cache is bypassed from now on)."""
        self._stop.set()
        self._connected.clear()
        if self._thread.is_alive():
            self._thread.join(self._poll + 5)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except psycopg.Error as exc:
                log.warning("%s listener lost its connection (%s); reconnecting", self.channel, exc)
            except Exception:
                log.exception("%s listener failed; retrying", self.channel)
            self._connected.clear()
            self._on_change()  # deaf from here on: forget, and stay bypassed until back
            self._stop.wait(self._retry)

    def _listen(self) -> None:
        with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {self.channel}")
            self._on_change()  # deaf until now: anything may have changed
            self._connected.set()
            checked = time.monotonic()
            while not self._stop.is_set():
                for note in conn.notifies(timeout=self._poll):
                    if note.payload.startswith(_SYNC):
                        waiter = self._waiters.get(note.payload.removeprefix(_SYNC))
                        if waiter is not None:
                            waiter.set()
                    else:
                        self._on_change()
                if time.monotonic() - checked > self._health:
                    conn.execute("SELECT 1")
                    checked = time.monotonic()

    def sync(self, timeout: float = 2.0) -> bool:
        """Wait until every notification committed before this call has been handled."""
        if not self.connected:
            return False
        token = uuid.uuid4().hex
        done = self._waiters[token] = threading.Event()
        try:
            with psycopg.connect(self.dsn, autocommit=True, connect_timeout=5) as conn:
                conn.execute("SELECT pg_notify(%s, %s)", (self.channel, _SYNC + token))
            return done.wait(timeout)
        finally:
            self._waiters.pop(token, None)


class ForgetfulCache(ABC):
    """The skeleton of a cache cleared by any notification on its channel.

    Subclasses hold the entries (:meth:`_forget` drops them all). An epoch, advanced by
    every clear, is read before computing an answer and passed back when storing it
    (:meth:`may_store`), so an answer computed from a snapshot that a change overtook
    is never kept; nothing is trusted while the listener is not connected.
    """

    def __init__(self, dsn: str, channel: str) -> None:
        self.identity: Identity = url_identity(dsn)
        self._epoch = 0
        self._lock = threading.Lock()
        self.listener = ChangeListener(dsn, channel, self.clear)

    def start(self, wait_seconds: float = 0.0) -> Self:
        """Start listening (optionally waiting, bounded); until connected it is not used."""
        self.listener.start(wait_seconds)
        return self

    def close(self) -> None:
        """Stop listening and forget everything."""
        self.listener.stop()
        self.clear()

    def usable_for(self, database: Identity | None) -> bool:
        """Whether remembered answers hold for reads of ``database`` now."""
        return self.listener.connected and database == self.identity

    def epoch(self) -> int:
        """Read before computing an answer; pass to the subclass's store."""
        return self._epoch

    def may_store(self, epoch: int) -> bool:
        """Under the lock: whether an answer computed at ``epoch`` may be kept."""
        return epoch == self._epoch and self.listener.connected

    def clear(self) -> None:
        """Forget everything and advance the epoch (refusing racing stores)."""
        with self._lock:
            self._epoch += 1
            self._forget()

    @abstractmethod
    def _forget(self) -> None:
        """Drop every entry (called under the lock)."""
