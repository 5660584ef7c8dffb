# The app image for deployments with Docker (docker-compose.yml). The database is the
# postgis/postgis service; LANDGOV_DATABASE_URL points at it, so `landgov db up` only
# migrates.
FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json web/build.mjs ./
RUN npm ci --no-audit --no-fund && npm run build

FROM python:3.11-slim-bookworm
WORKDIR /app
COPY pyproject.toml README.md alembic.ini ./
COPY landgov ./landgov
COPY migrations ./migrations
COPY gis_data ./gis_data
RUN pip install --no-cache-dir -e .
COPY --from=web /src/web/dist ./web/dist
RUN useradd --system landgov
USER landgov
EXPOSE 8000
CMD ["sh", "-c", "landgov db up && landgov serve --host 0.0.0.0 --port 8000"]
