-- Who uses which parcel: staging keys resolved to issued codes and firm ids.
INSERT INTO occupancy (unit_code, enterprise_id, share, tenure, start_date, end_date)
SELECT c.unit_code, f.id, o.share, o.tenure, o.start_date, o.end_date
FROM demo_occupancy o
JOIN demo_code c ON c.k = o.parcel_k
JOIN demo_firm_id f ON f.k = o.firm_k
ORDER BY o.k;
