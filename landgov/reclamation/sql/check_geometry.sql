-- How a proposed reclaimed geometry (:ewkt, EPSG:4490) sits on its parcel (:code),
-- measured in EPSG:4549: the area outside the parcel, the area of the parcel it leaves
-- out, the geometry clipped to the parcel (what is stored), and the live parcels of
-- other codes it overlaps by more than :tol m².
WITH g AS (
    SELECT ST_GeomFromEWKT(:ewkt) AS geom, ST_Transform(ST_GeomFromEWKT(:ewkt), 4549) AS plane
), p AS (
    SELECT geom, ST_Transform(geom, 4549) AS plane
    FROM parcel WHERE unit_code = :code AND valid_to IS NULL
)
SELECT ST_Area(ST_Difference(g.plane, p.plane)) AS outside_sqm,
       ST_Area(ST_Difference(p.plane, g.plane)) AS left_out_sqm,
       ST_AsEWKT(ST_Multi(ST_CollectionExtract(ST_Intersection(g.geom, p.geom), 3))) AS clipped,
       COALESCE((
           SELECT json_agg(json_build_object('unit_code', o.unit_code, 'sqm', o.sqm)
                           ORDER BY o.unit_code)
           FROM (SELECT q.unit_code,
                        ST_Area(ST_Intersection(ST_Transform(q.geom, 4549), g.plane)) AS sqm
                 FROM parcel q
                 WHERE q.valid_to IS NULL AND q.unit_code <> :code AND q.geom && g.geom
                   AND ST_Intersects(q.geom, g.geom)) o
           WHERE o.sqm > :tol), '[]'::json) AS clashes
FROM g, p
