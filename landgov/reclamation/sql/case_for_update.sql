-- The governance case a record names, locked, with whether the record's parcel is the
-- case's parcel or descends from it by split/merge (the case may predate a split).
WITH RECURSIVE descendants(code) AS (
    SELECT c.unit_code FROM governance_case c WHERE c.id = :case_id AND c.unit_code IS NOT NULL
    UNION
    SELECT l.child_code FROM parcel_lineage l JOIN descendants d ON l.parent_code = d.code
)
SELECT c.id, c.state, c.unit_code, t.code AS town_code,
       (c.unit_code IS NULL OR :code IN (SELECT code FROM descendants)) AS parcel_matches
FROM governance_case c
LEFT JOIN town t ON t.id = c.town_id
WHERE c.id = :case_id
FOR UPDATE OF c
