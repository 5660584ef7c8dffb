-- Open a case (待核实) for every firm and parcel of a 治理清单 that has no case of that
-- year yet, with its opening event, in one statement. :entries is the list as JSON
-- (uscc, action, town_code, unit_codes); entries whose action is 'none' (移出) are
-- skipped; a firm without parcels gets one case without a parcel. Idempotent: a pair
-- that already has a case of the year (in any state) is left alone, and the partial
-- unique index turns a concurrent duplicate into a no-op (ON CONFLICT DO NOTHING).
WITH entries AS (
    SELECT e.id AS enterprise_id, x.action, x.town_code, u.unit_code
    FROM jsonb_to_recordset(CAST(:entries AS jsonb))
             AS x(uscc text, action text, town_code text, unit_codes text[])
    JOIN enterprise e ON e.uscc = x.uscc
    CROSS JOIN LATERAL unnest(CASE WHEN cardinality(x.unit_codes) > 0 THEN x.unit_codes
                                   ELSE ARRAY[NULL]::text[] END) AS u(unit_code)
    WHERE x.action IN ('shutdown', 'upgrade', 'merge', 'vacate')
), fresh AS (
    SELECT DISTINCT ON (n.enterprise_id, n.unit_code)
           n.enterprise_id, n.unit_code, n.action, COALESCE(p.town_id, t.id) AS town_id
    FROM entries n
    LEFT JOIN parcel p ON p.unit_code = n.unit_code AND p.valid_to IS NULL
    LEFT JOIN town t ON t.code = n.town_code
    WHERE NOT EXISTS (SELECT 1 FROM governance_case c
                      WHERE c.year = :year AND c.enterprise_id = n.enterprise_id
                        AND c.unit_code IS NOT DISTINCT FROM n.unit_code)
    ORDER BY n.enterprise_id, n.unit_code
), opened AS (
    INSERT INTO governance_case (year, unit_code, enterprise_id, town_id, action, deadline,
                                 source, opened_by)
    SELECT :year, unit_code, enterprise_id, town_id, action, :deadline, 'list', :actor
    FROM fresh
    ORDER BY enterprise_id, unit_code
    ON CONFLICT DO NOTHING
    RETURNING id
)
INSERT INTO governance_case_event (case_id, from_state, to_state, event_date, actor, note)
SELECT id, NULL, '待核实', :today, :actor, :note FROM opened
RETURNING case_id
