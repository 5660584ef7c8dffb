"""The Shapefile profile Chinese desktop GIS reads without guessing.

GBK (default) or UTF-8 attributes with a ``.cpg`` naming the encoding; a ``.prj`` in
ESRI WKT that GDAL and QGIS identify as EPSG:4490 or 4549; field names within 10
bytes (:mod:`landgov.io.field_names`) with ``字段说明.csv`` beside; dates, times and
yes/no as text (DBF has no time and no portable boolean); text over 254 bytes split
over the field's numbered parts, or refused when it needs more — never cut. Everything
is zipped, since a Shapefile is several files.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from landgov.errors import FieldError, InvalidInput
from landgov.io import arrow_stream
from landgov.io.field_names import DICTIONARY, DbfColumn, plan, write_dictionary
from landgov.io.streaming import Batch, Progress
from landgov.tables import Field, FieldKind, Layer

DBF_TEXT_BYTES = 254
PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
# Most bytes one character can take: below DBF_TEXT_BYTES // this, no need to measure.
_MAX_CHAR_BYTES = {"GBK": 2, "UTF-8": 4}
_STR_OR_NONE = {str, type(None)}
_DATE_UNITS = {"date": "datetime64[D]", "datetime": "datetime64[s]"}


def _as_text(value: Any, field: Field) -> str | None:
    if value is None:
        return None
    if field.kind == "bool":
        return "是" if value else "否"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _size(value: str, encoding: str, field: Field, where: str) -> int:
    try:
        return len(value.encode(encoding))
    except UnicodeEncodeError as exc:
        bad = value[exc.start:exc.end]
        raise InvalidInput(f"{where} 字段 {field.name} 含 {encoding} 无法表示的字符 {bad!r}; "
                           "请以 encoding=utf-8 导出", [FieldError("encoding", "unencodable")]
                           ) from exc


def split_text(value: str, encoding: str, limit: int = DBF_TEXT_BYTES) -> list[str]:
    """``value`` in pieces of at most ``limit`` bytes, cut between characters.

    >>> [len(p) for p in split_text("地" * 200, "GBK")]
    [127, 73]
    """
    pieces, start, used = [], 0, 0
    for i, ch in enumerate(value):
        n = len(ch.encode(encoding))
        if used + n > limit:
            pieces.append(value[start:i])
            start, used = i, 0
        used += n
    pieces.append(value[start:])
    return pieces


def _texts(values: list[Any], field: Field) -> list[str | None]:
    """The values as DBF text, a column at a time where numpy can do it."""
    if field.kind == "text" and set(map(type, values)) <= _STR_OR_NONE:
        return values  # strings already (a C-speed check)
    if field.kind in _DATE_UNITS:
        try:
            with warnings.catch_warnings():  # numpy would shift aware times to UTC
                warnings.simplefilter("error")
                stamps = np.array(values, dtype=_DATE_UNITS[field.kind])
        except (TypeError, ValueError, UserWarning):  # aware or odd values: one by one
            return [_as_text(v, field) for v in values]
        texts = np.datetime_as_string(stamps).astype(object)
        if field.kind == "datetime":
            texts = np.char.replace(texts.astype(str), "T", " ").astype(object)
        texts[np.isnat(stamps)] = None
        return list(texts)
    return [_as_text(v, field) for v in values]


def _check_encodable(texts: list[str | None], field: Field, encoding: str,
                     codes: list[Any]) -> None:
    """Refuse a character the encoding cannot hold (GDAL would replace it silently).

    One encode of the whole column; only when it fails are the values tried one by one
    to name the parcel.
    """
    try:
        "\n".join(filter(None, texts)).encode(encoding)
    except UnicodeEncodeError:
        for i, text in enumerate(texts):
            if text is not None:
                _size(text, encoding, field, f"宗地 {codes[i]}")
        raise


def _text_parts(values: list[Any], field: Field, encoding: str,
                codes: list[Any]) -> list[list[str | None]]:
    """The field's values over its ``parts`` DBF fields; refuse what does not fit.

    Column at a time: a value of at most 254 / (bytes a character may take) characters
    fits without measuring, so only long values are encoded one by one.
    """
    texts = _texts(values, field)
    _check_encodable(texts, field, encoding, codes)
    quick = DBF_TEXT_BYTES // _MAX_CHAR_BYTES[encoding]
    rest: list[list[str | None]] = [[None] * len(values) for _ in range(field.parts - 1)]
    if max(map(len, filter(None, texts)), default=0) <= quick:
        return [texts, *rest]
    long_rows = [i for i, t in enumerate(texts) if t is not None and len(t) > quick]
    first = list(texts)
    for i in long_rows:
        text = first[i]
        assert text is not None
        size = len(text.encode(encoding))
        if size <= DBF_TEXT_BYTES:
            continue
        pieces = split_text(text, encoding)
        if len(pieces) > field.parts:
            raise InvalidInput(
                f"{codes[i]} 的 {field.name} 长 {size} 字节, 超过 Shapefile 可容纳的 "
                f"{field.parts}×{DBF_TEXT_BYTES} 字节; 请改用 gpkg 或 geojson 导出 (保留全文)",
                [FieldError(field.key, "text too long for Shapefile")])
        first[i] = pieces[0]
        for p, piece in enumerate(pieces[1:]):
            rest[p][i] = piece
    return [first, *rest]


def _numbers(values: list[Any], field: Field) -> tuple[np.ndarray, np.ndarray | None]:
    if field.kind == "real":
        return np.array(values, dtype=np.float64), None
    mask = np.array([v is None for v in values], dtype=bool)
    return np.array([0 if v is None else v for v in values], dtype=np.int64), mask


def dbf_columns(batch: Batch, columns: list[DbfColumn], encoding: str
                ) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """The batch as DBF arrays, one per DBF column (in ``columns`` order)."""
    data: list[np.ndarray] = []
    masks: list[np.ndarray | None] = []
    codes = batch.get("unit_code") or [f"第 {i + 1} 行" for i in range(len(batch["geom"]))]
    done: set[str] = set()
    for col in columns:
        field = col.field
        if field.key in done:
            continue
        done.add(field.key)
        if field.kind in ("real", "int"):
            values, mask = _numbers(batch[field.key], field)
            data.append(values)
            masks.append(mask)
            continue
        for part in _text_parts(batch[field.key], field, encoding, codes):
            data.append(np.array(part, dtype=object))
            masks.append(None)
    return data, masks


def _widths(columns: list[DbfColumn], kinds: list[FieldKind], encoding: str,
            first: list[pa.Array] | None) -> dict[str, int]:
    """DBF widths of the text columns, declared before the first row is written.

    Dates (``YYYY-MM-DD``), times and 是/否 have a known longest value; other text is
    given twice the longest value of the first batch (in UTF-8 bytes, never fewer than
    GBK's), at least 16 and at most 254. GDAL widens a field when a later value is
    longer (it rewrites the .dbf, rarely needed with the margin) and never cuts one.
    GDAL's default of 80 bytes for every text field made the parcels' .dbf seven times
    the data (213 MB for 100,000 parcels) to write and to zip; RESIZE=YES would shrink
    it at close, but rewrites it: 5× slower.
    """
    widths: dict[str, int] = {}
    for col, kind, array in zip(columns, kinds, first or [None] * len(columns), strict=True):
        if kind == "text" and array is not None:
            longest = pc.max(pc.binary_length(array)).as_py() or 0
            widths[col.name] = min(DBF_TEXT_BYTES, max(16, 2 * longest))
    fixed = {"date": 10, "datetime": 19, "bool": len("是".encode(encoding))}
    widths.update({c.name: fixed[c.field.kind] for c in columns if c.field.kind in fixed})
    return widths


def write_shapefile(directory: Path, layer: Layer, batches: Iterable[Batch], srid: int,
                    encoding: str, progress: Progress | None = None) -> Path:
    """Write the layer as ``<name>.zip`` (all parts and ``字段说明.csv``) in ``directory``.

    The batches stream into one open file (:mod:`landgov.io.arrow_stream`); a layer
    without rows still gives a valid, empty Shapefile with the schema. The first batch
    is converted before the file is created, to size its text fields (:func:`_widths`).
    """
    columns = plan(layer.fields, encoding)
    kinds: list[FieldKind] = [c.field.kind if c.field.kind in ("real", "int") else "text"
                              for c in columns]

    def arrays_of(batch: Batch) -> tuple[Batch, list[pa.Array]]:
        data, masks = dbf_columns(batch, columns, encoding)
        return batch, [arrow_stream.column(d, k, m)
                       for d, k, m in zip(data, kinds, masks, strict=True)]

    rest = iter(batches)
    first = [arrays_of(b) for b in islice(rest, 1)]
    table_schema = arrow_stream.schema(
        [(c.name, k) for c, k in zip(columns, kinds, strict=True)],
        _widths(columns, kinds, encoding, first[0][1] if first else None))

    def records() -> Iterator[pa.RecordBatch]:
        for batch, arrays in chain(first, map(arrays_of, rest)):
            yield pa.record_batch([*arrays, arrow_stream.geometry(batch["geom"])],
                                  schema=table_schema)
            if progress:
                progress(len(batch["geom"]))

    arrow_stream.write(directory / f"{layer.name}.shp", layer.name, "ESRI Shapefile", records(),
                       table_schema, srid, encoding)
    write_dictionary(directory / DICTIONARY, columns)
    return _zip(directory, layer.name)


def _zip(directory: Path, stem: str) -> Path:
    out = directory / f"{stem}.zip"
    # Level 1: about a third of level 6's time for a somewhat larger zip (coordinates
    # compress poorly at any level); the zip was a third of a Shapefile export's time.
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for suffix in PARTS:
            part = directory / f"{stem}{suffix}"
            zf.write(part, part.name)
            part.unlink()
        zf.write(directory / DICTIONARY, DICTIONARY)
    return out
