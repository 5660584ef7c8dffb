"""API contract of login, the caller, and the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class Token(BaseModel):
    """An OAuth2 bearer token."""

    access_token: str = Field(title="访问令牌")
    token_type: str = Field(default="bearer", title="令牌类型")
    expires_in: int = Field(title="有效期(秒)")


class Me(BaseModel):
    """The caller as the server sees it."""

    kind: str = Field(title="凭据类型", description="user 或 api_key")
    name: str = Field(title="名称")
    role: str = Field(title="角色")
    role_label: str = Field(title="角色名称")
    town_code: str | None = Field(title="限定镇街")
    permissions: list[str] = Field(title="权限")


class AuditEventOut(BaseModel):
    """One audit event."""

    id: int = Field(title="编号")
    occurred_at: datetime = Field(title="时间")
    actor: str = Field(title="操作者")
    action: str = Field(title="动作", description="create / update / retire / delete")
    entity: str = Field(title="对象类型")
    entity_key: str | None = Field(title="对象标识")
    before: dict[str, Any] | None = Field(title="修改前")
    after: dict[str, Any] | None = Field(title="修改后")
    request_id: str | None = Field(title="请求编号")
