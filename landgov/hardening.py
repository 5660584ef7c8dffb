"""Protections every request passes through.

Request ids, the body size limit, security headers, and a per-caller rate limit.

Written as plain ASGI middleware (not Starlette's BaseHTTPMiddleware) so a body over the
limit is refused while it streams in, before it is buffered.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI, Request

from landgov.errors import PayloadTooLarge, TooManyRequests, problem_response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# Pages load scripts and styles only from this server; Leaflet sets inline styles.
CSP = (b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       b"img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; "
       b"object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'")
# Map pages (landgov/maps) set a CSP of their own: 'self' plus the hashes of exactly the
# inline scripts Folium wrote into that page, and framing by this server only.
OWN_POLICY_PREFIX = "/maps/"


class _BodyTooLarge(Exception):
    pass


class Hardening:
    """ASGI middleware: request id, body limit, security headers."""

    def __init__(self, app: ASGIApp, max_body: int,
                 larger: tuple[tuple[str, int], ...] = ()) -> None:
        self.app = app
        self.max_body = max_body
        self.larger = larger  # (path prefix, limit): uploads that are large by nature

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI connection."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        path = str(scope.get("path", ""))
        max_body = next((n for prefix, n in self.larger if path.startswith(prefix)),
                        self.max_body)
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_body:
            await self._refuse(scope, receive, send, request_id, max_body)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > max_body:
                raise _BodyTooLarge
            return message

        async def decorated_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                names = {k.lower() for k, _ in headers}
                # Only a page under OWN_POLICY_PREFIX may bring its own CSP / framing rule
                # (Folium pages: their inline scripts by hash, framed by the /maps/ shell).
                own = path.startswith(OWN_POLICY_PREFIX) and b"content-security-policy" in names
                extra = [h for h in SECURITY_HEADERS if not (own and h[0] in names)]
                extra.append((b"x-request-id", request_id.encode()))
                content_type = dict(headers).get(b"content-type", b"")
                if content_type.startswith(b"text/html") and not own:
                    extra.append((b"content-security-policy", CSP))
                message["headers"] = [*headers, *extra]
            await send(message)

        try:
            await self.app(scope, counted_receive, decorated_send)
        except _BodyTooLarge:
            await self._refuse(scope, receive, decorated_send, request_id, max_body)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, request_id: str,
                      max_body: int) -> None:
        err = PayloadTooLarge(f"请求体超过上限 {max_body} 字节")
        response = problem_response(err, scope.get("path"))
        response.headers["x-request-id"] = request_id
        await response(scope, receive, send)


class RateLimiter:
    """A token bucket per caller: ``per_minute`` requests, bursts up to that many."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, caller: str) -> bool:
        """Take one token for ``caller``; False when its bucket is empty."""
        now = time.monotonic()
        with self._lock:
            tokens, stamp = self._buckets.get(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - stamp) * self.rate)
            if tokens < 1:
                self._buckets[caller] = (tokens, now)
                return False
            self._buckets[caller] = (tokens - 1, now)
            return True


def rate_limit(request: Request, caller: str) -> None:
    """Refuse the request with 429 when ``caller`` is over its limit."""
    limiter: RateLimiter | None = getattr(request.app.state, "limiter", None)
    if limiter is not None and not limiter.allow(caller):
        raise TooManyRequests(f"{caller} 请求过于频繁, 请稍后再试")


def install(app: FastAPI, *, max_body: int, per_minute: int,
            larger: tuple[tuple[str, int], ...] = ()) -> None:
    """Add the middleware and the limiter to the app (``larger``: per-path-prefix limits)."""
    app.state.limiter = RateLimiter(per_minute)
    app.add_middleware(Hardening, max_body=max_body, larger=larger)


