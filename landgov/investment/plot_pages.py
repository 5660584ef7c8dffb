"""A page of ``/api/v1/plots/available``: what is cached, and how it becomes the answer.

The page's features and counts are the same for every request with the same query and
caller scope; only its links name the URL it was asked at (host, port, scheme). So a
:class:`Page` holds the features as one text and the validated offset/limit, and
:func:`page_body` writes the FeatureCollection around them for the URL at hand — the
route and the fast path (``fast_path.py``) both answer through it, byte for byte alike.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

from starlette.datastructures import URL

GEOJSON = "application/geo+json"

PageKey = tuple[str, tuple[tuple[str, str], ...]]  # (scope town or "*", sorted parameters)


@dataclass(frozen=True)
class Page:
    """One page's content: numberMatched, the Feature texts joined, and its paging."""

    matched: int
    returned: int
    features: str
    offset: int
    limit: int

    @property
    def size(self) -> int:
        """Roughly the bytes it holds, for the cache's bound."""
        return len(self.features) * 2 + 200


def page_key(scope_town: str | None, query: str) -> PageKey | None:
    """The cache key of a request: the caller's scope and its parameters in a fixed order.

    None when a parameter is repeated (which value FastAPI uses is its business: such a
    request is never cached).
    """
    pairs = parse_qsl(query, keep_blank_values=True)
    if len({name for name, _ in pairs}) != len(pairs):
        return None
    return scope_town or "*", tuple(sorted(pairs))


def page_body(url: URL, page: Page) -> bytes:
    """The FeatureCollection of ``page`` asked at ``url``: self link, next link if more."""
    links = [_link(str(url), "self")]
    if page.offset + page.returned < page.matched:
        links.append(_link(str(url.include_query_params(offset=page.offset + page.limit)), "next"))
    return (f'{{"type": "FeatureCollection", "numberMatched": {page.matched}, '
            f'"numberReturned": {page.returned}, "links": [{", ".join(links)}], '
            f'"features": [{page.features}]}}').encode()


def _link(href: str, rel: str) -> str:
    return f'{{"href": {json.dumps(href)}, "rel": "{rel}", "type": "{GEOJSON}"}}'
