"""One settings object for the whole application.

Everything configurable is read here from ``LANDGOV_*`` environment variables (or a
``.env`` file), so the rest of the code never touches ``os.environ``. Read it only
through :func:`get_settings`, which caches it; tests clear the cache when they change
the environment.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _default_state_dir() -> Path:
    return Path.home() / ".local" / "share" / "landgov"


class Settings(BaseSettings):
    """Configuration of a landgov installation (all fields map to ``LANDGOV_<NAME>``)."""

    model_config = SettingsConfigDict(
        env_prefix="LANDGOV_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    # --- database ---------------------------------------------------------------
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL the app connects with. Unset: the local PostGIS "
        "that `landgov db up` manages on this machine.",
    )
    migration_database_url: str | None = Field(
        default=None,
        description="URL of the owner role that runs migrations; defaults to database_url.",
    )
    app_role: str = Field(
        default="landgov_app", description="Database role the running app uses (non-superuser)."
    )
    owner_role: str = Field(
        default="landgov_owner", description="Database role that owns the schema and migrates."
    )
    database_name: str = Field(default="landgov", description="Local database name.")
    template_database: str = Field(
        default="landgov_template",
        description="Template database holding the PostGIS extension; new databases are "
        "created from it.",
    )
    state_dir: Path = Field(
        default_factory=_default_state_dir,
        description="Where the local PostGIS keeps its credentials (and its cluster when "
        "not run as root).",
    )
    local_port: int = Field(default=5432, description="Port of a self-managed local cluster.")

    # --- domain -----------------------------------------------------------------
    county_code: str = Field(default="330602", description="County (区县) code: 越城区.")
    district_area_policy: str = Field(
        default="warn",
        pattern="^(warn|refuse)$",
        description="Geometry outside the district outline: warn (default) or refuse.",
    )
    max_vertices: int = Field(default=20_000, description="Largest geometry accepted.")
    time_zone: str = Field(default="Asia/Shanghai")
    rules_dir: Path | None = Field(
        default=None,
        description="A county's own evaluation rule sets (YAML), beside the shipped ones.",
    )

    # --- security ---------------------------------------------------------------
    secret_key: str | None = Field(
        default=None,
        description="Token signing secret. Unset: generated once into state_dir/secret.key.",
    )
    token_minutes: int = Field(default=30, ge=1, le=24 * 60, description="Token lifetime.")
    max_request_bytes: int = Field(default=10 * 1024 * 1024, description="Largest request body.")
    max_import_bytes: int = Field(
        default=2_000_000_000, ge=1,
        description="Largest import (upload, or an archive's unpacked content): files of "
        "this size or more are refused.")
    rate_limit_per_minute: int = Field(
        default=1200, ge=1, description="Requests per minute per API key / user / address."
    )
    cors_origins: list[str] = Field(default_factory=list, description="CORS: off when empty.")

    # --- tiles ------------------------------------------------------------------
    redis_url: str | None = Field(
        default=None,
        description="Shared tile cache for several app processes (redis://host:port/db). "
        "Unset: each process keeps its own in-memory LRU.",
    )
    tile_cache_max_entries: int = Field(default=50_000, ge=0,
                                        description="In-memory tile cache: most tiles kept.")
    tile_cache_max_bytes: int = Field(default=256 * 1024 * 1024, ge=0,
                                      description="In-memory tile cache: most bytes kept.")
    tile_cache_ttl_seconds: int = Field(
        default=7 * 24 * 3600, ge=1,
        description="Redis tile cache: a tile's lifetime (edits evict it sooner).")
    tile_max_features: int = Field(default=20_000, ge=1,
                                   description="Most features written into one vector tile.")
    tile_raster_dir: Path = Field(
        default=Path(__file__).resolve().parent.parent / "gis_data",
        description="Where raster tile sources (rasters.json and its GeoTIFFs) live.",
    )

    # --- http -------------------------------------------------------------------
    host: str = "127.0.0.1"
    port: int = 8000
    page_size_max: int = Field(default=10_000, description="Largest page of features.")
    web_dist_dir: Path = Field(
        default=Path(__file__).resolve().parent.parent / "web" / "dist",
        description="Built front-end assets (npm packages copied at build time).",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
