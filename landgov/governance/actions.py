"""四个一批: the governance actions and the rules that propose one for each listed firm.

Counties word the four actions differently, so the labels and the proposal rules are
data (``rules/*.yaml``); the codes are fixed because the database checks them.

>>> proposal = load_action_rules()
>>> [r.action for r in proposal.rules][:2]
['shutdown', 'vacate']
"""

from __future__ import annotations

from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from landgov.errors import FieldError, InvalidInput

Action = Literal["shutdown", "upgrade", "merge", "vacate"]
ACTIONS: dict[str, str] = {
    "shutdown": "关停淘汰一批",
    "upgrade": "整治提升一批",
    "merge": "兼并重组一批",
    "vacate": "腾退盘活一批",
    "none": "不列入 (核实后移出)",
}
FlagName = Literal["low_output", "low_benefit", "high_energy", "high_emission"]


class Condition(BaseModel):
    """All given parts must hold (an empty condition always holds)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    classes: list[Literal["A", "B", "C", "D"]] | None = None
    any_flag: list[FlagName] | None = None
    two_low_two_high: bool | None = None
    min_cluster_mu: float | None = Field(default=None, ge=0)
    max_land_mu: float | None = Field(default=None, ge=0)


class ActionRule(BaseModel):
    """When the condition holds, propose the action (first matching rule wins)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    when: Condition
    action: Action
    reason: str = Field(min_length=2, max_length=200)


class ActionRules(BaseModel):
    """Who is listed, and the ordered proposal rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    name: str
    version: int = Field(ge=1)
    list_classes: list[Literal["A", "B", "C", "D"]] = ["D"]
    list_two_low_two_high: bool = True
    cluster_tolerance_m: float = Field(default=30, ge=0, le=500)
    rules: list[ActionRule] = Field(min_length=1)


def load_action_rules(name: str = "default@1") -> ActionRules:
    """The shipped proposal rules (a county's own may replace them the same way)."""
    path = resources.files("landgov.governance").joinpath("rules", f"{name}.yaml")
    try:
        return ActionRules.model_validate(yaml.safe_load(path.read_text("utf-8")))
    except ValidationError as exc:
        errors = [FieldError(".".join(map(str, e["loc"])), str(e["msg"])) for e in exc.errors()]
        raise InvalidInput(f"治理措施规则 {name} 无效", errors) from exc
