"""Account use cases: log in, authenticate a request, manage users and keys, read audit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from landgov.auth import queries, tokens
from landgov.auth.passwords import hash_password, verify_password
from landgov.auth.permissions import ROLES
from landgov.auth.principal import Principal
from landgov.auth.principal_cache import PrincipalCache, clear_local
from landgov.errors import Conflict, FieldError, InvalidInput, NotFound, Unauthorized
from landgov.settings import get_settings

# Verifying against a real hash when the user is unknown keeps the response time the
# same, so timing does not reveal which usernames exist.
_DUMMY_HASH = hash_password("landgov-timing-equaliser")


def login(session: Session, username: str, password: str) -> tuple[str, int]:
    """Check a password and return a signed token and its lifetime."""
    user = queries.user_by_name(session, username)
    valid = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not valid or not user.active:
        raise Unauthorized("用户名或密码错误")
    return tokens.issue_token(get_settings(), username)


def remembered(cache: PrincipalCache | None, key: str | None,
               token: str | None) -> Principal | None:
    """The caller from ``cache`` alone (no database), or None: look them up.

    A token is verified (signature, expiry) every time; only its user's row is
    remembered. Malformed credentials raise Unauthorized here already.
    """
    if cache is None:
        return None
    if key:
        tokens.key_prefix(key)
        return cache.get("key:" + tokens.key_digest(key))
    if token:
        return cache.get("user:" + tokens.token_subject(get_settings(), token))
    return None


def authenticate(session: Session, key: str | None, token: str | None,
                 cache: PrincipalCache | None = None) -> Principal:
    """The caller a key (preferred) or a token names, looked up and remembered."""
    if key:
        return principal_from_key(session, key, cache)
    if token:
        return principal_from_token(session, token, cache)
    raise Unauthorized("请先登录 (Authorization: Bearer 令牌) 或提供 X-API-Key")


def principal_from_token(session: Session, token: str,
                         cache: PrincipalCache | None = None) -> Principal:
    """The active user a bearer token names (remembered in ``cache`` by username)."""
    username = tokens.token_subject(get_settings(), token)
    epoch = cache.epoch() if cache is not None else 0
    user = queries.user_by_name(session, username)
    if user is None or not user.active:
        raise Unauthorized("用户不存在或已停用")
    principal = Principal("user", user.username, user.role, user.town_code)
    if cache is not None:
        cache.put("user:" + username, principal, epoch)
    return principal


def principal_from_key(session: Session, secret: str,
                       cache: PrincipalCache | None = None) -> Principal:
    """The owner of a valid, unrevoked API key (remembered in ``cache`` by its digest)."""
    prefix = tokens.key_prefix(secret)
    epoch = cache.epoch() if cache is not None else 0
    row = queries.key_by_prefix(session, prefix)
    if row is None or not tokens.digest_matches(row.key_digest, secret):
        raise Unauthorized("API Key 无效")
    if row.revoked_at is not None:
        raise Unauthorized("API Key 已吊销")
    principal = Principal("api_key", f"{row.key_prefix}({row.owner})", row.role, row.town_code)
    if cache is not None:
        cache.put("key:" + tokens.key_digest(secret), principal, epoch)
    return principal


def _commit(session: Session) -> None:
    """Commit an account change and forget this process's remembered principals now.

    Other processes forget when migration 0013's notification reaches them.
    """
    session.commit()
    clear_local()


def _check_role(session: Session, role: str, town_code: str | None) -> None:
    if role not in ROLES:
        raise InvalidInput(f"未知角色 {role!r}; 可选: {', '.join(ROLES)}",
                           [FieldError("role", "unknown role")])
    if ROLES[role].town_scoped and not town_code:
        raise InvalidInput(f"角色 {role} 须指定镇街 (--town)", [FieldError("town", "required")])
    if not ROLES[role].town_scoped and town_code:
        raise InvalidInput(f"角色 {role} 不按镇街限定, 不能指定镇街",
                           [FieldError("town", "not allowed")])
    if town_code and not queries.town_exists(session, town_code):
        raise InvalidInput(f"未知镇街代码 {town_code!r}", [FieldError("town", "unknown town")])


def add_user(session: Session, username: str, password: str, role: str,
             town_code: str | None = None, display_name: str | None = None) -> None:
    """Create a user (the password is hashed with Argon2id)."""
    _check_role(session, role, town_code)
    if queries.user_by_name(session, username) is not None:
        raise Conflict(f"用户 {username} 已存在")
    queries.insert_user(session, username, display_name, hash_password(password), role, town_code)
    _commit(session)


def reset_password(session: Session, username: str, password: str) -> None:
    """Give an existing user a new password."""
    if not queries.set_password(session, username, hash_password(password)):
        raise NotFound(f"用户 {username} 不存在")
    _commit(session)


def create_key(session: Session, owner: str, role: str, town_code: str | None = None) -> str:
    """Create an API key and return its secret (shown once, stored only as a digest)."""
    _check_role(session, role, town_code)
    key = tokens.new_api_key()
    queries.insert_key(session, key.prefix, key.digest, owner, role, town_code)
    _commit(session)
    return key.secret


def revoke_key(session: Session, prefix: str) -> None:
    """Revoke a key by its prefix."""
    if not queries.revoke_key(session, prefix):
        raise NotFound(f"API Key {prefix} 不存在或已吊销")
    _commit(session)


def audit_trail(session: Session, *, entity: str | None, key: str | None, actor: str | None,
                since: datetime | None, limit: int, offset: int) -> list[dict[str, object]]:
    """Audit events matching the filters, newest first."""
    rows = queries.audit_events(session, entity=entity, key=key, actor=actor, since=since,
                                limit=limit, offset=offset)
    return [r._asdict() for r in rows]
