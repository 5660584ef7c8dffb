-- Candidates for a project's matches, set-based: available plots and current 连片 zones
-- whose area is within [:min_area, :max_area] (the demand, up to OVERSIZE × its maximum),
-- each with what the score needs measured in EPSG:4549: the nearest firm of the
-- project's link and of an adjacent link (KNN `<->` on chain_site's GiST index), the
-- share inside the current 工业用地控制线 (the control_share slot: NULL when none is
-- recorded), and the geometry for the Python shape check of the short list.
-- The zones_cte / zones_union slots add the zones when the zones domain has built some;
-- the plot_scope slot (and the zones' own) limit a town officer to their town.
WITH plots AS (
    SELECT 'plot'::text AS kind, a.unit_code::text AS key, a.area_mu,
           a.platform_codes, a.platform_names, t.name::text AS town_name,
           a.available_from, a.geom, a.geom_local::geometry AS geom_local
    FROM available_plot a
    LEFT JOIN town t ON t.id = a.town_id
    WHERE a.area_mu >= :min_area AND a.area_mu <= :max_area {plot_scope}
    ORDER BY abs(a.area_mu - :mid_area), a.unit_code
    LIMIT :cap
){zones_cte}, candidates AS (
    SELECT * FROM plots {zones_union}
)
SELECT c.kind, c.key, c.area_mu, c.platform_codes, c.platform_names, c.town_name,
       c.available_from,
       same.name AS same_link_firm, same.d AS same_link_m,
       adj.name AS adjacent_firm, adj.link AS adjacent_link, adj.d AS adjacent_m,
       {control_share} AS control_share,
       ST_AsBinary(c.geom_local) AS wkb,
       ST_AsGeoJSON(c.geom, 7) AS geojson
FROM candidates c
LEFT JOIN LATERAL (
    SELECT s.name, ST_Distance(s.geom, c.geom_local) AS d
    FROM chain_site s
    WHERE s.chain = :chain AND s.link = :link
    ORDER BY s.geom <-> c.geom_local
    LIMIT 1
) same ON true
LEFT JOIN LATERAL (
    SELECT s.name, s.link, ST_Distance(s.geom, c.geom_local) AS d
    FROM chain_site s
    WHERE s.chain = :chain AND s.link = ANY(CAST(:adjacent AS text[]))
    ORDER BY s.geom <-> c.geom_local
    LIMIT 1
) adj ON true
