-- Collection `reclaimed`: the 盘活 ledger, one feature per reclamation record (whole
-- parcel or part). Records are never edited, so there are no versions: valid_from and
-- valid_to are NULL and every record is current. `new_mu` is the ground the record
-- brought back first (counted once); `area_mu` its own area. Column contract as in
-- parcels.sql; town_code serves the town scope.
SELECT r.id AS row_id,
       r.id::text AS id,
       r.geom,
       NULL::integer AS version,
       NULL::timestamptz AS valid_from,
       NULL::timestamptz AS valid_to,
       r.unit_code,
       r.mode,
       r.case_id,
       t.code AS town_code,
       t.name AS town_name,
       json_build_object(
         'record_id', r.id,
         'unit_code', r.unit_code,
         'case_id', r.case_id,
         'town_code', t.code,
         'town_name', t.name,
         'reclaimed_on', r.reclaimed_on,
         'mode', r.mode,
         'mode_label', m.label,
         'new_use', r.new_use,
         'whole_parcel', r.whole_parcel,
         'area_mu', round(r.area_mu::numeric, 2),
         'new_mu', round((i.new_sqm / (10000.0 / 15))::numeric, 2),
         'note', r.note,
         'recorded_at', r.recorded_at
       ) AS properties
FROM reclamation_record r
LEFT JOIN reclamation_increment i ON i.record_id = r.id
LEFT JOIN town t ON t.id = r.town_id
-- labels as in landgov/reclamation/vocabulary.py MODES
LEFT JOIN (VALUES ('purchase_reserve', '收购储备'), ('agreed_takeback', '协议收回'),
                  ('self_renewal', '自主更新'), ('merger', '兼并重组'),
                  ('redevelopment', '二次开发')) AS m(code, label) ON m.code = r.mode
