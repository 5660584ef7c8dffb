-- One statement records a conversion and draws its area from the listed additions in
-- the order given (each addition's unused balance first), so the pairing is written
-- all at once; the database measures the conversion's area (BEFORE INSERT trigger) and
-- checks coverage at COMMIT.
WITH c AS (
    INSERT INTO control_line_conversion (unit_code, parcel_version, to_use_code, to_use_vintage,
                                         converted_on, note, recorded_by)
    VALUES (:code, :version, :to_code, :to_vintage, :converted_on, :note, :by)
    RETURNING id, area_mu
), pool AS (
    SELECT a.id, u.ord,
           greatest(a.area_mu - COALESCE((SELECT sum(o.area_mu) FROM control_line_offset o
                                          WHERE o.addition_id = a.id), 0), 0) AS free
    FROM unnest(CAST(:additions AS bigint[])) WITH ORDINALITY AS u(id, ord)
    JOIN control_line_addition a ON a.id = u.id
), drawn AS (
    SELECT p.id, c.id AS conversion_id,
           least(p.free, greatest(c.area_mu - COALESCE(sum(p.free) OVER (
               ORDER BY p.ord ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0), 0)) AS take
    FROM pool p CROSS JOIN c
), offsets AS (
    INSERT INTO control_line_offset (conversion_id, addition_id, area_mu)
    SELECT conversion_id, id, take FROM drawn WHERE take > 0
    RETURNING addition_id, area_mu
)
SELECT c.id, c.area_mu,
       COALESCE((SELECT jsonb_agg(jsonb_build_object('addition_id', addition_id,
                                                     'area_mu', area_mu))
                 FROM offsets), '[]'::jsonb) AS offsets
FROM c
