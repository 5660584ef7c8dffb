"""``landgov evaluate``: a year's 亩均效益 evaluation from the command line."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from landgov.db import act_as, session_factory
from landgov.evaluation import queries, service
from landgov.evaluation.catalogue import CLASSES
from landgov.evaluation.rules import load_rule_set

console = Console()


def evaluate(
    year: Annotated[int, typer.Option("--year", help="评价年度")],
    rules: Annotated[str | None, typer.Option("--rules", help="规则集 名称@版本")] = None,
    if_missing: Annotated[bool, typer.Option("--if-missing", help="该年度已评价则跳过")] = False,
) -> None:
    """Evaluate every enterprise for YEAR and keep the run."""
    rule_set = load_rule_set(rules)
    with session_factory()() as session:
        if if_missing and queries.latest_run_id(session, year) is not None:
            console.print(f"{year} 年已有评价批次, 跳过 (--if-missing)")
            return
        act_as(session, f"cli:{getpass.getuser()}", None)
        with console.status(f"正在评价 {year} 年 ({rule_set.ref})…"):
            summary = service.evaluate(session, year, rule_set, f"cli:{getpass.getuser()}")
    table = Table("类别", "企业数", title=f"{year} 年亩均效益评价 · 批次 {summary['id']}")
    for klass, count in summary["by_class"].items():
        table.add_row(f"{klass} {CLASSES[klass][0]}", str(count))
    console.print(table)
    others = [f"{k} {v}" for k, v in summary["by_status"].items() if k != "scored"]
    console.print(f"参评 {summary['scored_count']} / {summary['enterprise_count']}; "
                  f"未参评: {', '.join(others) or '无'}")
    tlth = summary["two_low_two_high"]
    console.print(f"两低两高企业 {tlth['firms']} 家, 用地 {tlth['land_mu']:.2f} 亩")
