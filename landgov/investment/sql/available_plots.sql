-- One page of available plots as GeoJSON Feature texts, in one statement.
--
-- `page` filters the trigger-maintained available_plot table (one row per available
-- plot, never the 100,000-row parcel table) with the where slot (built by queries.py from
-- fixed fragments: area range on the (area_mu DESC, unit_code) index, town, platform,
-- available_before, bbox on the GiST index) and keeps one page in a stable order;
-- `total` counts the matches (a plain count: a window count over the page query costs
-- several times more). Only the page's rows then pay for geometry, the 标准地
-- indicators and the nearest chain firms: a KNN (`<->`) scan of chain_site's GiST
-- index per plot (a partial index per chain when one is asked for: migration 0012),
-- the nearest :knn sites (3 per firm wanted, for firms on several parcels), of which the nearest
-- :firms distinct firms are kept (the firm_filter slot: the requested chain, or any).
WITH page AS (
    SELECT a.unit_code, a.area_mu
    FROM available_plot a
    WHERE {where}
    ORDER BY a.area_mu DESC, a.unit_code
    LIMIT :limit OFFSET :offset
), total AS (
    SELECT count(*) AS matched FROM available_plot a WHERE {where}
)
SELECT (SELECT matched FROM total) AS matched,
       -- the geometry's GeoJSON is kept in the table (written once by the triggers), so
       -- a page only concatenates it (braces doubled: this file is a str.format template)
       '{{"type": "Feature", "id": "' || a.unit_code || '", "geometry": ' || a.geojson
       || ', "properties": ' || json_build_object(
           'unit_code', a.unit_code,
           'fid', a.fid,
           'area_mu', round(a.area_mu::numeric, 2),
           'status', a.status,
           'land_use_code', a.land_use_code,
           'town_code', t.code,
           'town_name', t.name,
           'platforms', to_json(a.platform_names),
           'platform_codes', to_json(a.platform_codes),
           'available_from', a.available_from,
           'standard', a.standard,
           'nearest_firms', COALESCE(nf.firms, '[]'::json)
         )::text || '}}' AS feature
FROM page pg
JOIN available_plot a ON a.unit_code = pg.unit_code
LEFT JOIN town t ON t.id = a.town_id
LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object('uscc', e.uscc, 'name', f.name, 'chain', f.chain,
                                      'link', f.link, 'distance_m', round(f.d::numeric, 0))
                    ORDER BY f.d, f.enterprise_id) AS firms
    FROM (
        SELECT u.* FROM (
            SELECT DISTINCT ON (k.enterprise_id) k.*
            FROM (
                SELECT s.enterprise_id, s.name, s.chain, s.link,
                       ST_Distance(s.geom, a.geom_local) AS d
                FROM chain_site s
                WHERE {firm_filter}
                ORDER BY s.geom <-> a.geom_local
                LIMIT :knn
            ) k
            ORDER BY k.enterprise_id, k.d
        ) u
        ORDER BY u.d, u.enterprise_id
        LIMIT :firms
    ) f
    JOIN enterprise e ON e.id = f.enterprise_id
) nf ON true
ORDER BY a.area_mu DESC, a.unit_code
