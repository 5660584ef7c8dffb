-- Issue every new staged parcel its 不动产单元代码 and register it in one statement,
-- continuing each 地籍子区's counter (locked beforehand, like parcels/queries.py
-- issue_code) in file order: county + 地籍区 + 地籍子区 + 'GB' + 顺序号 + 'W00000000'.
-- The parcel triggers set version, valid_from and town; the audit triggers record it.
WITH numbered AS MATERIALIZED (
    SELECT s.k, s.subdistrict_id,
           c.last_sequence + row_number() OVER (PARTITION BY s.subdistrict_id ORDER BY s.k) AS seq,
           c.county_code || c.district || c.subdistrict || :feature AS prefix
    FROM import_row s JOIN cadastral_subdistrict c ON c.id = s.subdistrict_id
    WHERE s.unit_code IS NULL
),
coded AS MATERIALIZED (
    SELECT k, subdistrict_id, seq, prefix || lpad(seq::text, 5, '0') || :fixture AS unit_code
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
    FROM coded c JOIN import_row s USING (k)
    ORDER BY c.k
)
INSERT INTO import_code (k, unit_code) SELECT k, unit_code FROM coded;
