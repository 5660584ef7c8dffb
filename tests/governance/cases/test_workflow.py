"""The pure state machine: every pair of states, for every role, by the rule table."""

from __future__ import annotations

import itertools

import pytest

from landgov.auth.permissions import ROLES
from landgov.errors import Conflict, Forbidden, InvalidInput
from landgov.governance.cases import workflow as wf

# the rule table, written out by hand from DOMAIN.md and the brief
EXPECTED = {
    ("待核实", "已列入"): {"data_steward", "admin"},
    ("已列入", "整治中"): {"town_officer", "data_steward", "admin"},
    ("已列入", "腾退中"): {"town_officer", "data_steward", "admin"},
    ("整治中", "已出清"): {"town_officer", "data_steward", "admin"},
    ("腾退中", "已出清"): {"town_officer", "data_steward", "admin"},
    **{(s, "已退出"): {"data_steward", "admin"} for s in ("待核实", "已列入", "整治中", "腾退中", "已出清")},
}
ACTION_FOR = {"整治中": "upgrade", "腾退中": "vacate"}


@pytest.mark.parametrize(("src", "dst"), list(itertools.product(wf.STATES, wf.STATES)))
def test_every_pair_for_every_role(src, dst):
    for role in ROLES:
        kwargs = {"role": role, "action": ACTION_FOR.get(dst, "vacate"), "reason": "理由充分",
                  "actor_town": "330602001", "case_town": "330602001"}
        allowed = EXPECTED.get((src, dst), set())
        if role in allowed:
            assert wf.check(src, dst, **kwargs).to_state == dst
        elif (src, dst) in EXPECTED:
            with pytest.raises(Forbidden, match="无权"):
                wf.check(src, dst, **kwargs)
        else:
            with pytest.raises(Conflict):
                wf.check(src, dst, **kwargs)


def test_reclaimed_only_through_the_reclamation_ledger():
    with pytest.raises(Conflict, match="盘活台账"):
        wf.check("已出清", "已盘活", role="admin")
    assert wf.check("已出清", "已盘活", role=None, via_reclamation=True).to_state == "已盘活"
    with pytest.raises(Conflict, match="不可跳过"):
        wf.check("腾退中", "已盘活", role=None, via_reclamation=True)


def test_exit_needs_a_reason():
    for reason in (None, "", " x "):
        with pytest.raises(InvalidInput, match="理由"):
            wf.check("整治中", "已退出", role="data_steward", reason=reason)


def test_progress_state_follows_the_action():
    assert {a: wf.progress_state(a) for a in ("upgrade", "merge", "shutdown", "vacate")} == {
        "upgrade": "整治中", "merge": "整治中", "shutdown": "腾退中", "vacate": "腾退中"}
    with pytest.raises(Conflict, match="对应 腾退中"):
        wf.check("已列入", "整治中", role="admin", action="shutdown")
    with pytest.raises(Conflict, match="尚未确定治理措施"):
        wf.check("已列入", "腾退中", role="admin", action=None)


def test_town_officer_only_in_its_town():
    with pytest.raises(Forbidden, match="本镇街"):
        wf.check("整治中", "已出清", role="town_officer", actor_town="330602001",
                 case_town="330602002")
    assert wf.check("整治中", "已出清", role="data_steward", case_town="330602002")


def test_unknown_state_and_closed_cases():
    with pytest.raises(InvalidInput, match="未知的案件状态"):
        wf.check("待核实", "完成", role="admin")
    for closed in ("已盘活", "已退出"):
        assert wf.next_states(closed) == []
        with pytest.raises(Conflict, match="案件已结束"):
            wf.check(closed, "待核实", role="admin")
