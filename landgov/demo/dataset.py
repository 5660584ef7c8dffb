"""The whole demo data set for a seed and a parcel count, generated in memory.

Each stage draws from its own random stream spawned from the seed, so the layout never
depends on the parcel count and the same (seed, count) always gives the same data.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from landgov.demo.enterprises import Enterprises, enterprises
from landgov.demo.indicators import Indicators, indicators
from landgov.demo.layout import District, plan
from landgov.demo.occupancy import Use, occupy
from landgov.demo.parcel_records import ParcelRecords, parcel_records

Dates = npt.NDArray[np.datetime64]
LEASES_FROM = np.datetime64("2015-01-01")


@dataclass(frozen=True)
class DemoData:
    """Parcels (with their register columns), firms, occupancy and yearly figures."""

    district: District
    use: Use
    firms: Enterprises
    indicators: Indicators
    parcels: ParcelRecords

    def occupancy_dates(self) -> tuple[Dates, Dates]:
        """Start and end of each occupancy row.

        Owners use their land from founding (or from the land right, if later);
        tenants from the start of their lease. Every demo occupancy is current, so
        none has an end date: ``end_date`` records when a use *ended* (the evaluation
        counts only rows without one), not a lease's contractual term.
        """
        use, firms = self.use, self.firms
        founded = firms.founded[use.occ_firm]
        owned_from = np.maximum(founded, self.parcels.right_start[use.occ_parcel])
        rng = np.random.default_rng(np.random.SeedSequence([self.district.seed, 3]))
        lease_from = np.maximum(founded, LEASES_FROM + rng.integers(0, 3_300, len(founded))
                                .astype("timedelta64[D]"))
        start = np.where(use.occ_tenure == "leased", lease_from, owned_from)
        return (start.astype("datetime64[D]"),
                np.full(len(start), np.datetime64("NaT"), dtype="datetime64[D]"))


def generate(seed: int, n: int) -> DemoData:
    """The demo district of ``n`` parcels for ``seed``."""
    district = plan(seed, n)
    use_rng, firm_rng, figure_rng, record_rng = (
        np.random.default_rng(s) for s in np.random.SeedSequence([seed, 2]).spawn(4))
    use = occupy(district, use_rng)
    firms = enterprises(district, use, firm_rng)
    land = use.firm_land_mu(district.area_mu())
    figures = indicators(firms, land, use.firm_cluster(), figure_rng)
    records = parcel_records(district, use, firms, record_rng)
    return DemoData(district, use, firms, figures, records)
