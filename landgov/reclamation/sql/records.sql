-- Ledger records with their town, mode label inputs, the ground each brought back
-- first (increment) and its geometry (GeoJSON, EPSG:4490); the filters are optional.
SELECT r.id, r.case_id, r.unit_code, t.code AS town_code, t.name AS town_name,
       r.reclaimed_on, r.mode, r.new_use, r.note, r.whole_parcel,
       round(r.area_mu::numeric, 2)::float8 AS area_mu,
       round((i.new_sqm / (10000.0 / 15))::numeric, 2)::float8 AS new_mu,
       r.recorded_by, r.recorded_at,
       ST_AsGeoJSON(r.geom, 8)::json AS geometry,
       count(*) OVER () AS total
FROM reclamation_record r
LEFT JOIN reclamation_increment i ON i.record_id = r.id
LEFT JOIN town t ON t.id = r.town_id
WHERE (CAST(:record_id AS bigint) IS NULL OR r.id = CAST(:record_id AS bigint))
  AND (CAST(:town AS text) IS NULL OR t.code = CAST(:town AS text))
  AND (CAST(:mode AS text) IS NULL OR r.mode = CAST(:mode AS text))
  AND (CAST(:case_id AS bigint) IS NULL OR r.case_id = CAST(:case_id AS bigint))
  AND (CAST(:unit_code AS text) IS NULL OR r.unit_code = CAST(:unit_code AS text))
  AND (CAST(:start AS date) IS NULL OR r.reclaimed_on >= CAST(:start AS date))
  AND (CAST(:end AS date) IS NULL OR r.reclaimed_on <= CAST(:end AS date))
ORDER BY r.reclaimed_on DESC, r.id DESC
LIMIT :limit OFFSET :offset
