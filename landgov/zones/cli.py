"""``landgov zones build``: detect the 连片 zones from the command line."""

from __future__ import annotations

import getpass
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from landgov.db import act_as, session_factory
from landgov.zones import service
from landgov.zones.schemas import SOURCES, BuildRequest

console = Console()
app = typer.Typer(help="连片改造片区", no_args_is_help=True)


@app.command("build")
def build(
    year: Annotated[int | None, typer.Option("--year", help="年度 (默认最近评价年度)")] = None,
    tolerance: Annotated[float | None, typer.Option(
        "--tolerance", help="连片容差, 米 (默认 LANDGOV_ZONE_TOLERANCE_M = 30)")] = None,
    min_area: Annotated[float | None, typer.Option(
        "--min-area", help="最小片区, 亩 (默认 LANDGOV_ZONE_MIN_AREA_MU = 100)")] = None,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help=f"候选来源, 可重复: {', '.join(SOURCES)}")] = None,
) -> None:
    """Cluster candidate parcels into contiguous zones and keep them as a new build."""
    from pydantic import ValidationError

    from landgov.errors import FieldError, InvalidInput

    try:
        request = BuildRequest(year=year, tolerance_m=tolerance, min_area_mu=min_area,
                               sources=source or None)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(map(str, first["loc"]))
        raise InvalidInput(f"参数 {field} 无效: {first['msg']}",
                           [FieldError(field, str(first["msg"]))]) from exc
    actor = f"cli:{getpass.getuser()}"
    with session_factory()() as session:
        act_as(session, actor, None)
        with console.status("正在识别连片片区…"):
            summary = service.build_zones(session, request, actor)
    table = Table("指标", "数值", title=f"{summary['year']} 年连片片区 · 批次 {summary['id']}")
    for label, key in (("候选宗地", "candidate_count"), ("连片簇", "cluster_count"),
                       ("片区 (达到阈值)", "zone_count"), ("片区内宗地", "member_count"),
                       ("总面积 (亩)", "area_mu"), ("净面积 (亩)", "net_area_mu"),
                       ("耗时 (毫秒)", "elapsed_ms")):
        table.add_row(label, f"{summary[key]:,}" if summary[key] is not None else "-")
    console.print(table)
