-- Collection `enterprises`: firms by 统一社会信用代码, without geometry.
-- `parcels` and `land_mu` come from current occupancy (owned plus leased, a shared parcel
-- split by share), never from a typed-in figure. Column contract as in parcels.sql;
-- enterprise_id serves the town scope (a firm is in a town when it uses a parcel there).
SELECT e.id AS row_id,
       e.uscc AS id,
       NULL::geometry AS geom,
       NULL::integer AS version,
       NULL::timestamptz AS valid_from,
       NULL::timestamptz AS valid_to,
       e.id AS enterprise_id,
       e.uscc,
       e.name,
       e.industry_code,
       e.industry_name,
       e.chain,
       e.chain_link,
       json_build_object(
         'uscc', e.uscc,
         'name', e.name,
         'industry_code', e.industry_code,
         'industry_name', e.industry_name,
         'chain', e.chain,
         'chain_link', e.chain_link,
         'founded_on', e.founded_on,
         'production_start_on', e.production_start_on,
         'parcels', COALESCE((SELECT json_agg(o.unit_code ORDER BY o.unit_code)
                              FROM occupancy o
                              WHERE o.enterprise_id = e.id AND o.end_date IS NULL), '[]'::json),
         'land_mu', (SELECT round(COALESCE(sum(o.share * p.area_mu), 0)::numeric, 4)
                     FROM occupancy o
                     JOIN parcel p ON p.unit_code = o.unit_code AND p.valid_to IS NULL
                     WHERE o.enterprise_id = e.id AND o.end_date IS NULL)
       ) AS properties
FROM enterprise e
