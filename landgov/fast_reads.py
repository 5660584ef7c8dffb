"""Reads answered from memory before FastAPI runs: the hot, cached GETs.

A cached tile or plot page costs microseconds to find; FastAPI's handling around it
(routing, dependency resolution with a worker-thread hop for the session, parameter
validation, the response object) cost ~0.7 ms of CPU, which capped warm tiles at
~1,300/s per process. Each domain that keeps such a cache registers a route here: a
path pattern and a handler that returns the exact answer its FastAPI route would give
from the same cache entry, or None. None — a miss, an unknown caller, anything the
handler is not certain of — sends the request on to FastAPI unchanged, which renders,
refuses or answers as always. Installed inside the hardening middleware, so both paths
get the same request id and security headers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from landgov.hardening import ASGIApp, Receive, Scope, Send


@dataclass(frozen=True)
class Answer:
    """A complete HTTP answer: status, headers (lower-case names) and body."""

    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""


Handler = Callable[[Scope, dict[bytes, bytes], re.Match[str]], Answer | None]


@dataclass(frozen=True)
class FastRoute:
    """A GET path pattern and the handler that may answer it from memory."""

    pattern: re.Pattern[str]
    handler: Handler


class FastReads:
    """ASGI middleware: the registered GETs answered from memory when their handler can."""

    def __init__(self, app: ASGIApp, routes: Sequence[FastRoute]) -> None:
        self.app = app
        self.routes = tuple(routes)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer here when a handler can; pass everything else on."""
        if scope["type"] == "http" and scope["method"] == "GET":
            for route in self.routes:
                match = route.pattern.match(scope["path"])
                if match is not None:
                    answer = route.handler(scope, dict(scope["headers"]), match)
                    if answer is not None:
                        await _send(send, answer)
                        return
                    break
        await self.app(scope, receive, send)


async def _send(send: Send, answer: Answer) -> None:
    headers = answer.headers
    if answer.status != 304:
        headers = [*headers, (b"content-length", str(len(answer.body)).encode())]
    await send({"type": "http.response.start", "status": answer.status, "headers": headers})
    await send({"type": "http.response.body", "body": answer.body})
