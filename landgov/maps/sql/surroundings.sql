-- What the 推介单's map shows: the subject outline(s) (:subject_codes, or the zone's
-- outline) and every current parcel within :radius_m metres, in EPSG:4549 metres (WKB),
-- with its status; roads are the gaps between them.
WITH subject AS (
    SELECT ST_Union(geom) AS geom FROM (
        SELECT geom FROM parcel WHERE unit_code = ANY(:subject_codes) AND valid_to IS NULL
        UNION ALL
        SELECT geom FROM zone WHERE code = CAST(:zone_code AS text)
    ) s
)
SELECT p.unit_code,
       p.status,
       p.unit_code = ANY(:subject_codes) AS subject,
       ST_AsBinary(ST_Transform(p.geom, 4549)) AS wkb
FROM parcel p, subject s
WHERE p.valid_to IS NULL
  AND p.geom && ST_Expand(s.geom, :radius_m / 90000.0)
  AND ST_DWithin(ST_Transform(p.geom, 4549), ST_Transform(s.geom, 4549), :radius_m)
ORDER BY p.unit_code
LIMIT 2000
