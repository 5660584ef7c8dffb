-- Collection `zones`: the 连片 zones of the latest build (view current_zone).
-- Column contract as in parcels.sql; a zone is not versioned (a new build replaces the
-- set), so version / valid_from / valid_to are NULL. town_codes serves the town scope.
SELECT z.id AS row_id,
       z.code AS id,
       z.geom,
       NULL::integer AS version,
       NULL::timestamptz AS valid_from,
       NULL::timestamptz AS valid_to,
       z.code AS zone_code,
       z.build_id,
       z.town_codes,
       z.platform_codes,
       json_build_object(
         'zone_code', z.code,
         'build_id', z.build_id,
         'area_mu', round(z.area_mu::numeric, 2),
         'net_area_mu', round(z.net_area_mu::numeric, 2),
         'compactness', round(z.compactness::numeric, 4),
         'member_count', z.member_count,
         'firm_count', z.firm_count,
         'town_codes', z.town_codes,
         'town_names', z.town_names,
         'platform_codes', z.platform_codes,
         'platform_names', z.platform_names,
         'progress', round(z.progress::numeric, 4),
         'status_counts', z.status_counts,
         'case_counts', z.case_counts
       ) AS properties
FROM current_zone z
