"""Hand-computed evaluations (numbers worked out in the comments)."""

from datetime import date

import pytest
from sqlalchemy import text

from landgov.errors import InvalidInput
from landgov.evaluation import service
from landgov.evaluation.rules import load_rule_set, parse_rule_set
from landgov.evaluation.scoring_sql import INPUT_KEYS
from landgov.evaluation.service import deep_merge
from tests.evaluation.conftest import YEAR, uscc

# Scores by fixed cuts so classes can be checked by hand; thresholds only for flags.
SCORE_CUTS = {"classes": {"method": "score", "A": 100, "B": 80, "C": 60},
              "flags": {f: {"worst_share": 0} for f in ("low_output", "low_benefit", "high_energy", "high_emission")}}


def rules(**changes):
    return parse_rule_set(deep_merge(deep_merge(load_rule_set().model_dump(mode="json"), SCORE_CUTS), changes))


def results(db, run_id):
    """Each firm's stored result, its value and input arrays named as the run names them."""
    keys = db.execute(text("SELECT value_keys FROM evaluation_run WHERE id = :r"), {"r": run_id}).scalar()
    rows = db.execute(text(
        "SELECT e.uscc, r.* FROM evaluation_result r JOIN enterprise e ON e.id = r.enterprise_id "
        "WHERE run_id = :r"), {"r": run_id}).mappings().all()
    return {r["uscc"]: {**r, "values": dict(zip(keys, r["values"], strict=True)),
                        "inputs": dict(zip(INPUT_KEYS, r["inputs"], strict=True))} for r in rows}


def test_hand_computed_scores_shared_parcels_and_classes(world, district):
    e1 = world.firm(land=[(world.parcel(400), 1)])  # 400 m x 100 m = 60 亩
    shared = world.parcel(150)  # 22.5 亩: 60 % = 13.5 亩, 40 % = 9 亩
    e2 = world.firm(land=[(shared, 0.6)], tax_wan=135, revenue_wan=2700, value_added_wan=900,
                    energy_tce=300, cod_t=0, water_m3=9000, employees=90)
    e3 = world.firm(land=[(shared, 0.4)], above_scale=False, tax_wan=27, revenue_wan=900,
                    electricity_kwh=270_000)
    run = service.evaluate(district, YEAR, rules(), "test")
    got = results(district, run["id"])
    r1 = got[e1]
    # 亩均税收 900/60 = 15 -> 15/15*40 = 40; 销售 18000/60 = 300 -> 10; 能耗 6000/1000 = 6 ->
    # capped 1.5*20 = 30; COD 6000/6 = 1000 -> capped 22.5; 水 6000/60000 = 0.1 -> 5;
    # 劳动生产率 6000/400 = 15 -> 10.  Total 117.5 -> A (>= 100).
    assert float(r1["land_mu"]) == pytest.approx(60, abs=1e-3)
    assert {k: float(v) for k, v in r1["scores"].items()} == pytest.approx(
        {"tax_per_mu": 40, "revenue_per_mu": 10, "value_added_per_tce": 30,
         "value_added_per_cod": 22.5, "value_added_per_water": 5, "labour_productivity": 10}, abs=1e-3)
    assert float(r1["total"]) == pytest.approx(117.5, abs=1e-3) and r1["class"] == "A"
    r2 = got[e2]
    # 13.5 亩: tax 10 -> 26.667; revenue 200 -> 6.667; VA/tce 3 -> 20; COD 0 -> ∞ -> 22.5 (cap);
    # water 0.1 -> 5; VA/employee 10 -> 6.667.  Total 87.5 -> B.
    assert float(r2["land_mu"]) == pytest.approx(13.5, abs=1e-3)
    assert r2["values"]["value_added_per_cod"] == float("inf")
    assert float(r2["total"]) == pytest.approx(87.5, abs=1e-3) and r2["class"] == "B"
    r3 = got[e3]
    # 规下, 9 亩: tax 3 -> 50*3/15 = 10; revenue 100 -> 20*100/300 = 6.667;
    # tax per kWh 27e4 元 / 270,000 kWh = 1 -> 30*1/2 = 15.  Total 31.667 -> D.
    assert r3["grp"] == "below_scale" and float(r3["land_mu"]) == pytest.approx(9, abs=1e-3)
    assert float(r3["total"]) == pytest.approx(31.6667, abs=1e-3) and r3["class"] == "D"
    assert run["by_class"] == {"A": 1, "B": 1, "D": 1}


def test_flags_and_two_low_two_high(world, district):
    two_low = world.firm(land=[(world.parcel(400), 1)], revenue_wan=240, tax_wan=120)  # 4 and 2 per 亩
    # D class with high energy: VA 600, energy 900 -> 1.5 tce/万元 > 1.0; tax 1/亩 (low benefit)
    d_high = world.firm(land=[(world.parcel(400), 1)], tax_wan=60, revenue_wan=600,
                        value_added_wan=600, energy_tce=900)
    clean = world.firm(land=[(world.parcel(400), 1)])
    run = service.evaluate(district, YEAR, rules(), "test")
    got = results(district, run["id"])
    f = got[two_low]["flags"]
    assert f["low_output"]["fired"] and f["low_output"]["by_threshold"] and not f["low_output"]["by_rank"]
    assert float(f["low_output"]["value"]) == pytest.approx(4) and f["low_benefit"]["fired"]
    assert got[two_low]["two_low_two_high"]
    g = got[d_high]
    assert g["class"] == "D" and g["flags"]["high_energy"]["fired"]
    assert float(g["flags"]["high_energy"]["value"]) == pytest.approx(1.5)
    assert not g["flags"]["low_output"]["fired"] and g["two_low_two_high"]
    assert not any(v["fired"] for v in got[clean]["flags"].values()) and not got[clean]["two_low_two_high"]
    assert run["two_low_two_high"]["firms"] == 2
    assert run["two_low_two_high"]["land_mu"] == pytest.approx(120, abs=0.01)


def test_worst_share_fires_by_rank(world, district):
    # ten firms, tax per 亩 1..10 above the threshold 0.5: the worst 10 % (one firm) fires by rank
    firms = [world.firm(land=[(world.parcel(200), 1)], tax_wan=30 * (i + 1)) for i in range(10)]
    r = rules(flags={"low_benefit": {"below": 0.5, "worst_share": 0.10}})
    got = results(district, service.evaluate(district, YEAR, r, "test")["id"])
    fired = [u for u in firms if got[u]["flags"]["low_benefit"]["fired"]]
    assert fired == [firms[0]]
    assert got[firms[0]]["flags"]["low_benefit"]["by_rank"]
    assert not got[firms[0]]["flags"]["low_benefit"]["by_threshold"]


def test_percentile_classes_and_ties(world, district):
    # five identical firms tie for first; they share the rank and so the class
    tied = [world.firm(land=[(world.parcel(200), 1)]) for _ in range(5)]
    weaker = [world.firm(land=[(world.parcel(200), 1)], tax_wan=100 * (i + 1)) for i in range(5)]
    r = parse_rule_set(load_rule_set().model_dump(mode="json"))  # percentile: A top 15 %
    got = results(district, service.evaluate(district, YEAR, r, "test")["id"])
    assert {got[u]["class"] for u in tied} == {"A"}  # share above = 0 for all five
    assert all(got[u]["group_rank"] == 1 for u in tied)
    # weaker firms rank 6..10 of 10: shares above 0.5..0.9 -> B (<0.65), B, C, C (<0.9), D
    assert [got[u]["class"] for u in reversed(weaker)] == ["B", "B", "C", "C", "D"]


def test_exemptions_and_data_quality_are_named_never_scored_as_zero(world, district):
    new = world.firm(land=[(world.parcel(200), 1)], started=date(2025, 3, 1))
    listed_code = uscc(world.n + 1)
    listed = world.firm(land=[(world.parcel(200), 1)])
    assert listed == listed_code
    small = world.firm(land=[(world.parcel(10), 1)])  # 10 m x 100 m = 1.5 亩 < 3
    exact = world.firm(land=[(world.parcel(20), 1)])  # 3 亩: scored
    negative = world.firm(land=[(world.parcel(200), 1)], tax_wan=-5)
    foundry = world.firm(land=[(world.parcel(200), 1)], industry="C3391", energy_tce=0)
    landless = world.firm()
    missing = world.firm(land=[(world.parcel(200), 1)], revenue_wan=None)
    leased = world.firm(land=[(world.parcel(200), 1)], tenure="leased")
    r = rules(exemptions={"listed": [listed]})
    got = results(district, service.evaluate(district, YEAR, r, "test")["id"])
    expected = {new: "exempt_new", listed: "exempt_listed", small: "below_min_land", exact: "scored",
                negative: "data_quality", foundry: "data_quality", landless: "data_quality",
                missing: "data_quality", leased: "scored"}
    assert {u: got[u]["status"] for u in expected} == expected
    assert got[negative]["quality"] == ["negative:tax_wan"]
    assert got[foundry]["quality"] == ["implausible:energy_tce"]
    assert got[landless]["quality"] == ["no_land"]
    assert got[missing]["quality"] == ["missing:revenue_wan"]
    assert all(got[u]["class"] is None and got[u]["total"] is None
               for u, s in expected.items() if s != "scored")


def test_same_inputs_same_results(world, district):
    for i in range(6):
        world.firm(land=[(world.parcel(200), 1)], tax_wan=100 + 37 * i)
    first = service.evaluate(district, YEAR, None, "test")
    second = service.evaluate(district, YEAR, None, "test")
    assert first["inputs_checksum"] == second["inputs_checksum"]
    strip = lambda rows: {u: {k: v for k, v in r.items() if k != "run_id"} for u, r in rows.items()}  # noqa: E731
    assert strip(results(district, first["id"])) == strip(results(district, second["id"]))


def test_year_without_data_is_refused_before_anything_runs(world, district):
    world.firm(land=[(world.parcel(200), 1)])
    with pytest.raises(InvalidInput, match="2019 年没有"):
        service.evaluate(district, 2019, None, "test")
    assert district.execute(text("SELECT count(*) FROM evaluation_run")).scalar() == 0


def test_what_if_reports_movers_and_land_without_persisting(world, district):
    borderline = world.firm(land=[(world.parcel(400), 1)], tax_wan=200, revenue_wan=600)  # tax 3.33/亩
    world.firm(land=[(world.parcel(400), 1)])
    saved = service.evaluate(district, YEAR, rules(), "test")
    runs_before = district.execute(text("SELECT count(*) FROM evaluation_run")).scalar()
    diff = service.what_if(district, YEAR, saved["id"], None,
                           {"flags": {"low_benefit": {"below": 4}, "low_output": {"below": 20}}})
    assert [m["uscc"] for m in diff["entering_two_low_two_high"]] == [borderline]
    assert diff["land_mu"]["entering"] == pytest.approx(60, abs=0.01)
    assert diff["leaving_two_low_two_high"] == []
    assert district.execute(text("SELECT count(*) FROM evaluation_run")).scalar() == runs_before


def test_explain_gives_the_numbers_and_rule_lines(world, district):
    e1 = world.firm(land=[(world.parcel(400), 1)])
    service.evaluate(district, YEAR, rules(), "test")
    out = service.explain_result(district, e1, YEAR, None)
    tax = next(line for line in out["indicators"] if line["indicator"] == "tax_per_mu")
    assert tax["explanation_zh"].startswith("亩均税收 = 税收(万元) 900 ÷ 用地面积(亩) 60 = 15 万元/亩")
    assert tax["label_en"] == "tax per mu" and tax["score"] == 40
    assert "A 类" in out["class_explanation_zh"]
    assert {f["flag"] for f in out["flags"]} == {"low_output", "low_benefit", "high_energy", "high_emission"}
