"""``landgov demo``: the seeded demo district.

``landgov demo load [--seed 42] [--parcels 5000] [--replace]`` lays out a believable
industrial district inside the real 越城区 outline (towns, platforms, street blocks,
parcels of 3–300 亩, firms and three years of figures) and loads it in one
transaction. The same seed and count always give the same data.

One district frame holds a realistic ~7,000 industrial parcels. Larger requests (the
100,000 and 1,000,000-parcel benchmarks) lay the frame out again side by side as
neighbouring synthetic counties, county codes ``339001`` … named 合成县01 …, each a
shifted copy with its own towns, platforms and sub-districts; the command says so.

Without ``--replace`` an already loaded database is left alone (exit 0), so
``make run`` may call this every time. ``--replace`` empties the data tables first,
which needs the owner role; both happen in one transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
)
from sqlalchemy.orm import Session

if TYPE_CHECKING:  # numpy, shapely and pyproj load only when the command runs
    from sqlalchemy import Engine

    from landgov.demo.dataset import DemoData
    from landgov.demo.loader import LoadResult

app = typer.Typer(help="演示数据", no_args_is_help=True)
console = Console()
progress_console = Console(stderr=True)


class RichStages:
    """Shows each loading stage as its own Rich progress bar."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress

    def stage(self, description: str, total: int) -> Callable[[int], None]:
        """Add a bar for the stage; the returned function advances it."""
        task = self._progress.add_task(description, total=max(total, 1))
        return lambda steps: self._progress.advance(task, steps)


@app.command("load")
def load_command(
    seed: Annotated[int, typer.Option(help="随机种子: 同一种子与数量总是生成同一份数据")] = 42,
    parcels: Annotated[int, typer.Option(help="宗地数量 (1 – 2,000,000)")] = 5_000,
    replace: Annotated[bool, typer.Option("--replace",
                                          help="先清空已有数据再加载 (需要属主角色)")] = False,
) -> None:
    """Generate the seeded demo district and load it (skipped if parcels exist).

    Beyond ~7,000 parcels the district frame is repeated as synthetic neighbouring
    counties 339001 合成县01 …, shifted copies with their own towns and platforms.
    """
    from landgov.db import database_urls, make_engine, translate_errors
    from landgov.demo.dataset import generate
    from landgov.demo.layout import check_request
    from landgov.demo.loader import load
    from landgov.settings import get_settings

    check_request(parcels, seed)
    urls = database_urls(get_settings())
    engine = make_engine(urls.owner if replace else urls.app)
    try:
        with translate_errors():
            if not replace and _loaded(engine):
                console.print("演示数据已加载 (数据库中已有宗地), 未写入任何数据; "
                              "如需重新生成请使用 --replace")
                return
            started = time.perf_counter()
            with _bars() as bars:
                stages = RichStages(bars)
                advance = stages.stage("生成演示数据", 1)
                data = generate(seed, parcels)
                advance(1)
                with engine.begin() as conn:
                    result = load(conn, data, replace=replace, progress=stages)
        _report(data, result, time.perf_counter() - started)
    finally:
        engine.dispose()


@app.command("scenario")
def scenario_command(
    year: Annotated[int, typer.Option(help="演示的工作年度 (须已完成该年度评价)")] = 2025,
) -> None:
    """Seed the demo's working year (cases, reclamation, control line, zones, projects).

    Runs after ``demo load`` and ``evaluate``; steps already seeded are skipped, and
    everything is written in one transaction or not at all.
    """
    from landgov.db import database_urls, make_engine, translate_errors
    from landgov.demo.scenario import run
    from landgov.settings import get_settings

    engine = make_engine(database_urls(get_settings()).app)
    try:
        with translate_errors(), Session(engine) as session:
            for step, summary in run(session, year):
                console.print(f"{step}: {summary or '已有数据, 跳过'}")
            session.commit()
    finally:
        engine.dispose()


def _loaded(engine: Engine) -> bool:
    from landgov.demo.loader import has_parcels

    with engine.connect() as conn:
        return has_parcels(conn)


def _bars() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=progress_console, transient=False)


def _report(data: DemoData, result: LoadResult, seconds: float) -> None:
    """One summary of what was loaded, and the synthetic counties if any."""
    from landgov.demo.layout import PARCELS_PER_FRAME

    if not result.loaded:
        console.print("演示数据已加载 (数据库中已有宗地), 未写入任何数据")
        return
    c = result.counts
    counties = data.district.counties
    clusters = int(data.use.cluster.max()) + 1
    console.print(
        f"已加载演示数据 (seed {data.district.seed}): {c['parcel']:,} 宗宗地 "
        f"({data.district.area_mu().sum():,.0f} 亩), {c['enterprise']:,} 家企业, "
        f"{c['occupancy']:,} 条用地关系, {c['indicator']:,} 条年度指标 (2023–2025); "
        f"{len(counties)} 个区县, {c['town']:,} 个镇街, {c['platform']:,} 个平台, "
        f"{c['cadastral_subdistrict']:,} 个地籍子区; {clusters} 片连片低效用地 (≥ 100 亩); "
        f"用时 {seconds:.1f} s")
    if data.district.synthetic:
        first, last = counties[1], counties[-1]
        console.print(
            f"注意: 一个区县框架约容纳 {PARCELS_PER_FRAME:,} 宗工业宗地, 已在越城区旁平铺 "
            f"{len(counties) - 1} 个合成县 ({first.code} {first.name} – {last.code} "
            f"{last.name}), 均为越城区框架的平移副本, 各有镇街、平台与地籍子区")
