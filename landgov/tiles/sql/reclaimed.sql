-- One vector tile of the 盘活 ledger: every reclamation record (whole parcel or part).
--
-- Inside tile_frame.sql, like parcels.sql: the tile envelope padded by
-- the MVT buffer is transformed to 4490 for the GiST index on the records' geometry;
-- small features are thinned out and geometry simplified at low zooms; at most :cap
-- features, the largest first. The feature id is the record id, which never changes
-- (records are not edited). Overlapping records overlap in the tile too: the area
-- counted once is the progress report's business, not the map's.
SELECT r.id AS fid,
       {tile_geom} AS geom,
       {attributes}
FROM bounds b
JOIN reclamation_record r ON r.geom && b.hit
LEFT JOIN town t ON t.id = r.town_id
{joins}
WHERE r.area_mu >= :min_area_mu
  {scope}
ORDER BY r.area_mu DESC, r.id
LIMIT :cap
