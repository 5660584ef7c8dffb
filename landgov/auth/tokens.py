"""Short-lived signed bearer tokens (JWT, HS256) and machine API keys.

A token names the user; the role is read from the database on every request, so
deactivating a user or changing a role takes effect at once, not at token expiry.
API keys are 256-bit random secrets: a SHA-256 of the secret is enough to store them
(unlike passwords they cannot be guessed), and the 8-character prefix finds the row.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

import jwt

from landgov.errors import Unauthorized
from landgov.settings import Settings

ALGORITHM = "HS256"
KEY_PREFIX = "lgk"
_SECRETS: dict[Path, str] = {}  # generated secret files, read once per process


def signing_secret(settings: Settings) -> str:
    """The configured secret, or one generated once into the state directory."""
    if settings.secret_key:
        return settings.secret_key
    path: Path = settings.state_dir / "secret.key"
    remembered = _SECRETS.get(path)
    if remembered is not None:  # read once per process: it is checked on every request
        return remembered
    if not path.exists():
        settings.state_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48), encoding="utf-8")
        path.chmod(0o600)
    secret = _SECRETS[path] = path.read_text(encoding="utf-8").strip()
    return secret


def issue_token(settings: Settings, username: str) -> tuple[str, int]:
    """A signed token for ``username`` and its lifetime in seconds."""
    lifetime = settings.token_minutes * 60
    now = int(time.time())
    claims = {"sub": username, "iat": now, "exp": now + lifetime, "typ": "access"}
    return jwt.encode(claims, signing_secret(settings), algorithm=ALGORITHM), lifetime


def token_subject(settings: Settings, token: str) -> str:
    """The username a valid, unexpired token names; Unauthorized otherwise."""
    try:
        claims = jwt.decode(token, signing_secret(settings), algorithms=[ALGORITHM],
                            options={"require": ["sub", "exp", "iat"]})
    except jwt.ExpiredSignatureError as exc:
        raise Unauthorized("登录已过期, 请重新登录") from exc
    except jwt.PyJWTError as exc:
        raise Unauthorized("令牌无效") from exc
    if claims.get("typ") != "access":
        raise Unauthorized("令牌类型无效")
    return str(claims["sub"])


@dataclass(frozen=True)
class NewKey:
    """A freshly generated key: the secret shown once, and what is stored."""

    secret: str
    prefix: str
    digest: str


def new_api_key() -> NewKey:
    """Generate ``lgk_<prefix>_<secret>``."""
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return NewKey(secret, prefix, key_digest(secret))


def key_digest(secret: str) -> str:
    """SHA-256 hex digest of a key."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def key_prefix(secret: str) -> str:
    """The lookup prefix of a presented key; Unauthorized if it is not shaped like one."""
    parts = secret.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_PREFIX or len(parts[1]) != 8:
        raise Unauthorized("API Key 格式无效")
    return parts[1]


def digest_matches(stored: str, secret: str) -> bool:
    """Constant-time comparison of a stored digest with a presented key."""
    return hmac.compare_digest(stored, key_digest(secret))
