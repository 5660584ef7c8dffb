"""The parcel register's columns: name, land use (in its vintage), land right, status.

Land-use codes come in the vintages real data mixes (三调, GB/T 21010-2017, the 2023
用地用海分类, GB 50137), so filters that must treat them all as "industrial" meet all
of them; the class follows the nuisance of the industry on the parcel (一类/二类/三类).
Rights before 2017 run 50 years, later ones the 20-year 弹性年期 of 标准地; 划拨 land
has no term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from landgov.demo.catalogue import INDUSTRIES, PLATFORMS
from landgov.demo.enterprises import Enterprises
from landgov.demo.layout import District
from landgov.demo.occupancy import Use

I64 = npt.NDArray[np.int64]
Dates = npt.NDArray[np.datetime64]
Strings = npt.NDArray[np.str_]

VINTAGES = ("ydyh_2023", "gbt21010_2017", "sandiao", "gb50137")
VINTAGE_P = (0.6, 0.2, 0.12, 0.08)
NUISANCE = np.array([i.nuisance for i in INDUSTRIES])
NOTES = {
    "idle": "土地闲置, 待处置",
    "cleared": "原企业已关停出清, 待收储",
    "reclaimed": "已收储, 待再出让",
    "relet": "腾退后再出让",
    "under_construction": "项目在建",
}
ELASTIC_TERM_FROM = np.datetime64("2017-01-01")


@dataclass(frozen=True)
class ParcelRecords:
    """Per parcel of the district, in its order; '' and NaT are written as NULL."""

    name: Strings
    land_use_code: Strings
    land_use_vintage: Strings
    land_right_type: Strings
    right_start: Dates
    right_end: Dates
    status: Strings
    note: Strings


def parcel_records(district: District, use: Use, firms: Enterprises,
                   rng: np.random.Generator) -> ParcelRecords:
    """The register columns of every parcel."""
    n = len(district.parcel)
    owner = np.full(n, -1, dtype=np.int64)
    primary = ~use.firm_tenant[use.occ_firm]
    owner[use.occ_parcel[primary]] = use.occ_firm[primary]
    nuisance = np.where(owner >= 0, NUISANCE[firms.industry[np.maximum(owner, 0)]], 2)
    vintage = rng.choice(np.array(VINTAGES), size=n, p=VINTAGE_P)
    right = _right_type(district, rng)
    start = _right_start(owner, firms, rng)
    return ParcelRecords(
        name=_names(district),
        land_use_code=_land_use(vintage, nuisance, rng),
        land_use_vintage=vintage,
        land_right_type=right,
        right_start=start,
        right_end=_right_end(start, right),
        status=use.status,
        note=_notes(use.status),
    )


def _notes(status: Strings) -> Strings:
    """A short remark for parcels whose status needs one, else ''."""
    keys = np.array(list(NOTES))
    texts = np.array([*NOTES.values(), ""])
    hit = status[:, None] == keys[None, :]
    return np.asarray(texts[np.where(hit.any(axis=1), hit.argmax(axis=1), len(keys))],
                      dtype=np.str_)


def _names(district: District) -> Strings:
    """Zone, block and plot number, e.g. 袍江经开区0173-04号地块."""
    fr = district.frame
    block = fr.parcels.block
    plot = np.arange(len(block)) - np.searchsorted(block, block, side="left") + 1
    zone = np.array(fr.zones.names)[fr.parcels.zone]
    label = np.char.add(np.char.add(zone, np.char.zfill((block + 1).astype(str), 4)),
                        np.char.add("-", np.char.zfill(plot.astype(str), 2)))
    return np.asarray(np.char.add(label, "号地块")[district.parcel], dtype=np.str_)


def _land_use(vintage: Strings, nuisance: I64, rng: np.random.Generator) -> Strings:
    """The industrial code of each parcel in its vintage's own terms."""
    generic = rng.random(len(vintage)) < 0.15
    ydyh = np.where(generic, "1001", np.char.add("10010", nuisance.astype(str)))
    return np.asarray(np.where(vintage == "ydyh_2023", ydyh,
                               np.where(vintage == "gb50137",
                                        np.char.add("M", nuisance.astype(str)), "0601")),
                      dtype=np.str_)


def _right_type(district: District, rng: np.random.Generator) -> Strings:
    """出让 mostly; 划拨 for a few old plots; 集体建设用地 only in the towns' own areas."""
    in_town_area = district.frame.parcels.zone[district.parcel] >= len(PLATFORMS)
    u = rng.random(len(district.parcel))
    right = np.where(u < 0.04, "allocation", np.where(u < 0.09, "lease", "transfer"))
    collective = in_town_area & (rng.random(len(u)) < 0.15)
    return np.asarray(np.where(collective, "collective", right), dtype=np.str_)


def _right_start(owner: I64, firms: Enterprises, rng: np.random.Generator) -> Dates:
    """When the land right began: a little before its firm was founded, else any year."""
    n = len(owner)
    founded = firms.founded[np.maximum(owner, 0)]
    before = founded - rng.integers(30, 365, n).astype("timedelta64[D]")
    anytime = np.datetime64("1995-01-01") + rng.integers(0, 8_400, n).astype("timedelta64[D]")
    start = np.where(owner >= 0, before, anytime)
    return np.maximum(start, np.datetime64("1990-01-01")).astype("datetime64[D]")


def _right_end(start: Dates, right: Strings) -> Dates:
    """50 years before 2017, 20 (弹性年期) since; leases 20; 划拨 open-ended."""
    years = np.where((start < ELASTIC_TERM_FROM) & (right != "lease"), 50, 20)
    month = start.astype("datetime64[M]")
    day = start - month.astype("datetime64[D]")
    end = (month + (12 * years).astype("timedelta64[M]")).astype("datetime64[D]") + day
    return np.where(right == "allocation", np.datetime64("NaT"), end).astype("datetime64[D]")
