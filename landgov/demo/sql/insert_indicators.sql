-- Yearly figures of the staged firms.
INSERT INTO indicator (enterprise_id, year, above_scale, tax_wan, revenue_wan,
                       value_added_wan, energy_tce, electricity_kwh, water_m3, cod_t,
                       ammonia_n_t, so2_t, nox_t, rd_wan, employees, reported_land_mu)
SELECT f.id, i.year, i.above_scale, i.tax_wan, i.revenue_wan, i.value_added_wan,
       i.energy_tce, i.electricity_kwh, i.water_m3, i.cod_t, i.ammonia_n_t, i.so2_t,
       i.nox_t, i.rd_wan, i.employees, i.reported_land_mu
FROM demo_indicator i
JOIN demo_firm_id f ON f.k = i.firm_k
ORDER BY f.id, i.year;
