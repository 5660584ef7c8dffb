-- Current parcels matching the query — a 不动产单元代码 prefix, a USCC prefix of a firm on the
-- parcel, or part of the firm's name — with what the search list shows and the
-- parcel's bounding box (to zoom to). Code matches first, then by code.
-- The town parameter limits a town officer to its own town (NULL: every town).
WITH hits AS (
    SELECT unit_code, 0 AS rank FROM parcel
    WHERE valid_to IS NULL AND unit_code LIKE :prefix
    UNION
    SELECT o.unit_code, 1 FROM occupancy o JOIN enterprise e ON e.id = o.enterprise_id
    WHERE o.end_date IS NULL AND (e.uscc LIKE :prefix OR e.name ILIKE :part ESCAPE '\')
), best AS (
    SELECT unit_code, min(rank) AS rank FROM hits GROUP BY unit_code
)
SELECT p.unit_code,
       p.name,
       t.name AS town_name,
       round(p.area_mu::numeric, 2)::float8 AS area_mu,
       COALESCE((SELECT array_agg(e.name ORDER BY o.share DESC, e.uscc)
                 FROM occupancy o JOIN enterprise e ON e.id = o.enterprise_id
                 WHERE o.unit_code = p.unit_code AND o.end_date IS NULL), '{}') AS enterprises,
       ARRAY[ST_XMin(p.geom), ST_YMin(p.geom), ST_XMax(p.geom), ST_YMax(p.geom)] AS bbox
FROM best b
JOIN parcel p ON p.unit_code = b.unit_code AND p.valid_to IS NULL
LEFT JOIN town t ON t.id = p.town_id
WHERE CAST(:town AS text) IS NULL OR t.code = :town
ORDER BY b.rank, p.unit_code
LIMIT :limit
