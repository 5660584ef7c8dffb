-- Staging tables of one import, dropped when the import's transaction ends: COPY fills
-- import_raw; place.sql builds import_row (with each new parcel's 地籍子区) from it, and
-- the checks and writes read import_row.
DROP TABLE IF EXISTS pg_temp.import_raw, pg_temp.import_row, pg_temp.import_code;
CREATE TEMP TABLE import_raw (
    k integer NOT NULL,
    unit_code char(28),
    geom geometry(MultiPolygon, 4490),
    name text,
    land_use_code text,
    land_use_vintage text,
    land_right_type text,
    right_start_date date,
    right_end_date date,
    status text,
    note text
) ON COMMIT DROP;
CREATE TEMP TABLE import_code (k integer PRIMARY KEY, unit_code char(28) NOT NULL)
    ON COMMIT DROP
