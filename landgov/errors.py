"""Domain errors and their one rendering as RFC 9457 problem details.

Services raise these; the HTTP layer renders them (``install``) and the CLI prints
their ``detail`` with exit code 2. A class carries its status and title so nothing
else needs a table of codes. Bodies never carry stack traces or SQL.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://landgov.invalid/problems/"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FieldError:
    """One field's problem: where (``field``, optional character ``position``) and why."""

    field: str
    reason: str
    position: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """The JSON form used in a problem's ``errors`` list."""
        out: dict[str, Any] = {"field": self.field, "reason": self.reason}
        if self.position is not None:
            out["position"] = self.position
        return out


class FieldErrorOut(BaseModel):
    """One field's problem in a problem-details body."""

    field: str = Field(title="字段")
    reason: str = Field(title="原因")
    position: int | None = Field(default=None, title="位置 (从 1 起)")


class ProblemDetails(BaseModel):
    """An RFC 9457 problem-details body, as every error response carries."""

    type: str = Field(title="问题类型")
    title: str = Field(title="标题")
    status: int = Field(title="HTTP 状态码")
    detail: str = Field(title="说明")
    instance: str | None = Field(default=None, title="请求路径")
    errors: list[FieldErrorOut] | None = Field(default=None, title="字段错误")


PROBLEM_STATUSES = {401: "未登录或凭据无效", 403: "无权限", 404: "未找到", 409: "数据冲突",
                    412: "版本已变更", 413: "请求体过大", 422: "输入不符合要求",
                    428: "缺少 If-Match", 429: "请求过于频繁", 500: "服务器内部错误",
                    503: "服务未就绪"}


def problem_responses() -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` documenting every problem status with its schema."""
    return {code: {"model": ProblemDetails, "description": text}
            for code, text in PROBLEM_STATUSES.items()}


class LandgovError(Exception):
    """Base of all errors a user can cause; ``status`` and ``title`` describe the class."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "请求无效"
    slug: ClassVar[str] = "bad-request"

    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []

    def problem(self, instance: str | None = None) -> dict[str, Any]:
        """The RFC 9457 body for this error."""
        body: dict[str, Any] = {
            "type": TYPE_BASE + self.slug,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = [e.as_dict() for e in self.errors]
        return body


class InvalidInput(LandgovError):
    """Input that is well-formed JSON but breaks a domain rule."""

    status = 422
    title = "输入不符合要求"
    slug = "invalid-input"


class InvalidGeometry(InvalidInput):
    """Geometry that is invalid, misplaced or too large."""

    title = "几何图形无效"
    slug = "invalid-geometry"


class InvalidCode(InvalidInput):
    """A unit code or USCC that does not validate."""

    title = "编码无效"
    slug = "invalid-code"


class NotFound(LandgovError):
    """The addressed record does not exist (or is retired)."""

    status = 404
    title = "未找到"
    slug = "not-found"


class Conflict(LandgovError):
    """The write collides with existing data (duplicate, retired parent, …)."""

    status = 409
    title = "数据冲突"
    slug = "conflict"


class PreconditionFailed(LandgovError):
    """If-Match did not match: someone else saved first."""

    status = 412
    title = "版本已变更"
    slug = "precondition-failed"


class PreconditionRequired(LandgovError):
    """A write that must name the version it replaces did not."""

    status = 428
    title = "缺少 If-Match"
    slug = "precondition-required"


class Unauthorized(LandgovError):
    """No valid credentials: log in (bearer token) or send an X-API-Key."""

    status = 401
    title = "未登录或凭据无效"
    slug = "unauthorized"


class Forbidden(LandgovError):
    """Valid credentials whose role may not do this."""

    status = 403
    title = "无权限"
    slug = "forbidden"


class PayloadTooLarge(LandgovError):
    """A request body over the configured limit."""

    status = 413
    title = "请求体过大"
    slug = "payload-too-large"


class TooManyRequests(LandgovError):
    """A client over its rate limit."""

    status = 429
    title = "请求过于频繁"
    slug = "too-many-requests"


class SetupError(LandgovError):
    """The installation itself is not usable (database, packages, configuration)."""

    status = 503
    title = "服务未就绪"
    slug = "setup"


def _problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)


def problem_response(exc: LandgovError, instance: str | None = None) -> JSONResponse:
    """The HTTP response for a domain error (with the headers its status calls for)."""
    headers = {}
    if isinstance(exc, Unauthorized):
        headers["WWW-Authenticate"] = 'Bearer realm="landgov"'
    if isinstance(exc, TooManyRequests):
        headers["Retry-After"] = "60"
    return _problem_response(exc.problem(instance), headers or None)


def _validation_errors(exc: RequestValidationError) -> list[FieldError]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body",)]
        out.append(FieldError(field=".".join(loc) or "body", reason=str(err.get("msg", ""))))
    return out


def install(app: FastAPI) -> None:
    """Render every error the app can raise as problem details (once, at start-up)."""

    @app.exception_handler(LandgovError)
    async def _domain(request: Request, exc: LandgovError) -> JSONResponse:
        return problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        err = InvalidInput("请求参数或请求体不符合接口定义", _validation_errors(exc))
        return _problem_response(err.problem(request.url.path))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {
            "type": "about:blank",
            "title": str(exc.detail) if exc.status_code != 404 else "未找到",
            "status": exc.status_code,
            "detail": str(exc.detail),
            "instance": request.url.path,
        }
        return _problem_response(body, dict(exc.headers) if exc.headers else None)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        body = {
            "type": TYPE_BASE + "internal",
            "title": "服务器内部错误",
            "status": 500,
            "detail": "服务器处理请求时出错，已记录日志。",
            "instance": request.url.path,
        }
        return _problem_response(body)
