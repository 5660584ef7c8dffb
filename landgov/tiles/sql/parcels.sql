-- The features of one vector tile of the current parcels (tile_frame.sql wraps them).
-- The partial GiST index on current rows does the filtering on the padded envelope;
-- the feature id is the unit code's stable land_unit.fid.
SELECT lu.fid,
       {tile_geom} AS geom,
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
