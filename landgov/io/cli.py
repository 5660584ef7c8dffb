"""``landgov export LAYER --format --out``: the same exports as the API, to a file.

Runs as the app role, streams with a Rich progress bar, and exits 2 with one line on
bad input (an unknown layer, format, CRS or encoding; text too long for a Shapefile).
"""

from __future__ import annotations

import getpass
import shutil
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from sqlalchemy.orm import Session

from landgov.db import act_as, session_factory
from landgov.errors import FieldError, InvalidInput
from landgov.governance.export import baseline_layer
from landgov.io import streaming
from landgov.io.options import ExportOptions, parse_options
from landgov.io.service import export_layer
from landgov.parcels.export import parcel_layer
from landgov.settings import get_settings
from landgov.tables import Layer

console = Console(stderr=True)
LAYERS = ("parcels", "baseline_list")


def _layer(session: Session, name: str, options: ExportOptions, town: str | None,
           status: str | None, year: int | None) -> Layer:
    if name == "parcels":
        return parcel_layer(srid=options.srid, tz=get_settings().time_zone, town=town,
                            status=status)
    if name == "baseline_list" and year is not None:
        return baseline_layer(session, year, town, options.srid)
    if name == "baseline_list":
        raise InvalidInput("导出底数清单需要 --year", [FieldError("year", "required")])
    raise InvalidInput(f"未知的图层 {name!r}, 可选: {', '.join(LAYERS)} "
                       "(治理清单请用 API 导出 xlsx/csv)", [FieldError("layer", "unknown")])


def export(
    layer: Annotated[str, typer.Argument(help="parcels | baseline_list")],
    fmt: Annotated[str, typer.Option("--format", help="shp | gpkg | geojson | csv | xlsx")],
    out: Annotated[Path, typer.Option("--out", help="输出文件 (shp 为 zip)")],
    crs: Annotated[str, typer.Option("--crs", help="EPSG:4490 | EPSG:4549")] = "EPSG:4490",
    encoding: Annotated[str, typer.Option("--encoding", help="gbk | utf-8")] = "gbk",
    town: Annotated[str | None, typer.Option("--town", help="镇街代码")] = None,
    status: Annotated[str | None, typer.Option("--status", help="宗地状态代码")] = None,
    year: Annotated[int | None, typer.Option("--year", help="清单年度")] = None,
) -> None:
    """Export LAYER to OUT (Shapefile as a zip with 字段说明.csv)."""
    options = parse_options(fmt, crs, encoding)
    with session_factory()() as session:
        act_as(session, f"cli:{getpass.getuser()}", None, writes=False)
        chosen = _layer(session, layer, options, town, status, year)
        total = streaming.count(session, chosen)
        with Progress("[progress.description]{task.description}", BarColumn(),
                      MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
            task = bar.add_task(f"导出 {chosen.title} → {options.format}", total=total)
            result = export_layer(session, chosen, options,
                                  lambda n: bar.advance(task, n), total)
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(result.path, out)
        finally:
            result.cleanup()
    console.print(f"[green]✓[/] {total if total is not None else ''} 条 → {out}")
