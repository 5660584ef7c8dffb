"""The import use case: one file in, every row written in one transaction, or none.

Stages (each reported to ``progress`` so the CLI and the upload job can show them):
open (unpack safely) → read (encoding) → place (CRS, GCJ-02) → check rows → stage
(COPY) → check against the database → write. Any row error refuses the whole file
(:class:`ImportRefused` carries the report); ``dry_run`` stops before writing. The
caller names the actor first (``db.act_as``) so the audit triggers record who imported.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from landgov.io.importing import archive, dxf, reading, rows, writing
from landgov.io.importing.mapping import Mapping
from landgov.io.importing.report import ImportReport
from landgov.parcels.service import OVERLAP_TOLERANCE_SQM
from landgov.settings import get_settings

ProgressFn = Callable[[float, str], None]
CONVERSIONS = ("gcj02", "bd09")


@dataclass(frozen=True)
class ImportOptions:
    """What the user asked for (``landgov import`` options / upload form fields)."""

    dry_run: bool = False
    crs: str | None = None
    convert_from: str | None = None
    encoding: str | None = None
    mapping: Mapping | None = None
    layer: str | None = None  # a GeoPackage's table, or a DXF drawing's CAD layer


def _quiet(_fraction: float, _stage: str) -> None:
    """A progress callback that reports nothing."""


def run_import(session: Session, path: Path, options: ImportOptions,
               progress: ProgressFn = _quiet, name: str | None = None) -> ImportReport:
    """Import ``path`` (see the module docstring); returns the report, or raises."""
    if options.convert_from is not None and options.convert_from not in CONVERSIONS:
        raise archive.BadImportFile(f"--from 只支持 {'/'.join(CONVERSIONS)}, 收到 "
                                    f"{options.convert_from!r}")
    report = ImportReport(source=name or path.name, dry_run=options.dry_run)
    mapping = options.mapping or Mapping.default()
    progress(0.05, "读取文件")
    with archive.opened(path, get_settings().max_import_bytes) as source:
        if source.format == "dxf" and options.crs is None:
            raise archive.BadImportFile(dxf.CRS_REQUIRED)
        table = reading.read(source, options.encoding, options.layer,
                             wanted=lambda names: list(mapping.resolve(names)))
    report.notes.extend(table.notes)
    report.format, report.rows = table.format, table.rows
    report.encoding, report.encoding_reason = table.encoding.encoding, table.encoding.reason
    progress(0.2, "坐标与属性检查")
    geoms = rows.place(table, options.crs, options.convert_from, report)
    table.release_geometries()
    staged = rows.attributes(table, mapping, report)
    staged = writing.with_geometries(staged, rows.check_geometries(geoms, report))
    del geoms
    rows.compare_areas(staged, table, mapping, report)
    progress(0.4, "暂存")
    with ThreadPoolExecutor(1, thread_name_prefix="import-overlap") as pool:
        # the file's rows against each other, while the database stages and checks them
        within = pool.submit(rows.overlaps_within, staged.geometries, OVERLAP_TOLERANCE_SQM)
        writing.stage(session, staged)
        progress(0.6, "数据库校验 (重叠、代码、地籍子区、区县边界)")
        writing.check(session, staged, report)
        for row, earlier, area in within.result():
            report.add(row, "geometry", f"与文件第 {earlier} 行重叠 {area} m²")
    if report.error_count or options.dry_run:
        session.rollback()
        report.refuse_if_errors()
        progress(1.0, "试运行完成, 未写入")
        return report
    progress(0.8, "写入")
    writing.apply(session, staged, report)
    session.commit()
    report.written = True
    progress(1.0, "完成")
    return report
