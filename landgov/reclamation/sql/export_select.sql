-- The 盘活 ledger as flat rows for export (Shapefile, GeoPackage, GeoJSON, CSV, XLSX):
-- one row per record with its geometry as WKB in :srid, the mode's label ({mode_labels}
-- is filled from vocabulary.MODES), the area it records and the area it brought back
-- first (counted once), timestamps in :tz. Optional filters: town, date range.
SELECT r.id AS record_id,
       r.unit_code,
       t.code AS town_code,
       t.name AS town_name,
       r.reclaimed_on,
       r.mode,
       ml.label AS mode_label,
       r.new_use,
       r.whole_parcel,
       round(r.area_mu::numeric, 2)::float8 AS area_mu,
       round((i.new_sqm / (10000.0 / 15))::numeric, 2)::float8 AS new_mu,
       r.case_id,
       r.note,
       r.recorded_by,
       (r.recorded_at AT TIME ZONE :tz) AS recorded_at,
       ST_AsBinary(ST_Transform(r.geom, CAST(:srid AS integer))) AS geom
FROM reclamation_record r
LEFT JOIN reclamation_increment i ON i.record_id = r.id
LEFT JOIN town t ON t.id = r.town_id
LEFT JOIN (VALUES {mode_labels}) AS ml(code, label) ON ml.code = r.mode
WHERE (CAST(:town AS text) IS NULL OR t.code = CAST(:town AS text))
  AND (CAST(:start AS date) IS NULL OR r.reclaimed_on >= CAST(:start AS date))
  AND (CAST(:end AS date) IS NULL OR r.reclaimed_on <= CAST(:end AS date))
ORDER BY r.reclaimed_on, r.id
