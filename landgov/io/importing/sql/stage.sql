-- Staging table of one import: filled by COPY, checked and written by set-based SQL,
-- dropped when the import's transaction ends.
DROP TABLE IF EXISTS pg_temp.import_row, pg_temp.import_code;
CREATE TEMP TABLE import_row (
    k integer PRIMARY KEY,
    unit_code char(28),
    geom geometry(MultiPolygon, 4490),
    name text,
    land_use_code text,
    land_use_vintage text,
    land_right_type text,
    right_start_date date,
    right_end_date date,
    status text,
    note text,
    current_id bigint,
    subdistrict_id bigint,
    moved boolean NOT NULL DEFAULT false,
    changed boolean NOT NULL DEFAULT false
) ON COMMIT DROP;
CREATE TEMP TABLE import_code (k integer PRIMARY KEY, unit_code char(28) NOT NULL)
    ON COMMIT DROP;
