"""The evaluation behind each unit's colour, kept in a table instead of computed per read.

``parcel_evaluation(unit_code, status)`` (migration 0007) is the one definition of a
parcel's class and 一码 colour. It computed the share-weighted class, the most flags
fired and 两低两高 from ``occupancy`` × the latest run's ``evaluation_result`` for every
parcel it was asked about: a correlated aggregate per feature, 40 % of a cold parcel
tile once a run exists (13.2 against 7.8 ms per tile on the 100,000-parcel demo), and
the same per row in OGC pages, maps and exports (through the ``parcel_colour`` view).

Those three figures depend only on occupancy and the latest run, so they now live in
``unit_evaluation`` (one row per unit code with a current occupant evaluated in the
latest run), kept by statement-level triggers in the transaction that changes them:

* a run inserted or deleted, or its results inserted, changed or deleted
  (``evaluation_run``, ``evaluation_result``, truncates too) → every row recomputed,
  one grouped statement (a run's counts being filled in changes nothing here);
* occupancy rows inserted, changed or deleted → the rows of the unit codes concerned
  (from the transition tables; above 1,000 codes, every row, which is then cheaper).

``parcel_evaluation`` keeps its signature and meaning and reads the table (the status-
dependent colour is still decided at read time, so parcel edits need no trigger here);
being a plain single-SELECT SQL function, the planner inlines it into the caller's query
as a join. ``unit_evaluation_source`` is the one definition of the aggregate. The
refresh runs as the table's owner (SECURITY DEFINER): the app role only reads the table.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-25
"""

from alembic import op

from landgov.settings import get_settings

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

SOURCE = """
    CREATE VIEW unit_evaluation_source AS
    SELECT o.unit_code,
           sum(o.share * (ascii(r.class) - 65)) FILTER (WHERE r.class IS NOT NULL)
             / NULLIF(sum(o.share) FILTER (WHERE r.class IS NOT NULL), 0) AS severity,
           max((SELECT count(*) FROM jsonb_each(COALESCE(r.flags, '{}'::jsonb)) f
                WHERE (f.value ->> 'fired')::boolean)) AS flags_fired,
           bool_or(r.two_low_two_high) AS two_low_two_high
    FROM occupancy o
    JOIN evaluation_result r ON r.enterprise_id = o.enterprise_id
                            AND r.run_id = (SELECT max(id) FROM evaluation_run)
    WHERE o.end_date IS NULL
    GROUP BY o.unit_code;
"""

TABLE = """
    CREATE TABLE unit_evaluation (
        unit_code char(28) PRIMARY KEY,
        severity numeric,
        flags_fired bigint,
        two_low_two_high boolean
    );
    INSERT INTO unit_evaluation SELECT * FROM unit_evaluation_source;
"""

REFRESH = """
    -- codes NULL (or many): recompute every row; otherwise only these units' rows
    CREATE FUNCTION unit_evaluation_refresh(codes char(28)[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
        IF codes IS NULL OR cardinality(codes) > 1000 THEN
            DELETE FROM unit_evaluation;
            INSERT INTO unit_evaluation SELECT * FROM unit_evaluation_source;
        ELSIF cardinality(codes) > 0 THEN
            DELETE FROM unit_evaluation WHERE unit_code = ANY (codes);
            INSERT INTO unit_evaluation
            SELECT * FROM unit_evaluation_source WHERE unit_code = ANY (codes);
        END IF;
    END $$;

    CREATE FUNCTION unit_evaluation_all() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM unit_evaluation_refresh(NULL);
        RETURN NULL;
    END $$;
    CREATE FUNCTION unit_evaluation_new() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM unit_evaluation_refresh(ARRAY(SELECT DISTINCT unit_code FROM new_rows));
        RETURN NULL;
    END $$;
    CREATE FUNCTION unit_evaluation_old() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM unit_evaluation_refresh(ARRAY(SELECT DISTINCT unit_code FROM old_rows));
        RETURN NULL;
    END $$;
    CREATE FUNCTION unit_evaluation_moved() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM unit_evaluation_refresh(ARRAY(SELECT unit_code FROM new_rows
                                              UNION SELECT unit_code FROM old_rows));
        RETURN NULL;
    END $$;
"""

TRIGGERS = """
    CREATE TRIGGER unit_evaluation_run AFTER INSERT OR DELETE ON evaluation_run
        FOR EACH STATEMENT EXECUTE FUNCTION unit_evaluation_all();
    CREATE TRIGGER unit_evaluation_run_truncate AFTER TRUNCATE ON evaluation_run
        FOR EACH STATEMENT EXECUTE FUNCTION unit_evaluation_all();
    CREATE TRIGGER unit_evaluation_result AFTER INSERT OR UPDATE OR DELETE ON evaluation_result
        FOR EACH STATEMENT EXECUTE FUNCTION unit_evaluation_all();
    CREATE TRIGGER unit_evaluation_result_truncate AFTER TRUNCATE ON evaluation_result
        FOR EACH STATEMENT EXECUTE FUNCTION unit_evaluation_all();
    CREATE TRIGGER unit_evaluation_insert AFTER INSERT ON occupancy
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION unit_evaluation_new();
    CREATE TRIGGER unit_evaluation_update AFTER UPDATE ON occupancy
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION unit_evaluation_moved();
    CREATE TRIGGER unit_evaluation_delete AFTER DELETE ON occupancy
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION unit_evaluation_old();
    CREATE TRIGGER unit_evaluation_truncate AFTER TRUNCATE ON occupancy
        FOR EACH STATEMENT EXECUTE FUNCTION unit_evaluation_all();
"""

# The same columns and meaning as migration 0007's function; the figures come from the
# table (units without an evaluated occupant have no row: NULL class, 0 flags, false).
EVALUATION = """
    CREATE OR REPLACE FUNCTION parcel_evaluation(code char(28), parcel_status text)
    RETURNS TABLE (evaluation_class text, flags_fired bigint, two_low_two_high boolean,
                   colour text)
    LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN s.severity IS NULL THEN NULL
                    ELSE chr(65 + round(s.severity)::int) END,
               COALESCE(s.flags_fired, 0),
               COALESCE(s.two_low_two_high, false),
               CASE WHEN parcel_status IN ('idle', 'cleared') THEN 'grey'
                    WHEN s.severity IS NULL THEN NULL
                    WHEN round(s.severity) >= 3 OR s.flags_fired >= 2
                         OR s.two_low_two_high THEN 'red'
                    WHEN round(s.severity) = 2 OR s.flags_fired = 1 THEN 'yellow'
                    ELSE 'green' END
        FROM (SELECT code AS unit_code) k
        LEFT JOIN unit_evaluation s ON s.unit_code = k.unit_code
    $$;
"""


def upgrade() -> None:
    op.execute(SOURCE)
    op.execute(TABLE)
    op.execute(REFRESH)
    op.execute(TRIGGERS)
    op.execute(EVALUATION)
    # the app reads the table; only the refresh (as its owner) writes it
    app_role = get_settings().app_role
    op.execute(f"""
    DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{app_role}') THEN
            REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON unit_evaluation FROM {app_role};
            GRANT SELECT ON unit_evaluation, unit_evaluation_source TO {app_role};
        END IF;
    END $$;
    """)


def downgrade() -> None:
    from importlib import util
    from pathlib import Path

    spec = util.spec_from_file_location("m0007", Path(__file__).with_name(
        "0007_tiles_evaluation.py"))
    assert spec is not None and spec.loader is not None
    m0007 = util.module_from_spec(spec)
    spec.loader.exec_module(m0007)
    # back to 0007's per-read function (the view parcel_colour depends on it: recreated)
    op.execute(m0007.EVALUATION.replace("CREATE FUNCTION parcel_evaluation",
                                        "CREATE OR REPLACE FUNCTION parcel_evaluation"))
    for trigger, table in (("unit_evaluation_run", "evaluation_run"),
                           ("unit_evaluation_run_truncate", "evaluation_run"),
                           ("unit_evaluation_result", "evaluation_result"),
                           ("unit_evaluation_result_truncate", "evaluation_result"),
                           ("unit_evaluation_insert", "occupancy"),
                           ("unit_evaluation_update", "occupancy"),
                           ("unit_evaluation_delete", "occupancy"),
                           ("unit_evaluation_truncate", "occupancy")):
        op.execute(f"DROP TRIGGER {trigger} ON {table}")
    for fn in ("unit_evaluation_all()", "unit_evaluation_new()", "unit_evaluation_old()",
               "unit_evaluation_moved()", "unit_evaluation_refresh(char(28)[])"):
        op.execute(f"DROP FUNCTION {fn}")
    op.execute("DROP TABLE unit_evaluation")
    op.execute("DROP VIEW unit_evaluation_source")
