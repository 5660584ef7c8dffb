"""The 推介单's static map and its CJK font, drawn with matplotlib (no browser, no CDN).

The map is drawn in EPSG:4549 metres, so it is true to scale: the subject (plot or
zone) in red, the parcels around it in grey by status, roads showing as the gaps, a
scale bar and a north arrow (grid north of the Gauss-Krüger zone, within a degree of
true north in 越城区).

>>> nice_length(1234.0)
200
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findSystemFonts
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from landgov.errors import SetupError
from landgov.settings import get_settings

# preferred first: a Simplified-Chinese sans, then any CJK face Debian ships
FONT_NAMES = ("NotoSansCJK-Regular", "NotoSansCJKsc-Regular", "NotoSerifCJK-Regular",
              "NotoSansCJK", "NotoSerifCJK", "wqy-microhei", "wqy-zenhei", "DroidSansFallback")
SUBJECT = "#d64541"
STATUS_FILL = {"idle": "#f6dfa0", "cleared": "#d9d9d9", "reclaimed": "#b9d3ee",
               "relet": "#b9d3ee"}
OTHER_FILL = "#ececec"


@cache
def cjk_font() -> FontProperties:
    """The CJK font for the PDF: the configured file, else Noto CJK; SetupError if none."""
    configured = get_settings().brochure_font
    if configured is not None:
        if not Path(configured).is_file():
            raise SetupError(f"推介单字体文件不存在: {configured} (LANDGOV_BROCHURE_FONT)")
        return FontProperties(fname=configured)
    files = findSystemFonts()
    for name in FONT_NAMES:
        found = sorted(f for f in files if Path(f).stem.startswith(name))
        if found:
            return FontProperties(fname=found[0])
    raise SetupError("未找到中文字体, 无法生成推介单 PDF: 请安装 fonts-noto-cjk "
                     "(apt-get install fonts-noto-cjk) 或设置 LANDGOV_BROCHURE_FONT")


def nice_length(extent_m: float) -> int:
    """A round scale-bar length of about a fifth of the map's width, in metres."""
    target = extent_m / 5
    steps = (10, 20, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000)
    return max((s for s in steps if s <= target), default=10)


def _patch(geom: BaseGeometry, **style: object) -> PathPatch | None:
    polygons = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    paths = [MplPath.make_compound_path(MplPath(list(p.exterior.coords)),
                                        *[MplPath(list(r.coords)) for r in p.interiors])
             for p in polygons if isinstance(p, Polygon) and not p.is_empty]
    if not paths:
        return None
    return PathPatch(MplPath.make_compound_path(*paths), **style)


def draw_map(ax: Axes, subject: BaseGeometry, around: list[tuple[BaseGeometry, str, bool]],
             font: FontProperties) -> None:
    """Draw the subject and its surroundings (EPSG:4549) on ``ax`` with scale and north."""
    for geom, status, is_subject in around:
        if is_subject:
            continue
        patch = _patch(geom, facecolor=STATUS_FILL.get(status, OTHER_FILL),
                       edgecolor="#7a7a7a", linewidth=0.5)
        if patch is not None:
            ax.add_patch(patch)
    patch = _patch(subject, facecolor=SUBJECT, alpha=0.55, edgecolor="#8b1a1a", linewidth=1.8)
    if patch is not None:
        ax.add_patch(patch)
    minx, miny, maxx, maxy = shapely.bounds(subject).tolist()
    pad = max(maxx - minx, maxy - miny) * 0.6 + 100
    ax.set_xlim(minx - pad, maxx + pad)
    ax.set_ylim(miny - pad, maxy + pad)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#fbfaf7")
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    bar = nice_length(x1 - x0)
    bx, by = x0 + (x1 - x0) * 0.05, y0 + (y1 - y0) * 0.05
    ax.add_patch(Rectangle((bx, by), bar, (y1 - y0) * 0.012, facecolor="#222"))
    ax.text(bx + bar / 2, by + (y1 - y0) * 0.025, f"{bar} m" if bar < 1000 else f"{bar // 1000} km",
            ha="center", va="bottom", fontproperties=font, fontsize=9)
    ax.annotate("N", xy=(0.94, 0.95), xytext=(0.94, 0.86), xycoords="axes fraction",
                ha="center", fontsize=11, fontproperties=font,
                arrowprops={"arrowstyle": "-|>", "color": "#222"})


def map_png(subject: BaseGeometry, around: list[tuple[BaseGeometry, str, bool]],
            size_in: tuple[float, float] = (6.0, 4.5)) -> bytes:
    """The static map as a PNG (for the HTML 推介单)."""
    font = cjk_font()
    fig = Figure(figsize=size_in, dpi=150)
    ax = fig.add_axes((0.01, 0.01, 0.98, 0.98))
    draw_map(ax, subject, around, font)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()
