"""API contract of code validation."""

from __future__ import annotations

from pydantic import BaseModel, Field

from landgov.errors import FieldErrorOut as CodeError

__all__ = ["CodeError", "CodeValidation"]


class CodeValidation(BaseModel):
    """Result of validating a unit code or a USCC."""

    code: str = Field(title="编码")
    kind: str = Field(title="编码类型", description="unit_code (不动产单元代码) or uscc")
    valid: bool = Field(title="是否有效")
    errors: list[CodeError] = Field(default_factory=list, title="错误")
    parts: dict[str, str] = Field(default_factory=dict, title="编码分解")
