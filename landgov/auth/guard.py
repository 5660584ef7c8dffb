"""The one declarative authorisation mechanism: ``Depends(require(permission))``.

Every data route takes a guard as a parameter; the guard authenticates (bearer token or
X-API-Key), checks the role's permission, applies the per-caller rate limit, and tells
the database session who is acting so the audit trail can name them. Who a credential
is may come from the in-process principal cache (``principal_cache.py``), which forgets
at once when accounts change. The route-table test finds routes without a guard by the
``permission`` attribute set here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from landgov.auth import service
from landgov.auth.permissions import Permission
from landgov.auth.principal import Principal
from landgov.auth.principal_cache import PrincipalCache, shared_for
from landgov.db import act_as
from landgov.deps import SessionDep
from landgov.errors import Forbidden, Unauthorized
from landgov.hardening import rate_limit

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False,
                              scheme_name="令牌")
api_key = APIKeyHeader(name="X-API-Key", auto_error=False, scheme_name="API Key")


def principal_cache(request: Request, session: Session) -> PrincipalCache | None:
    """The principal cache for this request, or None when it cannot be trusted now.

    Tests set one on ``app.state.principal_cache``; otherwise the process's own.
    """
    cache: PrincipalCache | None = getattr(request.app.state, "principal_cache", None)
    if cache is not None:
        return cache if cache.usable(session) else None
    return shared_for(session)


def require(permission: Permission) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting only callers whose role grants ``permission``.

    Async: a remembered caller is admitted on the event loop, without a worker-thread
    hop; a database lookup (cache miss) and naming the actor of a write run in a
    worker thread.
    """

    async def guard(
        request: Request,
        session: SessionDep,
        token: Annotated[str | None, Depends(bearer)] = None,
        key: Annotated[str | None, Depends(api_key)] = None,
    ) -> Principal:
        if not key and not token:
            raise Unauthorized("请先登录 (Authorization: Bearer 令牌) 或提供 X-API-Key")
        cache = principal_cache(request, session)
        principal = service.remembered(cache, key, token)
        if principal is None:
            principal = await run_in_threadpool(service.authenticate, session, key, token, cache)
        rate_limit(request, principal.actor)
        if not principal.may(permission):
            raise Forbidden(f"角色 {principal.role} 无权执行此操作 (需要 {permission.value})")
        # Reads write nothing in the transaction the lookup opened: skip naming the actor
        # there (a round trip on every tile); any later transaction is still named.
        request_id = getattr(request.state, "request_id", None)
        writes = request.method not in SAFE_METHODS
        if writes and session.in_transaction():
            await run_in_threadpool(act_as, session, principal.actor, request_id)
        else:
            act_as(session, principal.actor, request_id, writes=False)
        return principal

    guard.permission = permission  # type: ignore[attr-defined]
    return guard


ParcelReader = Annotated[Principal, Depends(require(Permission.PARCELS_READ))]
ParcelWriter = Annotated[Principal, Depends(require(Permission.PARCELS_WRITE))]
RegionReader = Annotated[Principal, Depends(require(Permission.REGIONS_READ))]
SignedIn = Annotated[Principal, Depends(require(Permission.ACCOUNT_READ))]
CodeReader = Annotated[Principal, Depends(require(Permission.CODES_READ))]
EvaluationReader = Annotated[Principal, Depends(require(Permission.EVALUATION_READ))]
EvaluationRunner = Annotated[Principal, Depends(require(Permission.EVALUATION_RUN))]
GovernanceEditor = Annotated[Principal, Depends(require(Permission.GOVERNANCE_WRITE))]
IndicatorWriter = Annotated[Principal, Depends(require(Permission.INDICATORS_WRITE))]
AuditReader = Annotated[Principal, Depends(require(Permission.AUDIT_READ))]
Importer = Annotated[Principal, Depends(require(Permission.IMPORTS))]
ExportReader = Annotated[Principal, Depends(require(Permission.EXPORTS))]
CaseReader = Annotated[Principal, Depends(require(Permission.CASES_READ))]
ReclamationReader = Annotated[Principal, Depends(require(Permission.RECLAMATION_READ))]
ReclamationWriter = Annotated[Principal, Depends(require(Permission.RECLAMATION_WRITE))]
ControlLineReader = Annotated[Principal, Depends(require(Permission.CONTROL_LINE_READ))]
ControlLineWriter = Annotated[Principal, Depends(require(Permission.CONTROL_LINE_WRITE))]
ZoneReader = Annotated[Principal, Depends(require(Permission.ZONES_READ))]
ZoneBuilder = Annotated[Principal, Depends(require(Permission.ZONES_BUILD))]
InvestmentReader = Annotated[Principal, Depends(require(Permission.INVESTMENT_READ))]
ProjectWriter = Annotated[Principal, Depends(require(Permission.PROJECTS_WRITE))]
