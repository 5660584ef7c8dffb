-- Issue codes to staged new parcels and register them, in one statement: the one bulk
-- form of queries.issue_code. The caller fills {source} (a staging table with k,
-- subdistrict_id and the parcel columns), {pending} (which of its rows need a code) and
-- {target} (a table (k, unit_code) that receives the codes), has locked the
-- sub-districts concerned, and binds %(feature)s and %(fixture)s (psycopg style: the
-- staging tables are COPY-filled on a raw cursor). Within a 地籍子区 codes continue
-- from its counter in staging order:
--     county(6) + 地籍区(3) + 地籍子区(3) + 宗地特征码(2) + 宗地顺序号(5) + 定着物单元(9),
-- and the counter is advanced to the last number issued. The parcel triggers set
-- version, valid_from and town; the audit triggers record the writes.
WITH numbered AS MATERIALIZED (
    SELECT s.k, s.subdistrict_id,
           c.last_sequence + row_number() OVER (PARTITION BY s.subdistrict_id ORDER BY s.k)
               AS seq,
           c.county_code || c.district || c.subdistrict || %(feature)s AS prefix
    FROM {source} s JOIN cadastral_subdistrict c ON c.id = s.subdistrict_id
    WHERE {pending}
),
coded AS MATERIALIZED (
    SELECT k, subdistrict_id, seq, prefix || lpad(seq::text, 5, '0') || %(fixture)s AS unit_code
    FROM numbered
),
issued AS (
    INSERT INTO land_unit (unit_code, subdistrict_id)
    SELECT unit_code, subdistrict_id FROM coded ORDER BY k
),
advanced AS (
    UPDATE cadastral_subdistrict c SET last_sequence = top.seq
    FROM (SELECT subdistrict_id, max(seq) AS seq FROM coded GROUP BY subdistrict_id) top
    WHERE c.id = top.subdistrict_id
),
registered AS (
    INSERT INTO parcel (unit_code, geom, name, land_use_code, land_use_vintage,
                        land_right_type, right_start_date, right_end_date, status, note)
    SELECT c.unit_code, s.geom, s.name, s.land_use_code, s.land_use_vintage,
           s.land_right_type, s.right_start_date, s.right_end_date, s.status, s.note
    FROM coded c JOIN {source} s USING (k)
    ORDER BY c.k
)
INSERT INTO {target} (k, unit_code) SELECT k, unit_code FROM coded
