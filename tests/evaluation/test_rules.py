import pytest

from landgov.errors import InvalidInput, NotFound
from landgov.evaluation.rules import available, load_rule_set, parse_rule_set
from landgov.evaluation.service import deep_merge
from landgov.settings import get_settings


def default(**changes):
    return deep_merge(load_rule_set().model_dump(mode="json"), changes)


def test_default_rule_set_is_the_documented_one():
    rules = load_rule_set("zhejiang-default@1")
    above = rules.groups["above_scale"]
    assert {k: (r.weight, r.benchmark) for k, r in above.items()} == {
        "tax_per_mu": (40, 15), "revenue_per_mu": (10, 300), "value_added_per_tce": (20, 3),
        "value_added_per_cod": (15, 500), "value_added_per_water": (5, 0.1),
        "labour_productivity": (10, 15)}
    below = rules.groups["below_scale"]
    assert {k: r.weight for k, r in below.items()} == {"tax_per_mu": 50, "revenue_per_mu": 20, "tax_per_kwh": 30}
    assert rules.land.min_mu == 3


@pytest.mark.parametrize(("changes", "reason"), [
    ({"groups": {"above_scale": {"tax_per_mu": {"weight": 45}}}}, "权重之和应为 100, 实为 105"),
    ({"groups": {"below_scale": {"tax_per_acre": {"weight": 10, "benchmark": 1}}}}, "未知指标"),
    ({"classes": {"method": "percentile", "A": 0.5, "B": 0.4, "C": 0.9}}, "0 < A < B < C < 1"),
    ({"classes": {"method": "score", "A": 80, "B": 90, "C": 60}}, "A > B > C"),
    ({"flags": {"low_benefit": {"indicator": "tax_per_mu", "above": 3, "below": None}}}, "阈值方向应为 below"),
    ({"flags": {"high_energy": {"indicator": "no_such", "above": 1}}}, "未知指标"),
    ({"exemptions": {"listed": ["91330602MA2BCDEF1D"]}}, "校验码应为 Q"),
])
def test_bad_rule_sets_are_refused_with_the_reason(changes, reason):
    with pytest.raises(InvalidInput) as exc:
        parse_rule_set(default(**changes))
    assert reason in exc.value.detail


def test_yaml_errors_and_unknown_refs():
    with pytest.raises(InvalidInput, match="YAML"):
        parse_rule_set("name: [unclosed")
    with pytest.raises(NotFound, match="可用"):
        load_rule_set("nowhere@9")


def test_a_county_adds_its_own_rule_set_without_code(tmp_path, monkeypatch):
    import yaml
    own = default(name="yuecheng", version=2, title="越城区 2025")
    (tmp_path / "yuecheng@2.yaml").write_text(yaml.safe_dump(own, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv("LANDGOV_RULES_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        assert "yuecheng@2" in available()
        assert load_rule_set("yuecheng@2").title == "越城区 2025"
    finally:
        monkeypatch.delenv("LANDGOV_RULES_DIR")
        get_settings.cache_clear()


def test_checksum_changes_with_any_number():
    a = parse_rule_set(default())
    b = parse_rule_set(default(flags={"low_benefit": {"below": 4}}))
    assert a.checksum == parse_rule_set(default()).checksum
    assert a.checksum != b.checksum
