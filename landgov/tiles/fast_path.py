"""Cached vector tiles answered before FastAPI runs (``landgov/fast_reads.py``).

The handler answers ``GET /tiles/{layer}/{z}/{x}/{y}.mvt`` itself when — and only when —
the route would answer from the same cache entry:

* no query parameter but ``tms``;
* the caller is remembered (``auth/remembered.py``: a listening principal cache on the
  database the request reads, the layer's permission, within the rate limit);
* the address is valid for the layer and set (the route's own check, ``service.tile_key``);
* the process's tile runtime is in-process, listening to that same database, and holds
  the tile for this caller's scope.

The answer is the route's: the same bytes, ETag, ``Cache-Control``/``Vary``, and 304 on a
matching ``If-None-Match``. A Redis-backed cache is left to the route (a network lookup
belongs in a worker thread).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from landgov.auth.remembered import caller
from landgov.db import Identity, request_database
from landgov.errors import LandgovError
from landgov.fast_reads import Answer, FastRoute
from landgov.hardening import Scope
from landgov.tiles import layers, service
from landgov.tiles.runtime import TileRuntime, current_runtime

MVT = b"application/vnd.mapbox-vector-tile"


def cached_tile(scope: Scope, headers: dict[bytes, bytes], match: re.Match[str]) -> Answer | None:
    """The route's answer from the tile cache, or None (let the route decide)."""
    app = scope.get("app")
    state = getattr(app, "state", None)
    found = _listening_runtime(app, state)
    query = parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
    layer = layers.registered(match.group(1))
    if found is None or layer is None or any(name != "tms" for name, _ in query):
        return None
    runtime, database = found
    principal = caller(state, database, headers, layer.permission)
    if principal is None:
        return None
    z, x, y = int(match.group(2)), int(match.group(3)), int(match.group(4))
    try:
        key, _town = service.tile_key(principal, layer.name, dict(query).get("tms"), z, x, y)
    except LandgovError:
        return None
    tile = runtime.cache.get(key)
    if tile is None:
        return None
    plain = [(k.lower().encode(), v.encode()) for k, v in service.tile_headers(tile.etag).items()]
    if_none_match = headers.get(b"if-none-match")
    if service.not_modified(if_none_match.decode("latin-1") if if_none_match else None, tile.etag):
        return Answer(304, plain)
    return Answer(200, [*plain, (b"content-type", MVT)], tile.body)


def _listening_runtime(app: object, state: object) -> tuple[TileRuntime, Identity] | None:
    """The in-process tile runtime, if it listens to the database requests read."""
    runtime: TileRuntime | None = getattr(state, "tile_runtime", None) or current_runtime()
    database = request_database(app)
    if runtime is None or database is None or not runtime.in_process:
        return None
    return (runtime, database) if runtime.usable_for(database) else None


ROUTE = FastRoute(re.compile(r"^/tiles/([A-Za-z0-9_]{1,64})/(\d{1,2})/(\d{1,10})/(\d{1,10})\.mvt$"),
                  cached_tile)
