"""Parcel tiles carry the 一码 colour and evaluation class: evict them when those change.

``parcel_evaluation(unit_code, status)`` is the one definition of a parcel's colour
(the view ``parcel_colour`` of 0005 now reads it too), evaluated per parcel so a tile
computes it only for its own features. A new evaluation run changes the colour of
(nearly) every parcel, so it flushes the layers that read it; a change of who uses a
parcel (occupancy) evicts the tiles of the parcels concerned. Both through the
notification channel of migration 0003.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import importlib.util
from pathlib import Path

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


EVALUATION = """
    -- The parcel's evaluation from the latest run: the class of its firms weighted by their
    -- shares of the land, the most flags any of them fired, whether one is 两低两高, and
    -- the colour (DOMAIN.md): grey when idle or cleared; red for D, two or more flags or a
    -- 两低两高 firm; yellow for C or one flag; green otherwise; NULL when not evaluated.
    CREATE FUNCTION parcel_evaluation(code char(28), parcel_status text)
    RETURNS TABLE (evaluation_class text, flags_fired bigint, two_low_two_high boolean,
                   colour text)
    LANGUAGE sql STABLE AS $$
        SELECT CASE WHEN s.severity IS NULL THEN NULL
                    ELSE chr(65 + round(s.severity)::int) END,
               COALESCE(s.flags_fired, 0),
               COALESCE(s.tlth, false),
               CASE WHEN parcel_status IN ('idle', 'cleared') THEN 'grey'
                    WHEN s.severity IS NULL THEN NULL
                    WHEN round(s.severity) >= 3 OR s.flags_fired >= 2 OR s.tlth THEN 'red'
                    WHEN round(s.severity) = 2 OR s.flags_fired = 1 THEN 'yellow'
                    ELSE 'green' END
        FROM (
            SELECT sum(o.share * (ascii(r.class) - 65)) FILTER (WHERE r.class IS NOT NULL)
                     / NULLIF(sum(o.share) FILTER (WHERE r.class IS NOT NULL), 0) AS severity,
                   max((SELECT count(*) FROM jsonb_each(COALESCE(r.flags, '{}'::jsonb)) f
                        WHERE (f.value ->> 'fired')::boolean)) AS flags_fired,
                   bool_or(r.two_low_two_high) AS tlth
            FROM occupancy o
            JOIN evaluation_result r ON r.enterprise_id = o.enterprise_id
                                    AND r.run_id = (SELECT max(id) FROM evaluation_run)
            WHERE o.unit_code = code AND o.end_date IS NULL
        ) s
    $$;
    DROP VIEW parcel_colour;
    CREATE VIEW parcel_colour AS
    SELECT p.unit_code, e.evaluation_class, e.flags_fired, e.two_low_two_high, e.colour
    FROM parcel p, LATERAL parcel_evaluation(p.unit_code, p.status) e
    WHERE p.valid_to IS NULL;
"""

def upgrade() -> None:
    op.execute(EVALUATION)
    op.execute("""
    CREATE FUNCTION tile_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM set_config('landgov.tiles_dirty', '1', true);
        PERFORM pg_notify('landgov_tiles', json_build_object('table', TG_TABLE_NAME,
                                                             'all', true)::text);
        RETURN NULL;
    END $$;
    CREATE TRIGGER tiles_all AFTER INSERT ON evaluation_run
        FOR EACH STATEMENT EXECUTE FUNCTION tile_notify_all();

    -- the parcels whose firms changed: boxes of their current geometry
    CREATE FUNCTION tile_notify_occupancy() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        codes text[];
        x0s float8[]; y0s float8[]; x1s float8[]; y1s float8[];
    BEGIN
        IF TG_OP = 'INSERT' THEN
            SELECT array_agg(DISTINCT unit_code) INTO codes FROM new_rows;
        ELSIF TG_OP = 'UPDATE' THEN
            SELECT array_agg(DISTINCT unit_code) INTO codes
              FROM (SELECT unit_code FROM old_rows UNION SELECT unit_code FROM new_rows) u;
        ELSE
            SELECT array_agg(DISTINCT unit_code) INTO codes FROM old_rows;
        END IF;
        SELECT array_agg(ST_XMin(p.geom)), array_agg(ST_YMin(p.geom)),
               array_agg(ST_XMax(p.geom)), array_agg(ST_YMax(p.geom))
          INTO x0s, y0s, x1s, y1s
          FROM parcel p WHERE p.unit_code = ANY(codes) AND p.valid_to IS NULL;
        IF x0s IS NOT NULL THEN
            PERFORM tile_notify_boxes('occupancy', x0s, y0s, x1s, y1s);
        END IF;
        RETURN NULL;
    END $$;
    CREATE TRIGGER tiles_insert AFTER INSERT ON occupancy REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION tile_notify_occupancy();
    CREATE TRIGGER tiles_update AFTER UPDATE ON occupancy
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION tile_notify_occupancy();
    CREATE TRIGGER tiles_delete AFTER DELETE ON occupancy REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION tile_notify_occupancy();
    """)


def _previous_view() -> str:
    """Migration 0005's view, loaded from its file (so the SQL lives in one place)."""
    path = Path(__file__).with_name("0005_lists_and_colour.py")
    spec = importlib.util.spec_from_file_location("migration_0005", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.COLOUR_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW IF EXISTS parcel_colour")
    op.execute(_previous_view())
    op.execute("DROP FUNCTION IF EXISTS parcel_evaluation(char, text)")
    op.execute("""
    DROP TRIGGER IF EXISTS tiles_all ON evaluation_run;
    DROP TRIGGER IF EXISTS tiles_insert ON occupancy;
    DROP TRIGGER IF EXISTS tiles_update ON occupancy;
    DROP TRIGGER IF EXISTS tiles_delete ON occupancy;
    DROP FUNCTION IF EXISTS tile_notify_all(), tile_notify_occupancy();
    """)
