-- Every pairing of an addition (补) with a conversion (占) and the area it covers.
SELECT a.id AS addition_id, l.name AS addition_name, a.added_on,
       round(a.area_mu::numeric, 2) AS addition_area_mu,
       c.id AS conversion_id, c.unit_code, c.parcel_version, c.from_use_code, c.to_use_code,
       c.converted_on, round(c.area_mu::numeric, 2) AS conversion_area_mu,
       round(o.area_mu::numeric, 2) AS offset_mu
FROM control_line_offset o
JOIN control_line_addition a ON a.id = o.addition_id
JOIN control_line l ON l.id = a.line_id
JOIN control_line_conversion c ON c.id = o.conversion_id
ORDER BY c.recorded_at, c.id, a.id
