"""The landing page as HTML, for a person who opens ``/ogc`` in a browser.

Deliberately plain (no script, no style sheet): it lists where things are and how a
desktop GIS connects, in Chinese; the JSON form is what clients read.
"""

from __future__ import annotations

from html import escape

from landgov.ogc.schemas import LandingPage


def landing_html(page: LandingPage) -> str:
    """The landing page links as a small zh-CN HTML document."""
    links = "\n".join(
        f'    <li><a href="{escape(link.href)}">{escape(link.title or link.rel)}</a> '
        f"<small>({escape(link.rel)}, {escape(link.type or '')})</small></li>"
        for link in page.links)
    root = escape(page.links[0].href)
    return f"""<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>{escape(page.title)}</title></head>
<body>
  <h1>{escape(page.title)}</h1>
  <p>{escape(page.description)}</p>
  <ul>
{links}
  </ul>
  <h2>桌面 GIS 连接</h2>
  <p>GDAL: <code>ogrinfo --config GDAL_HTTP_HEADERS "X-API-Key: 您的密钥" OAPIF:{root}</code></p>
  <p>QGIS: 图层 → 添加图层 → WFS / OGC API - Features, 地址填 <code>{root}</code>,
     认证配置选 "API Header", 头名称 <code>X-API-Key</code>。</p>
</body>
</html>
"""
