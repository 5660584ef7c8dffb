"""Exports: the writer for a format, into a temporary directory nothing outlives.

The file is handed back to be sent; when anything fails the directory is removed.

The router and the CLI both call :func:`export_layer`; each layer comes from its own
domain (:func:`parcel_layer`, :func:`baseline_layer`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from landgov.errors import FieldError, InvalidInput
from landgov.io import shapefile, streaming, vector
from landgov.io.options import MEDIA, SPATIAL_FORMATS, SUFFIX, ExportOptions
from landgov.io.streaming import Progress
from landgov.tables import Layer

XLSX_MAX_ROWS = 1_048_000  # a worksheet holds 1,048,576 rows


@dataclass
class ExportFile:
    """A written export: the file, its media type, and the directory to remove after."""

    path: Path
    media_type: str
    download_name: str
    workdir: tempfile.TemporaryDirectory[str]

    def cleanup(self) -> None:
        """Remove the temporary directory (after the response has been sent)."""
        self.workdir.cleanup()


def _check(layer: Layer, options: ExportOptions, rows: int | None) -> None:
    if options.format in SPATIAL_FORMATS and not layer.spatial:
        raise InvalidInput(f"{layer.title} 没有几何图形, 只能导出 xlsx 或 csv",
                           [FieldError("format", "layer has no geometry")])
    if options.format == "xlsx" and rows is not None and rows > XLSX_MAX_ROWS:
        raise InvalidInput(f"{rows} 行超出 Excel 工作表的行数上限; 请按镇街筛选或导出 csv",
                           [FieldError("format", "too many rows for xlsx")])


def _write(session: Session, layer: Layer, options: ExportOptions, directory: Path,
           progress: Progress | None) -> Path:
    # Closed here, whatever happens: the batches hold a server-side cursor that must be
    # closed inside this transaction, not whenever the generator is garbage-collected.
    # The next batch is fetched while the current one is written (streaming.prefetched).
    with closing(streaming.batches(session, layer)) as batches, \
            streaming.prefetched(batches) as ahead:
        return _write_format(layer, options, directory, ahead, progress)


def _write_format(layer: Layer, options: ExportOptions, directory: Path,
                  batches: Iterator[streaming.Batch], progress: Progress | None) -> Path:
    out = directory / f"{layer.name}.{SUFFIX[options.format]}"
    match options.format:
        case "shp":
            return shapefile.write_shapefile(directory, layer, batches, options.srid,
                                             options.encoding, progress)
        case "gpkg":
            return vector.write_gpkg(out, layer, batches, options.srid, progress)
        case "geojson":
            return vector.write_geojson(out, layer, batches, progress)
        case "csv":
            return vector.write_csv(out, layer, batches, progress)
        case _:
            return vector.write_layer_xlsx(out, layer, batches, progress)


def export_layer(session: Session, layer: Layer, options: ExportOptions,
                 progress: Progress | None = None, total: int | None = None) -> ExportFile:
    """Write ``layer`` in ``options.format`` into a new temporary directory.

    The caller removes it with :meth:`ExportFile.cleanup` once the file is sent; on any
    error it is removed here, so a refused export leaves nothing on disk.
    """
    _check(layer, options, total)
    workdir = tempfile.TemporaryDirectory(prefix="landgov-export-")
    try:
        path = _write(session, layer, options, Path(workdir.name), progress)
    except BaseException:
        workdir.cleanup()
        raise
    name = f"{layer.title}.{SUFFIX[options.format]}"
    return ExportFile(path, MEDIA[options.format], name, workdir)
