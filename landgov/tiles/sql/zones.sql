-- One vector tile of the current 连片 zones (the latest build; view current_zone), in
-- one statement. Inside tile_frame.sql, like parcels.sql: the GiST index on zone.geom
-- does the filtering on the padded tile envelope in 4490; at low zooms the outline is
-- simplified and zones under a fraction of a pixel are left out. The feature id is
-- zone.id, stable for a build (a new build is new features and flushes the layer).
SELECT z.id AS fid,
       {tile_geom} AS geom,
       {attributes}
FROM bounds b
JOIN current_zone z ON z.geom && b.hit
{joins}
WHERE z.area_mu >= :min_area_mu
  {scope}
ORDER BY z.area_mu DESC, z.id
LIMIT :cap
