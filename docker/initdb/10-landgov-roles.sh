#!/bin/sh
# Runs once, as the postgres superuser, when the PostGIS container's volume is new:
# the owner role (migrates) and the app role (serves), and the privileges the app role
# gets on everything the owner creates. Mirrors what `landgov db up` does locally.
set -e
psql -v ON_ERROR_STOP=1 -d "$POSTGRES_DB" <<SQL
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE ROLE landgov_owner LOGIN CREATEDB PASSWORD '${LANDGOV_OWNER_PASSWORD}';
CREATE ROLE landgov_app LOGIN PASSWORD '${LANDGOV_APP_PASSWORD}';
ALTER DATABASE "$POSTGRES_DB" OWNER TO landgov_owner;
GRANT USAGE ON SCHEMA public TO landgov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE landgov_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO landgov_app;
ALTER DEFAULT PRIVILEGES FOR ROLE landgov_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO landgov_app;
SQL
