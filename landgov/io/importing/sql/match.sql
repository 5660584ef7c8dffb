-- Lock the live parcels this file updates (a concurrent edit waits or is waited for),
-- then note each row's current parcel, whether its geometry moved by more than :moved_m
-- metres, and each new parcel's 地籍子区 (the one holding its point-on-surface, the rule
-- of parcels/queries.py subdistrict_at).
SELECT p.id FROM parcel p JOIN import_row s ON s.unit_code = p.unit_code
WHERE p.valid_to IS NULL ORDER BY p.id FOR UPDATE OF p;

UPDATE import_row s
SET current_id = p.id,
    moved = s.geom IS NOT NULL AND NOT ST_OrderingEquals(p.geom, s.geom)
            AND ST_HausdorffDistance(ST_Transform(p.geom, 4549), ST_Transform(s.geom, 4549))
                > :moved_m
FROM parcel p
WHERE p.unit_code = s.unit_code AND p.valid_to IS NULL;

UPDATE import_row s
SET subdistrict_id = (SELECT c.id FROM cadastral_subdistrict c
                      WHERE ST_Intersects(c.geom, ST_PointOnSurface(s.geom))
                      ORDER BY c.id LIMIT 1)
WHERE s.unit_code IS NULL AND s.geom IS NOT NULL;
