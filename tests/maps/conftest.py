"""Helpers to read Folium pages back: their layers, features, styles and every URL."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from sqlalchemy.orm import Session

from tests.zones.conftest import Layout

STYLER = re.compile(r"function (geo_json_[0-9a-f]+)_styler\(feature\) \{.*?return (\{.*?\});",
                    re.DOTALL)
DATA = re.compile(r"(geo_json_[0-9a-f]+)_add\((\{.*?\})\);\n", re.DOTALL)


class _Urls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [v for k, v in attrs if k in {"src", "href", "action", "srcset"} and v]


def page_urls(html: str) -> list[str]:
    """Every src/href/action attribute and every CSS url(...) of a page."""
    parser = _Urls()
    parser.feed(html)
    return parser.urls + re.findall(r"url\(\s*['\"]?([^'\")]+)", html)


def assert_offline(html: str) -> None:
    """Every URL of the page is relative / same-origin; no scheme-qualified host at all."""
    urls = page_urls(html)
    assert urls, "a map page loads its assets from /vendor"
    for url in urls:
        assert url.startswith(("/", "data:", "#")) and not url.startswith("//"), url
    assert re.search(r"https?://|//cdn|cdnjs|jsdelivr|unpkg", html) is None


def layers(html: str) -> dict[str, list[dict[str, Any]]]:
    """Features of the page's filled GeoJSON layers, keyed by fill colour."""
    styles = {name: json.loads(body) for name, body in STYLER.findall(html)}
    out: dict[str, list[dict[str, Any]]] = {}
    for name, body in DATA.findall(html):
        fill = styles.get(name, {}).get("fillColor")
        if fill:
            out.setdefault(fill, []).extend(json.loads(body)["features"])
    return out


@pytest.fixture
def layout(district: Session) -> Layout:
    return Layout(district)
