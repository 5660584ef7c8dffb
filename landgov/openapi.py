"""The OpenAPI document as clients see it: each body under the media type actually sent.

FastAPI files every response model under ``application/json``; landgov sends errors as
``application/problem+json`` and features as ``application/geo+json``, so the schemas
are moved to those media types (clients and the schemathesis run validate against them).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

PROBLEM = "application/problem+json"
JSON = "application/json"


def _move(content: dict[str, Any], to: str) -> None:
    schema = content.pop(JSON, {}).get("schema")
    if schema is not None:
        content[to] = {"schema": schema}


def _fix_operation(operation: dict[str, Any]) -> None:
    for status, response in operation.get("responses", {}).items():
        content = response.get("content")
        if not content or JSON not in content:
            continue
        if status.startswith(("4", "5")):
            content.pop(PROBLEM, None)
            _move(content, PROBLEM)
        else:
            # An alternative that brings its own schema (e.g. an HTML form of a JSON
            # page) is sent *besides* JSON, so JSON stays; one without is sent instead.
            alt = next((m for m, v in content.items() if m != JSON and not v.get("schema")),
                       None)
            if alt is not None:
                _move(content, alt)


def install(app: FastAPI) -> None:
    """Replace ``app.openapi`` with the corrected document (built once)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(title=app.title, version=app.version, description=app.description,
                              routes=app.routes)
            for path in doc.get("paths", {}).values():
                for operation in path.values():
                    _fix_operation(operation)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
