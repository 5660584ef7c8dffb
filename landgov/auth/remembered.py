"""Who is calling, from memory alone: for answers served before FastAPI runs.

A cached tile or plot page is cheap enough that FastAPI's request handling (dependency
resolution, a worker-thread hop for the session) costs more than the answer. Such fast
paths (``tiles/fast_path.py``, ``investment/fast_path.py``) ask here who the caller is;
this answers only when the guard would certainly admit the same caller the same way:
the credential is remembered by a principal cache that is listening to the database the
request would read, and the caller is within its rate limit. Any other case — no or a
malformed credential, an unknown one, a cache that is not (yet) listening, a refusal —
returns None, and the request takes the ordinary path, whose guard answers it (with
the 401/403/429 problem details).
"""

from __future__ import annotations

from collections.abc import Mapping

from landgov.auth import service
from landgov.auth.permissions import Permission
from landgov.auth.principal import Principal
from landgov.auth.principal_cache import PrincipalCache, started_for
from landgov.db import Identity
from landgov.errors import LandgovError


def caller(state: object, database: Identity, headers: Mapping[bytes, bytes],
           permission: Permission) -> Principal | None:
    """The remembered caller of a read that needs ``permission``, or None.

    None means: take the ordinary path. Takes one token from the caller's rate-limit
    bucket, as the guard does.
    """
    cache: PrincipalCache | None = getattr(state, "principal_cache", None)
    if cache is None:
        cache = started_for(database)
    elif cache.identity != database or not cache.listener.connected:
        cache = None
    if cache is None:
        return None
    key = headers.get(b"x-api-key", b"").decode("latin-1") or None
    token = _bearer(headers.get(b"authorization", b"").decode("latin-1"))
    try:
        principal = service.remembered(cache, key, token)
    except LandgovError:
        return None
    if principal is None or not principal.may(permission):
        return None
    limiter = getattr(state, "limiter", None)
    if limiter is not None and not limiter.allow(principal.actor):
        return None
    return principal


def _bearer(authorization: str) -> str | None:
    """The token of an ``Authorization: Bearer …`` header (as FastAPI's OAuth2 scheme)."""
    scheme, _, token = authorization.partition(" ")
    return token or None if scheme.lower() == "bearer" else None
