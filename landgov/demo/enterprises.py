"""The firms themselves: industry, chain, intended 亩均 class, dates, names, USCC.

Industry follows the zone a firm sits in (dye houses and chemical plants in 滨海新区,
chips and optics in 高新区 and the bonded zone, 黄酒 in 东浦); the six target chains
always occur, each firm of a chain with its link. A firm's *profile* is the 亩均 class
its figures are drawn for (A best … D worst): low-efficiency blocks get D, chain firms
lean to A/B, dye and chemical firms to C/D. Whether a firm really ends up in that class
is for the evaluation to say; the profile only makes every class occur.

USCCs are valid GB 32100 codes (check character from :mod:`landgov.coding.uscc`),
unique: older firms carry their pre-2015 组织机构代码 (with its GB 11714 check digit),
newer ones the ``MA…`` codes issued since.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from landgov.coding.uscc import ALPHABET, check_character
from landgov.demo.catalogue import (
    CHAINS,
    DYE_CHEMICAL_GROUPS,
    FOUNDRY_GROUP,
    INDUSTRIES,
    MIXES,
    NAME_FORMS,
    NAME_PREFIXES,
    NAME_SYLLABLES,
)
from landgov.demo.layout import District
from landgov.demo.occupancy import NEW_USE, Use

I64 = npt.NDArray[np.int64]
Dates = npt.NDArray[np.datetime64]
Strings = npt.NDArray[np.str_]

PROFILE_P = {
    "chain": (0.30, 0.47, 0.20, 0.03),
    "dye": (0.05, 0.35, 0.42, 0.18),
    "other": (0.15, 0.45, 0.32, 0.08),
}
USCC_FROM = np.datetime64("2015-10-01")
NEW_PRODUCING_SHARE = 0.03
GROUP = np.array([i.group for i in INDUSTRIES])
CHAIN = np.array([i.chain or "" for i in INDUSTRIES])


@dataclass(frozen=True)
class Enterprises:
    """One entry per firm of :class:`~landgov.demo.occupancy.Use`, same numbering.

    ``production_start`` is the date on record (sometimes missing: a data-quality
    case); ``producing_since`` is the truth the yearly figures follow.
    """

    industry: I64
    profile: I64
    founded: Dates
    production_start: Dates
    producing_since: Dates
    name: Strings
    uscc: Strings


def enterprises(district: District, use: Use, rng: np.random.Generator) -> Enterprises:
    """Industry, profile, dates, name and USCC of every firm."""
    zone = district.frame.parcels.zone[district.parcel[use.firm_parcel]]
    mix = np.array(district.frame.zones.mixes)[zone]
    low = use.firm_cluster()
    industry = _industries(mix, low, rng)
    _ensure_industries(industry, low, rng)
    status = use.status[use.firm_parcel]
    recent = np.isin(status, NEW_USE) | (
        (status == "producing") & ~low & (rng.random(use.n_firms) < NEW_PRODUCING_SHARE))
    founded, started, recorded = _dates(status, recent, rng)
    county = np.array([c.code for c in district.counties])[district.county[use.firm_parcel]]
    return Enterprises(
        industry=industry,
        profile=_profiles(industry, low, rng),
        founded=founded,
        production_start=recorded,
        producing_since=started,
        name=_names(industry, rng),
        uscc=_usccs(county, founded, rng),
    )


def _industries(mix: Strings, low: npt.NDArray[np.bool_], rng: np.random.Generator) -> I64:
    """Draw each firm's industry from its zone's mix.

    No target-chain firm sits in a low-efficiency block: those blocks are the old
    dye, chemical and metal works.
    """
    industry = np.zeros(len(mix), dtype=np.int64)
    for kind, weights in MIXES.items():
        for in_block in (False, True):
            who = np.flatnonzero((mix == kind) & (low == in_block))
            if len(who) == 0:
                continue
            group_w = np.array([weights.get(g, 0.0) for g in GROUP])
            per_group = np.array([np.sum(g == GROUP) for g in GROUP])
            p = group_w / per_group * ((CHAIN == "") if in_block else 1.0)
            industry[who] = rng.choice(len(INDUSTRIES), size=len(who), p=p / p.sum())
    return industry


def _ensure_industries(industry: I64, low: npt.NDArray[np.bool_],
                       rng: np.random.Generator) -> None:
    """Make sure every chain, and a foundry, occur even in a small district."""
    wanted = [np.flatnonzero(c == CHAIN) for c in CHAINS]
    wanted.append(np.flatnonzero(GROUP == FOUNDRY_GROUP))
    free = rng.permutation(np.flatnonzero(~low))
    for k, choices in enumerate(wanted):
        if not np.isin(industry, choices).any() and k < len(free):
            industry[free[k]] = choices[0]


def _profiles(industry: I64, low: npt.NDArray[np.bool_], rng: np.random.Generator) -> I64:
    """The 亩均 class (0 = A … 3 = D) each firm's figures are drawn for."""
    kind = np.where(CHAIN[industry] != "", "chain",
                    np.where(np.isin(GROUP[industry], DYE_CHEMICAL_GROUPS), "dye", "other"))
    profile = np.zeros(len(industry), dtype=np.int64)
    for k, p in PROFILE_P.items():
        who = kind == k
        profile[who] = rng.choice(4, size=int(who.sum()), p=p)
    profile[low] = 3
    return profile


def _dates(status: Strings, recent: npt.NDArray[np.bool_],
           rng: np.random.Generator) -> tuple[Dates, Dates, Dates]:
    """Founding date, production start, and the production start on record.

    Recent firms (founded 2024–2025, exempt from evaluation) either produce since
    2024/2025 or are still building; a few old firms lack a start date (data quality).
    """
    n = len(status)
    founded = np.datetime64("1990-01-01") + rng.integers(0, 11_688, n).astype("timedelta64[D]")
    started = founded + rng.integers(90, 720, n).astype("timedelta64[D]")
    new_day = np.datetime64("2024-01-01") + rng.integers(0, 420, n).astype("timedelta64[D]")
    founded = np.where(recent, new_day, founded)
    started = np.where(recent, new_day + rng.integers(100, 300, n).astype("timedelta64[D]"),
                       started)
    building = np.isin(status, ("under_construction", "supplied")) | (
        (status == "relet") & (rng.random(n) < 0.7))
    started = np.where(building, np.datetime64("NaT"), started).astype("datetime64[D]")
    unknown = ~recent & (rng.random(n) < 0.01)
    recorded = np.where(unknown, np.datetime64("NaT"), started).astype("datetime64[D]")
    return founded.astype("datetime64[D]"), started, recorded


def _names(industry: I64, rng: np.random.Generator) -> Strings:
    """绍兴 + 字号 + industry word + form; a clash gets a longer 字号 until none is left."""
    n = len(industry)
    words = [w for ind in INDUSTRIES for w in ind.words]
    starts = np.cumsum([0] + [len(ind.words) for ind in INDUSTRIES])[:-1]
    counts = np.array([len(ind.words) for ind in INDUSTRIES])
    word = np.array(words)[starts[industry] + rng.integers(0, counts[industry])]
    head = rng.choice(np.array(NAME_PREFIXES), n)
    tail = rng.choice(np.array(NAME_FORMS), n)
    name = _compose(head, _brands(n, 2, rng), word, tail)
    for length in (3, 3, 4, 4, 5):
        dup = _duplicated(name)
        if not dup.any():
            break
        name[dup] = _compose(head[dup], _brands(int(dup.sum()), length, rng), word[dup],
                             tail[dup])
    return name


def _brands(n: int, length: int, rng: np.random.Generator) -> Strings:
    """Trade names (字号) of ``length`` characters, no character twice in a row."""
    syl = np.array(list(NAME_SYLLABLES))
    idx = rng.integers(0, len(syl), n)
    brand = syl[idx]
    for _ in range(length - 1):
        idx = (idx + rng.integers(1, len(syl), n)) % len(syl)
        brand = np.char.add(brand, syl[idx])
    return np.asarray(brand, dtype=str)


def _compose(*parts: Strings) -> Strings:
    out = parts[0].astype(object)
    for part in parts[1:]:
        out = out + part.astype(object)
    return np.asarray(out.astype(str), dtype=np.str_)


def _duplicated(values: Strings) -> npt.NDArray[np.bool_]:
    """True for every occurrence of a value after its first."""
    dup = np.ones(len(values), dtype=bool)
    dup[np.unique(values, return_index=True)[1]] = False
    return dup


def _usccs(county: Strings, founded: Dates, rng: np.random.Generator) -> Strings:
    """Unique, valid 统一社会信用代码: 91 (enterprise) + registration area + org code."""
    n = len(county)
    city = (county == "330602") & (rng.random(n) < 0.3)
    area = np.where(city, "330600", county)
    codes = np.empty(n, dtype="<U18")
    todo = np.ones(n, dtype=bool)
    while todo.any():
        idx = np.flatnonzero(todo)
        first17 = _compose(np.full(len(idx), "91"), area[idx],
                           _org_codes(founded[idx] >= USCC_FROM, rng))
        codes[idx] = [c + check_character(c) for c in first17]
        todo = _duplicated(codes)
    return codes


def _org_codes(new_style: npt.NDArray[np.bool_], rng: np.random.Generator) -> Strings:
    """Nine-character organisation codes.

    ``MA`` + 7 characters since the USCC began in 2015, else the old 8-digit
    组织机构代码 with its GB 11714 check character.
    """
    n = len(new_style)
    digits = rng.integers(0, 10, (n, 8))
    digits[:, 0] = rng.integers(1, 10, n)
    check = 11 - (digits @ np.array([3, 7, 9, 10, 5, 8, 4, 2])) % 11
    check_char = np.where(check == 10, "X", np.where(check == 11, "0", check.astype(str)))
    old = np.column_stack([digits.astype(str), check_char])
    alphabet = np.array(list(ALPHABET))
    new = np.column_stack([np.full((n, 2), ["M", "A"]), alphabet[rng.integers(0, 31, (n, 7))]])
    chars = np.where(new_style[:, None], new, old).astype("<U1")
    return np.ascontiguousarray(chars).view("<U9").ravel()
