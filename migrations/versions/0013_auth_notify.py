"""Account changes notify: the app's in-process principal cache forgets at once.

The guard remembers, for a short time, who a key or a token's user is (a database
lookup per request was ~40 % of a cached tile's cost). Any statement that changes
``api_key`` or ``app_user`` (a revocation, a new key, a deactivated user, a changed role
or town — by the CLI, the API or raw SQL) sends, at commit, a notification on channel
``landgov_auth``; every app process's listener then clears its cache
(``landgov/auth/principal_cache.py``). Statement-level, so a bulk change is one
message (and PostgreSQL folds identical payloads of one transaction into one).
A rolled-back transaction sends nothing.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-25
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("api_key", "app_user")


def upgrade() -> None:
    op.execute("""
    CREATE FUNCTION auth_notify_statement() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_notify('landgov_auth', TG_TABLE_NAME);
        RETURN NULL;
    END
    $$;
    """)
    for table in TABLES:
        op.execute(f"CREATE TRIGGER auth_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION auth_notify_statement()")
        op.execute(f"CREATE TRIGGER auth_notify_truncate AFTER TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION auth_notify_statement()")


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER IF EXISTS auth_notify ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS auth_notify_truncate ON {table}")
    op.execute("DROP FUNCTION IF EXISTS auth_notify_statement()")
