-- Current parcels of the evaluation map: the 一码 colour and class from the latest run
-- (migration 0007's parcel_evaluation, the one definition of the colour), area, town,
-- firms, and the outline simplified server-side so a district page stays light.
-- One row more than :max_features is read so the caller can refuse an oversized page.
SELECT p.unit_code,
       round(p.area_mu::numeric, 2) AS area_mu,
       p.status,
       t.name AS town_name,
       ev.evaluation_class,
       ev.flags_fired,
       ev.two_low_two_high,
       COALESCE(ev.colour, 'none') AS colour,
       (SELECT string_agg(e.name, '、' ORDER BY o.share DESC, e.uscc)
          FROM occupancy o JOIN enterprise e ON e.id = o.enterprise_id
         WHERE o.unit_code = p.unit_code AND o.end_date IS NULL) AS firms,
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(p.geom, :tolerance), 6, 0) AS geometry
FROM parcel p
LEFT JOIN town t ON t.id = p.town_id
LEFT JOIN LATERAL parcel_evaluation(p.unit_code, p.status) ev ON true
WHERE p.valid_to IS NULL
  AND (CAST(:town AS text) IS NULL OR t.code = CAST(:town AS text))
  AND (CAST(:minx AS float8) IS NULL
       OR p.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4490))
ORDER BY p.unit_code
LIMIT :max_features + 1
