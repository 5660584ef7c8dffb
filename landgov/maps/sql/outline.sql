-- The frame drawn under a map instead of internet tiles: the district (or the one town
-- asked for) and its towns' boundaries, simplified; and the frame's bounds.
WITH frame AS (
    SELECT ST_Union(geom) AS geom FROM county
    WHERE CAST(:town AS text) IS NULL
    UNION ALL
    SELECT geom FROM town WHERE code = CAST(:town AS text)
)
SELECT ST_AsGeoJSON(ST_SimplifyPreserveTopology(f.geom, :tolerance), 6, 0) AS outline,
       (SELECT json_agg(json_build_object(
                 'type', 'Feature',
                 'properties', json_build_object('name', t.name, 'code', t.code),
                 'geometry', ST_AsGeoJSON(ST_SimplifyPreserveTopology(t.geom, :tolerance),
                                          6, 0)::json))
          FROM town t
         WHERE CAST(:town AS text) IS NULL OR t.code = CAST(:town AS text))::text AS towns,
       ST_XMin(f.geom) AS minx, ST_YMin(f.geom) AS miny,
       ST_XMax(f.geom) AS maxx, ST_YMax(f.geom) AS maxy
FROM frame f
WHERE f.geom IS NOT NULL
