-- 底数清单: every current industrial parcel and each firm on it (one row per pair; a
-- parcel without a firm has one row), with the latest evaluation of :year.
WITH run AS (
    SELECT max(id) AS id FROM evaluation_run WHERE year = :year
)
SELECT t.code AS town_code, t.name AS town_name, p.unit_code,
       round(p.area_mu::numeric, 2) AS parcel_mu, p.land_use_code, p.land_use_vintage,
       p.status AS parcel_status, e.uscc, e.name AS enterprise_name, o.tenure,
       o.share, round((p.area_mu * o.share)::numeric, 2) AS used_mu,
       r.status AS evaluation_status, r.class, COALESCE(r.two_low_two_high, false) AS two_low_two_high,
       ARRAY(SELECT f.key FROM jsonb_each(COALESCE(r.flags, '{}'::jsonb)) f
             WHERE (f.value ->> 'fired')::boolean ORDER BY f.key) AS flags,
       pc.colour
FROM parcel p
LEFT JOIN town t ON t.id = p.town_id
LEFT JOIN occupancy o ON o.unit_code = p.unit_code AND o.end_date IS NULL
LEFT JOIN enterprise e ON e.id = o.enterprise_id
LEFT JOIN evaluation_result r ON r.enterprise_id = e.id AND r.run_id = (SELECT id FROM run)
LEFT JOIN parcel_colour pc ON pc.unit_code = p.unit_code
WHERE p.valid_to IS NULL
  AND p.land_use_code = ANY(:industrial)
  AND (CAST(:town AS text) IS NULL OR t.code = :town)
ORDER BY t.code NULLS LAST, p.unit_code, o.share DESC NULLS LAST, e.uscc
