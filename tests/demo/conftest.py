"""Fixtures of the demo generator's tests: one small generated district, shared.

Generation is pure and deterministic, so the data set is built once per module run
and only read by the tests.
"""

from __future__ import annotations

import pytest

from landgov.demo.dataset import DemoData, generate

SEED = 42
SMALL = 1_500


@pytest.fixture(scope="session")
def small_demo() -> DemoData:
    """The demo district of 1,500 parcels for seed 42."""
    return generate(SEED, SMALL)
