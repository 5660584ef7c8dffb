-- The candidates of a zone build and their DBSCAN clusters: the head of one statement
-- (build.sql continues it with the outlines and the inserts, so a build is all or
-- nothing; bench runs it alone with a count as the bare clustering time).
--
-- Candidates are current parcels from the requested :sources (text[]):
--   two_low_two_high  parcels used by a 两低两高 firm in run :run_id
--   governance_list   parcels of firms on the year's 治理清单 (class in :list_classes or,
--                     when :list_tlth, 两低两高), unless an officer removed them ('none')
--   vacated           status idle or cleared
--   reclaimed         status reclaimed (not yet re-let)
-- Clustering is in EPSG:4549 metres: parcels within :tolerance of each other (a road or
-- a gap) are one cluster (ST_ClusterDBSCAN, minpoints 1 = single linkage). Clusters
-- whose member land is under :min_area_mu are dropped before any union, so only the
-- kept ones pay for it. The outline is the union of the members closed by :half
-- (= tolerance / 2: a dilation then an erosion, mitred so rectangles stay rectangles),
-- which fills the roads and gaps of at most the tolerance and bridges nothing wider.
WITH firms AS (
    SELECT r.enterprise_id, r.two_low_two_high AS tlth,
           (r.class = ANY(CAST(:list_classes AS text[]))
            OR (CAST(:list_tlth AS boolean) AND r.two_low_two_high))
           AND NOT EXISTS (SELECT 1 FROM governance_decision d
                           WHERE d.enterprise_id = r.enterprise_id AND d.year = :year
                             AND d.action = 'none') AS listed
    FROM evaluation_result r
    WHERE r.run_id = CAST(:run_id AS bigint) AND r.status = 'scored'
), tagged AS (
    SELECT o.unit_code, 'two_low_two_high' AS source
    FROM firms f JOIN occupancy o ON o.enterprise_id = f.enterprise_id AND o.end_date IS NULL
    WHERE f.tlth AND 'two_low_two_high' = ANY(CAST(:sources AS text[]))
    UNION ALL
    SELECT o.unit_code, 'governance_list'
    FROM firms f JOIN occupancy o ON o.enterprise_id = f.enterprise_id AND o.end_date IS NULL
    WHERE f.listed AND 'governance_list' = ANY(CAST(:sources AS text[]))
    UNION ALL
    SELECT p.unit_code, 'vacated' FROM parcel p
    WHERE p.valid_to IS NULL AND p.status IN ('idle', 'cleared')
      AND 'vacated' = ANY(CAST(:sources AS text[]))
    UNION ALL
    SELECT p.unit_code, 'reclaimed' FROM parcel p
    WHERE p.valid_to IS NULL AND p.status = 'reclaimed'
      AND 'reclaimed' = ANY(CAST(:sources AS text[]))
), candidates AS (
    SELECT p.unit_code, p.area_mu, p.status, p.town_id, p.geom,
           ST_Transform(p.geom, 4549) AS g, t.sources
    FROM (SELECT unit_code, array_agg(DISTINCT source ORDER BY source) AS sources
          FROM tagged GROUP BY unit_code) t
    JOIN parcel p ON p.unit_code = t.unit_code AND p.valid_to IS NULL
), clustered AS (
    SELECT c.*, ST_ClusterDBSCAN(c.g, eps => CAST(:tolerance AS float8), minpoints => 1)
                    OVER () AS cid
    FROM candidates c
)
