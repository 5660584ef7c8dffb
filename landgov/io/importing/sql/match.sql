-- Lock the live parcels this file updates (a concurrent edit waits or is waited for),
-- then note each row's current parcel and whether its geometry moved by more than
-- :moved_m metres (each new parcel's 地籍子区 is found by place.sql).
SELECT p.id FROM parcel p JOIN import_row s ON s.unit_code = p.unit_code
WHERE p.valid_to IS NULL ORDER BY p.id FOR UPDATE OF p;

UPDATE import_row s
SET current_id = p.id,
    moved = s.geom IS NOT NULL AND NOT ST_OrderingEquals(p.geom, s.geom)
            AND ST_HausdorffDistance(ST_Transform(p.geom, 4549), ST_Transform(s.geom, 4549))
                > :moved_m
FROM parcel p
WHERE p.unit_code = s.unit_code AND p.valid_to IS NULL
