"""Firms, occupancy and figures: every situation the later features need occurs."""

from __future__ import annotations

import re

import numpy as np
import pytest

from landgov.coding.uscc import validate_uscc
from landgov.demo.catalogue import CHAINS, DYE_CHEMICAL_GROUPS, FOUNDRY_GROUP, INDUSTRIES
from landgov.demo.dataset import DemoData, generate
from landgov.parcels.vocabulary import LAND_RIGHT_TYPE, LAND_STATUS, LAND_USE, TENURE

GROUP = np.array([i.group for i in INDUSTRIES])
CHAIN = np.array([i.chain or "" for i in INDUSTRIES])
NAME = re.compile(r"^(绍兴|浙江|绍兴市)[\u4e00-\u9fff]{2,5}[\u4e00-\u9fff、]+"
                  r"(有限公司|股份有限公司|有限责任公司)$")


def firm_land(d: DemoData) -> np.ndarray:
    return d.use.firm_land_mu(d.district.area_mu())


def score_2025(d: DemoData) -> tuple[np.ndarray, np.ndarray]:
    """DOMAIN.md's example scoring (临海), per firm scored in 2025: (firm, score).

    Scored: firms using ≥ 3 亩, founded before 2024 (not exempt), with a 2025 row.
    """
    ind, v = d.indicators, d.indicators.values
    land = firm_land(d)[ind.firm]

    def part(value, benchmark, weight):
        return weight * np.minimum(np.nan_to_num(value / benchmark, nan=0.0), 1.5)

    with np.errstate(divide="ignore", invalid="ignore"):
        above = (part(v["tax_wan"] / land, 15, 40) + part(v["revenue_wan"] / land, 300, 10)
                 + part(v["value_added_wan"] / v["energy_tce"], 3, 20)
                 + part(v["value_added_wan"] / v["cod_t"], 500, 15)
                 + part(v["value_added_wan"] / v["water_m3"], 0.1, 5)
                 + part(v["value_added_wan"] / v["employees"], 15, 10))
        below = (part(v["tax_wan"] / land, 15, 50) + part(v["revenue_wan"] / land, 300, 20)
                 + part(v["tax_wan"] * 1e4 / v["electricity_kwh"], 2, 30))
    score = np.where(ind.above_scale, above, below)
    old = d.firms.founded[ind.firm] < np.datetime64("2024-01-01")
    keep = (ind.year == 2025) & (land >= 3) & old
    return ind.firm[keep], score[keep]


def test_usccs_are_valid_and_unique(small_demo):
    codes = small_demo.firms.uscc.tolist()
    assert all(validate_uscc(c) == [] for c in codes)
    assert len(set(codes)) == len(codes)
    assert {c[:2] for c in codes} == {"91"}
    assert any(c[8:10] == "MA" for c in codes) and any(c[8:10] != "MA" for c in codes)


def test_names_are_plausible_chinese_company_names(small_demo):
    names = small_demo.firms.name.tolist()
    assert all(NAME.match(n) for n in names), [n for n in names if not NAME.match(n)][:5]
    assert len(set(names)) == len(names)
    assert any("印染" in n for n in names)


def test_shares_per_parcel_never_exceed_one(small_demo):
    use = small_demo.use
    assert (use.occ_share > 0).all() and (use.occ_share <= 1).all()
    total = np.bincount(use.occ_parcel, weights=use.occ_share)
    assert total.max() <= 1.0 + 1e-12
    firms_per_parcel = np.bincount(use.occ_parcel)
    assert (firms_per_parcel == 2).any() and (firms_per_parcel == 3).any()
    assert firms_per_parcel.max() <= 3
    assert (total[firms_per_parcel > 1] < 0.9999).any(), "some shared parcels not fully used"


def test_firms_on_several_parcels_and_both_tenures(small_demo):
    use = small_demo.use
    assert (np.bincount(use.occ_firm) > 1).any()
    assert set(use.occ_tenure.tolist()) == set(TENURE)
    assert (use.occ_tenure[use.firm_tenant[use.occ_firm]] == "leased").all()


def test_scale_size_and_age_situations(small_demo):
    d = small_demo
    land = firm_land(d)
    assert d.indicators.above_scale.any() and (~d.indicators.above_scale).any()
    small = np.flatnonzero(land < 3)
    assert 0 < len(small) < 0.2 * len(land), "a few firms use under 3 亩"
    recent = d.firms.founded >= np.datetime64("2024-01-01")
    assert recent.any() and recent.mean() < 0.2
    producing_recent = recent & ~np.isnat(d.firms.production_start)
    assert producing_recent.any(), "exempt firms that already produce"


def test_statuses_and_vacant_parcels(small_demo):
    use = small_demo.use
    assert set(use.status.tolist()) == set(LAND_STATUS)
    occupied = np.bincount(use.occ_parcel, minlength=len(use.status)) > 0
    for status in ("idle", "cleared", "reclaimed"):
        assert not occupied[use.status == status].any()
        assert (use.status == status).any()
    assert occupied[use.status == "producing"].all()


def test_register_columns_use_the_vocabulary(small_demo):
    p = small_demo.parcels
    assert set(p.land_right_type.tolist()) <= set(LAND_RIGHT_TYPE)
    for vintage, code in zip(p.land_use_vintage.tolist(), p.land_use_code.tolist(), strict=True):
        assert code in LAND_USE[vintage]
    assert len(set(p.land_use_vintage.tolist())) == 4
    ends = ~np.isnat(p.right_end)
    assert (p.right_end[ends] > p.right_start[ends]).all()


def test_implausible_rows_for_data_quality_checks(small_demo):
    d = small_demo
    v, firm = d.indicators.values, d.indicators.firm
    assert (v["tax_wan"] < 0).any()
    foundry = GROUP[d.firms.industry[firm]] == FOUNDRY_GROUP
    assert (foundry & (v["energy_tce"] == 0)).any()
    above = d.indicators.above_scale
    assert any(np.isnan(v[c][above]).any() for c in ("tax_wan", "revenue_wan",
                                                     "value_added_wan", "energy_tce"))
    no_start = np.flatnonzero(np.isnat(d.firms.production_start)
                              & ~np.isnat(d.firms.producing_since))
    assert len(no_start) and np.isin(no_start, firm).all(), "producing, start date missing"


def test_dye_and_chemical_firms_cluster_in_binhai(small_demo):
    d = small_demo
    zone = d.district.frame.parcels.zone[d.district.parcel[d.use.firm_parcel]]
    binhai = np.array(d.district.frame.zones.names)[zone] == "滨海新区"
    dye = np.isin(GROUP[d.firms.industry], DYE_CHEMICAL_GROUPS)
    assert dye.sum() > 20
    assert binhai[dye].mean() > 0.75
    assert dye[binhai].mean() > 3 * dye[~binhai].mean()


def test_all_six_chains_occur_with_links(small_demo):
    chain = CHAIN[small_demo.firms.industry]
    assert set(chain[chain != ""].tolist()) == set(CHAINS)
    for name in CHAINS:
        links = {INDUSTRIES[i].link for i in small_demo.firms.industry[chain == name]}
        assert None not in links
    links = {INDUSTRIES[i].link for i in small_demo.firms.industry[chain == "集成电路"]}
    assert len(links) >= 2, "a chain is described by several links"


def test_every_evaluation_class_occurs(small_demo):
    firm, score = score_2025(small_demo)
    classes = np.select([score >= 120, score >= 75, score >= 30], ["A", "B", "C"], "D")
    counts = {c: int((classes == c).sum()) for c in "ABCD"}
    assert all(n >= 10 for n in counts.values()), counts
    profile = small_demo.firms.profile[firm]
    medians = [np.median(score[profile == p]) for p in range(4)]
    assert medians == sorted(medians, reverse=True)


def test_low_efficiency_blocks_exceed_100_mu_with_poor_firms(small_demo):
    d = small_demo
    cluster, area = d.use.cluster, d.district.area_mu()
    n = cluster.max() + 1
    assert n >= 5
    assert np.bincount(cluster[cluster >= 0], weights=area[cluster >= 0]).min() >= 100
    in_block = d.use.firm_cluster()
    assert (d.firms.profile[in_block] == 3).all()
    ind, v = d.indicators, d.indicators.values
    rows = in_block[ind.firm] & (ind.year == 2025)
    land = firm_land(d)[ind.firm[rows]]
    assert (v["tax_wan"][rows] / land < 5).all()
    assert (v["value_added_wan"][rows] / v["energy_tce"][rows] < 1.5).all(), "high energy"
    assert (v["value_added_wan"][rows] / v["cod_t"][rows] < 250).all(), "high emissions"


def test_same_seed_and_count_give_the_same_data(small_demo):
    again = generate(42, 1_500)
    assert again.firms.uscc.tolist() == small_demo.firms.uscc.tolist()
    assert again.firms.name.tolist() == small_demo.firms.name.tolist()
    for column, values in small_demo.indicators.values.items():
        np.testing.assert_array_equal(again.indicators.values[column], values, err_msg=column)
    np.testing.assert_array_equal(again.use.occ_share, small_demo.use.occ_share)


@pytest.mark.parametrize("n", [1, 20, 300])
def test_tiny_districts_still_generate(n):
    d = generate(3, n)
    assert len(d.parcels.status) == n
    assert all(validate_uscc(c) == [] for c in d.firms.uscc.tolist())
