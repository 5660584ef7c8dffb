-- Collection `cases`: governance cases (治理案件), read-only, one feature per case with
-- the current geometry of its parcel (NULL for a case opened on a firm alone). Cases
-- change state in place and keep their history as events (/api/v1/cases/{id}), so
-- there are no versions here: valid_from / valid_to are NULL and every case is current.
-- Overdue: the deadline lies before governance_today() (settings.time_zone) and the
-- case is still open. Column contract as in parcels.sql; town_code serves the town scope.
SELECT c.id AS row_id,
       c.id::text AS id,
       p.geom,
       NULL::integer AS version,
       NULL::timestamptz AS valid_from,
       NULL::timestamptz AS valid_to,
       c.state,
       c.action,
       c.year,
       c.unit_code,
       e.uscc,
       t.code AS town_code,
       t.name AS town_name,
       COALESCE(c.deadline < governance_today() AND c.state NOT IN ('已盘活', '已退出'), false)
           AS overdue,
       json_build_object(
         'case_id', c.id,
         'year', c.year,
         'state', c.state,
         'action', c.action,
         'unit_code', c.unit_code,
         'uscc', e.uscc,
         'enterprise_name', e.name,
         'town_code', t.code,
         'town_name', t.name,
         'deadline', c.deadline,
         'overdue', COALESCE(c.deadline < governance_today()
                             AND c.state NOT IN ('已盘活', '已退出'), false),
         'exit_reason', c.exit_reason,
         'opened_at', c.opened_at,
         'updated_at', c.updated_at
       ) AS properties
FROM governance_case c
LEFT JOIN parcel p ON p.unit_code = c.unit_code AND p.valid_to IS NULL
LEFT JOIN enterprise e ON e.id = c.enterprise_id
LEFT JOIN town t ON t.id = c.town_id
