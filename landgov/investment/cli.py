"""``landgov investment``: available plots, projects and their matches from the shell.

``landgov investment plots [--min-area 50] [--max-area 200] [--chain 集成电路]``,
``landgov investment projects``, ``landgov investment match PROJECT_ID [--limit 10]``,
``landgov investment refresh`` (rebuild available_plot / chain_site from the register).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from sqlalchemy import text

from landgov.db import session_factory
from landgov.investment import service

app = typer.Typer(help="产业链招商: 可供地块、招商项目与匹配", no_args_is_help=True)
console = Console()


@app.command("plots")
def plots(
    min_area: Annotated[float | None, typer.Option("--min-area", help="最小面积 (亩)")] = None,
    max_area: Annotated[float | None, typer.Option("--max-area", help="最大面积 (亩)")] = None,
    chain: Annotated[str | None, typer.Option(help="产业链 (列出其最近企业)")] = None,
    town: Annotated[str | None, typer.Option(help="镇街代码")] = None,
    platform: Annotated[str | None, typer.Option(help="平台代码或名称")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="条数")] = 20,
) -> None:
    """Available plots, largest first, with their nearest chain firm."""
    with session_factory()() as session:
        f = service.plot_filters(session, min_area_mu=min_area, max_area_mu=max_area,
                                 chain=chain, town=town, platform=platform, limit=limit)
        fc = service.available_plots(session, f)
    table = Table("不动产单元代码", "亩", "状态", "镇街", "平台", "可供地", "最近产业链企业",
                  title=f"可供地块 {fc['numberReturned']} / {fc['numberMatched']}")
    for feature in fc["features"]:
        p = feature["properties"]
        firm = p["nearest_firms"][0] if p["nearest_firms"] else None
        table.add_row(p["unit_code"], f"{p['area_mu']:.2f}", p["status"], p["town_name"] or "",
                      "、".join(p["platforms"]), p["available_from"],
                      _firm(firm))
    console.print(table)


def _firm(firm: dict[str, object] | None) -> str:
    return f"{firm['name']} ({firm['link']}, {firm['distance_m']} 米)" if firm else ""


@app.command("projects")
def projects() -> None:
    """招商项目, newest first."""
    with session_factory()() as session:
        rows = service.list_projects(session, None, None)
    table = Table("编号", "项目", "产业链/环节", "用地 (亩)", "意向平台", "状态")
    for p in rows:
        table.add_row(str(p["id"]), p["name"], f"{p['chain']}/{p['link']}",
                      f"{p['min_area_mu']:g}–{p['max_area_mu']:g}",
                      "、".join(p["preferred_platform_names"]), p["status_label"])
    console.print(table)


@app.command("match")
def match(project_id: Annotated[int, typer.Argument(help="项目编号")],
          limit: Annotated[int, typer.Option(min=1, max=100, help="结果数")] = 10) -> None:
    """A project's ranked plots and zones, each score explained."""
    with session_factory()() as session:
        result = service.matches(session, project_id, limit)
    console.print(f"[bold]{result['project']['name']}[/] — 候选 {result['candidates']}, "
                  f"形状检验 {result['shape_checked']}")
    for i, r in enumerate(result["results"], 1):
        console.print(f"{i}. {'地块' if r['kind'] == 'plot' else '片区'} {r['code']} "
                      f"{r['area_mu']:.2f} 亩  总分 [bold]{r['total']}[/]")
        for sentence in r["explanation"]:
            console.print(f"   · {sentence}")


@app.command("refresh")
def refresh() -> None:
    """Rebuild the derived available_plot and chain_site tables from the register."""
    with session_factory()() as session:
        session.execute(text("SELECT investment_refresh_all()"))
        n = session.execute(text("SELECT count(*) FROM available_plot")).scalar_one()
        session.commit()
    console.print(f"可供地块 {n} 宗")
