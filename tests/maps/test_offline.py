"""Folium's CDN links are replaced once, and the URL checker catches every outside host."""

import folium
import folium.folium

from landgov.maps import offline, views  # noqa: F401  (views installs the rewrite)
from tests.maps.conftest import page_urls


def test_folium_defaults_point_at_vendor():
    for _, url in folium.Map.default_js + folium.Map.default_css:
        assert url.startswith("/vendor/"), url
    assert folium.folium._default_js == offline.VENDOR_JS
    names = {n for n, _ in folium.Map.default_css}
    assert "glyphicons_css" not in names and "awesome_rotate_css" not in names


def test_vendor_assets_exist_and_are_served(anon):
    for _, url in offline.VENDOR_JS + offline.VENDOR_CSS:
        assert anon.get(url).status_code == 200, url


def test_external_urls_finds_every_kind_of_outside_reference():
    html = ('<script src="/vendor/a.js"></script><img src="data:image/png;base64,AA">'
            '<link href="//cdn.example.com/x.css"><a href="https://example.com/">x</a>'
            "<style>.x { background: url('http://tiles.example.com/1.png') }</style>"
            '<style>.y { background: url(/vendor/img.png) }</style>')
    assert offline.external_urls(html) == ["//cdn.example.com/x.css", "https://example.com/",
                                           "http://tiles.example.com/1.png"]
    assert len(page_urls(html)) == 6


def test_a_bare_folium_map_renders_offline():
    m = folium.Map(tiles=None)
    html = m.get_root().render()
    assert offline.external_urls(html) == []
    assert '/vendor/leaflet/leaflet.js' in html


def test_inline_script_hashes_are_sha256_of_the_exact_script_text():
    import base64
    import hashlib

    body = "\n var a = 1;\n"
    expected = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
    html = f'<script src="/x.js"></script><script>{body}</script>'
    assert offline.inline_script_hashes(html) == [f"'sha256-{expected}'"]
