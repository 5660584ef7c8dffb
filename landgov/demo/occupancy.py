"""Who uses which parcel: life-cycle status, low-efficiency blocks, holdings, sharing.

Pure numpy over all parcels of the district at once. The governance situations the
later features act on are made here on purpose, not left to chance:

* contiguous blocks of low-efficiency land over 100 亩 (连片): whole street blocks,
  sometimes with the block across a road of 30 m or less, all used by 两低两高 firms;
* idle, cleared and reclaimed parcels with nobody on them;
* firms on several neighbouring parcels, and parcels shared by 2–3 firms (one owner,
  tenants on lease) whose shares never add up to more than 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from landgov.demo.layout import District

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
B = npt.NDArray[np.bool_]

STATUSES = ("producing", "under_construction", "supplied", "idle", "cleared", "reclaimed",
            "relet")
STATUS_P = (0.80, 0.03, 0.02, 0.06, 0.04, 0.025, 0.025)
UNOCCUPIED = ("idle", "cleared", "reclaimed")
NEW_USE = ("under_construction", "supplied", "relet")
CLUSTER_MIN_MU = 110.0
CLUSTER_ROAD_M = 30.0
PARCELS_PER_CLUSTER = 160
SHARE_DECIMALS = 4


@dataclass(frozen=True)
class Use:
    """The occupancy of the district's parcels.

    ``cluster`` is the low-efficiency block a parcel belongs to (-1 for none). Firms are
    numbered 0..n_firms-1; ``firm_parcel`` is the parcel a firm was founded on.
    Occupancy rows: ``occ_parcel`` used by ``occ_firm`` for ``occ_share`` on ``occ_tenure``.
    """

    status: npt.NDArray[np.str_]
    cluster: I64
    n_firms: int
    firm_parcel: I64
    firm_tenant: B
    occ_parcel: I64
    occ_firm: I64
    occ_share: F64
    occ_tenure: npt.NDArray[np.str_]

    def firm_land_mu(self, area_mu: F64) -> F64:
        """Land each firm uses: owned plus leased, a shared parcel split by share."""
        land = np.bincount(self.occ_firm, weights=self.occ_share * area_mu[self.occ_parcel],
                           minlength=self.n_firms)
        return np.asarray(land, dtype=np.float64)

    def firm_cluster(self) -> B:
        """Whether each firm works in a low-efficiency block."""
        return np.asarray(self.cluster[self.firm_parcel] >= 0)


def occupy(district: District, rng: np.random.Generator) -> Use:
    """Decide status, clusters, firms and shares for every parcel of ``district``."""
    area = district.area_mu()
    cluster = low_efficiency_blocks(district, rng)
    status = _status(cluster, rng)
    block = (district.county * len(district.frame.blocks.zone)
             + district.frame.parcels.block[district.parcel])
    owner = _holdings(status, block, cluster, rng)
    occupied = np.flatnonzero(owner >= 0)
    first = occupied[np.unique(owner[occupied], return_index=True)[1]]
    shared, owner_share, tenant_share = _sharing(status, cluster, area, rng)
    share = np.ones(len(status))
    share[shared] = owner_share
    tenure = np.where(rng.random(len(status)) < 0.12, "leased", "owned")
    tenure[shared] = "owned"
    tenant_parcel = np.repeat(shared, 2)[tenant_share > 0]
    n_primary, n_tenants = len(first), len(tenant_parcel)
    return Use(
        status=status, cluster=cluster, n_firms=n_primary + n_tenants,
        firm_parcel=np.concatenate([first, tenant_parcel]).astype(np.int64),
        firm_tenant=np.arange(n_primary + n_tenants) >= n_primary,
        occ_parcel=np.concatenate([occupied, tenant_parcel]).astype(np.int64),
        occ_firm=np.concatenate([owner[occupied], n_primary + np.arange(n_tenants)]),
        occ_share=np.concatenate([share[occupied], tenant_share[tenant_share > 0]]),
        occ_tenure=np.concatenate([tenure[occupied], np.full(n_tenants, "leased")]),
    )


def low_efficiency_blocks(district: District, rng: np.random.Generator) -> I64:
    """Pick whole street blocks of ≥ 110 亩 as contiguous low-efficiency land.

    About one block in every 160 parcels of a county (dozens in a full district); half
    of them take in the neighbouring block across a road of at most 30 m, so the
    contiguous stretch crosses a street as real ones do. Returns a cluster id per parcel.
    """
    fr = district.frame
    n_blocks, n_counties = len(fr.blocks.zone), len(district.counties)
    gblock = district.county * n_blocks + fr.parcels.block[district.parcel]
    size = n_counties * n_blocks
    room = np.tile(np.bincount(fr.parcels.block, minlength=n_blocks), n_counties)
    whole = (np.bincount(gblock, minlength=size) == room) & np.tile(fr.blocks.complete,
                                                                   n_counties)
    area = np.bincount(gblock, weights=district.area_mu(), minlength=size)
    candidates = np.flatnonzero(whole & (area >= CLUSTER_MIN_MU))
    wanted = np.maximum(np.rint(np.bincount(district.county) / PARCELS_PER_CLUSTER), 1)
    seeds = _pick_per_county(candidates, candidates // n_blocks, wanted.astype(np.int64), rng)
    neighbour = _across_road(seeds, whole, district, rng)
    block_cluster = np.full(size, -1, dtype=np.int64)
    joined = neighbour >= 0
    block_cluster[neighbour[joined]] = np.flatnonzero(joined)
    block_cluster[seeds] = np.arange(len(seeds))
    cluster: I64 = block_cluster[gblock]
    return cluster


def _across_road(seeds: I64, whole: B, district: District, rng: np.random.Generator) -> I64:
    """The block joining each seed block across a road, or -1.

    For about half the seeds: the whole block east of it across a road of at most
    30 m, as a county-wide block number.
    """
    n_blocks = len(district.frame.blocks.zone)
    local = seeds % n_blocks
    east = _east_neighbour(district)[local]
    target = np.where(east >= 0, seeds - local + east, -1)
    ok = ((east >= 0) & (district.frame.blocks.east_road_m[local] <= CLUSTER_ROAD_M)
          & (rng.random(len(seeds)) < 0.5))
    ok[ok] &= whole[target[ok]]
    chosen: I64 = np.where(ok, target, -1).astype(np.int64)
    return chosen


def _pick_per_county(items: I64, county: I64, wanted: I64, rng: np.random.Generator) -> I64:
    """Up to ``wanted[c]`` random items of each county ``c``, in one vectorised draw."""
    order = np.lexsort((rng.random(len(items)), county))
    items, county = items[order], county[order]
    rank = np.arange(len(items)) - np.searchsorted(county, county, side="left")
    return np.sort(items[rank < wanted[county]])


def _east_neighbour(district: District) -> I64:
    """Frame block index of the block east of each block (same zone and row), or -1."""
    b = district.frame.blocks
    key = (b.zone * 10_000 + b.gx) * 10_000 + b.gy
    order = np.argsort(key)
    want = (b.zone * 10_000 + b.gx + 1) * 10_000 + b.gy
    pos = np.clip(np.searchsorted(key[order], want), 0, len(key) - 1)
    east: I64 = np.where(key[order][pos] == want, order[pos], -1).astype(np.int64)
    return east


def _status(cluster: I64, rng: np.random.Generator) -> npt.NDArray[np.str_]:
    """Life-cycle status of each parcel; low-efficiency blocks are all in production.

    Every status occurs at least once when there are parcels enough to spare.
    """
    status = rng.choice(np.array(STATUSES), size=len(cluster), p=STATUS_P)
    status[cluster >= 0] = "producing"
    free = np.flatnonzero((cluster < 0) & (status == "producing"))
    if len(free) >= 4 * len(STATUSES):
        spots = rng.choice(free, size=len(STATUSES), replace=False)
        missing = [s for s in STATUSES if not (status == s).any()]
        status[spots[: len(missing)]] = missing
    return status


def _holdings(status: npt.NDArray[np.str_], block: I64, cluster: I64,
              rng: np.random.Generator) -> I64:
    """Firm number of each occupied parcel (-1 if nobody uses it).

    A producing parcel sometimes belongs to the firm next door in the same block, so
    firms on several neighbouring parcels occur (more often in low-efficiency blocks,
    where one old plant grew over the years).
    """
    occupied = ~np.isin(status, UNOCCUPIED)
    producing = status == "producing"
    joins = np.zeros(len(status), dtype=bool)
    odds = np.where(cluster >= 0, 0.25, 0.08)
    joins[1:] = (producing[1:] & producing[:-1] & (block[1:] == block[:-1])
                 & (cluster[1:] == cluster[:-1]) & (rng.random(len(status) - 1) < odds[1:]))
    new = occupied & ~joins
    owner = np.cumsum(new) - 1
    return np.where(occupied, owner, -1).astype(np.int64)


def _sharing(status: npt.NDArray[np.str_], cluster: I64, area: F64,
             rng: np.random.Generator) -> tuple[I64, F64, F64]:
    """Parcels shared by an owner and one or two tenants, and their shares.

    Larger parcels are let more often. Shares are rounded down to 4 places so a
    parcel's shares never add up to more than 1; some leave part of the parcel unused.
    Returns the shared parcels, the owner's share on each, and two tenant shares per
    parcel (flattened; 0 where the second tenant is absent).
    """
    odds = np.where(area > 20, 0.09, 0.04)
    shared = np.flatnonzero((status == "producing") & (cluster < 0)
                            & (rng.random(len(status)) < odds))
    n = len(shared)
    owner = rng.uniform(0.4, 0.75, n)
    two = rng.random(n) < 0.3
    rest = (1 - owner) * rng.uniform(0.7, 1.0, n)
    split = np.where(two, rng.uniform(0.35, 0.65, n), 1.0)
    tenants = np.column_stack([rest * split, np.where(two, rest * (1 - split), 0.0)])
    scale = 10 ** SHARE_DECIMALS
    return (shared.astype(np.int64), np.floor(owner * scale) / scale,
            (np.floor(tenants * scale) / scale).ravel())
