-- Available plots as flat rows for export (Shapefile, GeoPackage, GeoJSON, CSV, XLSX):
-- the trigger-maintained available_plot table, lists joined with 、, the 标准地
-- indicators as columns, the geometry as WKB in :srid (ST_Transform is a no-op for 4490).
SELECT a.unit_code,
       round(a.area_mu::numeric, 2)::float8 AS area_mu,
       t.code AS town_code,
       t.name AS town_name,
       array_to_string(a.platform_names, '、') AS platforms,
       a.status,
       a.land_use_code,
       a.available_from,
       (a.standard ->> 'investment_intensity_wan_per_mu')::float8 AS investment_intensity,
       (a.standard ->> 'floor_area_ratio_min')::float8 AS floor_area_ratio_min,
       (a.standard ->> 'tax_per_mu_wan')::float8 AS tax_per_mu,
       (a.standard ->> 'energy_tce_per_wan_max')::float8 AS energy_max,
       (a.standard ->> 'emission_kg_per_wan_max')::float8 AS emission_max,
       a.standard ->> 'source' AS standard_source,
       ST_AsBinary(ST_Transform(a.geom, CAST(:srid AS integer))) AS geom
FROM available_plot a
LEFT JOIN town t ON t.id = a.town_id
WHERE true
