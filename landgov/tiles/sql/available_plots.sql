-- One vector tile of the available plots (可供地块; table available_plot, kept by the
-- triggers of migration 0012), in one statement. Same frame and parameters as
-- parcels.sql: the GiST index on available_plot.geom filters on the padded tile envelope
-- in 4490; at low zooms outlines are simplified and plots under a fraction of a pixel
-- are left out. The feature id is the unit's stable land_unit.fid, as on the parcels
-- layer, so a client can match a plot to its parcel.
SELECT a.fid,
       {tile_geom} AS geom,
       {attributes}
FROM bounds b
JOIN available_plot a ON a.geom && b.hit
LEFT JOIN town t ON t.id = a.town_id
{joins}
WHERE a.area_mu >= :min_area_mu
  {scope}
ORDER BY a.area_mu DESC, a.fid
LIMIT :cap
