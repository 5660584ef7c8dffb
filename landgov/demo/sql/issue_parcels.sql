-- Issue every staged parcel its 不动产单元代码 and register it, in one statement.
--
-- A parcel belongs to the 地籍子区 holding its point-on-surface (the same rule the
-- parcel trigger uses for its town). Within a sub-district, codes continue from the
-- sub-district's counter in staging order (street by street):
--     county(6) + 地籍区(3) + 地籍子区(3) + 'GB' + 宗地顺序号(5) + 'W00000000'.
-- The counter is advanced to the last number issued, so live allocation carries on
-- from it. The parcel triggers set version, valid_from and town_id themselves.
WITH placed AS MATERIALIZED (
    SELECT p.k, s.id AS subdistrict_id, s.county_code, s.district, s.subdistrict,
           s.last_sequence
    FROM demo_parcel p
    JOIN LATERAL (
        SELECT c.id, c.county_code, c.district, c.subdistrict, c.last_sequence
        FROM cadastral_subdistrict c
        WHERE ST_Intersects(c.geom, ST_PointOnSurface(p.geom))
        ORDER BY c.id
        LIMIT 1
    ) s ON true
),
numbered AS MATERIALIZED (
    SELECT k, subdistrict_id,
           last_sequence + row_number() OVER (PARTITION BY subdistrict_id ORDER BY k) AS seq,
           county_code || district || subdistrict || 'GB' AS prefix
    FROM placed
),
coded AS MATERIALIZED (
    SELECT k, subdistrict_id, seq,
           prefix || lpad(seq::text, 5, '0') || 'W00000000' AS unit_code
    FROM numbered
),
issued AS (
    INSERT INTO land_unit (unit_code, subdistrict_id)
    SELECT unit_code, subdistrict_id FROM coded ORDER BY k
),
advanced AS (
    UPDATE cadastral_subdistrict s
    SET last_sequence = top.seq
    FROM (SELECT subdistrict_id, max(seq) AS seq FROM coded GROUP BY subdistrict_id) top
    WHERE s.id = top.subdistrict_id
),
registered AS (
    INSERT INTO parcel (unit_code, geom, name, land_use_code, land_use_vintage,
                        land_right_type, right_start_date, right_end_date, status, note)
    SELECT c.unit_code, p.geom, p.name, p.land_use_code, p.land_use_vintage,
           p.land_right_type, p.right_start_date, p.right_end_date, p.status, p.note
    FROM coded c
    JOIN demo_parcel p USING (k)
    ORDER BY c.k
)
INSERT INTO demo_code (k, unit_code)
SELECT k, unit_code FROM coded;
