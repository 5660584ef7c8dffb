"""One settings object for the whole application.

Everything configurable is read here from ``LANDGOV_*`` environment variables (or a
``.env`` file), so the rest of the code never touches ``os.environ``. Read it only
through :func:`get_settings`, which caches it; tests clear the cache when they change
the environment.
"""

from __future__ import annotations

from datetime import date
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
    case_deadline_months: int = Field(
        default=12, ge=1, le=60,
        description="治理案件: a case opened from a year's 治理清单 is due at the end of this "
        "month counted from January of that year (12: 31 December; 18: 30 June next year).")
    evidence_dir: Path | None = Field(
        default=None,
        description="治理案件 evidence files, stored by SHA-256. Unset: state_dir/evidence.")
    evidence_max_bytes: int = Field(
        default=20 * 1024 * 1024, ge=1, description="Largest evidence file accepted.")
    case_upload_max_bytes: int = Field(
        default=100 * 1024 * 1024, ge=1,
        description="Largest request body under /api/v1/cases (a transition with several "
        "evidence files).")
    rules_dir: Path | None = Field(
        default=None,
        description="A county's own evaluation rule sets (YAML), beside the shipped ones.",
    )
    reclamation_target_mu: float = Field(
        default=12_000, gt=0, description="盘活 target in 亩 for the whole district.")
    reclamation_deadline: date = Field(
        default=date(2026, 12, 31), description="Date by which the 盘活 target is due.")
    reclamation_start: date = Field(
        default=date(2022, 1, 1),
        description="Start of the 盘活 programme: records before it are refused.")
    reclamation_town_shares: dict[str, float] = Field(
        default_factory=dict,
        description="Each town's share of the target in 亩 (JSON: town code -> 亩). Empty: "
        "the target split pro rata to the towns' current industrial parcel area.")
    reclamation_blocks_planned: int | None = Field(
        default=None, ge=0,
        description="Planned number of 100 亩+ contiguous blocks (from the 连片 plan); "
        "unset: shown as not configured.")
    reclamation_trend_months: int = Field(
        default=6, ge=1, le=60,
        description="Months of recent progress the linear projection to the deadline uses.")
    zone_tolerance_m: float = Field(
        default=30.0, ge=0,
        description="连片 zones: parcels at most this many metres apart (a road) are "
        "contiguous (default of a build).")
    zone_max_tolerance_m: float = Field(
        default=200.0, ge=0,
        description="连片 zones: largest tolerance a build may ask for (more would merge "
        "unrelated blocks).")
    zone_min_area_mu: float = Field(
        default=100.0, ge=0,
        description="连片 zones: smallest zone kept, in 亩 of member land (default of a build).")
    zone_sources: list[str] = Field(
        default_factory=lambda: ["two_low_two_high", "governance_list", "vacated", "reclaimed"],
        description="连片 zones: candidate sources of a build by default (两低两高 firms' "
        "parcels, the 治理清单, vacated parcels, reclaimed and not re-let).")

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
    auth_cache_seconds: float = Field(
        default=60.0, ge=0,
        description="How long an authenticated key or user is remembered in-process "
        "(0: look it up on every request). Changes to api_key/app_user evict it at once "
        "through NOTIFY; this is only the safety net.")

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
    plot_cache_max_bytes: int = Field(
        default=64 * 1024 * 1024, ge=0,
        description="In-memory cache of /api/v1/plots/available pages: most bytes kept "
        "(0: no cache). Any change to what a page shows clears it through NOTIFY.")
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

    # --- maps (Folium pages, 推介单) ---------------------------------------------
    maps_max_features: int = Field(
        default=8_000, ge=1, le=200_000,
        description="Most features one /maps/ page draws; more: 422, narrow by town or bbox "
        "(keeps a page within a few MB).")
    maps_simplify_m: float = Field(
        default=1.0, ge=0, le=50,
        description="Geometry simplification tolerance of /maps/ pages, in metres.")
    maps_view_link_seconds: int = Field(
        default=300, ge=10, le=3600,
        description="Lifetime of the signed link the /maps/ shell opens a map page with.")
    brochure_share_days: int = Field(
        default=7, ge=1, le=90,
        description="Default lifetime of a shared 推介单 PDF link, in days (at most 90).")
    brochure_font: str | None = Field(
        default=None,
        description="Font file for the 推介单 PDF (CJK). Unset: Noto Sans/Serif CJK found by "
        "matplotlib's font manager (Debian package fonts-noto-cjk).")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings, read once."""
    return Settings()
