-- Every addition and conversion in recording order, with the running figures after it:
-- the line's total area at that moment (union of the polygons then current), the sums
-- added and converted so far, the unused balance of additions, and the line net of
-- converted land.
WITH events AS (
    SELECT 'addition' AS kind, a.id, a.recorded_at, a.added_on AS effective_on, a.area_mu,
           NULL::text AS unit_code, l.name, a.note, a.area_mu AS added, 0.0 AS converted
    FROM control_line_addition a JOIN control_line l ON l.id = a.line_id
    UNION ALL
    SELECT 'conversion', c.id, c.recorded_at, c.converted_on, c.area_mu, c.unit_code,
           COALESCE(c.to_use_code, '注销'), c.note, 0.0, c.area_mu
    FROM control_line_conversion c
), running AS (
    SELECT e.*,
           sum(added) OVER w AS added_mu,
           sum(converted) OVER w AS converted_mu
    FROM events e
    WINDOW w AS (ORDER BY recorded_at, kind, id ROWS UNBOUNDED PRECEDING)
)
SELECT r.kind, r.id, r.recorded_at, r.effective_on, round(r.area_mu::numeric, 2) AS area_mu,
       r.unit_code, r.name, r.note,
       round(t.line_mu::numeric, 2) AS line_total_mu,
       round(r.added_mu::numeric, 2) AS added_total_mu,
       round(r.converted_mu::numeric, 2) AS converted_total_mu,
       round((r.added_mu - r.converted_mu)::numeric, 2) AS credit_mu,
       round((t.line_mu - r.converted_mu)::numeric, 2) AS net_total_mu
FROM running r
CROSS JOIN LATERAL (
    SELECT COALESCE(ST_Area(ST_Transform(ST_Union(l.geom), 4549)), 0) / (10000.0 / 15) AS line_mu
    FROM control_line l
    WHERE l.valid_from <= r.recorded_at AND (l.valid_to IS NULL OR l.valid_to > r.recorded_at)
) t
ORDER BY r.recorded_at, r.kind, r.id
