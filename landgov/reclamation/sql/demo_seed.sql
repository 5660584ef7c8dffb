-- Demo ledger (landgov demo scenario): the parcels the demo district shows as reclaimed
-- (已盘活) or re-let (已再出让) get a whole-parcel record; a quarter of the re-let ones
-- a later record of their western 60 % (二次开发 after a re-letting: overlapping ground,
-- counted once); a fifth of the cleared (已出清) parcels have their western half back
-- in use. Dates and modes are drawn from the unit code's hash, so a reload gives the
-- same ledger; dates run from the programme start to :today.
WITH chosen AS (
    SELECT p.unit_code, p.geom, p.status, ('x' || substr(md5(p.unit_code), 1, 8))::bit(32)::int AS h
    FROM parcel p
    WHERE p.valid_to IS NULL AND p.status IN ('reclaimed', 'relet', 'cleared')
), pieces AS (
    SELECT unit_code, geom, true AS whole, 0 AS lag, h FROM chosen
    WHERE status IN ('reclaimed', 'relet')
    UNION ALL
    SELECT unit_code, ST_Multi(ST_CollectionExtract(ST_Intersection(geom, ST_MakeEnvelope(
               ST_XMin(geom), ST_YMin(geom), ST_XMin(geom) + 0.6 * (ST_XMax(geom) - ST_XMin(geom)),
               ST_YMax(geom), 4490)), 3)), false, 1, h
    FROM chosen WHERE status = 'relet' AND abs(h) % 4 = 0
    UNION ALL
    SELECT unit_code, ST_Multi(ST_CollectionExtract(ST_Intersection(geom, ST_MakeEnvelope(
               ST_XMin(geom), ST_YMin(geom), ST_XMin(geom) + 0.5 * (ST_XMax(geom) - ST_XMin(geom)),
               ST_YMax(geom), 4490)), 3)), false, 0, h
    FROM chosen WHERE status = 'cleared' AND abs(h) % 5 = 0
), dated AS (
    SELECT *, CAST(:start AS date) + (abs(h) % GREATEST(1, CAST(:today AS date) - CAST(:start AS date)
                                                        - 30)) AS first_on
    FROM pieces
)
INSERT INTO reclamation_record (unit_code, geom, whole_parcel, reclaimed_on, mode, new_use,
                                note, recorded_by)
SELECT unit_code, geom, whole,
       LEAST(CAST(:today AS date), first_on + lag * (60 + abs(h) % 60)),
       CASE WHEN lag = 1 THEN 'redevelopment'
            ELSE (ARRAY['purchase_reserve', 'agreed_takeback', 'self_renewal', 'merger',
                        'redevelopment'])[1 + abs(h / 7) % 5] END,
       (ARRAY['智能制造厂房', '集成电路配套', '生物医药中试基地', '新能源装备', '标准厂房 (小微园)'])
           [1 + abs(h / 11) % 5],
       '演示数据', 'demo'
FROM dated
WHERE NOT ST_IsEmpty(geom)
