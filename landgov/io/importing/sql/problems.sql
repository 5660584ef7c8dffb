-- Row problems only the database can see, as (k, field, reason, level). Same rules as
-- parcels/service.py: overlap with live parcels over :tol m² (parcels this file replaces
-- are compared in their new shape; the rows are checked against each other by
-- rows.overlaps_within, outside the database), codes that are unknown or retired, new
-- parcels outside every 地籍子区, and the county frame.
-- Overlap pairs are those whose interiors meet (DE-9IM 'T********'): neighbours that only
-- share an edge — nearly every pair a bounding box finds in a cadastre — are dismissed
-- without computing an intersection and its area.
WITH county_pieces AS MATERIALIZED (
    SELECT ST_Subdivide(geom, 256) AS geom FROM county
)
SELECT s.k, 'unit_code',
       CASE WHEN u.unit_code IS NULL
            THEN '代码 ' || s.unit_code || ' 未登记; 新宗地请留空代码, 由系统赋码'
            ELSE '宗地 ' || s.unit_code || ' 已注销, 代码不能再用' END, 'error'
FROM import_row s LEFT JOIN land_unit u ON u.unit_code = s.unit_code
WHERE s.unit_code IS NOT NULL AND s.current_id IS NULL
UNION ALL
SELECT s.k, 'geometry', '与现有宗地 ' || p.unit_code || ' 重叠 '
       || round(x.a::numeric, 1) || ' m²', 'error'
FROM import_row s
JOIN parcel p ON p.valid_to IS NULL AND p.geom && s.geom
    AND ST_Relate(p.geom, s.geom, 'T********')
CROSS JOIN LATERAL (SELECT ST_Area(ST_Transform(ST_Intersection(p.geom, s.geom), 4549)) AS a) x
WHERE NOT EXISTS (SELECT 1 FROM import_row r WHERE r.unit_code = p.unit_code) AND x.a > :tol
UNION ALL
SELECT s.k, 'geometry', '宗地不在任何地籍子区内, 无法赋码', 'error'
FROM import_row s WHERE s.unit_code IS NULL AND s.geom IS NOT NULL AND s.subdistrict_id IS NULL
UNION ALL
SELECT s.k, 'geometry', '宗地超出区县边界', :outside_level
FROM (
    -- Rows the county does not cover, found first (OFFSET 0 keeps the planner from
    -- running the costly test below on every row). ST_Covers with the county first:
    -- PostGIS prepares the (22,500-vertex) county once and reuses it for every row;
    -- ST_CoveredBy(s.geom, c.geom) re-read it per row, 100× slower.
    SELECT s.k, s.geom FROM import_row s
    WHERE s.geom IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM county c WHERE ST_Covers(c.geom, s.geom))
    OFFSET 0
) s
WHERE true
  -- More than 1 m² outside: the parcel's area less its overlap with the county's pieces
  -- (ST_Subdivide: ~256 vertices each, found by their boxes). Subtracting the county
  -- itself from each parcel (ST_Difference with the whole outline) costs milliseconds a
  -- row, minutes for a file of parcels along the county's edge.
  AND ST_Area(ST_Transform(s.geom, 4549))
      - COALESCE((SELECT sum(ST_Area(ST_Transform(ST_Intersection(s.geom, piece.geom), 4549)))
                  FROM county_pieces piece WHERE piece.geom && s.geom), 0) > 1
ORDER BY 1
