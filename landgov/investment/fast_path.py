"""Cached pages of ``/api/v1/plots/available`` answered before FastAPI runs.

(``landgov/fast_reads.py``.) The handler answers itself only when the route would
answer from the same cache entry: the caller is remembered (``auth/remembered.py``:
a listening principal cache on the database the request reads, ``investment:read``,
within the rate limit), the process's page cache listens to that same database, and
it holds the page for this caller's scope and exactly these query parameters — which
the route stored only after validating them. The body is the route's
(``plot_pages.page_body`` for this URL). Anything else goes on to the route.
"""

from __future__ import annotations

import re

from starlette.datastructures import URL

from landgov.auth.permissions import Permission
from landgov.auth.remembered import caller
from landgov.db import request_database
from landgov.fast_reads import Answer, FastRoute
from landgov.hardening import Scope
from landgov.investment import page_cache
from landgov.investment.plot_pages import GEOJSON, page_body, page_key


def cached_page(scope: Scope, headers: dict[bytes, bytes], _match: re.Match[str]) -> Answer | None:
    """The route's answer from the page cache, or None (let the route decide)."""
    app = scope.get("app")
    state = getattr(app, "state", None)
    database = request_database(app)
    cache = page_cache.cache_for(state, database, start=False) if database else None
    if cache is None or database is None:
        return None
    principal = caller(state, database, headers, Permission.INVESTMENT_READ)
    if principal is None:
        return None
    key = page_key(principal.scope_town, scope["query_string"].decode("latin-1"))
    page = cache.get(key) if key is not None else None
    if page is None:
        return None
    return Answer(200, [(b"content-type", GEOJSON.encode())], page_body(URL(scope=scope), page))


ROUTE = FastRoute(re.compile(r"^/api/v1/plots/available$"), cached_page)
