-- The rest of a build, after candidates.sql (which ends with the `clustered` CTE).
, sized AS (
    SELECT cid, sum(area_mu) AS net_mu, count(*) AS members FROM clustered GROUP BY cid
), kept AS (
    SELECT s.cid, s.net_mu, s.members,
           row_number() OVER (ORDER BY s.net_mu DESC, min(c.unit_code)) AS seq
    FROM sized s JOIN clustered c USING (cid)
    WHERE s.net_mu >= CAST(:min_area_mu AS float8)
    GROUP BY s.cid, s.net_mu, s.members
), members AS (
    SELECT c.*, k.seq FROM clustered c JOIN kept k USING (cid)
), shaped AS (
    -- closed, then stripped of the collinear vertices the union leaves (5 cm tolerance)
    SELECT seq, ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(
               ST_Buffer(ST_Buffer(ST_Union(g), CAST(:half AS float8), 'join=mitre mitre_limit=5'),
                         -CAST(:half AS float8), 'join=mitre mitre_limit=5'), 0.05)), 3) AS outline
    FROM members GROUP BY seq
), member_firms AS (
    SELECT m.unit_code, m.seq, e.id AS enterprise_id,
           jsonb_build_object('uscc', e.uscc, 'name', e.name, 'share', o.share,
                              'tenure', o.tenure) AS firm
    FROM members m
    JOIN occupancy o ON o.unit_code = m.unit_code AND o.end_date IS NULL
    JOIN enterprise e ON e.id = o.enterprise_id
), firm_counts AS (
    SELECT seq, count(DISTINCT enterprise_id) AS n FROM member_firms GROUP BY seq
), firm_lists AS (
    SELECT unit_code, jsonb_agg(firm ORDER BY firm ->> 'uscc') AS firms
    FROM member_firms GROUP BY unit_code
), towns AS (
    SELECT x.seq, array_agg(t.code ORDER BY x.mu DESC, t.code) AS codes,
           array_agg(t.name ORDER BY x.mu DESC, t.code) AS names
    FROM (SELECT seq, town_id, sum(area_mu) AS mu FROM members
          WHERE town_id IS NOT NULL GROUP BY seq, town_id) x
    JOIN town t ON t.id = x.town_id GROUP BY x.seq
), platforms AS (
    SELECT x.seq, array_agg(pf.code ORDER BY x.mu DESC, pf.code) AS codes,
           array_agg(pf.name ORDER BY x.mu DESC, pf.code) AS names
    FROM (SELECT m.seq, pf.id, sum(m.area_mu) AS mu FROM members m
          JOIN platform pf ON ST_Intersects(pf.geom, ST_PointOnSurface(m.geom))
          GROUP BY m.seq, pf.id) x
    JOIN platform pf ON pf.id = x.id GROUP BY x.seq
), progress AS (
    SELECT seq,
           count(*) FILTER (WHERE status IN ('cleared', 'reclaimed', 'relet'))::float8
               / count(*) AS share
    FROM members GROUP BY seq
), statuses AS (
    SELECT seq, jsonb_object_agg(status, n ORDER BY status) AS counts
    FROM (SELECT seq, status, count(*) AS n FROM members GROUP BY seq, status) x GROUP BY seq
), zones AS (
    SELECT k.seq, k.net_mu, k.members, s.outline, ST_Area(s.outline) AS area_m2,
           ST_Perimeter(s.outline) AS perimeter_m,
           COALESCE(fc.n, 0) AS firm_count,
           COALESCE(tw.codes, '{}') AS town_codes, COALESCE(tw.names, '{}') AS town_names,
           COALESCE(pl.codes, '{}') AS platform_codes, COALESCE(pl.names, '{}') AS platform_names,
           pr.share AS progress, st.counts AS status_counts
    FROM kept k
    JOIN shaped s USING (seq)
    JOIN progress pr USING (seq)
    JOIN statuses st USING (seq)
    LEFT JOIN towns tw USING (seq)
    LEFT JOIN platforms pl USING (seq)
    LEFT JOIN firm_counts fc USING (seq)
), build AS (
    INSERT INTO zone_build (year, evaluation_run_id, parameters, actor, candidate_count,
                            cluster_count, zone_count, member_count, area_mu, net_area_mu)
    SELECT :year, CAST(:run_id AS bigint), CAST(:parameters AS jsonb), :actor,
           (SELECT count(*) FROM candidates), (SELECT count(*) FROM sized),
           (SELECT count(*) FROM zones), (SELECT COALESCE(sum(members), 0) FROM zones),
           (SELECT COALESCE(sum(area_m2), 0) / (10000.0 / 15) FROM zones),
           (SELECT COALESCE(sum(net_mu), 0) FROM zones)
    RETURNING id
), new_zones AS (
    INSERT INTO zone (build_id, seq, code, geom, net_area_mu, perimeter_m, compactness,
                      member_count, firm_count, town_codes, town_names, platform_codes,
                      platform_names, progress, status_counts)
    SELECT b.id, z.seq, 'ZB' || b.id || '-' || z.seq,
           -- valid in metres may not stay valid through the transform: repair there
           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(z.outline, 4490)), 3)),
           z.net_mu, z.perimeter_m,
           CASE WHEN z.perimeter_m > 0
                THEN least(1.0, 4 * pi() * z.area_m2 / (z.perimeter_m ^ 2)) ELSE 0 END,
           z.members, z.firm_count, z.town_codes, z.town_names, z.platform_codes,
           z.platform_names, z.progress, z.status_counts
    FROM zones z CROSS JOIN build b
    RETURNING id, seq
), new_members AS (
    INSERT INTO zone_member (zone_id, unit_code, area_mu, status, sources, firms)
    SELECT nz.id, m.unit_code, m.area_mu, m.status, m.sources, COALESCE(fl.firms, '[]')
    FROM members m JOIN new_zones nz USING (seq)
    LEFT JOIN firm_lists fl USING (unit_code)
    RETURNING 1
)
SELECT b.id, (SELECT count(*) FROM new_members) AS written FROM build b
