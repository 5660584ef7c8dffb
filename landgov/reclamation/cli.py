"""``landgov report monthly``: the month's 盘活 report as PNG and PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from landgov.db import session_factory
from landgov.reclamation.report import monthly_report, parse_month

console = Console()
app = typer.Typer(help="报表: 盘活月报", no_args_is_help=True)


@app.command("monthly")
def monthly(
    month: Annotated[str, typer.Option("--month", help="月份 YYYY-MM, 如 2026-05")],
    out: Annotated[Path, typer.Option("--out", help="输出目录")] = Path("."),
) -> None:
    """Write 盘活月报-YYYY-MM.png and .pdf into OUT.

    The month's area, cumulative vs target, towns, modes and the trend, all from the
    progress service.
    """
    parse_month(month)  # a bad month is refused before connecting to the database
    with session_factory()() as session:
        found, png, pdf = monthly_report(session, month, out)
    console.print(f"{month} 盘活 {found.month_union_mu:,.2f} 亩; 累计 "
                  f"{found.by_month.cumulative_union_mu:,.2f} / {found.by_month.target_mu:,.0f} 亩")
    console.print(f"已写出 {png}\n已写出 {pdf}")
