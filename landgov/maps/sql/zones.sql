-- Zones of the latest build (view current_zone, migration 0011) for the zones map:
-- size in 亩, governance progress, towns and platforms, up to :member_list members with
-- their area, and the chains most present among firms within :chain_radius_m metres
-- (suggested chains: agglomeration is what an investor of that chain looks for).
SELECT z.code,
       round(z.area_mu::numeric, 2) AS area_mu,
       round(z.net_area_mu::numeric, 2) AS net_area_mu,
       z.progress,
       round(z.compactness::numeric, 2) AS compactness,
       z.member_count,
       z.firm_count,
       array_to_string(z.town_names, '、') AS towns,
       array_to_string(z.platform_names, '、') AS platforms,
       (SELECT array_agg(m.unit_code || ' ' || to_char(m.area_mu, 'FM9999990.00') || ' 亩'
                         ORDER BY m.area_mu DESC, m.unit_code)
          FROM (SELECT * FROM zone_member zm WHERE zm.zone_id = z.id
                ORDER BY zm.area_mu DESC, zm.unit_code LIMIT :member_list) m) AS members,
       (SELECT string_agg(c.chain, '、' ORDER BY c.n DESC, c.chain)
          FROM (SELECT e.chain, count(DISTINCT e.id) AS n
                  FROM parcel p
                  JOIN occupancy o ON o.unit_code = p.unit_code AND o.end_date IS NULL
                  JOIN enterprise e ON e.id = o.enterprise_id
                 WHERE p.valid_to IS NULL AND e.chain IS NOT NULL
                   AND p.geom && ST_Expand(z.geom, :chain_radius_m / 90000.0)
                   AND ST_DWithin(ST_Transform(p.geom, 4549), ST_Transform(z.geom, 4549),
                                  :chain_radius_m)
                 GROUP BY e.chain ORDER BY n DESC, e.chain LIMIT 3) c) AS chains,
       ST_AsGeoJSON(ST_SimplifyPreserveTopology(z.geom, :tolerance), 6, 0) AS geometry
FROM current_zone z
WHERE (CAST(:town AS text) IS NULL OR CAST(:town AS text) = ANY(z.town_codes))
  AND (CAST(:minx AS float8) IS NULL
       OR z.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4490))
ORDER BY z.code
LIMIT :max_features + 1
