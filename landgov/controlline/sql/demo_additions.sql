-- The demo's additions (补): the :n largest industrial parcels lying wholly outside the
-- line, brought into it, each as a line polygon of its own and an addition record.
WITH picked AS (
    SELECT p.unit_code, p.geom,
           row_number() OVER (ORDER BY round(p.area_mu::numeric, 1) DESC, p.unit_code) AS n
    FROM parcel p
    WHERE p.valid_to IS NULL AND landgov_is_industrial(p.land_use_vintage, p.land_use_code)
      AND NOT EXISTS (SELECT 1 FROM control_line l WHERE l.valid_to IS NULL
                      AND ST_DWithin(ST_Transform(l.geom, 4549), ST_Transform(p.geom, 4549), 1))
    ORDER BY n
    LIMIT :n
), lines AS (
    INSERT INTO control_line (name, geom, source, note)
    SELECT '补充图斑 ' || unit_code, geom, 'addition', '演示: 线外工业宗地调入控制线'
    FROM picked ORDER BY n
    RETURNING id
)
INSERT INTO control_line_addition (line_id, added_on, note, recorded_by)
SELECT id, make_date(:year, 3 + 3 * (row_number() OVER (ORDER BY id))::int, 1),
       '演示补充', 'demo'
FROM lines
RETURNING id, area_mu
