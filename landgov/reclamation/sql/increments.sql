-- Ground brought back, counted once: the sums of the records' increments (the ground
-- each record brought back first, kept by migration 0010's trigger), grouped by period
-- and/or town and/or mode, beside the plain sum of the records' areas.
-- The sum of increments of the records up to a date is the area of the union of
-- everything reclaimed up to that date; a period's union figure is therefore the union
-- to its end minus the union to its start. Ground is attributed to the town and mode
-- of the record that first brought it back. Dates are legal dates in the configured
-- time zone, so a record of 05-31 falls in May and one of 06-01 in June.
SELECT CASE CAST(:period AS text)
         WHEN 'month' THEN to_char(r.reclaimed_on, 'YYYY-MM')
         WHEN 'year' THEN to_char(r.reclaimed_on, 'YYYY')
         ELSE '' END AS period,
       CASE WHEN CAST(:by_town AS boolean) THEN COALESCE(t.code, '') ELSE '' END AS town_code,
       CASE WHEN CAST(:by_mode AS boolean) THEN r.mode ELSE '' END AS mode,
       sum(i.new_sqm) / (10000.0 / 15) AS union_mu,
       sum(r.area_mu) AS sum_mu,
       count(*) AS records
FROM reclamation_record r
JOIN reclamation_increment i ON i.record_id = r.id
LEFT JOIN town t ON t.id = r.town_id
WHERE r.reclaimed_on BETWEEN :start AND :end
  AND (CAST(:town AS text) IS NULL OR t.code = CAST(:town AS text))
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
