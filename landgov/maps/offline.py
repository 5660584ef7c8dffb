"""Folium without the internet: its CDN links replaced by the assets this app serves.

Folium's ``Map`` lists leaflet, jquery, bootstrap, awesome-markers and fontawesome on
public CDNs (``folium.folium._default_js`` / ``_default_css``, copied into the class
attributes ``Map.default_js`` / ``Map.default_css``). The intranet this runs on has no
CDN, so :func:`install` rewrites those lists once, at import of the maps package, to
the copies ``web/build.mjs`` puts under ``/vendor/``. Two entries have no copy there
and are dropped: the bootstrap-3 glyphicons css and folium's ``leaflet.awesome.rotate``
css (both serve only marker icons, which these maps do not use).

:func:`external_urls` lists every ``src``/``href``/``url(...)`` of a page that points
off this server; the maps service refuses to serve a page that has any (and the tests
assert it for every page). :func:`inline_script_hashes` gives the CSP hashes of a
page's inline scripts, so a map page may run exactly its own scripts and nothing else.

>>> external_urls('<script src="/vendor/leaflet/leaflet.js"></script>')
[]
>>> external_urls('<link href="https://cdn.example.com/x.css">')
['https://cdn.example.com/x.css']
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache

import branca.element
import folium
import folium.features
import folium.folium

VENDOR_JS: list[tuple[str, str]] = [
    ("leaflet", "/vendor/leaflet/leaflet.js"),
    ("jquery", "/vendor/jquery/jquery.min.js"),
    ("bootstrap", "/vendor/bootstrap/bootstrap.bundle.min.js"),
    ("awesome_markers", "/vendor/leaflet.awesome-markers/leaflet.awesome-markers.min.js"),
]
VENDOR_CSS: list[tuple[str, str]] = [
    ("leaflet_css", "/vendor/leaflet/leaflet.css"),
    ("bootstrap_css", "/vendor/bootstrap/bootstrap.min.css"),
    ("awesome_markers_font_css", "/vendor/fontawesome/css/all.min.css"),
    ("awesome_markers_css", "/vendor/leaflet.awesome-markers/leaflet.awesome-markers.css"),
]

_URL = re.compile(r"""(?:\b(?:src|href)\s*=\s*["']([^"']*)["'])"""
                  r"""|(?:url\(\s*["']?([^"')]+)["']?\s*\))""", re.IGNORECASE)
_INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>",
                            re.IGNORECASE | re.DOTALL)


def install() -> None:
    """Point folium's default assets at ``/vendor/`` (idempotent; once per process).

    Also memoise the Jinja templates branca and folium compile while rendering (link
    tags, popups, tooltips: ~50 per page, the same few sources every time): compiling
    them anew cost ~0.8 s of CPU per page; a compiled template is immutable and safe
    to share.
    """
    folium.folium._default_js[:] = VENDOR_JS
    folium.folium._default_css[:] = VENDOR_CSS
    folium.Map.default_js = list(VENDOR_JS)
    folium.Map.default_css = list(VENDOR_CSS)
    name = "Template"  # the class each module compiles render-time templates with
    for module in (branca.element, folium.features):
        compile_template = getattr(module, name)
        if not hasattr(compile_template, "cache_info"):
            setattr(module, name, lru_cache(maxsize=512)(compile_template))


def is_local(url: str) -> bool:
    """Relative, same-origin-absolute (``/x``), fragment or ``data:`` URL."""
    u = url.strip()
    if u.startswith("//"):
        return False  # protocol-relative: another host
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", u):
        return u.lower().startswith(("data:", "blob:"))
    return True


def external_urls(html: str) -> list[str]:
    """Every ``src``/``href``/``url(...)`` in ``html`` that would leave this server."""
    found = (a or b for a, b in _URL.findall(html))
    return [u for u in found if not is_local(u)]


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions (``'sha256-…'``) for each inline ``<script>`` of ``html``."""
    hashes = []
    for body in _INLINE_SCRIPT.findall(html):
        digest = hashlib.sha256(body.encode("utf-8")).digest()
        hashes.append("'sha256-" + base64.b64encode(digest).decode("ascii") + "'")
    return sorted(set(hashes))


def page_csp(html: str) -> str:
    """The Content-Security-Policy of a map page.

    Its own inline scripts by hash, the vendor assets from this server, framing only by
    this server's own pages.
    """
    scripts = " ".join(["'self'", *inline_script_hashes(html)])
    return (f"default-src 'self'; script-src {scripts}; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'none'; frame-ancestors 'self'")
