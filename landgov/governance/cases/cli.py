"""``landgov cases``: open a year's cases from the 治理清单 and list them.

The command line acts with the administrator's rights (whoever runs it can reach the
database as the app), named ``cli:<user>`` in the audit trail.
"""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from landgov.auth.principal import Principal
from landgov.db import act_as, session_factory
from landgov.governance.cases import service
from landgov.governance.cases.queries import CaseFilter

app = typer.Typer(help="治理案件: 由治理清单立案、查询", no_args_is_help=True)
console = Console()


def _principal() -> Principal:
    return Principal("cli", getpass.getuser(), "admin")


@app.command("open")
def open_cases(
    year: Annotated[int, typer.Option("--year", help="治理清单年度")],
    town: Annotated[str | None, typer.Option("--town", help="只处理该镇街 (代码)")] = None,
) -> None:
    """Open a case for every entry of YEAR's 治理清单 that has none yet (idempotent)."""
    who = _principal()
    with session_factory()() as session:
        act_as(session, who.actor, None)
        result = service.open_from_list(session, who, year, town)
    console.print(f"{year} 年治理清单: 新立案 {result['opened']} 件, 办结期限 {result['deadline']}")


@app.command("list")
def list_cases(
    year: Annotated[int | None, typer.Option("--year", help="清单年度")] = None,
    town: Annotated[str | None, typer.Option("--town", help="镇街代码")] = None,
    state: Annotated[str | None, typer.Option("--state", help="状态, 如 腾退中")] = None,
    overdue: Annotated[bool | None, typer.Option("--overdue/--on-time",
                                                 help="只看逾期 / 未逾期")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000)] = 50,
) -> None:
    """Print a table of cases."""
    where = CaseFilter(town=town, state=state, year=year, overdue=overdue)
    with session_factory()() as session:
        page = service.list_cases(session, _principal(), where, limit, 0)
    table = Table("编号", "镇街", "企业", "宗地", "措施", "状态", "期限", "逾期",
                  title=f"治理案件 (共 {page['total']} 件, 显示 {len(page['items'])} 件)")
    for c in page["items"]:
        table.add_row(str(c["id"]), c["town_name"] or "", c["enterprise_name"] or "",
                      c["unit_code"] or "", c["action_label"] or "", c["state"],
                      str(c["deadline"] or ""), "是" if c["overdue"] else "")
    console.print(table)
