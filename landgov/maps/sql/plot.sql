-- One current parcel for its 推介单: area, use, status, town, platforms, current firms,
-- centre (lon/lat) and the latest evaluation colour.
SELECT p.unit_code,
       p.name,
       p.area_mu,
       p.status,
       p.land_use_code,
       p.land_right_type,
       p.right_end_date,
       t.code AS town_code,
       t.name AS town_name,
       COALESCE((SELECT array_agg(pl.name ORDER BY pl.id) FROM platform pl
                  WHERE ST_Intersects(pl.geom, ST_PointOnSurface(p.geom))),
                '{}') AS platforms,
       COALESCE((SELECT array_agg(e.name ORDER BY o.share DESC, e.uscc)
                   FROM occupancy o JOIN enterprise e ON e.id = o.enterprise_id
                  WHERE o.unit_code = p.unit_code AND o.end_date IS NULL), '{}') AS firms,
       ST_X(ST_PointOnSurface(p.geom)) AS lon,
       ST_Y(ST_PointOnSurface(p.geom)) AS lat
FROM parcel p
LEFT JOIN town t ON t.id = p.town_id
WHERE p.unit_code = :code AND p.valid_to IS NULL
