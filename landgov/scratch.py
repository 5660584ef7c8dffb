"""Throwaway databases on the configured server, for tests and benchmarks.

Each is copied from the PostGIS template (so no superuser is needed), owned by the
owner role, and dropped with ``WITH (FORCE)`` afterwards.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass

from psycopg import errors as pg_errors
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from landgov.db import database_urls, make_engine, with_database
from landgov.settings import get_settings


@dataclass(frozen=True)
class ScratchDatabase:
    """A throwaway database and how each role reaches it."""

    name: str
    owner_url: str
    app_url: str


def create(prefix: str) -> ScratchDatabase:
    """A new, empty database ``<prefix>_<random>`` from the PostGIS template."""
    settings = get_settings()
    urls = database_urls(settings)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = make_engine(with_database(urls.owner, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        has_template = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n AND datistemplate"),
            {"n": settings.template_database},
        ).scalar()
        template = f" TEMPLATE {settings.template_database}" if has_template else ""
        conn.execute(text(f"CREATE DATABASE {name}{template}"))
    admin.dispose()
    return ScratchDatabase(name, with_database(urls.owner, name), with_database(urls.app, name))


def drop(db: ScratchDatabase, attempts: int = 20) -> None:
    """Drop the database, ending any session still on it.

    ``FORCE`` may not end an autovacuum worker that happens to be on a freshly populated
    database (the owner role may not signal it); a plain ``DROP`` cancels such a worker
    itself, so that is retried for a while.
    """
    admin = make_engine(with_database(db.owner_url, "postgres"), isolation_level="AUTOCOMMIT")
    try:
        statement = f"DROP DATABASE IF EXISTS {db.name} WITH (FORCE)"
        for attempt in range(attempts):
            try:
                with admin.connect() as conn:
                    conn.execute(text(statement))
                return
            except DBAPIError as exc:
                busy = isinstance(exc.orig, pg_errors.InsufficientPrivilege | pg_errors.ObjectInUse)
                if not busy or attempt == attempts - 1:
                    raise
                statement = f"DROP DATABASE IF EXISTS {db.name}"
                time.sleep(0.5)
    finally:
        admin.dispose()
