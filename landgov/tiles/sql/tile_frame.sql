-- One vector tile of one layer, in one statement: the frame every layer shares. The
-- layer's own file (sql/<layer>.sql) is the features query, selecting fid, geom (its
-- tile_geom slot: the geometry simplified, projected and clipped into the tile) and its
-- attributes, from the tile's bounds b.
--
-- :tz/:x/:y address the tile in the grid's square frame (:f0 … :f3, SRID :srid), so
-- one statement serves every tile matrix set in grids.py. The index filter runs in the
-- tables' SRID (4490) on the tile envelope padded by the MVT buffer (:margin tiles)
-- and transformed there (b.hit), so the GiST indexes do the work; the cache's
-- invalidation uses the same padded envelope (grids.Grid.tile_ranges).
-- Zoom-aware: features under :min_area_mu (a fraction of a screen pixel) are left out,
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
{features}
)
SELECT ST_AsMVT(f.*, :layer, :extent, 'geom', 'fid' ORDER BY f.fid)
FROM features f
WHERE f.geom IS NOT NULL
