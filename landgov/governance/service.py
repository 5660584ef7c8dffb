"""The 底数清单 and 治理清单 of a year, and officers' decisions on proposed actions."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from landgov.errors import FieldError, InvalidInput, NotFound
from landgov.evaluation.queries import latest_run_id
from landgov.governance import queries
from landgov.governance.actions import ACTIONS, load_action_rules


def _require_run(session: Session, year: int) -> None:
    if latest_run_id(session, year) is None:
        raise NotFound(f"{year} 年尚未进行亩均效益评价, 无法生成清单")


def baseline_list(session: Session, year: int, town: str | None) -> list[dict[str, Any]]:
    """Every industrial parcel and its users with the year's evaluation."""
    _require_run(session, year)
    return [r._asdict() for r in queries.baseline(session, year, town)]


def governance_list(session: Session, year: int, town: str | None) -> list[dict[str, Any]]:
    """The firms to act on this year, each with its proposed (or decided) 四个一批 action."""
    _require_run(session, year)
    return [r._asdict() for r in queries.governance(session, year, town, load_action_rules())]


def decide(session: Session, year: int, uscc: str, action: str, reason: str,
           actor: str, scope_town: str | None = None) -> dict[str, Any]:
    """An officer sets a firm's action with a reason; the list then shows it."""
    if action not in ACTIONS:
        raise InvalidInput(f"未知的治理措施 {action!r}; 可选: {', '.join(ACTIONS)}",
                           [FieldError("action", "unknown action")])
    row = next((r for r in governance_list(session, year, scope_town) if r["uscc"] == uscc), None)
    enterprise = queries.enterprise_id(session, uscc)
    if row is None or enterprise is None:
        raise NotFound(f"企业 {uscc} 不在 {year} 年的治理清单上")
    decided_at = queries.upsert_decision(session, year, enterprise, action, reason.strip(), actor)
    session.commit()
    return {**row, "decided_action": action, "decision_reason": reason.strip(),
            "decided_by": actor, "decided_at": decided_at, "action": action}
