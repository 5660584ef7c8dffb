"""Tile invalidation: parcel writes notify the bounding boxes they touched.

Every statement that changes current parcels sends, at commit, the bounding boxes of
the old and the new geometry of the rows it changed on channel ``landgov_tiles``; the
app's listener evicts exactly the cached tiles those boxes touch, at every cached zoom
(``landgov/tiles/listener.py``). Being a trigger, it catches every write path: the API,
imports, the OGC transactions and raw SQL alike. A rolled-back transaction sends
nothing (NOTIFY is transactional).

The triggers are statement-level with transition tables, so a bulk write of 100,000
rows is a handful of notifications, not 100,000: up to ``EXACT_BOXES`` distinct boxes
are sent as they are; beyond that, boxes are merged per grid cell (0.005° first, the
cell growing fourfold until few enough remain), which still covers every changed
geometry and only evicts somewhat more at high zooms. Payloads stay far under
PostgreSQL's 8,000-byte limit: at most ``BOXES_PER_MESSAGE`` boxes of ~50 bytes each.

The trigger also sets the transaction-local setting ``landgov.tiles_dirty`` so the app
knows, before committing, that its transaction changed tiles and waits after the commit
until its listener has evicted them (read-your-writes for the editor).

A later domain whose table feeds a tile layer attaches the same function:

    CREATE TRIGGER tiles_insert AFTER INSERT ON zone REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION tile_notify_statement('true');
    (and the UPDATE / DELETE triggers, as below)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

EXACT_BOXES = 400
BOXES_PER_MESSAGE = 100

FUNCTIONS = f"""
-- Send the boxes (EPSG:4490) of changed geometries as JSON arrays of
-- [xmin, ymin, xmax, ymax], rounded outwards to 1e-7 degrees (~1 cm); merged per grid
-- cell when there are more than {EXACT_BOXES}; {BOXES_PER_MESSAGE} to a message.
CREATE FUNCTION tile_notify_boxes(source_table text, x0s float8[], y0s float8[],
                                  x1s float8[], y1s float8[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    cell float8 := 0;
    n bigint;
BEGIN
    SELECT count(*) INTO n FROM (SELECT DISTINCT * FROM unnest(x0s, y0s, x1s, y1s)) d;
    IF n = 0 THEN
        RETURN;
    END IF;
    PERFORM set_config('landgov.tiles_dirty', '1', true);
    WHILE n > {EXACT_BOXES} LOOP
        cell := CASE WHEN cell = 0 THEN 0.005 ELSE cell * 4 END;
        SELECT count(*) INTO n
          FROM (SELECT DISTINCT floor(x0 / cell), floor(y0 / cell)
                FROM unnest(x0s, y0s, x1s, y1s) b(x0, y0, x1, y1)) c;
    END LOOP;
    PERFORM pg_notify('landgov_tiles', json_build_object(
                'table', source_table,
                'boxes', json_agg(json_build_array(
                    floor(x0 * 1e7) / 1e7, floor(y0 * 1e7) / 1e7,
                    ceil(x1 * 1e7) / 1e7, ceil(y1 * 1e7) / 1e7)))::text)
    FROM (SELECT *, (row_number() OVER () - 1) / {BOXES_PER_MESSAGE} AS chunk
          FROM (SELECT min(x0) AS x0, min(y0) AS y0, max(x1) AS x1, max(y1) AS y1
                FROM unnest(x0s, y0s, x1s, y1s) b(x0, y0, x1, y1)
                GROUP BY CASE WHEN cell = 0 THEN ARRAY[x0, y0, x1, y1]
                              ELSE ARRAY[floor(x0 / cell), floor(y0 / cell)] END) merged
         ) numbered
    GROUP BY chunk;
END $$;

-- Statement-level trigger: TG_ARGV[0] is the filter of rows that tiles show (the
-- current versions: 'valid_to IS NULL' for parcels), applied to the rows before and
-- after the change, so a retirement evicts the old geometry and the history rows the
-- database writes as bookkeeping evict nothing. Transition tables are visible only
-- here, so the boxes are gathered here and handed on as arrays.
CREATE FUNCTION tile_notify_statement() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    shown text := COALESCE(TG_ARGV[0], 'true');
    geoms text;
    x0s float8[]; y0s float8[]; x1s float8[]; y1s float8[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        geoms := format('SELECT r.geom FROM new_rows r WHERE %s', shown);
    ELSIF TG_OP = 'UPDATE' THEN
        geoms := format('SELECT r.geom FROM old_rows r WHERE %1$s '
                        'UNION ALL SELECT r.geom FROM new_rows r WHERE %1$s', shown);
    ELSE
        geoms := format('SELECT r.geom FROM old_rows r WHERE %s', shown);
    END IF;
    EXECUTE format('SELECT array_agg(ST_XMin(g)), array_agg(ST_YMin(g)), '
                   'array_agg(ST_XMax(g)), array_agg(ST_YMax(g)) '
                   'FROM (%s) s(g) WHERE g IS NOT NULL', geoms)
        INTO x0s, y0s, x1s, y1s;
    IF x0s IS NOT NULL THEN
        PERFORM tile_notify_boxes(TG_TABLE_NAME, x0s, y0s, x1s, y1s);
    END IF;
    RETURN NULL;
END $$;

-- TRUNCATE (a demo reload, a restore) has no rows to look at: everything the table's
-- layers show is gone, so the whole layer is evicted.
CREATE FUNCTION tile_notify_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('landgov.tiles_dirty', '1', true);
    PERFORM pg_notify('landgov_tiles', json_build_object('table', TG_TABLE_NAME, 'all', true)::text);
    RETURN NULL;
END $$;

-- Parcel tiles show their town's name: renaming a town evicts the tiles of the parcels
-- assigned to it.
CREATE FUNCTION tile_notify_town() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    x0s float8[]; y0s float8[]; x1s float8[]; y1s float8[];
BEGIN
    SELECT array_agg(ST_XMin(p.geom)), array_agg(ST_YMin(p.geom)),
           array_agg(ST_XMax(p.geom)), array_agg(ST_YMax(p.geom))
      INTO x0s, y0s, x1s, y1s
      FROM parcel p JOIN old_rows o ON o.id = p.town_id JOIN new_rows n ON n.id = o.id
     WHERE p.valid_to IS NULL AND o.name IS DISTINCT FROM n.name;
    IF x0s IS NOT NULL THEN
        PERFORM tile_notify_boxes('parcel', x0s, y0s, x1s, y1s);
    END IF;
    RETURN NULL;
END $$;
"""

TRIGGERS = [
    ("parcel", "INSERT", "NEW TABLE AS new_rows", "tile_notify_statement('valid_to IS NULL')"),
    ("parcel", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows",
     "tile_notify_statement('valid_to IS NULL')"),
    ("parcel", "DELETE", "OLD TABLE AS old_rows", "tile_notify_statement('valid_to IS NULL')"),
    ("parcel", "TRUNCATE", "", "tile_notify_truncate()"),
    ("town", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows", "tile_notify_town()"),
]


def upgrade() -> None:
    op.execute(FUNCTIONS)
    for table, event, ref, call in TRIGGERS:
        referencing = f"REFERENCING {ref} " if ref else ""
        op.execute(f"CREATE TRIGGER tiles_{event.lower()} AFTER {event} ON {table} "
                   f"{referencing}FOR EACH STATEMENT EXECUTE FUNCTION {call}")


def downgrade() -> None:
    for table, event, *_ in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS tiles_{event.lower()} ON {table}")
    op.execute("DROP FUNCTION IF EXISTS tile_notify_statement(), tile_notify_town(), "
               "tile_notify_truncate(), "
               "tile_notify_boxes(text, float8[], float8[], float8[], float8[])")
