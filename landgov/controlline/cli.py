"""``landgov controlline``: import the line, show the ledger and the area on a date."""

from __future__ import annotations

import getpass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from landgov.controlline import service
from landgov.db import act_as, session_factory

app = typer.Typer(help="工业用地控制线 (改一补一 / 先补后占)", no_args_is_help=True)
console = Console()


@app.command("import")
def import_line(
    path: Annotated[Path, typer.Argument(help="Shapefile / GeoPackage / GeoJSON", exists=True)],
    crs: Annotated[str | None, typer.Option("--crs", help="文件无 .prj 时的坐标参考系")] = None,
    name_field: Annotated[str | None, typer.Option("--name-field", help="名称字段")] = None,
    replace: Annotated[bool, typer.Option("--replace", help="替换现有导入的图斑")] = False,
) -> None:
    """Import control-line polygons, all-or-nothing (the total may never fall)."""
    with session_factory()() as session:
        act_as(session, f"cli:{getpass.getuser()}", None)
        result = service.import_file(session, path, crs=crs, name_field=name_field,
                                     replace=replace, note=f"导入 {path.name}")
    console.print(f"导入 {len(result.ids)} 个图斑 ({result.crs}), 注销 {result.retired} 个; "
                  f"控制线总面积 {result.line_total_mu:.2f} 亩")


@app.command("ledger")
def show_ledger() -> None:
    """Print the 占补 ledger with its running totals."""
    with session_factory()() as session:
        book = service.ledger(session)
    table = Table("时间", "类型", "面积(亩)", "宗地/图斑", "控制线总面积", "补充余额", "保有量",
                  title="工业用地控制线占补台账")
    for e in book.entries:
        table.add_row(f"{e.recorded_at:%Y-%m-%d %H:%M}", "补" if e.kind == "addition" else "占",
                      f"{e.area_mu:.2f}", e.unit_code or e.name, f"{e.line_total_mu:.2f}",
                      f"{e.credit_mu:.2f}", f"{e.net_total_mu:.2f}")
    console.print(table)
    console.print(f"控制线总面积 {book.line_total_mu:.2f} 亩; 补充 {book.added_total_mu:.2f} 亩, "
                  f"转用 {book.converted_total_mu:.2f} 亩, 余额 {book.credit_mu:.2f} 亩; "
                  f"配对 {len(book.pairs)} 组")


@app.command("area")
def show_area(
    on: Annotated[datetime | None, typer.Option("--on", formats=["%Y-%m-%d"],
                                                help="日期 (默认今天)")] = None,
) -> None:
    """The line and the industrial land inside it on a date."""
    day: date | None = on.date() if on else None
    with session_factory()() as session:
        result = service.area_on(session, day)
    console.print(f"{result.on}: 控制线 {result.line_mu:.2f} 亩, 线内工业用地 "
                  f"{result.industrial_mu:.2f} 亩 ({result.parcels} 宗)")
