-- One current parcel as a GeoJSON Feature (text), with its town, platforms and firms.
-- Shared by the list and the single-parcel read so both show the same properties.
SELECT p.unit_code,
       p.version,
       t.code AS town_code,
       json_build_object(
         'type', 'Feature',
         'id', p.unit_code,
         'geometry', ST_AsGeoJSON(p.geom, :digits)::json,
         'properties', json_build_object(
           'unit_code', p.unit_code,
           'fid', lu.fid,
           'version', p.version,
           'area_mu', round(p.area_mu::numeric, 4),
           'town_code', t.code,
           'town_name', t.name,
           'platforms', COALESCE((SELECT json_agg(pl.name ORDER BY pl.id) FROM platform pl
                                  WHERE ST_Intersects(pl.geom, ST_PointOnSurface(p.geom))),
                                 '[]'::json),
           'name', p.name,
           'land_use_code', p.land_use_code,
           'land_use_vintage', p.land_use_vintage,
           'land_right_type', p.land_right_type,
           'right_start_date', p.right_start_date,
           'right_end_date', p.right_end_date,
           'status', p.status,
           'evaluation_class', pc.evaluation_class,
           'two_low_two_high', pc.two_low_two_high,
           'colour', pc.colour,
           'note', p.note,
           'enterprises', COALESCE((SELECT json_agg(json_build_object(
                                        'uscc', e.uscc, 'name', e.name,
                                        'share', o.share, 'tenure', o.tenure)
                                      ORDER BY o.share DESC, e.uscc)
                                    FROM occupancy o JOIN enterprise e ON e.id = o.enterprise_id
                                    WHERE o.unit_code = p.unit_code AND o.end_date IS NULL),
                                   '[]'::json),
           'valid_from', p.valid_from
         )
       )::text AS feature
FROM parcel p
JOIN land_unit lu ON lu.unit_code = p.unit_code
LEFT JOIN town t ON t.id = p.town_id
-- the 一码 status colour from the latest evaluation (migration 0005's view)
LEFT JOIN parcel_colour pc ON pc.unit_code = p.unit_code
WHERE p.valid_to IS NULL
