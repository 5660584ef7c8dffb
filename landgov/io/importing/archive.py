"""Opening what a user hands in: a loose file or a zip, safely, in a private temp dir.

Zips from desktop GIS are where the traps are: members named ``../../etc/x`` or
``/abs/path``, bombs that unpack a few kilobytes into gigabytes, GBK member names
without the UTF-8 flag, a ``.shp`` whose ``.dbf`` was left out. Every member is checked
before anything is written, the unpacked size is counted as it streams (the sizes a zip
declares can lie), and the temp dir is removed however the import ends.
"""

from __future__ import annotations

import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from landgov.errors import InvalidInput
from landgov.io.field_names import DICTIONARY

MAX_RATIO = 100  # unpacked : packed, beyond which an archive is treated as a bomb
FORMATS = {".shp": "shapefile", ".gpkg": "gpkg", ".geojson": "geojson", ".json": "geojson",
           ".csv": "csv", ".dxf": "dxf"}
CHUNK = 1 << 20


class BadImportFile(InvalidInput):
    """A file that cannot be imported at all (not a row problem): corrupt, unsafe, too big."""

    title = "导入文件无效"
    slug = "bad-import-file"


@dataclass(frozen=True)
class Source:
    """The dataset to read: its main file and its format."""

    path: Path
    format: str

    def sibling(self, suffix: str) -> Path | None:
        """The file beside the main one with ``suffix`` (any case), if present."""
        for candidate in self.path.parent.iterdir():
            if candidate.stem == self.path.stem and candidate.suffix.lower() == suffix:
                return candidate
        return None


@contextmanager
def opened(path: Path, max_bytes: int) -> Iterator[Source]:
    """The dataset in ``path`` (a zip is unpacked into a temp dir removed afterwards)."""
    if not path.exists():
        raise BadImportFile(f"文件不存在: {path}")
    size = path.stat().st_size
    if size >= max_bytes:
        raise BadImportFile(f"文件 {path.name} 有 {size} 字节, 达到上限 {max_bytes} "
                            "(LANDGOV_MAX_IMPORT_BYTES)")
    if path.suffix.lower() != ".zip":
        yield locate([path])
        return
    workdir = Path(tempfile.mkdtemp(prefix="landgov-import-"))
    try:
        yield locate(unpack(path, workdir, max_bytes))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; GBK names written without the UTF-8 flag are decoded as GBK."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gbk")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def _safe_relative(name: str) -> PurePosixPath:
    """Refuse absolute members and members that climb out with ``..``."""
    posix = name.replace("\\", "/")
    rel = PurePosixPath(posix)
    if posix.startswith("/") or (len(posix) > 1 and posix[1] == ":") or ".." in rel.parts:
        raise BadImportFile(f"压缩包成员 {name!r} 的路径不安全 (绝对路径或含 ..), 拒绝导入")
    return rel


def unpack(archive: Path, workdir: Path, max_bytes: int) -> list[Path]:
    """Unpack ``archive`` into ``workdir`` after checking every member; the files written."""
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [(info, _safe_relative(_member_name(info))) for info in zf.infolist()
                       if not info.is_dir()]
            declared = sum(info.file_size for info, _ in members)
            packed = max(archive.stat().st_size, 1)
            if declared >= max_bytes or declared / packed > MAX_RATIO:
                raise BadImportFile(
                    f"压缩包解压后 {declared} 字节 (压缩比 {declared / packed:.0f}:1), 超过上限 "
                    f"{max_bytes} 字节或 {MAX_RATIO}:1; 疑似压缩炸弹, 拒绝导入")
            budget = [max_bytes]
            return [_extract(zf, info, workdir / rel, budget) for info, rel in members]
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile, zlib.error) as exc:
        raise BadImportFile(f"压缩包 {archive.name} 已损坏或无法读取: {exc}") from exc


def _extract(zf: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, budget: list[int]) -> Path:
    """Stream one member out, counting real bytes against the remaining budget."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with zf.open(info) as src, target.open("wb") as dst:
        while chunk := src.read(CHUNK):
            budget[0] -= len(chunk)
            if budget[0] <= 0:
                raise BadImportFile("压缩包解压后超过导入上限 (LANDGOV_MAX_IMPORT_BYTES), 拒绝导入")
            dst.write(chunk)
    return target


def locate(files: list[Path]) -> Source:
    """The one dataset among ``files``, with a Shapefile's required parts present."""
    # The field dictionary our Shapefile export writes beside the parts is not a dataset.
    found = [f for f in files if f.suffix.lower() in FORMATS and f.name != DICTIONARY]
    shapefile_parts = [f for f in files if f.suffix.lower() in {".dbf", ".shx"}]
    if not found and shapefile_parts:
        raise BadImportFile(f"缺少 .shp 文件 (只有 {', '.join(f.name for f in shapefile_parts)})")
    if not found:
        names = ", ".join(f.name for f in files[:5]) or "空压缩包"
        raise BadImportFile(f"没有可导入的数据文件 ({names}); 支持 "
                            ".shp/.gpkg/.geojson/.json/.csv/.dxf")
    if len(found) > 1:
        raise BadImportFile("有多个数据文件, 请一次导入一个: "
                            + ", ".join(f.name for f in found[:5]))
    source = Source(found[0], FORMATS[found[0].suffix.lower()])
    if source.format == "shapefile":
        missing = [s for s in (".shx", ".dbf") if source.sibling(s) is None]
        if missing:
            raise BadImportFile(f"Shapefile {source.path.name} 缺少 {'/'.join(missing)} 文件")
    return source
