-- Firms of the industry chains near a subject outline (a plot or a zone): the nearest
-- :limit firms with a chain within :radius_m metres, with their link and distance.
WITH subject AS (
    SELECT ST_Transform(ST_Union(geom), 4549) AS g, ST_Union(geom) AS geom FROM (
        SELECT geom FROM parcel WHERE unit_code = ANY(:subject_codes) AND valid_to IS NULL
        UNION ALL
        SELECT geom FROM zone WHERE code = CAST(:zone_code AS text)
    ) s
)
SELECT e.name, e.chain, e.chain_link,
       round(min(ST_Distance(ST_Transform(p.geom, 4549), s.g))::numeric, 0) AS distance_m
FROM subject s
JOIN parcel p ON p.valid_to IS NULL AND p.geom && ST_Expand(s.geom, :radius_m / 90000.0)
             AND NOT (p.unit_code = ANY(:subject_codes))
JOIN occupancy o ON o.unit_code = p.unit_code AND o.end_date IS NULL
JOIN enterprise e ON e.id = o.enterprise_id AND e.chain IS NOT NULL
WHERE ST_DWithin(ST_Transform(p.geom, 4549), s.g, :radius_m)
GROUP BY e.id, e.name, e.chain, e.chain_link
ORDER BY distance_m, e.name
LIMIT :limit
