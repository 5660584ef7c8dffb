-- Two builds compared by overlap of their outlines (areas in 亩, EPSG:4549).
-- A zone of build :b that overlaps no zone of :a is new; a zone of :a that no zone of :b
-- overlaps is gone; the others continue, grown or shrunk when their outline area moved by
-- more than :same 亩 (merged when they overlap several zones of :a).
WITH a AS (SELECT * FROM zone WHERE build_id = :a),
b AS (SELECT * FROM zone WHERE build_id = :b),
pairs AS (
    SELECT a.code AS from_code, a.area_mu AS from_mu, b.code AS to_code,
           ST_Area(ST_Transform(ST_Intersection(a.geom, b.geom), 4549)) / (10000.0 / 15)
               AS overlap_mu
    FROM a JOIN b ON ST_Intersects(a.geom, b.geom)
), matched AS (
    SELECT * FROM pairs WHERE overlap_mu > 0.01
), continued AS (
    SELECT b.code, b.area_mu, b.net_area_mu, b.seq,
           array_agg(m.from_code ORDER BY m.from_code) AS from_codes,
           sum(m.from_mu) AS from_mu, sum(m.overlap_mu) AS overlap_mu
    FROM b JOIN matched m ON m.to_code = b.code
    GROUP BY b.code, b.area_mu, b.net_area_mu, b.seq
)
SELECT 'changed' AS kind, c.code, round(c.area_mu::numeric, 2)::float8 AS area_mu,
       round(c.net_area_mu::numeric, 2)::float8 AS net_area_mu, c.from_codes,
       round(c.from_mu::numeric, 2)::float8 AS from_mu,
       round(c.overlap_mu::numeric, 2)::float8 AS overlap_mu,
       CASE WHEN c.area_mu - c.from_mu > :same THEN 'grown'
            WHEN c.from_mu - c.area_mu > :same THEN 'shrunk'
            ELSE 'unchanged' END AS change,
       c.seq
FROM continued c
UNION ALL
SELECT 'new', b.code, round(b.area_mu::numeric, 2)::float8, round(b.net_area_mu::numeric, 2)::float8,
       NULL, NULL, NULL, NULL, b.seq
FROM b WHERE NOT EXISTS (SELECT 1 FROM matched m WHERE m.to_code = b.code)
UNION ALL
SELECT 'gone', a.code, round(a.area_mu::numeric, 2)::float8, round(a.net_area_mu::numeric, 2)::float8,
       NULL, NULL, NULL, NULL, a.seq
FROM a WHERE NOT EXISTS (SELECT 1 FROM matched m WHERE m.from_code = a.code)
ORDER BY 1, 9
