"""The governance case state machine (治理案件流转), as data, pure.

DOMAIN.md's life cycle: 待核实 → 已列入 → 整治中 / 腾退中 → 已出清 → 已盘活, and 已退出
(dropped, with a reason) from any state before 已盘活. Which in-progress state a case
enters follows its 四个一批 action: rectifying in place or merging keeps the land in use
(整治中); closing a firm or taking the land back empties it (腾退中).

Each allowed step names the roles that may take it; a town officer acts only on cases of
its own town. 已出清 → 已盘活 is not taken through the case API: it is the effect of a
盘活 record in the reclamation ledger, which calls the service with ``via_reclamation``.
Migration 0008 builds its database trigger from :data:`TRANSITIONS`, so the two agree.

>>> check("待核实", "已列入", role="data_steward").to_state
'已列入'
>>> sorted(check("已列入", "整治中", role="town_officer", action="upgrade",
...              actor_town="330602001", case_town="330602001").roles)
['admin', 'data_steward', 'town_officer']
>>> check("待核实", "已出清", role="admin")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
landgov.errors.Conflict: 案件状态为 待核实, 不能直接转为 已出清 (不可跳过环节); 可转为: ...
>>> progress_state("vacate")
'腾退中'
"""

from __future__ import annotations

from dataclasses import dataclass

from landgov.errors import Conflict, FieldError, Forbidden, InvalidInput

PENDING, LISTED, RECTIFYING, VACATING = "待核实", "已列入", "整治中", "腾退中"
CLEARED, RECLAIMED, EXITED = "已出清", "已盘活", "已退出"
STATES: tuple[str, ...] = (PENDING, LISTED, RECTIFYING, VACATING, CLEARED, RECLAIMED, EXITED)
CLOSED: frozenset[str] = frozenset({RECLAIMED, EXITED})
OPEN_STATES: tuple[str, ...] = tuple(s for s in STATES if s not in CLOSED)

# 四个一批 action (keys of landgov/governance/actions.py) → the in-progress state
PROGRESS_FOR_ACTION: dict[str, str] = {
    "upgrade": RECTIFYING,   # 整治提升一批: upgraded in place
    "merge": RECTIFYING,     # 兼并重组一批: a stronger firm takes over land and business
    "shutdown": VACATING,    # 关停淘汰一批: the firm closes, the land is emptied
    "vacate": VACATING,      # 腾退盘活一批: the land is taken back for new projects
}
RECLAMATION_LEDGER = "盘活台账 (/api/v1/reclamation)"

_STEWARDS = frozenset({"data_steward", "admin"})
_WORKERS = frozenset({"town_officer", "data_steward", "admin"})
TOWN_SCOPED_ROLES = frozenset({"town_officer"})
OPEN_ROLES = _STEWARDS  # open a case (from the 治理清单 or by hand)
DEADLINE_ROLES = _STEWARDS  # change a case's deadline


@dataclass(frozen=True)
class Transition:
    """One allowed step: from, to, who may take it, whether it needs a reason."""

    from_state: str
    to_state: str
    roles: frozenset[str]
    needs_reason: bool = False
    via_reclamation: bool = False  # only the reclamation ledger takes this step


TRANSITIONS: tuple[Transition, ...] = (
    Transition(PENDING, LISTED, _STEWARDS),
    Transition(LISTED, RECTIFYING, _WORKERS),
    Transition(LISTED, VACATING, _WORKERS),
    Transition(RECTIFYING, CLEARED, _WORKERS),
    Transition(VACATING, CLEARED, _WORKERS),
    Transition(CLEARED, RECLAIMED, frozenset(), via_reclamation=True),
    *(Transition(s, EXITED, _STEWARDS, needs_reason=True)
      for s in (PENDING, LISTED, RECTIFYING, VACATING, CLEARED)),
)
_BY_PAIR = {(t.from_state, t.to_state): t for t in TRANSITIONS}


def next_states(state: str, action: str | None = None) -> list[str]:
    """The states a case in ``state`` may move to, in life-cycle order.

    With the case's action known, only the in-progress state it leads to is offered.

    >>> next_states("已列入")
    ['整治中', '腾退中', '已退出']
    >>> next_states("已列入", "merge")
    ['整治中', '已退出']
    """
    wanted = progress_state(action)
    return [t.to_state for t in TRANSITIONS if t.from_state == state
            and (wanted is None or t.to_state not in (RECTIFYING, VACATING)
                 or t.to_state == wanted)]


def progress_state(action: str | None) -> str | None:
    """The in-progress state the action leads to (None when no action is chosen)."""
    return PROGRESS_FOR_ACTION.get(action or "")


def check(from_state: str, to_state: str, *, role: str | None, action: str | None = None,
          reason: str | None = None, actor_town: str | None = None,
          case_town: str | None = None, via_reclamation: bool = False) -> Transition:
    """The transition from ``from_state`` to ``to_state`` if ``role`` may take it.

    Raises InvalidInput for an unknown state or a missing reason, Conflict for a step
    the life cycle does not allow (skipping, leaving a closed case, the wrong
    in-progress state for the action, 已盘活 outside the reclamation ledger) and
    Forbidden for a role or town that may not take it. ``role`` None means the caller
    has authorised the actor itself (the reclamation ledger's own guard).
    """
    if to_state not in STATES:
        raise InvalidInput(f"未知的案件状态 {to_state!r}; 可选: {', '.join(STATES)}",
                           [FieldError("to_state", "unknown state")])
    step = _BY_PAIR.get((from_state, to_state))
    if step is None:
        allowed = ", ".join(next_states(from_state)) or "无 (案件已结束)"
        raise Conflict(f"案件状态为 {from_state}, 不能直接转为 {to_state} (不可跳过环节); "
                       f"可转为: {allowed}", [FieldError("to_state", "transition not allowed")])
    if step.via_reclamation and not via_reclamation:
        raise Conflict(f"{RECLAIMED} 由{RECLAMATION_LEDGER}登记盘活记录时自动记入, "
                       "不能通过案件接口设置",
                       [FieldError("to_state", "use the reclamation ledger")])
    if step.to_state in (RECTIFYING, VACATING):
        _check_action(action, to_state)
    if step.needs_reason and not (reason and len(reason.strip()) >= 2):
        raise InvalidInput(f"转为 {to_state} 必须说明理由 (note, 至少 2 个字)",
                           [FieldError("note", "reason required")])
    if role is not None:
        _check_actor(step, role, actor_town, case_town)
    return step


def _check_action(action: str | None, to_state: str) -> None:
    expected = progress_state(action)
    if expected is None:
        raise Conflict(f"案件尚未确定治理措施 (四个一批), 不能转为 {to_state}",
                       [FieldError("action", "no action chosen")])
    if expected != to_state:
        raise Conflict(f"治理措施 {action} 对应 {expected}, 不能转为 {to_state}",
                       [FieldError("to_state", f"action leads to {expected}")])


def _check_actor(step: Transition, role: str, actor_town: str | None,
                 case_town: str | None) -> None:
    if role not in step.roles:
        who = ", ".join(sorted(step.roles))
        raise Forbidden(f"角色 {role} 无权将案件由 {step.from_state} 转为 {step.to_state}; "
                        f"允许的角色: {who}")
    if role in TOWN_SCOPED_ROLES and (actor_town is None or actor_town != case_town):
        raise Forbidden(f"镇街工作人员只能办理本镇街 ({actor_town}) 的案件; "
                        f"该案件属于 {case_town or '未定镇街'}")
