-- Pieces of the current parcel :code cut by the line :line (EWKT, SRID 4490), largest
-- first. ST_Split works on single polygons, so each part of the multipolygon is cut.
WITH cut AS (
    SELECT (ST_Dump(ST_Split(part.geom, ST_GeomFromEWKT(:line)))).geom AS geom
    FROM parcel p, LATERAL ST_Dump(p.geom) AS part
    WHERE p.unit_code = :code AND p.valid_to IS NULL
)
SELECT ST_AsEWKT(ST_Multi(geom)) AS ewkt,
       ST_Area(ST_Transform(geom, 4549)) / (10000.0 / 15) AS area_mu
FROM cut
ORDER BY area_mu DESC
