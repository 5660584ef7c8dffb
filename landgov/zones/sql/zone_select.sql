-- The columns of a zone as the API shows it (areas in 亩, two decimals; GeoJSON 4490).
SELECT z.code, z.build_id,
       round(z.area_mu::numeric, 2)::float8 AS area_mu,
       round(z.net_area_mu::numeric, 2)::float8 AS net_area_mu,
       round(z.compactness::numeric, 4)::float8 AS compactness,
       z.member_count, z.firm_count, z.town_codes, z.town_names, z.platform_codes,
       z.platform_names, round(z.progress::numeric, 4)::float8 AS progress,
       z.status_counts, z.case_counts,
       ST_AsGeoJSON(z.geom, 8)::json AS geometry
