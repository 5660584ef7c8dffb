"""Area counted once: overlaps, re-reclamation after a split, periods, towns."""

from __future__ import annotations

import json
from datetime import date

import pytest

from landgov.parcels import service as parcels
from landgov.parcels.schemas import SplitRequest
from landgov.reclamation import queries
from landgov.reclamation.progress import progress
from tests.factories import metres_line
from tests.reclamation.conftest import EAST, WEST, Ledger


def test_overlapping_records_count_the_shared_ground_once(ledger: Ledger) -> None:
    # parcel 400 m x 100 m = 60 亩; A = x 0..200 (30 亩), B = x 100..300 (30 亩);
    # they share 100 m x 100 m = 15 亩: union 45 亩, plain sum 60 亩
    code = ledger.parcel(100, 100, 400, 100)
    a = ledger.record(code, date(2025, 3, 1), (100, 100, 200, 100))
    b = ledger.record(code, date(2025, 4, 1), (200, 100, 200, 100))
    assert (a.area_mu, a.new_mu, a.whole_parcel) == (30.0, 30.0, False)
    assert (b.area_mu, b.new_mu) == (30.0, 15.0)
    p = progress(ledger.db, by="month", start=date(2025, 1, 1), end=date(2025, 6, 30))
    assert (p.cumulative_union_mu, p.cumulative_sum_mu, p.overlap_mu) == (45.0, 60.0, 15.0)
    months = {r.key: r for r in p.rows}
    assert (months["2025-03"].union_mu, months["2025-04"].union_mu) == (30.0, 15.0)
    assert (months["2025-04"].sum_mu, months["2025-04"].cumulative_union_mu) == (30.0, 45.0)
    # the bare ST_Union over the same records agrees
    assert round(queries.union_mu(ledger.db, date(2022, 1, 1), date(2025, 6, 30)), 2) == 45.0


def test_backdated_record_takes_the_shared_ground_first(ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 400, 100)
    later = ledger.record(code, date(2025, 4, 1), (200, 100, 200, 100))
    earlier = ledger.record(code, date(2025, 3, 1), (100, 100, 200, 100))
    assert earlier.new_mu == 30.0
    assert ledger.db.execute(queries.text(
        "SELECT round((new_sqm * 15 / 10000)::numeric, 2) FROM reclamation_increment "
        "WHERE record_id = :i"), {"i": later.id}).scalar_one() == 15
    # up to March only the earlier record counts: the union to a date, not later sums
    march = progress(ledger.db, by="year", end=date(2025, 3, 31))
    assert march.cumulative_union_mu == 30.0


def test_parcel_split_and_reclaimed_again_counts_once(ledger: Ledger) -> None:
    code = ledger.parcel(100, 300, 200, 100)  # 30 亩
    whole = ledger.record(code, date(2024, 3, 1))
    assert (whole.whole_parcel, whole.area_mu) == (True, 30.0)
    current = parcels.get_feature(ledger.db, code)
    assert json.loads(current[0])["properties"]["status"] == "reclaimed"
    split = parcels.split_parcel(ledger.db, code, current[1], SplitRequest(
        line=metres_line((200, 290), (200, 410))))
    left = sorted(split.unit_codes)[0]
    again = ledger.record(left, date(2025, 1, 10), mode="redevelopment")
    assert (again.area_mu, again.new_mu) == (15.0, 0.0)
    p = progress(ledger.db, by="year")
    assert (p.cumulative_union_mu, p.cumulative_sum_mu) == (30.0, 45.0)
    years = {r.key: r.union_mu for r in p.rows}
    assert (years["2024"], years["2025"]) == (30.0, 0.0)


def test_month_boundary_in_local_dates(ledger: Ledger) -> None:
    first = ledger.parcel(100, 500, 100, 100)  # 15 亩
    second = ledger.parcel(300, 500, 200, 100)  # 30 亩
    ledger.record(first, date(2026, 5, 31))
    ledger.record(second, date(2026, 6, 1))
    p = progress(ledger.db, by="month", start=date(2026, 5, 1), end=date(2026, 6, 30))
    assert [(r.key, r.union_mu, r.records) for r in p.rows] == [
        ("2026-05", 15.0, 1), ("2026-06", 30.0, 1)]
    may = progress(ledger.db, by="month", start=date(2026, 5, 1), end=date(2026, 5, 31))
    assert may.cumulative_union_mu == 15.0


def test_town_share_configured(ledger: Ledger, settings_env: pytest.MonkeyPatch) -> None:
    settings_env.setenv("LANDGOV_RECLAMATION_TOWN_SHARES", json.dumps({WEST: 100, EAST: 300}))
    west = ledger.parcel(100, 700, 200, 100)  # 30 亩 in 塔山街道
    east = ledger.parcel(2100, 700, 100, 100)  # 15 亩 in 府山街道
    ledger.record(west, date(2025, 5, 1))
    ledger.record(east, date(2025, 5, 2), mode="merger")
    towns = {r.key: r for r in progress(ledger.db, by="town").rows}
    assert (towns[WEST].cumulative_union_mu, towns[WEST].target_mu, towns[WEST].percent) == (
        30.0, 100.0, 30.0)
    assert (towns[EAST].cumulative_union_mu, towns[EAST].target_mu, towns[EAST].percent) == (
        15.0, 300.0, 5.0)
    scoped = progress(ledger.db, by="month", town=EAST)
    assert (scoped.target_mu, scoped.cumulative_union_mu) == (300.0, 15.0)
    modes = {r.key: r.union_mu for r in progress(ledger.db, by="mode").rows}
    assert (modes["purchase_reserve"], modes["merger"], modes["self_renewal"]) == (30.0, 15.0, 0.0)


def test_town_share_pro_rata_by_default(ledger: Ledger) -> None:
    ledger.parcel(100, 900, 300, 100)  # 45 亩 west
    ledger.parcel(2100, 900, 100, 100)  # 15 亩 east: shares 3/4 and 1/4 of 12,000 亩
    towns = {r.key: r.target_mu for r in progress(ledger.db, by="town").rows}
    assert towns == {WEST: 9000.0, EAST: 3000.0}


def test_blocks_of_contiguous_reclaimed_land(ledger: Ledger) -> None:
    # two 60 亩 parcels 20 m apart (within 30 m): one block of 120 亩; a third 60 亩
    # parcel 100 m away is its own block, below 100 亩
    a, b = ledger.parcel(100, 1200, 400, 100), ledger.parcel(520, 1200, 400, 100)
    c = ledger.parcel(1020, 1200, 400, 100)
    for code in (a, b, c):
        ledger.record(code, date(2025, 7, 1))
    blocks = progress(ledger.db, by="year").blocks
    assert (blocks.done, [x.area_mu for x in blocks.items]) == (1, [120.0])


def test_projection_needs_the_remaining_rate(ledger: Ledger, settings_env: pytest.MonkeyPatch
                                             ) -> None:
    settings_env.setenv("LANDGOV_RECLAMATION_TARGET_MU", "150")
    settings_env.setenv("LANDGOV_RECLAMATION_DEADLINE", "2026-06-30")
    settings_env.setenv("LANDGOV_RECLAMATION_TREND_MONTHS", "3")
    code = ledger.parcel(100, 1400, 200, 100)  # 30 亩 in 2025-12
    ledger.record(code, date(2025, 12, 15))
    # to 2025-12-31: last 3 months Oct–Dec brought 30 亩: 10 亩/month; 6 months left
    # (181 days / 30.4375); 120 亩 remain: 20.2 亩/month needed; trend gives ~89.5
    proj = progress(ledger.db, by="month", end=date(2025, 12, 31)).projection
    assert (proj.months_used, proj.monthly_rate_mu) == (3, 10.0)
    assert proj.months_left == 5.9
    assert proj.needed_monthly_mu == round(120 / (181 / 30.4375), 2)
    assert proj.on_track is False
    assert proj.series[-1]["month"] == "2026-06"
