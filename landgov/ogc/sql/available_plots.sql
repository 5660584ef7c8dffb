-- Collection `available_plots`: 可供地块, read from the trigger-maintained available_plot
-- table (migration 0012; definition in docs/investment.md). Column contract as in
-- parcels.sql; a plot is not versioned here (its parcel is: see the parcels collection),
-- so version / valid_from / valid_to are NULL. town_code serves the town scope; row_id
-- is the unit's stable land_unit.fid.
SELECT a.fid AS row_id,
       a.unit_code AS id,
       a.geom,
       NULL::integer AS version,
       NULL::timestamptz AS valid_from,
       NULL::timestamptz AS valid_to,
       a.unit_code,
       a.status,
       a.available_from,
       a.platform_codes,
       t.code AS town_code,
       t.name AS town_name,
       json_build_object(
         'unit_code', a.unit_code,
         'area_mu', round(a.area_mu::numeric, 2),
         'status', a.status,
         'land_use_code', a.land_use_code,
         'town_code', t.code,
         'town_name', t.name,
         'platform_codes', a.platform_codes,
         'platform_names', a.platform_names,
         'available_from', a.available_from,
         'standard', a.standard
       ) AS properties
FROM available_plot a
LEFT JOIN town t ON t.id = a.town_id
