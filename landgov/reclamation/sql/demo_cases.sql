-- Demo ledger, governance cases: a third of the cleared (已出清) cases on a parcel (drawn
-- from the case id's hash; one case per parcel) have the eastern half of their parcel
-- brought back 30–120 days after clearing (never after :today), by purchase for
-- storage or agreed take-back. Returns the records, so the caller moves each case to
-- 已盘活 through the case service.
WITH cleared AS (
    SELECT c.id, c.unit_code, ('x' || substr(md5(c.id::text), 1, 8))::bit(32)::int AS h,
           (SELECT max(e.event_date) FROM governance_case_event e WHERE e.case_id = c.id)
               AS cleared_on
    FROM governance_case c
    WHERE c.state = '已出清' AND c.unit_code IS NOT NULL
), chosen AS (
    SELECT DISTINCT ON (c.unit_code) c.id, c.unit_code, c.h, c.cleared_on, p.geom
    FROM cleared c
    JOIN parcel p ON p.unit_code = c.unit_code AND p.valid_to IS NULL
    WHERE abs(c.h) % 3 = 0
    ORDER BY c.unit_code, c.id
), pieces AS (
    SELECT id, unit_code, h,
           LEAST(CAST(:today AS date), COALESCE(cleared_on, CAST(:today AS date))
                                        + 30 + abs(h) % 90) AS on_date,
           ST_Multi(ST_CollectionExtract(ST_Intersection(geom, ST_MakeEnvelope(
               ST_XMin(geom) + 0.5 * (ST_XMax(geom) - ST_XMin(geom)), ST_YMin(geom),
               ST_XMax(geom), ST_YMax(geom), 4490)), 3)) AS geom
    FROM chosen
)
INSERT INTO reclamation_record (case_id, unit_code, geom, whole_parcel, reclaimed_on, mode,
                                new_use, note, recorded_by)
SELECT id, unit_code, geom, false, on_date,
       CASE WHEN abs(h) % 2 = 0 THEN 'purchase_reserve' ELSE 'agreed_takeback' END,
       '收储后待出让 (标准地)', '演示数据: 治理案件 ' || id || ' 出清后盘活', 'demo'
FROM pieces
WHERE NOT ST_IsEmpty(geom)
RETURNING id, case_id, reclaimed_on
