-- One vector tile of the current parcels, in one statement.
--
-- :tz/:x/:y address the tile in the grid's square frame (:f0 … :f3, SRID :srid), so
-- one statement serves every tile matrix set in grids.py. The index filter runs in the
-- table's SRID (4490) on the tile envelope padded by the MVT buffer (:margin tiles)
-- and transformed there, so the partial GiST index on current rows does the work; the
-- cache's invalidation uses the same padded envelope (grids.Grid.tile_ranges).
-- Zoom-aware: parcels under :min_area_mu (a fraction of a screen pixel) are left out,
-- geometry is simplified by :simplify degrees before projection at low zooms, the
-- attributes with a minzoom are NULL (so not encoded) below it, and at most :cap
-- features are kept, the largest first. Features are aggregated in fid order (an ORDER
-- BY inside the aggregate, the only order PostgreSQL guarantees there), so a tile's
-- bytes, and so its ETag, are the same each time its data are.
WITH bounds AS (
    SELECT ST_TileEnvelope(:tz, :x, :y, ST_MakeEnvelope(:f0, :f1, :f2, :f3, :srid))::box2d
               AS tile,
           ST_Transform(ST_TileEnvelope(:tz, :x, :y, ST_MakeEnvelope(:f0, :f1, :f2, :f3, :srid),
                                        margin => :margin), 4490) AS hit
), features AS (
    SELECT lu.fid,
           ST_AsMVTGeom(
               ST_Transform(CASE WHEN :simplify > 0 THEN ST_Simplify(p.geom, :simplify, true)
                                 ELSE p.geom END, :srid),
               b.tile, :extent, :buffer, true) AS geom,
           {attributes}
    FROM bounds b
    JOIN parcel p ON p.geom && b.hit
    JOIN land_unit lu ON lu.unit_code = p.unit_code
    LEFT JOIN town t ON t.id = p.town_id
    {joins}
    WHERE p.valid_to IS NULL
      AND p.area_mu >= :min_area_mu
      {scope}
    ORDER BY p.area_mu DESC, lu.fid
    LIMIT :cap
)
SELECT ST_AsMVT(f.*, :layer, :extent, 'geom', 'fid' ORDER BY f.fid)
FROM features f
WHERE f.geom IS NOT NULL
