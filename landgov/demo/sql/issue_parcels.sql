-- Place every staged demo parcel in the 地籍子区 holding its point-on-surface (the same
-- rule the parcel trigger uses for its town); the codes are then issued by the parcel
-- domain's bulk statement (landgov/parcels/sql/issue_bulk.sql), street by street.
UPDATE demo_parcel p SET subdistrict_id = (
    SELECT c.id FROM cadastral_subdistrict c
    WHERE ST_Intersects(c.geom, ST_PointOnSurface(p.geom))
    ORDER BY c.id LIMIT 1
)
