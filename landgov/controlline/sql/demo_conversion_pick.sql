-- The demo's conversion (占): the largest industrial parcel of a 2017/三调 vintage lying
-- (all but a sliver) inside a demo line, whose area the additions can cover.
SELECT p.unit_code, p.version, p.land_use_vintage
FROM parcel p
JOIN control_line l ON l.valid_to IS NULL AND l.source = 'demo' AND l.geom && p.geom
WHERE p.valid_to IS NULL AND p.land_use_vintage IN ('gbt21010_2017', 'sandiao')
  AND landgov_is_industrial(p.land_use_vintage, p.land_use_code)
  AND p.area_mu <= :cover_mu
  AND ST_Area(ST_Transform(ST_Intersection(l.geom, p.geom), 4549)) / (10000.0 / 15)
      >= 0.999 * p.area_mu
ORDER BY round(p.area_mu::numeric, 1) DESC, p.unit_code
LIMIT 1
