"""``landgov import PATH``: the same import as the upload job, with the report on screen.

Bad input or any row error exits with code 2 after printing the report (nothing written).
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from landgov.db import act_as, session_factory
from landgov.io.importing.mapping import Mapping
from landgov.io.importing.report import ImportRefused, ImportReport
from landgov.io.importing.service import ImportOptions, run_import

console = Console(stderr=True)
SHOWN = 50


def print_report(report: ImportReport) -> None:
    """What was detected, the mapping, the first problems and the summary."""
    console.print(f"[bold]{report.source}[/] ({report.format}, {report.rows} 行)")
    console.print(f"  编码: {report.encoding} — {report.encoding_reason}")
    if report.crs:
        console.print(f"  坐标系: {report.crs} — {report.crs_reason}")
    if report.conversion:
        console.print(f"  纠偏: {report.conversion}")
    if report.columns:
        console.print("  字段: " + ", ".join(f"{c}→{a}" for c, a in report.columns.items()))
    for note in report.notes:
        console.print(f"  [yellow]注意[/]: {note}")
    if report.problems:
        table = Table("行", "字段", "级别", "原因")
        for p in report.problems[:SHOWN]:
            table.add_row(str(p.row), p.field, "错误" if p.level == "error" else "警告", p.reason)
        console.print(table)
        if len(report.problems) > SHOWN:
            console.print(f"  … 另有 {len(report.problems) - SHOWN} 条")
    console.print(report.summary())


def import_file(
    path: Annotated[Path, typer.Argument(
        help="Shapefile (.shp 或 .zip)、.gpkg、.geojson、.csv (WKT)、.dxf (须 --crs)")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只检查并显示报告, 不写入")] = False,
    crs: Annotated[str | None, typer.Option("--crs", help="坐标参考系, 如 EPSG:4549")] = None,
    convert_from: Annotated[str | None, typer.Option(
        "--from", help="网络坐标纠偏: gcj02 (高德/腾讯) 或 bd09 (百度)")] = None,
    encoding: Annotated[str | None, typer.Option(
        "--encoding", help="属性编码: gbk 或 utf-8")] = None,
    mapping: Annotated[Path | None, typer.Option("--mapping", help="字段映射 (YAML/JSON)")] = None,
    layer: Annotated[str | None, typer.Option(
        "--layer", help="GeoPackage 的图层名, 或 DXF 的 CAD 图层 (如 宗地)")] = None,
) -> None:
    """Import parcels: all rows in one transaction, or none (the report says why)."""
    options = ImportOptions(dry_run=dry_run, crs=crs, convert_from=convert_from,
                            encoding=encoding, layer=layer,
                            mapping=Mapping.load(mapping) if mapping else None)
    with session_factory()() as session, Progress(console=console, transient=True) as bar:
        act_as(session, f"cli:{getpass.getuser()}", None)
        task = bar.add_task("导入", total=1.0)

        def progress(fraction: float, stage: str) -> None:
            bar.update(task, completed=fraction, description=stage)

        try:
            report = run_import(session, path, options, progress)
        except ImportRefused as exc:
            bar.stop()
            print_report(exc.report)
            raise
    print_report(report)
