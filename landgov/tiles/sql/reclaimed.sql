-- One vector tile of the 盘活 ledger: every reclamation record (whole parcel or part).
--
-- Same parameters and structure as parcels.sql (see there): the tile envelope padded by
-- the MVT buffer is transformed to 4490 for the GiST index on the records' geometry;
-- small features are thinned out and geometry simplified at low zooms; at most :cap
-- features, the largest first. The feature id is the record id, which never changes
-- (records are not edited). Overlapping records overlap in the tile too: the area
-- counted once is the progress report's business, not the map's.
WITH bounds AS (
    SELECT ST_TileEnvelope(:tz, :x, :y, ST_MakeEnvelope(:f0, :f1, :f2, :f3, :srid))::box2d
               AS tile,
           ST_Transform(ST_TileEnvelope(:tz, :x, :y, ST_MakeEnvelope(:f0, :f1, :f2, :f3, :srid),
                                        margin => :margin), 4490) AS hit
), features AS (
    SELECT r.id AS fid,
           ST_AsMVTGeom(
               ST_Transform(CASE WHEN :simplify > 0 THEN ST_Simplify(r.geom, :simplify, true)
                                 ELSE r.geom END, :srid),
               b.tile, :extent, :buffer, true) AS geom,
           {attributes}
    FROM bounds b
    JOIN reclamation_record r ON r.geom && b.hit
    LEFT JOIN town t ON t.id = r.town_id
    {joins}
    WHERE r.area_mu >= :min_area_mu
      {scope}
    ORDER BY r.area_mu DESC, r.id
    LIMIT :cap
)
SELECT ST_AsMVT(f.*, :layer, :extent, 'geom', 'fid' ORDER BY f.fid)
FROM features f
WHERE f.geom IS NOT NULL
