-- One vector tile of the current 连片 zones (the latest build; view current_zone), in
-- one statement. Same frame and parameters as parcels.sql: the GiST index on zone.geom
-- does the filtering on the padded tile envelope in 4490; at low zooms the outline is
-- simplified and zones under a fraction of a pixel are left out. The feature id is
-- zone.id, stable for a build (a new build is new features and flushes the layer).
WITH bounds AS (
    SELECT ST_TileEnvelope(:tz, :x, :y, ST_MakeEnvelope(:f0, :f1, :f2, :f3, :srid))::box2d
               AS tile,
           ST_Transform(ST_TileEnvelope(:tz, :x, :y, ST_MakeEnvelope(:f0, :f1, :f2, :f3, :srid),
                                        margin => :margin), 4490) AS hit
), features AS (
    SELECT z.id AS fid,
           ST_AsMVTGeom(
               ST_Transform(CASE WHEN :simplify > 0 THEN ST_Simplify(z.geom, :simplify, true)
                                 ELSE z.geom END, :srid),
               b.tile, :extent, :buffer, true) AS geom,
           {attributes}
    FROM bounds b
    JOIN current_zone z ON z.geom && b.hit
    {joins}
    WHERE z.area_mu >= :min_area_mu
      {scope}
    ORDER BY z.area_mu DESC, z.id
    LIMIT :cap
)
SELECT ST_AsMVT(f.*, :layer, :extent, 'geom', 'fid' ORDER BY f.fid)
FROM features f
WHERE f.geom IS NOT NULL
