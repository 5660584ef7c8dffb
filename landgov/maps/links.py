"""Signed, read-only, expiring links: how a page or a PDF reaches someone without a header.

A browser cannot put the bearer token on an ``<iframe src>`` navigation, and an investor
has no account at all (DESIGN.md Rulings: a 推介单 goes out as a PDF or a signed link
that expires, never an open API). So a guarded route issues a *ticket*: a JWT (HS256,
the same secret as the access tokens) whose ``typ`` is ``map_view`` or
``brochure_share`` — never ``access``, so a ticket is no login and a login is no ticket
— naming exactly one resource and, for map views, who asked. Redeeming checks the
signature, the expiry, the ``typ`` and, for a map view, that the account is still
active and still holds the permission.

>>> from landgov.settings import Settings
>>> s = Settings(secret_key="k" * 32)
>>> t = issue(s, "brochure_share", {"kind": "plot", "code": "X"}, seconds=60)
>>> redeem(s, "brochure_share", t)["code"]
'X'
"""

from __future__ import annotations

import time
from typing import Any

import jwt
from sqlalchemy.orm import Session

from landgov.auth import queries as auth_queries
from landgov.auth.permissions import Permission
from landgov.auth.principal import Principal
from landgov.auth.tokens import ALGORITHM, signing_secret
from landgov.errors import Forbidden, Unauthorized
from landgov.settings import Settings

KINDS = frozenset({"map_view", "brochure_share"})


def issue(settings: Settings, typ: str, claims: dict[str, Any], *, seconds: int) -> str:
    """A ticket of type ``typ`` carrying ``claims``, valid for ``seconds``."""
    assert typ in KINDS
    now = int(time.time())
    body = {**claims, "typ": typ, "iat": now, "exp": now + seconds}
    return jwt.encode(body, signing_secret(settings), algorithm=ALGORITHM)


def redeem(settings: Settings, typ: str, ticket: str) -> dict[str, Any]:
    """The claims of a valid ticket of type ``typ``; Unauthorized otherwise."""
    try:
        claims: dict[str, Any] = jwt.decode(ticket, signing_secret(settings),
                                            algorithms=[ALGORITHM],
                                            options={"require": ["exp", "iat", "typ"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("链接已过期, 请重新获取") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("链接无效") from exc
    if claims.get("typ") != typ:
        raise Unauthorized("链接无效")
    return claims


def principal_claims(principal: Principal) -> dict[str, Any]:
    """Who asked for a map view, as ticket claims."""
    return {"pk": principal.kind, "pn": principal.name, "pr": principal.role,
            "pt": principal.town_code}


def principal_of(session: Session, claims: dict[str, Any], permission: Permission) -> Principal:
    """The caller a map-view ticket names, still active and still holding ``permission``."""
    principal = Principal(str(claims["pk"]), str(claims["pn"]), str(claims["pr"]),
                          claims.get("pt"))
    if principal.kind == "user":
        user = auth_queries.user_by_name(session, principal.name)
        if user is None or not user.active or user.role != principal.role:
            raise Unauthorized("用户不存在、已停用或角色已变更, 请重新登录")
    else:
        row = auth_queries.key_by_prefix(session, principal.name.split("(", 1)[0])
        if row is None or row.revoked_at is not None or row.role != principal.role:
            raise Unauthorized("API Key 无效或已吊销")
    if not principal.may(permission):
        raise Forbidden(f"角色 {principal.role} 无权执行此操作 (需要 {permission.value})")
    return principal
