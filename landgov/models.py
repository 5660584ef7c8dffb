"""Import every domain's models so the shared metadata is complete (for Alembic)."""

from __future__ import annotations


def load_all() -> None:
    """Register all mapped classes on ``Base.metadata``."""
    import landgov.auth.models
    import landgov.evaluation.models
    import landgov.parcels.models
    import landgov.regions.models  # noqa: F401
