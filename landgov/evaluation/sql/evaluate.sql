-- One row per enterprise with indicator data for :year (see scoring_sql.py).
-- Placeholders in braces are filled from code-defined fragments; numbers are bound.
WITH land AS (
    -- land used: current occupancy on current parcels, shared parcels split by share
    SELECT o.enterprise_id, sum(p.area_mu * o.share) AS land_mu
    FROM occupancy o
    JOIN parcel p ON p.unit_code = o.unit_code AND p.valid_to IS NULL
    WHERE o.end_date IS NULL AND o.tenure = ANY(:tenures)
    GROUP BY o.enterprise_id
), base AS (
    SELECT e.id AS enterprise_id, e.uscc, e.production_start_on,
           left(e.industry_code, 3) AS industry_major,
           CASE WHEN i.above_scale THEN 'above_scale' ELSE 'below_scale' END AS grp,
           COALESCE(l.land_mu, 0)::float8 AS land_mu,
           i.tax_wan, i.revenue_wan, i.value_added_wan, i.energy_tce, i.electricity_kwh,
           i.water_m3, i.cod_t, i.ammonia_n_t, i.so2_t, i.nox_t, i.rd_wan, i.employees
    FROM indicator i
    JOIN enterprise e ON e.id = i.enterprise_id
    LEFT JOIN land l ON l.enterprise_id = e.id
    WHERE i.year = :year
), checked AS (
    SELECT b.*, {quality} AS quality
    FROM base b
), statused AS (
    -- the first rule that applies decides; each is named in the result
    SELECT c.*,
           CASE WHEN c.uscc = ANY(:listed) THEN 'exempt_listed'
                WHEN c.production_start_on IS NOT NULL
                     AND c.production_start_on > make_date(:year, 12, 31)
                                                 - make_interval(years => :new_years)
                     THEN 'exempt_new'
                WHEN cardinality(c.quality) > 0 THEN 'data_quality'
                -- compared as shown to users (亩, two decimals)
                WHEN round(c.land_mu::numeric, 2) < :min_mu THEN 'below_min_land'
                ELSE 'scored' END AS status
    FROM checked c
), v AS (
    SELECT b.*,
       {values}
    FROM statused b
), s AS (
    SELECT v.*, {scores} AS scores, {total} AS total,
       {flag_values}
    FROM v
    WHERE v.status = 'scored'
), ranked AS (
    SELECT s.*,
       rank() OVER (PARTITION BY s.grp ORDER BY s.total DESC) AS group_rank,
       count(*) OVER (PARTITION BY s.grp) AS group_size,
       (rank() OVER (PARTITION BY s.grp ORDER BY s.total DESC) - 1)::float8
           / count(*) OVER (PARTITION BY s.grp) AS share_above,
       {windows}
    FROM s
), graded AS (
    SELECT r.enterprise_id, r.scores, round(r.total::numeric, 4) AS total, r.group_rank,
           r.group_size, round(r.share_above::numeric, 6) AS share_above,
           {klass} AS class,
           {flags} AS flags
    FROM ranked r
)
SELECT x.enterprise_id, x.uscc, x.grp, round(x.land_mu::numeric, 4) AS land_mu, x.status,
       x.quality,
       {inputs_array} AS inputs,
       {values_array} AS "values",
       g.scores, g.total, g.group_rank, g.group_size, g.share_above, g.class, g.flags,
       COALESCE(({both_low}
                 AND (g.flags -> 'low_output' ->> 'fired')::boolean
                 AND (g.flags -> 'low_benefit' ->> 'fired')::boolean)
             OR ({d_high} AND g.class = 'D'
                 AND (COALESCE((g.flags -> 'high_energy' ->> 'fired')::boolean, false)
                      OR COALESCE((g.flags -> 'high_emission' ->> 'fired')::boolean, false))),
                false) AS two_low_two_high
FROM v x
LEFT JOIN graded g ON g.enterprise_id = x.enterprise_id
