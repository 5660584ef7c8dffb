"""The 推介单 (investment brochure) of a plot or a zone, as printable HTML and as PDF.

Both come from one :class:`Brochure`. The HTML is a self-contained page without
scripts (the map is an embedded PNG), so the app's strict CSP applies unchanged and the
browser's print dialog makes a paper copy. The PDF is drawn by matplotlib on A4 pages
(``PdfPages``) with a CJK font from fonts-noto-cjk, offline; its metadata (title,
subject, keywords) carry the plot or zone code so a filed PDF can be found by it.
"""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass, field
from html import escape

from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from shapely.geometry.base import BaseGeometry

from landgov.maps import figure

A4 = (8.27, 11.69)


@dataclass(frozen=True)
class Brochure:
    """Everything a 推介单 shows."""

    kind: str  # "plot" or "zone"
    code: str
    title: str
    headline: str
    facts: list[tuple[str, str]]
    indicators: list[tuple[str, str]]
    neighbours: list[tuple[str, str, str, str]]  # firm, chain, link, distance
    subject: BaseGeometry  # EPSG:4549
    around: list[tuple[BaseGeometry, str, bool]]  # geometry (4549), status, is subject
    generated: str
    members: list[str] = field(default_factory=list)
    note: str = ""


def _rows(rows: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><th>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows)


STYLE = """<style>
@page { size: A4; margin: 14mm; }
body { font: 13px/1.55 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #222;
       max-width: 190mm; margin: 0 auto; padding: 8px; }
h1 { font-size: 22px; margin: 0; } h2 { font-size: 15px; margin: 14px 0 4px;
  border-bottom: 2px solid #1f3a5f; }
.headline { color: #555; margin: 2px 0 8px; }
table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #ccc;
  padding: 3px 6px; text-align: left; vertical-align: top; } th { background: #f2f4f7;
  width: 30%; white-space: nowrap; } img { width: 100%; border: 1px solid #ccc; }
.note, footer { color: #666; font-size: 11px; }
</style>"""


def to_html(b: Brochure) -> str:
    """The brochure as one printable HTML page (no scripts, map as an embedded PNG)."""
    png = base64.b64encode(figure.map_png(b.subject, b.around)).decode("ascii")
    neighbours = "".join(
        "<tr>" + "".join(f"<td>{escape(v)}</td>" for v in row) + "</tr>"
        for row in b.neighbours) or '<tr><td colspan="4">周边暂无产业链企业</td></tr>'
    members = (f"<h2>成员宗地 ({len(b.members)})</h2><p>{escape('、'.join(b.members))}</p>"
               if b.members else "")
    return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(b.title)} {escape(b.code)}</title>
{STYLE}</head><body>
<h1>{escape(b.title)}</h1><p class="headline">{escape(b.code)} · {escape(b.headline)}</p>
<img alt="区位图 (红色为推介对象, EPSG:4549)" src="data:image/png;base64,{png}">
<h2>基本情况</h2><table>{_rows(b.facts)}</table>
<h2>标准地控制指标</h2><table>{_rows(b.indicators)}</table>
<h2>周边产业链企业</h2><table><tr><th>企业</th><th>产业链</th><th>环节</th><th>距离</th></tr>
{neighbours}</table>{members}
<p class="note">{escape(b.note)}</p>
<footer>越城区工业用地全域治理平台 · 生成于 {escape(b.generated)} ·
面积按 CGCS2000 / EPSG:4549 计算, 1 亩 = 10000/15 平方米</footer>
</body></html>"""


def _table(fig: Figure, y: float, rows: list[tuple[str, str]], font: FontProperties,
           size: float = 10.0) -> float:
    """Two-column text rows from ``y`` (figure fraction) down; returns the next free y."""
    step = size / 72 / A4[1] * 1.65
    for key, value in rows:
        fig.text(0.08, y, key, fontproperties=font, fontsize=size, color="#555", va="top")
        fig.text(0.32, y, value[:70], fontproperties=font, fontsize=size, va="top")
        y -= step
    return y


def _heading(fig: Figure, y: float, text: str, font: FontProperties) -> float:
    fig.text(0.06, y, text, fontproperties=font, fontsize=12.5, color="#1f3a5f", va="top",
             weight="bold")
    return y - 0.03


def _first_page(b: Brochure, font: FontProperties) -> Figure:
    fig = Figure(figsize=A4)
    fig.text(0.06, 0.965, b.title, fontproperties=font, fontsize=20, va="top")
    fig.text(0.06, 0.925, f"{b.code} · {b.headline}", fontproperties=font, fontsize=10.5,
             color="#555", va="top")
    ax = fig.add_axes((0.06, 0.52, 0.88, 0.38))
    figure.draw_map(ax, b.subject, b.around, font)
    y = _heading(fig, 0.50, "基本情况", font)
    y = _table(fig, y, b.facts, font)
    y = _heading(fig, y - 0.01, "标准地控制指标", font)
    y = _table(fig, y, b.indicators, font)
    fig.text(0.06, 0.03, f"越城区工业用地全域治理平台 · 生成于 {b.generated} · 第 1 页",
             fontproperties=font, fontsize=8, color="#777")
    return fig


def _second_page(b: Brochure, font: FontProperties) -> Figure:
    fig = Figure(figsize=A4)
    y = _heading(fig, 0.96, "周边产业链企业 (由近及远)", font)
    rows = [(n[:16], f"{c} · {k} · {d}") for n, c, k, d in b.neighbours] or \
        [("—", "周边暂无产业链企业")]
    y = _table(fig, y, rows[:30], font)
    if b.members:
        y = _heading(fig, y - 0.01, f"成员宗地 ({len(b.members)})", font)
        y = _table(fig, y, [(str(i + 1), m) for i, m in enumerate(b.members[:30])], font, 9)
    if b.note:
        fig.text(0.06, max(y - 0.02, 0.06), b.note, fontproperties=font, fontsize=9,
                 color="#555", va="top", wrap=True)
    fig.text(0.06, 0.03, f"{b.title} {b.code} · 第 2 页", fontproperties=font, fontsize=8,
             color="#777")
    return fig


def to_pdf(b: Brochure) -> bytes:
    """The brochure as an A4 PDF: page 1 map, facts and indicators; page 2 neighbours."""
    font = figure.cjk_font()
    buf = io.BytesIO()
    metadata = {"Title": f"{b.title} {b.code}", "Subject": b.code,
                "Keywords": f"{b.code} 推介单", "Creator": "landgov"}
    with PdfPages(buf, metadata=metadata) as pdf:
        pdf.savefig(_first_page(b, font))
        pdf.savefig(_second_page(b, font))
    return buf.getvalue()
