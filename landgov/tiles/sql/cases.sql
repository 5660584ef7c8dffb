-- One vector tile of governance cases (治理案件): each case drawn with the current
-- geometry of its parcel (cases without a parcel are not drawn).
--
-- Inside tile_frame.sql, like parcels.sql: the padded tile envelope in
-- 4490 hits the partial GiST index on current parcels; small features are thinned out
-- and geometry simplified at low zooms; at most :cap features, the largest first. The
-- feature id is the case id, which never changes. Several cases on one parcel (several
-- firms, several years) overlap. "Overdue" is judged against governance_today()
-- (settings.time_zone, migration 0008).
SELECT c.id AS fid,
       {tile_geom} AS geom,
       {attributes}
FROM bounds b
JOIN parcel p ON p.geom && b.hit AND p.valid_to IS NULL
JOIN governance_case c ON c.unit_code = p.unit_code
LEFT JOIN town t ON t.id = c.town_id
{joins}
WHERE p.area_mu >= :min_area_mu
  {scope}
ORDER BY p.area_mu DESC, c.id
LIMIT :cap
