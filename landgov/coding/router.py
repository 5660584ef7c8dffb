"""``/api/v1/codes``: validate a code and say where it is wrong."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from landgov.auth.guard import CodeReader
from landgov.coding.schemas import CodeError, CodeValidation
from landgov.coding.service import validate_code

router = APIRouter(prefix="/api/v1/codes", tags=["一码管地 编码"])


@router.get("/{code}/validate", response_model=CodeValidation, summary="校验编码")
def validate(_: CodeReader, code: Annotated[str, Path(max_length=64, title="编码")]
             ) -> CodeValidation:
    """Validate a 28-character unit code or an 18-character USCC (200 either way)."""
    result = validate_code(code)
    return CodeValidation(
        code=code, kind=result.kind, valid=result.valid, parts=result.parts,
        errors=[CodeError(**e.as_dict()) for e in result.errors],
    )
