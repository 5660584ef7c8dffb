-- Current parcels as flat rows for export (Shapefile, GeoPackage, GeoJSON, CSV, XLSX).
-- The same attributes as feature_select.sql, flattened: lists joined with 、, the
-- geometry as WKB in :srid (ST_Transform is a no-op for 4490), timestamps in :tz.
-- bench/bench_io.py hands this very statement to ogr2ogr, so both read the same rows.
SELECT p.unit_code,
       round(p.area_mu::numeric, 2)::float8 AS area_mu,
       t.code AS town_code,
       t.name AS town_name,
       (SELECT string_agg(pl.name, '、' ORDER BY pl.id) FROM platform pl
         WHERE ST_Intersects(pl.geom, ST_PointOnSurface(p.geom))) AS platforms,
       p.name,
       p.land_use_code,
       p.land_use_vintage,
       p.land_right_type,
       p.right_start_date,
       p.right_end_date,
       p.status,
       sl.label AS status_label,
       pc.evaluation_class,
       pc.two_low_two_high,
       pc.colour,
       f.names AS enterprise_names,
       f.usccs AS enterprise_usccs,
       p.note,
       p.version,
       (p.valid_from AT TIME ZONE :tz) AS valid_from,
       ST_AsBinary(ST_Transform(p.geom, CAST(:srid AS integer))) AS geom
FROM parcel p
LEFT JOIN town t ON t.id = p.town_id
LEFT JOIN parcel_colour pc ON pc.unit_code = p.unit_code
LEFT JOIN (VALUES {status_labels}) AS sl(code, label) ON sl.code = p.status
LEFT JOIN LATERAL (
    SELECT string_agg(e.name, '、' ORDER BY o.share DESC, e.uscc) AS names,
           string_agg(e.uscc, '、' ORDER BY o.share DESC, e.uscc) AS usccs
    FROM occupancy o JOIN enterprise e ON e.id = o.enterprise_id
    WHERE o.unit_code = p.unit_code AND o.end_date IS NULL
) f ON true
WHERE p.valid_to IS NULL
