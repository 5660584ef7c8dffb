-- The line and the industrial land inside it as they stood at :at, from the versioned
-- rows of both (transaction time): the union of the line polygons then current, and the
-- union of the industrial parcels then current clipped to it, in EPSG:4549.
WITH line AS (
    SELECT ST_Union(geom) AS geom FROM control_line
    WHERE valid_from <= :at AND (valid_to IS NULL OR valid_to > :at)
), inside AS (
    SELECT p.unit_code, ST_Intersection(p.geom, line.geom) AS geom
    FROM parcel p, line
    WHERE p.valid_from <= :at AND (p.valid_to IS NULL OR p.valid_to > :at)
      AND landgov_is_industrial(p.land_use_vintage, p.land_use_code)
      AND p.geom && line.geom AND ST_Intersects(p.geom, line.geom)
)
SELECT COALESCE(ST_Area(ST_Transform((SELECT geom FROM line), 4549)), 0)
           / (10000.0 / 15) AS line_mu,
       COALESCE((SELECT ST_Area(ST_Transform(ST_Union(geom), 4549)) FROM inside), 0)
           / (10000.0 / 15) AS industrial_mu,
       (SELECT count(DISTINCT unit_code) FROM inside
        WHERE ST_Area(ST_Transform(geom, 4549)) > control_line_tolerance_sqm()) AS parcels
