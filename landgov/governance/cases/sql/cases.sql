-- One page of cases matching the filters, with the total count (a row with a NULL id
-- carries the total when the page is empty). Overdue: the deadline lies before :today
-- (settings.time_zone) and the case is still open (not 已盘活 / 已退出).
WITH f AS (
    SELECT c.id, c.year, c.state, c.action, c.unit_code, e.uscc,
           e.name AS enterprise_name, t.code AS town_code, t.name AS town_name,
           round(p.area_mu::numeric, 2) AS parcel_mu, c.deadline,
           COALESCE(c.deadline < :today AND c.state NOT IN ('已盘活', '已退出'), false)
               AS overdue,
           c.exit_reason, c.source, c.opened_by, c.opened_at, c.updated_at
    FROM governance_case c
    LEFT JOIN enterprise e ON e.id = c.enterprise_id
    LEFT JOIN town t ON t.id = c.town_id
    LEFT JOIN parcel p ON p.unit_code = c.unit_code AND p.valid_to IS NULL
    WHERE (CAST(:case_id AS bigint) IS NULL OR c.id = :case_id)
      AND (CAST(:town AS text) IS NULL OR t.code = :town)
      AND (CAST(:state AS text) IS NULL OR c.state = :state)
      AND (CAST(:action AS text) IS NULL OR c.action = :action)
      AND (CAST(:year AS integer) IS NULL OR c.year = :year)
), g AS (
    SELECT * FROM f WHERE CAST(:overdue AS boolean) IS NULL OR f.overdue = :overdue
), page AS (
    SELECT * FROM g ORDER BY g.id LIMIT :limit OFFSET :offset
)
SELECT page.*, total.n AS total
FROM (SELECT count(*) AS n FROM g) total
LEFT JOIN page ON true
ORDER BY page.id
