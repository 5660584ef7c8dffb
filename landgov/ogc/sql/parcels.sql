-- Collection `parcels`: every version of every parcel as an OGC feature.
-- A row of `parcel` is one version; the current one has valid_to null (history rows keep
-- the town they had). ogc/queries.py wraps this SELECT as `s` and adds the rest: current
-- versions or those valid at `datetime`, bbox, queryables, town scope, order, page and
-- output CRS. PostgreSQL pulls the subquery up, so those filters reach the parcel indexes
-- (the partial GiST index on current geometry, the unique index on current codes).
-- Column contract: row_id (unique per row), id, geom (EPSG:4490), version, valid_from,
-- valid_to, properties; the other columns are what queryables and the town scope use.
SELECT p.id AS row_id,
       p.unit_code AS id,
       p.geom,
       p.version,
       p.valid_from,
       p.valid_to,
       p.unit_code,
       p.status,
       p.land_use_code,
       p.land_use_vintage,
       p.land_right_type,
       p.name,
       t.code AS town_code,
       t.name AS town_name,
       json_build_object(
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
         -- the 一码 colour and class of the latest evaluation (current versions only)
         'evaluation_class', ev.evaluation_class,
         'colour', ev.colour,
         'note', p.note,
         -- firms on the parcel while this version was valid (day resolution)
         'enterprises', COALESCE((SELECT json_agg(json_build_object(
                                      'uscc', e.uscc, 'name', e.name,
                                      'share', o.share, 'tenure', o.tenure)
                                    ORDER BY o.share DESC, e.uscc)
                                  FROM occupancy o JOIN enterprise e ON e.id = o.enterprise_id
                                  WHERE o.unit_code = p.unit_code
                                    AND CASE WHEN p.valid_to IS NULL THEN o.end_date IS NULL
                                             ELSE (o.start_date IS NULL OR o.start_date < p.valid_to)
                                                  AND (o.end_date IS NULL OR o.end_date > p.valid_from)
                                        END),
                                 '[]'::json),
         'valid_from', p.valid_from,
         'valid_to', p.valid_to
       ) AS properties
FROM parcel p
JOIN land_unit lu ON lu.unit_code = p.unit_code
LEFT JOIN town t ON t.id = p.town_id
LEFT JOIN LATERAL (SELECT * FROM parcel_evaluation(p.unit_code, p.status)
                   WHERE p.valid_to IS NULL) ev ON true
