"""``/api/v1/auth`` (log in, who am I) and ``/api/v1/audit`` (admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.security import OAuth2PasswordRequestForm

from landgov.auth import service
from landgov.auth.guard import AuditReader, SignedIn
from landgov.auth.permissions import ROLES
from landgov.auth.schemas import AuditEventOut, Me, Token
from landgov.deps import PagingDep, SessionDep
from landgov.hardening import rate_limit

router = APIRouter(tags=["账户与审计"])


@router.post("/api/v1/auth/token", response_model=Token, summary="登录 (OAuth2 密码模式)")
def token(form: Annotated[OAuth2PasswordRequestForm, Depends()], request: Request,
          session: SessionDep) -> Token:
    """Exchange a username and password for a short-lived bearer token."""
    client = request.client.host if request.client else "unknown"
    rate_limit(request, f"login:{client}")
    access, lifetime = service.login(session, form.username, form.password)
    return Token(access_token=access, expires_in=lifetime)


@router.get("/api/v1/auth/me", response_model=Me, summary="当前用户")
def me(principal: SignedIn) -> Me:
    """The caller's identity, role and permissions (any authenticated caller)."""
    role = ROLES[principal.role]
    return Me(kind=principal.kind, name=principal.name, role=principal.role,
              role_label=role.label, town_code=principal.town_code,
              permissions=sorted(p.value for p in role.permissions))


@router.get("/api/v1/audit", response_model=list[AuditEventOut], summary="审计记录")
def audit(
    _: AuditReader, session: SessionDep, page: PagingDep,
    entity: Annotated[str | None, Query(max_length=40, title="对象类型")] = None,
    key: Annotated[str | None, Query(max_length=200, title="对象标识")] = None,
    actor: Annotated[str | None, Query(max_length=200, title="操作者")] = None,
    since: Annotated[datetime | None, Query(title="起始时间")] = None,
) -> list[AuditEventOut]:
    """Who changed what, when, with the values before and after (newest first)."""
    rows = service.audit_trail(session, entity=entity, key=key, actor=actor, since=since,
                               limit=page.limit, offset=page.offset)
    return [AuditEventOut.model_validate(r) for r in rows]
