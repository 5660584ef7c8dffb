-- Register the staged firms and remember which id each staging key received.
WITH inserted AS (
    INSERT INTO enterprise (uscc, name, industry_code, industry_name, chain, chain_link,
                            founded_on, production_start_on)
    SELECT uscc, name, industry_code, industry_name, chain, chain_link, founded_on,
           production_start_on
    FROM demo_firm
    ORDER BY k
    RETURNING id, uscc
)
INSERT INTO demo_firm_id (k, id)
SELECT f.k, i.id
FROM inserted i
JOIN demo_firm f USING (uscc);
