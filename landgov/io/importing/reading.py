"""Reading a dataset into columns: geometries (shapely) and raw attribute values.

Shapefile, GeoPackage and GeoJSON go through pyogrio (GDAL) with the encoding chosen by
``encoding``; CSV with a WKT column is read here with the ``csv`` module, since its
encoding and its geometry column are ours to decide. GDAL's refusals (truncated
``.shp``, corrupt GeoPackage) become one readable message, never a traceback.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import pyogrio.raw
import shapely
from numpy.typing import NDArray
from pyogrio import errors as ogr_errors

from landgov.io.importing import dxf, encoding
from landgov.io.importing.archive import BadImportFile, Source

WKT_COLUMNS = ("wkt", "geometry", "geom", "the_geom", "shape", "几何", "图形")
MAX_ROWS = 2_000_000
Geometries = NDArray[np.object_]
# Picks the columns to read from the file's field names (the mapping's resolve): GDAL
# decodes only those (half the read time of a 28-field Shapefile goes to its other fields).
ColumnChoice = Callable[[list[str]], list[str]]


@dataclass
class RawTable:
    """What the file holds, before mapping: geometries, columns, and what was detected."""

    geometries: Geometries
    columns: dict[str, list[Any]]
    encoding: encoding.EncodingChoice
    declared_crs: str | None
    crs_origin: str
    format: str
    notes: list[str] = field(default_factory=list)
    rows: int = field(init=False)  # number of features, kept when the geometries are let go

    def __post_init__(self) -> None:
        self.rows = len(self.geometries)

    def release_geometries(self) -> None:
        """Let the file's own geometries go once placed (a copy of every row less in memory)."""
        self.geometries = np.empty(0, dtype=object)


def read(source: Source, given_encoding: str | None, layer: str | None = None,
         wanted: ColumnChoice | None = None) -> RawTable:
    """Read ``source`` (see the module docstring).

    ``layer`` names a GeoPackage's table or a DXF drawing's CAD layer; ``wanted`` picks
    the attribute columns to read (all when None; a DXF's and a CSV's are always all).
    """
    if layer is not None and source.format not in ("gpkg", "dxf"):
        raise BadImportFile(f"--layer 只适用于 GeoPackage 和 DXF, 而 {source.path.name} 是 "
                            f"{source.format}")
    if source.format == "csv":
        return _read_csv(source, given_encoding)
    if source.format == "dxf":
        return _read_dxf(source, layer)
    if source.format == "shapefile":
        dbf = source.sibling(".dbf")
        assert dbf is not None  # archive.locate checked it
        choice = encoding.detect_dbf(dbf, source.sibling(".cpg"), given_encoding)
        prj = source.sibling(".prj")
        declared = prj.read_text("latin-1") if prj is not None else None
        with repaired_names(source, dbf, choice.encoding) as fixed:
            return _read_ogr(fixed, choice, declared, ".prj 文件", wanted=wanted)
    choice = encoding.EncodingChoice("utf-8", f"{source.format} 格式规定为 UTF-8")
    return _read_ogr(source, choice, None, f"{source.format} 的坐标系定义", layer, wanted)


@contextmanager
def repaired_names(source: Source, dbf: Path, enc: str) -> Iterator[Source]:
    """The Shapefile with DBF field names cut mid-character repaired, in a temp copy.

    A DBF field name holds 10 bytes: ``宗地名称`` in UTF-8 (12 bytes) is cut inside its
    last character and no longer decodes. The copy drops the broken tail (the other
    parts are linked, not copied); the user's files are never touched.
    """
    header = bytearray(dbf.read_bytes()[:65536])
    changed = False
    for pos in range(32, len(header) - 32, 32):
        if header[pos] == 0x0D:
            break
        name = bytes(header[pos:pos + 11]).split(b"\0", 1)[0]
        fixed = name.decode(enc, "ignore").encode(enc)
        if fixed != name:
            header[pos:pos + 11] = fixed.ljust(11, b"\0")
            changed = True
    if not changed:
        yield source
        return
    with tempfile.TemporaryDirectory(prefix="landgov-import-") as tmp:
        for part in source.path.parent.iterdir():
            if part.stem == source.path.stem and part != dbf:
                (Path(tmp) / part.name).symlink_to(part.resolve())
        target = Path(tmp) / dbf.name
        with dbf.open("rb") as src, target.open("wb") as out:
            out.write(header)
            src.seek(len(header))
            shutil.copyfileobj(src, out)
        yield Source(Path(tmp) / source.path.name, source.format)


def _layer(source: Source, wanted: str | None = None) -> str | None:
    """The layer to read: ``wanted``, else the one polygon layer of a multi-layer file."""
    layers = pyogrio.list_layers(source.path)
    names = [str(name) for name, _ in layers]
    if wanted is not None and source.format != "dxf":
        if wanted not in names:
            raise BadImportFile(f"{source.path.name} 没有图层 {wanted!r}; 图层有: "
                                + ", ".join(names[:20]))
        return wanted
    if len(layers) <= 1:
        return None
    polygons = [str(name) for name, kind in layers if kind and "Polygon" in str(kind)]
    if len(polygons) != 1:
        listed = ", ".join(f"{n} ({k})" for n, k in layers[:20])
        raise BadImportFile(f"{source.path.name} 有 {len(layers)} 个图层, 其中 {len(polygons)} "
                            f"个面图层: {listed}; 请用 --layer 指定要导入的图层")
    return polygons[0]


def _read_dxf(source: Source, layer: str | None) -> RawTable:
    """A drawing's closed outlines and hatches as polygons (see :mod:`dxf`)."""
    choice = encoding.EncodingChoice("utf-8", "DXF: GDAL 按图纸的 $DWGCODEPAGE 转为 UTF-8")
    raw = _read_ogr(source, choice, None, "DXF (无坐标系)")
    polygons, keep, notes = dxf.select(raw.geometries, raw.columns, layer, source.path.name)
    columns = {name: [v for v, k in zip(values, keep, strict=True) if k]
               for name, values in raw.columns.items()}
    return RawTable(polygons[keep], columns, choice, None, raw.crs_origin, "dxf", notes)


def _read_ogr(source: Source, choice: encoding.EncodingChoice, declared: str | None,
              origin: str, layer: str | None = None,
              wanted: ColumnChoice | None = None) -> RawTable:
    enc = choice.encoding if source.format == "shapefile" else None
    try:
        name = _layer(source, layer)
        chosen = None if wanted is None else wanted(
            [str(f) for f in pyogrio.read_info(source.path, layer=name, encoding=enc)["fields"]])
        meta, _fids, wkb, values = pyogrio.raw.read(
            source.path, layer=name, encoding=enc, datetime_as_string=True, columns=chosen)
    except (ogr_errors.DataSourceError, ogr_errors.DataLayerError, ogr_errors.FeatureError,
            ogr_errors.GeometryError, ogr_errors.FieldError, UnicodeDecodeError) as exc:
        raise BadImportFile(f"{source.path.name} 已损坏或无法读取: "
                            f"{str(exc).splitlines()[0][:200]}") from exc
    if wkb is None:
        raise BadImportFile(f"{source.path.name} 没有几何字段")
    _check_size(len(wkb), source)
    geoms = shapely.from_wkb(wkb, on_invalid="ignore")
    columns = {str(name): list(col) for name, col in zip(meta["fields"], values, strict=True)}
    if declared is None and meta.get("crs"):
        declared = str(meta["crs"])
    return RawTable(geoms, columns, choice, declared, origin, source.format)


def _check_size(rows: int, source: Source) -> None:
    if rows == 0:
        raise BadImportFile(f"{source.path.name} 中没有要素")
    if rows > MAX_ROWS:
        raise BadImportFile(f"{source.path.name} 有 {rows} 个要素, 超过单次导入上限 {MAX_ROWS}")


def _read_csv(source: Source, given: str | None) -> RawTable:
    data = source.path.read_bytes()
    choice = encoding.detect_text(data, given)
    try:
        text = data.decode(choice.encoding)
    except UnicodeDecodeError as exc:
        raise BadImportFile(f"{source.path.name} 不是有效的 {choice.encoding} 文本 "
                            f"(第 {exc.start} 字节); 请用 --encoding 指定") from exc
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise BadImportFile(f"{source.path.name} 不是有效的 CSV: {exc}") from exc
    if not records:
        raise BadImportFile(f"{source.path.name} 是空文件")
    header, body = [h.strip() for h in records[0]], records[1:]
    wkt_col = next((i for i, h in enumerate(header) if h.lower() in WKT_COLUMNS), None)
    if wkt_col is None:
        raise BadImportFile(f"{source.path.name} 没有 WKT 几何列 "
                            f"(列名应为 {'/'.join(WKT_COLUMNS)})")
    _check_size(len(body), source)
    body = [r + [""] * (len(header) - len(r)) for r in body]
    wkts = np.array([r[wkt_col].strip() or None for r in body], dtype=object)
    geoms = shapely.from_wkt(wkts, on_invalid="ignore")
    columns = {h: [r[i].strip() or None for r in body]
               for i, h in enumerate(header) if i != wkt_col}
    return RawTable(geoms, columns, choice, None, "CSV", "csv")
