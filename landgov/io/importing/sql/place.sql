-- import_row: the staged rows with, for each new parcel, its 地籍子区 — the one holding
-- its point-on-surface, the lowest id if several (the rule of parcels/queries.py
-- subdistrict_at). Driven from the ~500–3,000 sub-districts, each probing an index of
-- the rows' points: one index scan per sub-district with its outline prepared once,
-- instead of one per row (1.9 s → 0.5 s at 100,000 rows); and written once by
-- CREATE TABLE AS rather than by an UPDATE of every row.
CREATE INDEX import_raw_point ON import_raw USING gist (ST_PointOnSurface(geom))
    WHERE unit_code IS NULL;

CREATE TEMP TABLE import_row ON COMMIT DROP AS
SELECT r.*, p.subdistrict_id, NULL::bigint AS current_id,
       false AS moved, false AS changed
FROM import_raw r
LEFT JOIN (
    SELECT DISTINCT ON (s.k) s.k, c.id AS subdistrict_id
    FROM cadastral_subdistrict c
    CROSS JOIN LATERAL (
        SELECT s.k FROM import_raw s
        WHERE s.unit_code IS NULL AND ST_Intersects(c.geom, ST_PointOnSurface(s.geom))
        OFFSET 0  -- keeps the probe inside the loop over sub-districts (no statistics yet)
    ) s
    ORDER BY s.k, c.id
) p USING (k);

ALTER TABLE import_row ADD PRIMARY KEY (k);

CREATE INDEX ON import_row USING gist (geom);

CREATE INDEX ON import_row (unit_code);

ANALYZE import_row
