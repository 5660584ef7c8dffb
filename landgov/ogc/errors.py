"""The one error the OGC API adds to ``landgov.errors``.

OGC API - Features Part 1 answers a query parameter it cannot use with 400 (an unknown
parameter, a malformed bbox or datetime, an unknown CRS), where the domain API uses 422
for bodies that break a rule; bodies sent to the OGC transactions keep the 422s of the
editing service.
"""

from __future__ import annotations

from typing import ClassVar

from landgov.errors import LandgovError


class InvalidParameter(LandgovError):
    """A query parameter or header value the OGC API cannot use."""

    status: ClassVar[int] = 400
    title: ClassVar[str] = "查询参数无效"
    slug: ClassVar[str] = "invalid-parameter"
