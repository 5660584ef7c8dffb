"""The Shapefile profile Chinese desktop GIS reads without guessing.

GBK (default) or UTF-8 attributes with a ``.cpg`` naming the encoding; a ``.prj`` in
ESRI WKT that GDAL and QGIS identify as EPSG:4490 or 4549; field names within 10
bytes (:mod:`landgov.io.field_names`) with ``字段说明.csv`` beside; dates, times and
yes/no as text (DBF has no time and no portable boolean); text over 254 bytes split
over the field's numbered parts, or refused when it needs more — never cut. Everything
is zipped, since a Shapefile is several files.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw

from landgov.errors import FieldError, InvalidInput
from landgov.io.field_names import DICTIONARY, DbfColumn, plan, write_dictionary
from landgov.io.streaming import Batch, Progress
from landgov.tables import Field, Layer

DBF_TEXT_BYTES = 254
PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
# Most bytes one character can take: below DBF_TEXT_BYTES // this, no need to measure.
_MAX_CHAR_BYTES = {"GBK": 2, "UTF-8": 4}


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


def _text_parts(values: list[Any], field: Field, encoding: str,
                codes: list[Any]) -> list[list[str | None]]:
    """The field's values over its ``parts`` DBF fields; refuse what does not fit."""
    out: list[list[str | None]] = [[None] * len(values) for _ in range(field.parts)]
    quick = DBF_TEXT_BYTES // _MAX_CHAR_BYTES[encoding]
    for i, raw in enumerate(values):
        text = _as_text(raw, field)
        if text is None:
            continue
        if (len(text) <= quick and encoding != "GBK") or text.isascii():
            size = len(text)
        else:
            size = _size(text, encoding, field, f"宗地 {codes[i]}")
        if size <= DBF_TEXT_BYTES:
            out[0][i] = text
            continue
        pieces = split_text(text, encoding)
        if len(pieces) > field.parts:
            raise InvalidInput(
                f"{codes[i]} 的 {field.name} 长 {size} 字节, 超过 Shapefile 可容纳的 "
                f"{field.parts}×{DBF_TEXT_BYTES} 字节; 请改用 gpkg 或 geojson 导出 (保留全文)",
                [FieldError(field.key, "text too long for Shapefile")])
        for p, piece in enumerate(pieces):
            out[p][i] = piece
    return out


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


def write_shapefile(directory: Path, layer: Layer, batches: Iterable[Batch], srid: int,
                    encoding: str, progress: Progress | None = None) -> Path:
    """Write the layer as ``<name>.zip`` (all parts and ``字段说明.csv``) in ``directory``."""
    columns = plan(layer.fields, encoding)
    shp = directory / f"{layer.name}.shp"
    names = [c.name for c in columns]
    first = True
    for batch in batches:
        data, masks = dbf_columns(batch, columns, encoding)
        pyogrio.raw.write(shp, np.array(batch["geom"], dtype=object), data, names,
                          field_mask=masks, driver="ESRI Shapefile",
                          geometry_type="MultiPolygon", crs=f"EPSG:{srid}", encoding=encoding,
                          append=not first)
        first = False
        if progress:
            progress(len(batch["geom"]))
    if first:  # no rows: still a valid, empty Shapefile with the schema
        empty = [np.array([], dtype=np.float64 if c.field.kind in ("real", "int") else object)
                 for c in columns]
        pyogrio.raw.write(shp, np.array([], dtype=object), empty, names,
                          driver="ESRI Shapefile", geometry_type="MultiPolygon",
                          crs=f"EPSG:{srid}", encoding=encoding)
    write_dictionary(directory / DICTIONARY, columns)
    return _zip(directory, layer.name)


def _zip(directory: Path, stem: str) -> Path:
    out = directory / f"{stem}.zip"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for suffix in PARTS:
            part = directory / f"{stem}{suffix}"
            zf.write(part, part.name)
            part.unlink()
        zf.write(directory / DICTIONARY, DICTIONARY)
    return out
