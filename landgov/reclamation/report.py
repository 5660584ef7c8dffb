"""The monthly 盘活 report (PNG and PDF) for the city: one page, in Chinese.

Every number on the page comes from :func:`landgov.reclamation.progress.progress` —
the same service the API and the dashboard read — so the report cannot disagree with
them: the month's 盘活 area is the union to the month's end minus the union to its
start, the cumulative figure the union of everything reclaimed to the month's end.
Text is set in a CJK font from the system (Debian ``fonts-noto-cjk``); without one the
report is refused with a clear message rather than drawn as empty boxes.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from sqlalchemy.orm import Session

from landgov.errors import FieldError, InvalidInput, SetupError
from landgov.reclamation.progress import progress
from landgov.reclamation.schemas import Progress
from landgov.reclamation.service import today
from landgov.settings import get_settings

MONTH = re.compile(r"^(\d{4})-(\d{2})$")
CJK_FILES = ("NotoSansCJK", "NotoSansSC", "NotoSerifCJK", "SourceHanSans", "wqy", "SimHei",
             "msyh", "DroidSansFallback")


@dataclass(frozen=True)
class MonthlyFigures:
    """What the report shows: the progress service's answers for the month."""

    month: str
    start: date
    end: date
    by_month: Progress  # monthly series from the programme start to the month's end
    by_town: Progress  # the month's increment and the cumulative figure per town
    by_mode: Progress  # the month's increment per mode

    @property
    def month_union_mu(self) -> float:
        """The month's 盘活 area (union, counted once)."""
        return self.by_month.rows[-1].union_mu

    @property
    def month_sum_mu(self) -> float:
        """The month's records' areas, plainly added."""
        return self.by_month.rows[-1].sum_mu


def parse_month(text: str) -> tuple[date, date]:
    """First and last day of ``YYYY-MM``; refuse other text and months not yet begun."""
    match = MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InvalidInput(f"月份 {text!r} 无效, 应为 YYYY-MM (如 2026-05)",
                           [FieldError("month", "not YYYY-MM")])
    year, month = int(match.group(1)), int(match.group(2))
    start = date(year, month, 1)
    if start > today():
        raise InvalidInput(f"{text} 尚未开始, 不能出月报", [FieldError("month", "future")])
    if date(year, month, calendar.monthrange(year, month)[1]) < get_settings().reclamation_start:
        raise InvalidInput(f"{text} 早于盘活计划起始日 {get_settings().reclamation_start}",
                           [FieldError("month", "before the programme")])
    return start, date(year, month, calendar.monthrange(year, month)[1])


@cache
def cjk_font() -> font_manager.FontProperties:
    """A font with Chinese glyphs: from matplotlib's list, else from the system's files."""
    known = [e for e in font_manager.fontManager.ttflist
             if "CJK" in e.name or e.name in ("WenQuanYi Zen Hei", "SimHei")]
    if known:  # a sans-serif regular face first
        best = min(known, key=lambda e: ("Sans" not in e.name, e.weight not in (400, "normal")))
        return font_manager.FontProperties(fname=best.fname)
    for path in sorted(font_manager.findSystemFonts()):
        if any(key.lower() in Path(path).name.lower() for key in CJK_FILES) \
                and "bold" not in path.lower():
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path)
    raise SetupError("没有找到中文字体, 无法生成月报; 请安装 fonts-noto-cjk "
                     "(Debian: apt-get install fonts-noto-cjk, 或 make system)")


def figures(session: Session, month: str) -> MonthlyFigures:
    """Ask the progress service for everything the month's report shows."""
    start, last = parse_month(month)
    end = min(last, today())
    return MonthlyFigures(
        month=month, start=start, end=end,
        by_month=progress(session, by="month", end=end),
        by_town=progress(session, by="town", start=start, end=end),
        by_mode=progress(session, by="mode", start=start, end=end))


def _summary(f: MonthlyFigures) -> list[str]:
    p, proj = f.by_month, f.by_month.projection
    return [
        f"本月盘活 {f.month_union_mu:,.2f} 亩 (按并集计一次; 本月登记 "
        f"{f.by_month.rows[-1].records} 条, 面积简单相加 {f.month_sum_mu:,.2f} 亩)",
        f"累计盘活 {p.cumulative_union_mu:,.2f} 亩 / 任务 {p.target_mu:,.0f} 亩, 完成 {p.percent}%"
        f" (截止 {p.deadline}); 重复登记 {p.overlap_mu:,.2f} 亩未重复计入",
        f"近 {proj.months_used} 个月月均 {proj.monthly_rate_mu:,.2f} 亩, 按此趋势截止时累计 "
        f"{proj.projected_mu:,.2f} 亩 ({'可以完成' if proj.on_track else '不能完成'}); "
        f"完成任务需月均 {proj.needed_monthly_mu:,.2f} 亩",
        f"100 亩以上连片盘活 {p.blocks.done} 片"
        + (f" / 计划 {p.blocks.planned} 片" if p.blocks.planned is not None else " (计划数未配置)"),
    ]


def _trend(ax: Axes, f: MonthlyFigures, font: font_manager.FontProperties) -> None:
    p = f.by_month
    done = [r.cumulative_union_mu or 0.0 for r in p.rows]
    plain = [r.cumulative_sum_mu or 0.0 for r in p.rows]
    ahead = p.projection.series
    months = [r.key for r in p.rows] + [s["month"] for s in ahead[1:]]
    ax.plot(range(len(done)), done, color="#1d4e89", label="累计盘活 (并集)")
    ax.plot(range(len(plain)), plain, color="#7f8c8d", linestyle=":", label="登记面积简单相加")
    ax.plot(range(len(done) - 1, len(months)), [s["cumulative_mu"] for s in ahead],
            color="#1d4e89", linestyle="--", label="趋势推算")
    ax.axhline(p.target_mu, color="#c0392b", label=f"任务 {p.target_mu:,.0f} 亩")
    ticks = list(range(0, len(months), max(1, len(months) // 10)))
    ax.set_xticks(ticks)
    ax.set_xticklabels([months[i] for i in ticks], fontproperties=font, fontsize=8)
    ax.set_ylabel("亩", fontproperties=font)
    ax.set_title("累计盘活与任务目标", fontproperties=font)
    ax.legend(prop=font, fontsize=8, loc="upper left")


def _bars(ax: Axes, labels: list[str], groups: list[tuple[str, list[float], str]], title: str,
          font: font_manager.FontProperties) -> None:
    width = 0.8 / max(1, len(groups))
    for i, (name, values, colour) in enumerate(groups):
        ax.bar([x + i * width for x in range(len(labels))], values, width, label=name,
               color=colour)
    ax.set_xticks([x + width * (len(groups) - 1) / 2 for x in range(len(labels))])
    crowded = len(labels) > 6
    ax.set_xticklabels(labels, fontproperties=font, rotation=45 if crowded else 20,
                       ha="right" if crowded else "center", fontsize=7 if crowded else 8)
    ax.set_ylabel("亩", fontproperties=font)
    ax.set_title(title, fontproperties=font)
    ax.legend(prop=font, fontsize=8)


def draw(f: MonthlyFigures) -> Figure:
    """The one-page report as a matplotlib figure (A4 landscape)."""
    font = cjk_font()
    fig = Figure(figsize=(11.69, 8.27), dpi=150)
    fig.text(0.5, 0.96, f"越城区工业用地盘活月报 · {f.start.year} 年 {f.start.month} 月",
             ha="center", fontsize=16, fontproperties=font, weight="bold")
    for i, line in enumerate(_summary(f)):
        fig.text(0.05, 0.91 - i * 0.03, "· " + line, fontsize=10, fontproperties=font)
    grid = fig.add_gridspec(2, 2, left=0.07, right=0.97, top=0.76, bottom=0.12, hspace=0.5,
                            wspace=0.2)
    _trend(fig.add_subplot(grid[0, :]), f, font)
    towns = f.by_town.rows
    _bars(fig.add_subplot(grid[1, 0]), [r.label for r in towns], [
        ("本月盘活", [r.union_mu for r in towns], "#2e86de"),
        ("累计盘活", [r.cumulative_union_mu or 0.0 for r in towns], "#1d4e89"),
        ("任务分解", [r.target_mu or 0.0 for r in towns], "#b0bec5")], "各镇街", font)
    modes = f.by_mode.rows
    _bars(fig.add_subplot(grid[1, 1]), [r.label for r in modes], [
        ("本月盘活", [r.union_mu for r in modes], "#2e86de"),
        ("累计盘活", [r.cumulative_union_mu or 0.0 for r in modes], "#1d4e89")], "按盘活方式",
        font)
    fig.text(0.05, 0.02, f"统计至 {f.end}; 面积按 CGCS2000 高斯-克吕格 (EPSG:4549) 计算, "
             "1 亩 = 10000/15 m²; 同一块地多次登记只计一次。", fontsize=8, fontproperties=font)
    return fig


def write(f: MonthlyFigures, out_dir: Path) -> tuple[Path, Path]:
    """Write ``盘活月报-YYYY-MM.png`` and ``.pdf`` into ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    fig = draw(f)
    png, pdf = (out_dir / f"盘活月报-{f.month}.{ext}" for ext in ("png", "pdf"))
    fig.savefig(png)
    fig.savefig(pdf, metadata={"Title": f"越城区工业用地盘活月报 {f.month}"})
    return png, pdf


def monthly_report(session: Session, month: str,
                   out_dir: Path) -> tuple[MonthlyFigures, Path, Path]:
    """Figures from the progress service, drawn to PNG and PDF."""
    found = figures(session, month)
    cjk_font()  # refuse before drawing anything when there is no Chinese font
    png, pdf = write(found, out_dir)
    return found, png, pdf
