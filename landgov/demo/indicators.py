"""Three years (2023–2025) of reported figures per firm, drawn for its 亩均 profile.

Figures are drawn per 亩 of the land the firm really uses (owned plus leased, shared
parcels by share), around medians chosen against the DOMAIN.md benchmarks
(亩均税收 15 万元, 亩均销售收入 300 万元, 3 万元 value added per tce, 500 万元 per
tonne of COD, 0.1 万元 per m³ of water, 15 万元 per employee): class A firms sit well
above them, B near them, C at about half, D far below, so every evaluation class
occurs. Above-scale (规上) follows from revenue (≥ 2,000 万元), as in the statistics;
below-scale firms leave out what they are not asked to report. A few rows are made
implausible on purpose for the data-quality checks: a negative tax, a foundry with no
energy use, missing values, a reported land area far from the computed one.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from landgov.demo.catalogue import FOUNDRY_GROUP, INDUSTRIES
from landgov.demo.enterprises import Enterprises

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

YEARS = (2023, 2024, 2025)
ABOVE_SCALE_WAN = 2_000.0
KWH_PER_TCE = 8_137.0
# Medians per profile A, B, C, D.
PROFILE = {
    "tax_per_mu": (30.0, 14.5, 7.5, 2.0),
    "revenue_per_mu": (600.0, 300.0, 165.0, 60.0),
    "va_share": (0.26, 0.22, 0.19, 0.15),
    "va_per_tce": (6.5, 3.1, 1.7, 0.6),
    "va_per_cod_t": (1300.0, 540.0, 270.0, 70.0),
    "va_per_m3": (0.25, 0.105, 0.05, 0.015),
    "va_per_employee": (40.0, 17.0, 11.0, 6.0),
    "rd_share": (0.045, 0.022, 0.010, 0.003),
}
COLUMNS = ("tax_wan", "revenue_wan", "value_added_wan", "energy_tce", "electricity_kwh",
           "water_m3", "cod_t", "ammonia_n_t", "so2_t", "nox_t", "rd_wan", "employees",
           "reported_land_mu")
MISSABLE = ("tax_wan", "revenue_wan", "value_added_wan", "energy_tce", "employees")
GROUP = np.array([i.group for i in INDUSTRIES])
MULTIPLIER = {k: np.array([getattr(i, k) for i in INDUSTRIES])
              for k in ("energy", "water", "emission")}


@dataclass(frozen=True)
class Indicators:
    """One row per firm and year; ``values`` by column name, NaN where not reported."""

    firm: I64
    year: I64
    above_scale: B
    values: dict[str, F64]


def indicators(firms: Enterprises, land_mu: F64, low: B,
               rng: np.random.Generator) -> Indicators:
    """Figures for every producing firm and year since it started producing."""
    firm, year = _rows(firms.producing_since)
    rates = _rates(firms, rng)
    drift = rng.normal(0.04, 0.05, len(land_mu))[firm] * (year - YEARS[-1])
    scale = np.exp(drift + rng.normal(0.0, 0.05, len(firm)))
    values = _figures({k: v[firm] for k, v in rates.items()}, land_mu[firm], scale, rng)
    above = values["revenue_wan"] >= ABOVE_SCALE_WAN
    _below_scale_gaps(values, ~above & ~low[firm], rng)
    _anomalies(values, firm, year, above, firms.industry, low, rng)
    return Indicators(firm, year, above, {k: values[k] for k in COLUMNS})


def _rows(started: npt.NDArray[np.datetime64]) -> tuple[I64, I64]:
    """(firm, year) for each year of 2023–2025 in which the firm was producing."""
    start_year = started.astype("datetime64[Y]").astype(np.int64) + 1970
    first = np.where(np.isnat(started), YEARS[-1] + 1, np.maximum(start_year, YEARS[0]))
    n_years = np.clip(YEARS[-1] - first + 1, 0, len(YEARS))
    firm = np.repeat(np.arange(len(started)), n_years)
    within = np.arange(len(firm)) - np.repeat(np.cumsum(n_years) - n_years, n_years)
    return firm.astype(np.int64), (first[firm] + within).astype(np.int64)


def _rates(firms: Enterprises, rng: np.random.Generator) -> dict[str, F64]:
    """Each firm's own intensities: its profile's medians, its industry, some spread."""
    n = len(firms.profile)
    rates = {k: np.asarray(v)[firms.profile] * rng.lognormal(0.0, 0.22, n)
             for k, v in PROFILE.items()}
    rates["va_per_tce"] *= MULTIPLIER["energy"][firms.industry]
    rates["va_per_m3"] *= MULTIPLIER["water"][firms.industry]
    rates["va_per_cod_t"] *= MULTIPLIER["emission"][firms.industry]
    return rates


def _figures(rate: dict[str, F64], land: F64, scale: F64,
             rng: np.random.Generator) -> dict[str, F64]:
    """Turn per-亩 intensities into a year's reported figures, rounded as reported."""
    n = len(land)
    revenue = rate["revenue_per_mu"] * land * scale
    value_added = revenue * rate["va_share"]
    energy = value_added / rate["va_per_tce"]
    cod = value_added / rate["va_per_cod_t"]
    return {
        "tax_wan": np.round(rate["tax_per_mu"] * land * scale, 2),
        "revenue_wan": np.round(revenue, 2),
        "value_added_wan": np.round(value_added, 2),
        "energy_tce": np.round(energy, 1),
        "electricity_kwh": np.round(energy * KWH_PER_TCE * rng.uniform(0.45, 0.9, n)),
        "water_m3": np.round(value_added / rate["va_per_m3"]),
        "cod_t": np.round(cod, 3),
        "ammonia_n_t": np.round(cod * rng.uniform(0.06, 0.12, n), 3),
        "so2_t": np.round(energy * rng.uniform(0.001, 0.006, n), 3),
        "nox_t": np.round(energy * rng.uniform(0.002, 0.008, n), 3),
        "rd_wan": np.round(revenue * rate["rd_share"], 2),
        "employees": np.maximum(np.round(value_added / rate["va_per_employee"]), 3.0),
        "reported_land_mu": _reported_land(land, rng),
    }


def _reported_land(land: F64, rng: np.random.Generator) -> F64:
    """The land a firm says it uses: close to the computed area, sometimes not.

    Sometimes far off or missing: it is kept beside the computed figure for
    comparison, never used instead of it.
    """
    n = len(land)
    reported = land * rng.normal(1.0, 0.02, n)
    reported = np.where(rng.random(n) < 0.01, land * rng.uniform(1.3, 1.8, n), reported)
    return np.where(rng.random(n) < 0.10, np.nan, np.round(reported, 2))


def _below_scale_gaps(values: dict[str, F64], below: B, rng: np.random.Generator) -> None:
    """Below-scale firms report tax, revenue and electricity; the rest only sometimes."""
    for column, missing in (("value_added_wan", 0.5), ("rd_wan", 0.8), ("water_m3", 0.3),
                            ("cod_t", 0.5), ("ammonia_n_t", 0.5), ("so2_t", 0.5),
                            ("nox_t", 0.5), ("energy_tce", 0.2)):
        values[column][below & (rng.random(len(below)) < missing)] = np.nan


def _anomalies(values: dict[str, F64], firm: I64, year: I64, above: B, industry: I64,
               low: B, rng: np.random.Generator) -> None:
    """Plant the implausible rows that data-quality checks must find.

    Never in a low-efficiency block, whose figures the contiguity checks rely on.
    """
    ok = ~low[firm]
    rows = np.flatnonzero(ok)
    if len(rows) == 0:
        return
    negative = rng.choice(rows, size=max(1, len(rows) // 1500), replace=False)
    values["tax_wan"][negative] = -np.round(rng.uniform(3.0, 60.0, len(negative)), 2)
    foundry = np.flatnonzero(ok & (GROUP[industry[firm]] == FOUNDRY_GROUP)
                             & (year == YEARS[-1]))
    big = foundry[above[foundry]]
    pool = big if len(big) else foundry
    zero = rng.choice(pool, size=max(1, len(pool) // 30), replace=False) if len(pool) else pool
    values["energy_tce"][zero] = 0.0
    rows = np.setdiff1d(rows, np.concatenate([negative, zero]))
    holes = rng.choice(rows, size=min(len(rows), max(3, len(rows) // 400)), replace=False)
    column = rng.integers(0, len(MISSABLE), len(holes))
    for k, name in enumerate(MISSABLE):
        values[name][holes[column == k]] = np.nan
