-- Staging tables of one demo load: filled by COPY, read by the set-based inserts,
-- dropped when the load's transaction ends.
DROP TABLE IF EXISTS pg_temp.demo_parcel, pg_temp.demo_code, pg_temp.demo_firm,
    pg_temp.demo_firm_id, pg_temp.demo_occupancy, pg_temp.demo_indicator;

CREATE TEMP TABLE demo_parcel (
    k integer NOT NULL,
    subdistrict_id integer,
    geom geometry(MultiPolygon, 4490) NOT NULL,
    name text,
    land_use_code text NOT NULL,
    land_use_vintage text NOT NULL,
    land_right_type text,
    right_start_date date,
    right_end_date date,
    status text NOT NULL,
    note text
) ON COMMIT DROP;

CREATE TEMP TABLE demo_code (k integer PRIMARY KEY, unit_code char(28) NOT NULL)
    ON COMMIT DROP;

CREATE TEMP TABLE demo_firm (
    k integer NOT NULL,
    uscc char(18) NOT NULL,
    name text NOT NULL,
    industry_code text,
    industry_name text,
    chain text,
    chain_link text,
    founded_on date,
    production_start_on date
) ON COMMIT DROP;

CREATE TEMP TABLE demo_firm_id (k integer PRIMARY KEY, id bigint NOT NULL) ON COMMIT DROP;

CREATE TEMP TABLE demo_occupancy (
    k integer NOT NULL,
    parcel_k integer NOT NULL,
    firm_k integer NOT NULL,
    share numeric(5, 4) NOT NULL,
    tenure text NOT NULL,
    start_date date,
    end_date date
) ON COMMIT DROP;

CREATE TEMP TABLE demo_indicator (
    firm_k integer NOT NULL,
    year smallint NOT NULL,
    above_scale boolean NOT NULL,
    tax_wan double precision,
    revenue_wan double precision,
    value_added_wan double precision,
    energy_tce double precision,
    electricity_kwh double precision,
    water_m3 double precision,
    cod_t double precision,
    ammonia_n_t double precision,
    so2_t double precision,
    nox_t double precision,
    rd_wan double precision,
    employees integer,
    reported_land_mu double precision
) ON COMMIT DROP;
