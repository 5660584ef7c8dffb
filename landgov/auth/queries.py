"""Account, key and audit statements. Bound parameters only; never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session


def user_by_name(session: Session, username: str) -> Row[Any] | None:
    """The user row (active or not)."""
    return session.execute(
        text("SELECT id, username, display_name, password_hash, role, town_code, active "
             "FROM app_user WHERE username = :u"), {"u": username}).first()


def insert_user(session: Session, username: str, display_name: str | None, password_hash: str,
                role: str, town_code: str | None) -> None:
    """Add a user."""
    session.execute(
        text("INSERT INTO app_user (username, display_name, password_hash, role, town_code) "
             "VALUES (:u, :d, :h, :r, :t)"),
        {"u": username, "d": display_name, "h": password_hash, "r": role, "t": town_code})


def set_password(session: Session, username: str, password_hash: str) -> bool:
    """Replace a user's password hash; False when there is no such user."""
    return session.execute(
        text("UPDATE app_user SET password_hash = :h WHERE username = :u RETURNING id"),
        {"u": username, "h": password_hash}).first() is not None


def key_by_prefix(session: Session, prefix: str) -> Row[Any] | None:
    """The key row with this prefix."""
    return session.execute(
        text("SELECT id, key_prefix, key_digest, owner, role, town_code, revoked_at "
             "FROM api_key WHERE key_prefix = :p"), {"p": prefix}).first()


def insert_key(session: Session, prefix: str, digest: str, owner: str, role: str,
               town_code: str | None) -> None:
    """Store a new key's digest."""
    session.execute(
        text("INSERT INTO api_key (key_prefix, key_digest, owner, role, town_code) "
             "VALUES (:p, :d, :o, :r, :t)"),
        {"p": prefix, "d": digest, "o": owner, "r": role, "t": town_code})


def revoke_key(session: Session, prefix: str) -> bool:
    """Revoke a key; False when it does not exist or was already revoked."""
    return session.execute(
        text("UPDATE api_key SET revoked_at = now() WHERE key_prefix = :p "
             "AND revoked_at IS NULL RETURNING id"), {"p": prefix}).first() is not None


def list_keys(session: Session) -> list[Row[Any]]:
    """All keys, newest first (digests left out)."""
    return list(session.execute(text(
        "SELECT key_prefix, owner, role, town_code, created_at, revoked_at FROM api_key "
        "ORDER BY created_at DESC")).all())


def town_exists(session: Session, code: str) -> bool:
    """Whether a town code is known."""
    found = session.execute(text("SELECT 1 FROM town WHERE code = :c"), {"c": code}).first()
    return found is not None


def audit_events(session: Session, *, entity: str | None, key: str | None, actor: str | None,
                 since: datetime | None, limit: int, offset: int) -> list[Row[Any]]:
    """Audit rows matching the filters, newest first."""
    return list(session.execute(
        text("""
        SELECT id, occurred_at, actor, action, entity, entity_key, before, after, request_id
        FROM audit_event
        WHERE (CAST(:entity AS text) IS NULL OR entity = :entity)
          AND (CAST(:key AS text) IS NULL OR entity_key = :key)
          AND (CAST(:actor AS text) IS NULL OR actor = :actor)
          AND (CAST(:since AS timestamptz) IS NULL OR occurred_at >= :since)
        ORDER BY id DESC LIMIT :limit OFFSET :offset
        """),
        {"entity": entity, "key": key, "actor": actor, "since": since, "limit": limit,
         "offset": offset},
    ).all())
