"""Zone detection on hand-built layouts: contiguity, outlines, areas, shape, versions."""

from __future__ import annotations

import math

import pytest
from sqlalchemy import text

from landgov.errors import InvalidInput
from landgov.evaluation import service as evaluation
from landgov.zones import service
from tests.evaluation.conftest import World
from tests.evaluation.test_evaluate import rules
from tests.zones.conftest import YEAR

# 200 m x 200 m = 40,000 m² = 60 亩
SIDE = 200


def test_two_60_mu_parcels_across_a_20_m_road_form_one_zone(layout):
    a = layout.parcel(100, 100, SIDE, SIDE)
    b = layout.parcel(100 + SIDE + 20, 100, SIDE, SIDE)
    summary = layout.build()
    assert (summary["candidate_count"], summary["cluster_count"], summary["zone_count"]) == (2, 1, 1)
    [zone] = layout.zones(summary["id"])
    assert zone["code"] == f"ZB{summary['id']}-1"
    assert zone["net_area_mu"] == pytest.approx(120, abs=0.01)
    # the outline closes the road between them: 420 m x 200 m = 84,000 m² = 126 亩
    assert zone["area_mu"] == pytest.approx(126, abs=0.05)
    assert zone["compactness"] == pytest.approx(4 * math.pi * 84_000 / 1240 ** 2, abs=0.002)
    assert zone["member_count"] == 2 and zone["town_codes"] == ["330602001"]
    members = layout.db.execute(text("SELECT unit_code FROM zone_member m JOIN zone z "
                                     "ON z.id = m.zone_id WHERE z.build_id = :b"),
                                {"b": summary["id"]}).scalars().all()
    assert sorted(members) == sorted([a, b])
    assert summary["net_area_mu"] == pytest.approx(120, abs=0.01)


def test_across_a_200_m_gap_they_do_not(layout):
    layout.parcel(100, 100, SIDE, SIDE)
    layout.parcel(100 + SIDE + 200, 100, SIDE, SIDE)
    summary = layout.build()
    assert (summary["cluster_count"], summary["zone_count"]) == (2, 0)
    assert layout.zones(summary["id"]) == []
    # a lower threshold keeps both, each its own 60 亩 outline: the gap is not bridged
    low = layout.build(min_area_mu=50)
    assert [round(z["area_mu"], 2) for z in layout.zones(low["id"])] == [60.0, 60.0]


def test_outline_closes_roads_but_does_not_bridge_a_wide_bay(layout):
    # a U: two tall parcels 240 m apart joined at the bottom across two 20 m roads
    layout.parcel(100, 1000, 200, 400)   # 120 亩
    layout.parcel(320, 1000, 200, 100)   # 30 亩
    layout.parcel(540, 1000, 100, 400)   # 60 亩
    summary = layout.build()
    [zone] = layout.zones(summary["id"])
    assert zone["net_area_mu"] == pytest.approx(210, abs=0.01)
    # members 140,000 m² + two roads of 20 m x 100 m; the 220 m x 300 m bay stays open
    assert zone["area_mu"] == pytest.approx(144_000 / (10000 / 15), abs=0.05)


def test_compactness_of_a_square_and_a_strip(layout):
    layout.parcel(100, 100, 300, 300)      # 135 亩 square
    layout.parcel(100, 1800, 1500, 60)     # 135 亩 strip
    summary = layout.build()
    zones = {round(z["compactness"], 3): z for z in layout.zones(summary["id"])}
    assert sorted(zones) == [pytest.approx(4 * math.pi * 90_000 / 3120 ** 2, abs=0.001),
                             pytest.approx(math.pi / 4, abs=0.001)]
    assert all(z["area_mu"] == pytest.approx(135, abs=0.01) for z in zones.values())


def test_towns_platforms_and_progress(layout):
    # straddles the town line at x = 2000, inside 袍江经开区 (1500–2500, 500–1500)
    layout.parcel(1700, 600, SIDE, SIDE, status="cleared")
    layout.parcel(1920, 600, SIDE, SIDE, status="idle")
    layout.parcel(1920, 820, SIDE, SIDE, status="reclaimed")
    summary = layout.build()
    [zone] = layout.zones(summary["id"])
    assert zone["town_codes"] == ["330602002", "330602001"]  # 120 亩 in 府山, 60 in 塔山
    assert zone["platform_codes"] == ["paojiang"]
    assert zone["progress"] == pytest.approx(2 / 3)


def test_sources_two_low_two_high_and_governance_list(district, layout):
    w = World(district)
    poor = dict(tax_wan=10, revenue_wan=100, value_added_wan=50, energy_tce=2000, cod_t=20)
    a = layout.parcel(100, 100, SIDE, SIDE, status="producing")
    b = layout.parcel(320, 100, SIDE, SIDE, status="producing")
    w.firm(land=[(a, 1)], **poor)
    w.firm(land=[(b, 1)], **poor)
    for i in range(6):  # well-performing firms so the two poor ones rank last
        w.firm(land=[(layout.parcel(100 + i * 250, 1500, 100, 100, status="producing"), 1)])
    evaluation.evaluate(district, YEAR, rules(), "test")
    flagged = district.execute(text(
        "SELECT count(*) FROM evaluation_result WHERE two_low_two_high")).scalar()
    summary = layout.build(sources=["two_low_two_high", "governance_list"])
    zones = layout.zones(summary["id"])
    assert flagged == 2 and summary["candidate_count"] == 2
    assert [z["net_area_mu"] for z in zones] == [pytest.approx(120, abs=0.01)]
    detail = service.zone_detail(district, zones[0]["code"])
    assert len(detail["firms"]) == 2
    assert detail["firms"][0]["land_mu"] == pytest.approx(60, abs=0.01)
    assert [m["sources"] for m in detail["members"]] == [
        ["governance_list", "two_low_two_high"]] * 2


def test_evaluated_sources_without_a_run_are_refused(layout):
    layout.parcel(100, 100, SIDE, SIDE)
    with pytest.raises(InvalidInput, match="尚未进行亩均效益评价"):
        layout.build(sources=["two_low_two_high"])
    assert layout.db.execute(text("SELECT count(*) FROM zone_build")).scalar() == 0


def test_versions_and_compare(layout):
    a = layout.parcel(100, 100, SIDE, SIDE)
    layout.parcel(320, 100, SIDE, SIDE)
    far = [layout.parcel(100, 1200, SIDE, SIDE), layout.parcel(320, 1200, SIDE, SIDE)]
    first = layout.build()
    assert first["zone_count"] == 2
    layout.parcel(540, 100, SIDE, SIDE)          # the first zone grows eastwards
    for code in far:                              # the far zone is re-let: gone
        layout.set_status(code, "relet")
    layout.parcel(2500, 1200, SIDE, SIDE)         # a new zone
    layout.parcel(2720, 1200, SIDE, SIDE)
    second = layout.build()
    assert second["id"] > first["id"] and second["zone_count"] == 2
    current = layout.db.execute(text("SELECT array_agg(code ORDER BY seq) FROM current_zone")
                                ).scalar()
    assert current == [f"ZB{second['id']}-1", f"ZB{second['id']}-2"]
    diff = service.compare_builds(layout.db, None, None)
    assert (diff["from_build"], diff["to_build"]) == (first["id"], second["id"])
    assert diff["counts"] == {"new": 1, "gone": 1, "grown": 1, "shrunk": 0, "unchanged": 0}
    [grown] = diff["changed"]
    assert grown["delta_mu"] == pytest.approx(66, abs=0.1)  # 60 亩 parcel + 20 m road
    assert len(grown["from_codes"]) == 1 and not grown["merged"]
    assert a in {m["unit_code"] for m in service.zone_detail(layout.db, grown["to_code"])["members"]}
    back = service.compare_builds(layout.db, second["id"], first["id"])
    assert back["counts"]["shrunk"] == 1


@pytest.mark.parametrize(("params", "field"), [
    ({"tolerance_m": 10_000}, "tolerance_m"),
    ({"min_area_mu": -1}, "min_area_mu"),
    ({"sources": ["everything"]}, "sources"),
])
def test_bad_input_is_refused_and_writes_nothing(layout, params, field):
    from pydantic import ValidationError

    layout.parcel(100, 100, SIDE, SIDE)
    with pytest.raises((InvalidInput, ValidationError)) as info:
        layout.build(**params)
    assert field in str(info.value.errors() if isinstance(info.value, ValidationError)
                        else [e.field for e in info.value.errors])
    assert layout.db.execute(text("SELECT count(*) FROM zone_build")).scalar() == 0
