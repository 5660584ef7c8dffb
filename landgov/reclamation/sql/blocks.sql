-- Contiguous blocks of reclaimed land up to :end: records within :eps metres of each
-- other (EPSG:4549) form one block (ST_ClusterDBSCAN, one record is enough); a block's
-- area is the sum of its records' increments, which is the area of its union (every
-- record a record overlaps lies in the same block), so no ST_Union is needed.
WITH done AS (
    SELECT i.new_sqm,
           ST_ClusterDBSCAN(r.geom_plane, eps => CAST(:eps AS float8), minpoints => 1)
               OVER () AS block
    FROM reclamation_record r
    JOIN reclamation_increment i ON i.record_id = r.id
    LEFT JOIN town t ON t.id = r.town_id
    WHERE r.reclaimed_on BETWEEN :start AND :end
      AND (CAST(:town AS text) IS NULL OR t.code = CAST(:town AS text))
)
SELECT block, sum(new_sqm) / (10000.0 / 15) AS area_mu, count(*) AS records
FROM done
GROUP BY block
HAVING sum(new_sqm) / (10000.0 / 15) >= :min_mu
ORDER BY area_mu DESC
