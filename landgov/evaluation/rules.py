"""Rule sets: versioned data that decide scores, classes and flags.

A rule set is validated completely before anything runs: weights summing to 100 per
group, only catalogue indicators, class cuts that do not overlap, flag thresholds that
point the right way. Shipped defaults live in ``rules/``; a county's own rule sets come
from ``LANDGOV_RULES_DIR`` or the API, in the same YAML/JSON shape.

>>> rules = load_rule_set()
>>> rules.ref
'zhejiang-default@1'
>>> sum(r.weight for r in rules.groups["above_scale"].values())
100.0
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from landgov.coding.uscc import validate_uscc
from landgov.errors import FieldError, InvalidInput, NotFound
from landgov.evaluation.catalogue import INDICATORS
from landgov.settings import get_settings

DEFAULT = "zhejiang-default@1"
Group = Literal["above_scale", "below_scale"]
FlagName = Literal["low_output", "low_benefit", "high_energy", "high_emission"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class IndicatorRule(_Strict):
    """How one indicator scores: value ÷ benchmark × weight, at most cap × weight."""

    weight: float = Field(gt=0, le=100)
    benchmark: float = Field(gt=0)
    cap: float = Field(default=1.5, ge=1, le=5)


class LandRule(_Strict):
    """Which land counts in the per-mu denominator and the size below which firms are not scored."""

    tenures: list[Literal["owned", "leased"]] = Field(min_length=1)
    min_mu: float = Field(ge=0)


class Exemptions(_Strict):
    """Firms evaluated separately: new ones, and ones exempted by decision."""

    new_firm_years: int = Field(ge=0, le=10)
    listed: list[str] = Field(default_factory=list)

    @field_validator("listed")
    @classmethod
    def _valid_usccs(cls, value: list[str]) -> list[str]:
        bad = [f"{c}: {validate_uscc(c)[0].reason}" for c in value if validate_uscc(c)]
        if bad:
            raise ValueError("豁免名单中的统一社会信用代码无效: " + "; ".join(bad))
        return value


class DataQuality(_Strict):
    """Settings of the plausibility checks."""

    energy_intensive_industries: list[str] = Field(default_factory=list)


class ClassCuts(_Strict):
    """A/B/C cuts: shares of scored firms from the top (percentile) or minimum totals (score)."""

    method: Literal["percentile", "score"]
    A: float
    B: float
    C: float

    @model_validator(mode="after")
    def _ordered(self) -> ClassCuts:
        if self.method == "percentile" and not 0 < self.A < self.B < self.C < 1:
            raise ValueError(f"分位切分应满足 0 < A < B < C < 1, 实为 {self.A}, {self.B}, {self.C}")
        if self.method == "score" and not self.A > self.B > self.C >= 0:
            raise ValueError(f"分数切分应满足 A > B > C >= 0, 实为 {self.A}, {self.B}, {self.C}")
        return self


class FlagRule(_Strict):
    """A 两低两高 flag: a threshold on an indicator, or the worst share of the county."""

    indicator: str
    below: float | None = None
    above: float | None = None
    worst_share: float = Field(default=0.0, ge=0, le=0.5)

    @model_validator(mode="after")
    def _one_direction(self) -> FlagRule:
        spec = INDICATORS.get(self.indicator)
        if spec is None:
            raise ValueError(f"未知指标 {self.indicator!r}")
        if (self.below is None) == (self.above is None):
            raise ValueError("应给出 below 或 above 之一")
        if spec.higher_is_better != (self.below is not None):
            word = "below" if spec.higher_is_better else "above"
            raise ValueError(f"{spec.label_zh} 的阈值方向应为 {word}")
        return self

    @property
    def threshold(self) -> float:
        """The threshold, whichever side it is on."""
        return self.below if self.below is not None else float(self.above or 0)


class TwoLowTwoHigh(_Strict):
    """When a firm counts as a 两低两高 enterprise."""

    both_low: bool = True
    d_class_with_high: bool = True


class RuleSet(_Strict):
    """A complete, validated rule set."""

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{1,40}$")
    version: int = Field(ge=1)
    title: str = Field(max_length=200)
    land: LandRule
    exemptions: Exemptions
    data_quality: DataQuality = DataQuality()
    groups: dict[Group, dict[str, IndicatorRule]]
    classes: ClassCuts
    flags: dict[FlagName, FlagRule]
    two_low_two_high: TwoLowTwoHigh = TwoLowTwoHigh()

    @field_validator("groups")
    @classmethod
    def _groups(
        cls, value: dict[str, dict[str, IndicatorRule]]
    ) -> dict[str, dict[str, IndicatorRule]]:
        for group in ("above_scale", "below_scale"):
            rules = value.get(group)
            if not rules:
                raise ValueError(f"缺少指标组 {group}")
            unknown = sorted(set(rules) - set(INDICATORS))
            if unknown:
                raise ValueError(f"{group} 含未知指标: {', '.join(unknown)}")
            total = sum(r.weight for r in rules.values())
            if abs(total - 100) > 1e-9:
                raise ValueError(f"{group} 的权重之和应为 100, 实为 {total:g}")
        return value

    @field_validator("flags")
    @classmethod
    def _all_flags(cls, value: dict[str, FlagRule]) -> dict[str, FlagRule]:
        missing = {"low_output", "low_benefit", "high_energy", "high_emission"} - set(value)
        if missing:
            raise ValueError(f"缺少两低两高判定规则: {', '.join(sorted(missing))}")
        return value

    @property
    def ref(self) -> str:
        """``name@version``."""
        return f"{self.name}@{self.version}"

    @property
    def checksum(self) -> str:
        """SHA-256 of the canonical JSON form: what makes two runs comparable."""
        body = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(body.encode("utf-8")).hexdigest()


def parse_rule_set(data: Any) -> RuleSet:
    """Validate a rule set given as a mapping, or YAML/JSON text; refuse with every reason."""
    if isinstance(data, str | bytes):
        try:
            data = yaml.safe_load(data)
        except yaml.YAMLError as exc:
            raise InvalidInput(f"规则集不是有效的 YAML/JSON: {exc}") from exc
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        errors = [FieldError(".".join(str(p) for p in e["loc"]) or "rules",
                             str(e["msg"]).removeprefix("Value error, "))
                  for e in exc.errors()]
        raise InvalidInput("规则集无效: " + "; ".join(f"{e.field}: {e.reason}" for e in errors),
                           errors) from exc


def _sources() -> list[Path | Any]:
    places: list[Path | Any] = [resources.files("landgov.evaluation").joinpath("rules")]
    configured = get_settings().rules_dir
    if configured is not None:
        places.append(configured)
    return places


def available() -> dict[str, RuleSet]:
    """Every rule set found, by ``name@version`` (a configured directory may add more)."""
    found: dict[str, RuleSet] = {}
    for place in _sources():
        for entry in place.iterdir():
            if entry.name.endswith((".yaml", ".yml", ".json")):
                rules = parse_rule_set(entry.read_text(encoding="utf-8"))
                found[rules.ref] = rules
    return found


def load_rule_set(ref: str | None = None) -> RuleSet:
    """The rule set ``name@version`` (default: the shipped Zhejiang rule set)."""
    ref = ref or DEFAULT
    rules = available().get(ref)
    if rules is None:
        raise NotFound(f"规则集 {ref} 不存在; 可用: {', '.join(sorted(available()))}")
    return rules
