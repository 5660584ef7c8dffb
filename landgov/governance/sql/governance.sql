-- 治理清单 of :year: the listed firms of the latest run, their parcels and cluster, the
-- proposed action (first matching rule, {proposal}) and any officer's decision.
WITH run AS (
    SELECT max(id) AS id FROM evaluation_run WHERE year = :year
), listed AS (
    SELECT r.enterprise_id, r.class, r.two_low_two_high, r.flags, r.land_mu::float8 AS land_mu
    FROM evaluation_result r
    WHERE r.run_id = (SELECT id FROM run) AND r.status = 'scored'
      AND (r.class = ANY(:list_classes) OR (:list_tlth AND r.two_low_two_high))
), held AS (
    SELECT l.enterprise_id, p.unit_code, p.geom, p.area_mu, o.share, t.code AS town_code,
           t.name AS town_name
    FROM listed l
    JOIN occupancy o ON o.enterprise_id = l.enterprise_id AND o.end_date IS NULL
    JOIN parcel p ON p.unit_code = o.unit_code AND p.valid_to IS NULL
    LEFT JOIN town t ON t.id = p.town_id
), clustered AS (
    -- parcels of listed firms within :tolerance metres of each other form one cluster
    SELECT unit_code, area_mu,
           ST_ClusterDBSCAN(ST_Transform(geom, 4549), eps := :tolerance, minpoints := 1)
               OVER () AS cluster_id
    FROM (SELECT DISTINCT ON (unit_code) unit_code, geom, area_mu FROM held) d
), per_firm AS (
    SELECT h.enterprise_id,
           max(a.cluster_mu) AS cluster_mu,
           array_agg(DISTINCT h.unit_code) AS unit_codes,
           (array_agg(h.town_code ORDER BY h.area_mu * h.share DESC))[1] AS town_code,
           (array_agg(h.town_name ORDER BY h.area_mu * h.share DESC))[1] AS town_name
    FROM held h
    JOIN clustered c ON c.unit_code = h.unit_code
    JOIN (SELECT cluster_id, sum(area_mu) AS cluster_mu FROM clustered GROUP BY cluster_id) a
      ON a.cluster_id = c.cluster_id
    GROUP BY h.enterprise_id
), proposed AS (
    SELECT l.*, f.cluster_mu, f.unit_codes, f.town_code, f.town_name, {proposal}
    FROM listed l LEFT JOIN per_firm f ON f.enterprise_id = l.enterprise_id
)
SELECT q.town_code, q.town_name, e.uscc, e.name AS enterprise_name, q.class,
       q.two_low_two_high,
       ARRAY(SELECT f.key FROM jsonb_each(COALESCE(q.flags, '{{}}'::jsonb)) f
             WHERE (f.value ->> 'fired')::boolean ORDER BY f.key) AS flags,
       round(q.land_mu::numeric, 2) AS land_mu, round(q.cluster_mu::numeric, 2) AS cluster_mu,
       COALESCE(q.unit_codes, ARRAY[]::text[]) AS unit_codes,
       q.proposed_action, q.proposed_reason,
       d.action AS decided_action, d.reason AS decision_reason, d.decided_by, d.decided_at,
       COALESCE(d.action, q.proposed_action) AS action
FROM proposed q
JOIN enterprise e ON e.id = q.enterprise_id
LEFT JOIN governance_decision d ON d.enterprise_id = q.enterprise_id AND d.year = :year
WHERE CAST(:town AS text) IS NULL OR q.town_code = :town
ORDER BY q.town_code NULLS LAST, COALESCE(d.action, q.proposed_action), e.uscc
