"""The demo's working year: what officers have done on top of the loaded district.

``landgov demo scenario --year 2025`` runs after ``demo load`` and ``evaluate``: each
domain that keeps records of its own (governance cases, the control line, reclamation,
zones, chains and projects) seeds a believable state of them, so ``make run`` shows
every page with data. Each step is one module ``landgov/demo/<domain>_demo.py`` with

    def seed(session: Session, year: int) -> str | None

that writes set-based SQL through the domain's own service or queries, returns a
one-line summary (or ``None`` when its records already exist: steps are idempotent, so
``make run`` may call this every time) and never commits; the command commits once.
Steps run in :data:`STEPS` order, which follows the domains' import order.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

from sqlalchemy.orm import Session

# Module names under landgov.demo, in the order they must run.
STEPS: tuple[str, ...] = ("cases_demo", "controlline_demo", "reclamation_demo", "zones_demo",
                         "investment_demo")


def run(session: Session, year: int) -> Iterator[tuple[str, str | None]]:
    """Run every step in order; yields (step, its summary or None when already seeded)."""
    for step in STEPS:
        module = importlib.import_module(f"landgov.demo.{step}")
        yield step, module.seed(session, year)
