"""``/api/v1/lists``: the 底数清单 and 治理清单 as JSON; officers adjust actions."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from landgov.auth.guard import EvaluationReader, GovernanceEditor
from landgov.deps import SessionDep
from landgov.governance import service
from landgov.governance.schemas import BaselineRow, Decision, GovernanceRow

router = APIRouter(prefix="/api/v1/lists", tags=["底数清单与治理清单"])
Year = Annotated[int, Query(ge=1990, le=2100, title="年度")]
Town = Annotated[str | None, Query(max_length=12, title="镇街代码")]


def _town(requested: str | None, scope: str | None) -> str | None:
    return scope or requested


@router.get("/baseline", response_model=list[BaselineRow], summary="底数清单",
            response_model_by_alias=True)
def baseline(principal: EvaluationReader, session: SessionDep, year: Year,
             town: Town = None) -> list[dict[str, Any]]:
    """Every industrial parcel and its users, with the year's evaluation."""
    return service.baseline_list(session, year, _town(town, principal.scope_town))


@router.get("/governance", response_model=list[GovernanceRow], summary="治理清单",
            response_model_by_alias=True)
def governance(principal: EvaluationReader, session: SessionDep, year: Year,
               town: Town = None) -> list[dict[str, Any]]:
    """The firms to act on, with the proposed 四个一批 action and any decision."""
    return service.governance_list(session, year, _town(town, principal.scope_town))


@router.put("/governance/{uscc}", response_model=GovernanceRow, summary="调整治理措施",
            response_model_by_alias=True)
def decide(principal: GovernanceEditor, uscc: Annotated[str, Path(min_length=18, max_length=18)],
           data: Decision, session: SessionDep, year: Year) -> dict[str, Any]:
    """Set a listed firm's action with a reason (kept in the audit trail)."""
    return service.decide(session, year, uscc, data.action, data.reason, principal.actor,
                          principal.scope_town)
