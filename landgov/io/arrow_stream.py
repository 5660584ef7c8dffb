"""Stream column batches into one open GDAL dataset through Arrow.

Why: writing each 10,000-row batch with ``pyogrio.raw.write(append=True)`` reopened the
file for every batch, and a GeoPackage then updated its R-tree row by row through its
triggers: with 100,000 parcels the appends cost more than the data (measured on the
2-core machine: 15 s for ten appends against 5.4 s for one write of the same rows).
Here the batches become Arrow record batches pulled by GDAL's Arrow writer
(``pyogrio.raw.write_arrow``, GDAL ≥ 3.8) from a ``RecordBatchReader``: one dataset,
one transaction, the R-tree built once at the end, and still one batch in memory at a
time. Columns are converted by pyarrow in C, not value by value in Python.

A refusal raised while a batch is built (a text too long for a Shapefile, a character
GBK cannot hold) travels through GDAL as an Arrow stream error; it is caught on the way
and raised again as itself, so the caller sees the same :class:`InvalidInput`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyogrio.raw

from landgov.tables import FieldKind

GEOMETRY = "geom"
_TYPES: dict[str, pa.DataType] = {
    "real": pa.float64(), "int": pa.int64(), "bool": pa.bool_(), "date": pa.date32(),
    "datetime": pa.timestamp("s"), "text": pa.string(),
}
_WKB = pa.field(GEOMETRY, pa.binary(), metadata={"ARROW:extension:name": "geoarrow.wkb"})


def arrow_type(kind: FieldKind) -> pa.DataType:
    """The Arrow type of a field kind (GDAL maps it to the OGR type)."""
    return _TYPES[kind]


def schema(columns: list[tuple[str, FieldKind]],
           widths: dict[str, int] | None = None) -> pa.Schema:
    """Attribute columns (name, kind) plus the WKB geometry column.

    ``widths``: the DBF width of a text column whose longest value is known beforehand
    (GDAL reads ``GDAL:OGR:width``; a longer value would still widen the field, never be
    cut). Other text columns get GDAL's default of 80 bytes, widened as values need.
    """
    widths = widths or {}
    return pa.schema([pa.field(name, arrow_type(kind),
                               metadata={"GDAL:OGR:width": str(widths[name])}
                               if name in widths else None)
                      for name, kind in columns] + [_WKB])


def column(values: Any, kind: FieldKind, mask: np.ndarray | None = None) -> pa.Array:
    """One column as an Arrow array (``mask``: True where the value is missing).

    >>> column(["甲", None], "text").to_pylist()
    ['甲', None]
    >>> column([1, 7], "text").to_pylist()
    ['1', '7']
    """
    try:
        return pa.array(values, type=arrow_type(kind), mask=mask, from_pandas=True)
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        if kind != "text":
            raise
        return pa.array([None if v is None else str(v) for v in values], type=pa.string())


def geometry(wkb: list[Any]) -> pa.Array:
    """The WKB geometries of a batch."""
    return pa.array(wkb, type=pa.binary())


def write(path: Path, layer: str | None, driver: str, batches: Iterable[pa.RecordBatch],
          table_schema: pa.Schema, srid: int, encoding: str | None = None,
          layer_options: dict[str, str] | None = None) -> None:
    """Write every batch into one new dataset (see the module docstring)."""
    failure: list[BaseException] = []

    def guarded() -> Iterator[pa.RecordBatch]:
        try:
            yield from batches
        except BaseException as exc:
            failure.append(exc)
            raise

    reader = pa.RecordBatchReader.from_batches(table_schema, guarded())
    try:
        pyogrio.raw.write_arrow(reader, path, layer=layer, driver=driver,
                                geometry_name=GEOMETRY, geometry_type="MultiPolygon",
                                crs=f"EPSG:{srid}", encoding=encoding,
                                layer_options=layer_options)
    except Exception:
        if failure:
            raise failure[0] from None
        raise
    if failure:  # a driver that swallowed the stream error must not leave a short file
        raise failure[0]
