"""Changes to what an available-plots page shows notify: the page cache forgets at once.

``GET /api/v1/plots/available`` is answered from an in-process cache of pages
(``landgov/investment/page_cache.py``), which forgets every page when anything a page
shows or a request is validated against changes. Any statement on those tables — the
trigger-maintained ``available_plot`` and ``chain_site`` (so every write path that moves
a parcel in or out of availability, or a firm in or out of a chain), ``enterprise``
(firm names), ``town``, ``platform`` and ``county`` (names, codes, the bbox frame) —
sends, at commit, a notification on channel ``landgov_plots``. Statement-level: a bulk
change is one message. A rolled-back transaction sends nothing. The trigger also marks
the transaction (``landgov.plots_dirty``) so the app's own writers can wait, after their
commit, until their process's cache has forgotten (read-your-writes).

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-25
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

TABLES = ("available_plot", "chain_site", "enterprise", "town", "platform", "county")


def upgrade() -> None:
    op.execute("""
    CREATE FUNCTION plots_notify_statement() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('landgov.plots_dirty', '1', true);
        PERFORM pg_notify('landgov_plots', TG_TABLE_NAME);
        RETURN NULL;
    END
    $$;
    """)
    for table in TABLES:
        op.execute(f"CREATE TRIGGER plots_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION plots_notify_statement()")
        op.execute(f"CREATE TRIGGER plots_notify_truncate AFTER TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION plots_notify_statement()")


def downgrade() -> None:
    for table in TABLES:
        op.execute(f"DROP TRIGGER plots_notify_truncate ON {table}")
        op.execute(f"DROP TRIGGER plots_notify ON {table}")
    op.execute("DROP FUNCTION plots_notify_statement()")
