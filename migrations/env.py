"""Alembic environment: migrates as the owner role; the URL comes from landgov's settings
unless the caller put one in ``config.attributes['url']`` (tests do)."""

from alembic import context
from sqlalchemy import pool

from landgov.db import Base, database_urls, make_engine
from landgov.models import load_all
from landgov.settings import get_settings

load_all()
config = context.config
url = config.attributes.get("url") or database_urls(get_settings()).owner


def run_migrations_offline() -> None:
    context.configure(url=url, target_metadata=Base.metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = make_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=Base.metadata)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
