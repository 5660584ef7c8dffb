"""Account use cases: log in, authenticate a request, manage users and keys, read audit."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from landgov.auth import queries, tokens
from landgov.auth.passwords import hash_password, verify_password
from landgov.auth.permissions import ROLES
from landgov.auth.principal import Principal
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


def principal_from_token(session: Session, token: str) -> Principal:
    """The active user a bearer token names."""
    username = tokens.token_subject(get_settings(), token)
    user = queries.user_by_name(session, username)
    if user is None or not user.active:
        raise Unauthorized("用户不存在或已停用")
    return Principal("user", user.username, user.role, user.town_code)


def principal_from_key(session: Session, secret: str) -> Principal:
    """The owner of a valid, unrevoked API key."""
    row = queries.key_by_prefix(session, tokens.key_prefix(secret))
    if row is None or not tokens.digest_matches(row.key_digest, secret):
        raise Unauthorized("API Key 无效")
    if row.revoked_at is not None:
        raise Unauthorized("API Key 已吊销")
    return Principal("api_key", f"{row.key_prefix}({row.owner})", row.role, row.town_code)


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
    session.commit()


def reset_password(session: Session, username: str, password: str) -> None:
    """Give an existing user a new password."""
    if not queries.set_password(session, username, hash_password(password)):
        raise NotFound(f"用户 {username} 不存在")
    session.commit()


def create_key(session: Session, owner: str, role: str, town_code: str | None = None) -> str:
    """Create an API key and return its secret (shown once, stored only as a digest)."""
    _check_role(session, role, town_code)
    key = tokens.new_api_key()
    queries.insert_key(session, key.prefix, key.digest, owner, role, town_code)
    session.commit()
    return key.secret


def revoke_key(session: Session, prefix: str) -> None:
    """Revoke a key by its prefix."""
    if not queries.revoke_key(session, prefix):
        raise NotFound(f"API Key {prefix} 不存在或已吊销")
    session.commit()


def audit_trail(session: Session, *, entity: str | None, key: str | None, actor: str | None,
                since: datetime | None, limit: int, offset: int) -> list[dict[str, object]]:
    """Audit events matching the filters, newest first."""
    rows = queries.audit_events(session, entity=entity, key=key, actor=actor, since=since,
                                limit=limit, offset=offset)
    return [r._asdict() for r in rows]
