-- The demo's control lines: around the industrial parcels of each listed platform, the
-- parcels' union grown by :grow_m metres (closing the roads between them), shrunk back
-- (mitred, so square blocks keep their corners),
-- and clipped to the platform, so the line follows the cluster, not the platform's frame.
INSERT INTO control_line (name, geom, source, note)
SELECT pl.name || '工业用地控制线',
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Intersection(pl.geom, ST_Transform(
           ST_Buffer(ST_Buffer(ST_Union(ST_Transform(p.geom, 4549)), :grow_m, 'join=mitre'),
                     -:grow_m, 'join=mitre'),
           4490))), 3)),
       'demo', '演示: 依平台内工业宗地连片划定'
FROM platform pl
JOIN parcel p ON p.valid_to IS NULL AND p.geom && pl.geom
             AND ST_Intersects(pl.geom, ST_PointOnSurface(p.geom))
             AND landgov_is_industrial(p.land_use_vintage, p.land_use_code)
WHERE pl.code = ANY(:platforms)
GROUP BY pl.id, pl.name, pl.geom
RETURNING id
