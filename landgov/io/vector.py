"""GeoPackage, GeoJSON, CSV and Excel of a layer, written batch by batch.

GeoPackage keeps the full Chinese field names and real types (dates as dates, yes/no
as booleans). GeoJSON is an RFC 7946 FeatureCollection: coordinates in CRS84, which
equals the stored EPSG:4490 at this precision, so no ``crs`` member is written; it is
streamed feature by feature so its size never sits in memory. CSV carries the
geometry as WKT, for spreadsheets and for re-import.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import shapely

from landgov.io import arrow_stream
from landgov.io.streaming import Batch, Progress, rows_of
from landgov.io.xlsx import write_xlsx
from landgov.tables import Column, Layer, Table


def write_gpkg(path: Path, layer: Layer, batches: Iterable[Batch], srid: int,
               progress: Progress | None = None) -> Path:
    """The layer as one GeoPackage table named after it, full names and types kept."""
    table_schema = arrow_stream.schema([(f.name, f.kind) for f in layer.fields])

    def records() -> Iterator[pa.RecordBatch]:
        for batch in batches:
            arrays = [arrow_stream.column(batch[f.key], f.kind) for f in layer.fields]
            yield pa.record_batch([*arrays, arrow_stream.geometry(batch["geom"])],
                                  schema=table_schema)
            if progress:
                progress(len(batch["geom"]))

    arrow_stream.write(path, layer.name, "GPKG", records(), table_schema, srid)
    return path


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _features(layer: Layer, batch: Batch) -> Iterator[str]:
    geoms = shapely.to_geojson(shapely.from_wkb(np.array(batch["geom"], dtype=object)))
    for i, geom in enumerate(geoms):
        props = {f.name: _json_value(batch[f.key][i]) for f in layer.fields}
        yield ('{"type": "Feature", "properties": ' + json.dumps(props, ensure_ascii=False)
               + ', "geometry": ' + (geom or "null") + "}")


def write_geojson(path: Path, layer: Layer, batches: Iterable[Batch],
                  progress: Progress | None = None) -> Path:
    """An RFC 7946 FeatureCollection (UTF-8), written one batch at a time."""
    with path.open("w", encoding="utf-8") as out:
        out.write('{"type": "FeatureCollection", "name": ' + json.dumps(layer.name)
                  + ', "features": [\n')
        sep = ""
        for batch in batches:
            for feature in _features(layer, batch):
                out.write(sep + feature)
                sep = ",\n"
            if progress:
                progress(len(batch["geom"]))
        out.write("\n]}\n")
    return path


def write_csv(path: Path, layer: Layer, batches: Iterable[Batch],
              progress: Progress | None = None) -> Path:
    """UTF-8 with a BOM (Excel), full Chinese headers, geometry as WKT in a last column."""
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([f.name for f in layer.fields] + (["WKT"] if layer.spatial else []))
        for batch in batches:
            columns = [[_json_value(v) for v in batch[f.key]] for f in layer.fields]
            if layer.spatial:
                wkb = np.array(batch["geom"], dtype=object)
                columns.append(list(shapely.to_wkt(shapely.from_wkb(wkb), rounding_precision=-1)))
            writer.writerows(zip(*columns, strict=True))
            if progress:
                progress(len(columns[0]))
    return path


def write_layer_xlsx(path: Path, layer: Layer, batches: Iterable[Batch],
                     progress: Progress | None = None) -> Path:
    """One worksheet, full Chinese headers, no geometry (Excel is for reading lists)."""

    def rows() -> Iterator[dict[str, Any]]:
        for batch in batches:
            yield from rows_of(batch)
            if progress:
                progress(len(next(iter(batch.values()))))

    table = Table(title=layer.title, subtitle="面积单位: 亩",
                  columns=[Column(f.key, f.name, width=max(10, len(f.name) * 2.2))
                           for f in layer.fields], rows=rows(), numbered=False)
    with path.open("wb") as out:
        write_xlsx(table, out)
    return path
