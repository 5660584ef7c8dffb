r"""Evidence files of governance cases: checked, hashed, stored on disk by SHA-256.

A file is accepted only when its extension is one of :data:`ALLOWED` and its first bytes
are that format's signature (the client's media type is not trusted), and when it is
not larger than ``settings.evidence_max_bytes``. Files are content-addressed
(``<evidence_dir>/ab/abcdef…``), so the same scan attached twice is stored once and no
user-supplied name ever reaches the file system; the original name lives only in the
database row.

All-or-nothing with the database: :func:`stage` writes each upload to a temporary file
under ``<evidence_dir>/tmp`` while hashing it; the service writes its rows, then
:func:`place` moves the files into place (``os.replace``, atomic on one file system)
and the transaction commits. If anything fails, :func:`discard` removes the temporary
files and any file this request placed that no committed row references, so no orphan
stays behind.

>>> safe_name("../../etc/passwd")
'passwd'
>>> safe_name("C:\\扫描件\\腾退协议 (签字).pdf")
'腾退协议 (签字).pdf'
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, ClassVar

from landgov.errors import FieldError, InvalidInput, LandgovError, PayloadTooLarge
from landgov.settings import get_settings

_ZIP = (b"PK\x03\x04",)
# extension → (media type, accepted leading bytes)
ALLOWED: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    ".ofd": ("application/ofd", _ZIP),  # GB/T 33190 版式文档 (a zip container)
}
_CHUNK = 1024 * 1024
_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"|?*]")


class EvidenceCorrupt(LandgovError):
    """A stored file no longer matches its recorded hash (or is missing)."""

    status: ClassVar[int] = 500
    title: ClassVar[str] = "服务器内部错误"
    slug: ClassVar[str] = "evidence-corrupt"


@dataclass(frozen=True)
class Staged:
    """An accepted upload, hashed, waiting in a temporary file."""

    sha256: str
    size: int
    name: str
    media_type: str
    temp: Path


def root() -> Path:
    """The evidence directory (settings.evidence_dir, else state_dir/evidence)."""
    settings = get_settings()
    return settings.evidence_dir or settings.state_dir / "evidence"


def path_for(sha256: str) -> Path:
    """Where the file with this hash is stored."""
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return root() / sha256[:2] / sha256


def safe_name(name: str) -> str:
    """The original name without directories or control characters (at most 200 chars)."""
    base = unicodedata.normalize("NFC", name).replace("\\", "/").rsplit("/", 1)[-1]
    base = _UNSAFE.sub("_", base).strip(" .")
    if len(base) > 200:
        stem, dot, ext = base.rpartition(".")
        base = (stem[: 200 - len(ext) - 1] + dot + ext) if dot and len(ext) <= 10 else base[:200]
    return base or "evidence"


def media_type_of(name: str) -> str:
    """The media type an allowed name stands for, or a 422 naming the allowed types."""
    ext = os.path.splitext(name)[1].lower()
    if ext not in ALLOWED:
        raise InvalidInput(
            f"证据文件 {name!r} 的类型不允许; 允许: {', '.join(sorted(ALLOWED))}",
            [FieldError("files", f"type {ext or '(none)'} not allowed")])
    return ALLOWED[ext][0]


def stage(uploads: Iterable[tuple[str, BinaryIO]]) -> list[Staged]:
    """Check, hash and spool every upload; on any refusal nothing stays on disk."""
    staged: list[Staged] = []
    try:
        for name, stream in uploads:
            staged.append(_stage_one(safe_name(name), stream))
    except BaseException:
        discard(staged, [], lambda _sha: True)
        raise
    return staged


def _stage_one(name: str, stream: BinaryIO) -> Staged:
    media_type = media_type_of(name)
    limit = get_settings().evidence_max_bytes
    tmp_dir = root() / "tmp"
    tmp_dir.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=tmp_dir, prefix="upload-")
    temp = Path(tmp)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := stream.read(_CHUNK):
                if size == 0:
                    _check_signature(name, chunk)
                size += len(chunk)
                if size > limit:
                    raise PayloadTooLarge(f"证据文件 {name!r} 超过 {limit} 字节的上限",
                                          [FieldError("files", f"larger than {limit} bytes")])
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise InvalidInput(f"证据文件 {name!r} 为空", [FieldError("files", "empty file")])
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return Staged(digest.hexdigest(), size, name, media_type, temp)


def _check_signature(name: str, head: bytes) -> None:
    ext = os.path.splitext(name)[1].lower()
    if not any(head.startswith(sig) for sig in ALLOWED[ext][1]):
        raise InvalidInput(f"证据文件 {name!r} 的内容与扩展名 {ext} 不符",
                           [FieldError("files", "content does not match the extension")])


def place(staged: list[Staged]) -> list[Path]:
    """Move staged files into their hashed places; return those this call created."""
    created: list[Path] = []
    for item in staged:
        target = path_for(item.sha256)
        if target.exists():
            item.temp.unlink(missing_ok=True)  # same hash: the same bytes are there already
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(item.temp, target)
        created.append(target)
    return created


def discard(staged: list[Staged], created: list[Path],
            referenced: Callable[[str], bool]) -> None:
    """Undo :func:`stage` and :func:`place` after a failed transaction.

    A placed file is kept when ``referenced(sha)`` says a committed row points at it
    (another request stored the same bytes meanwhile).
    """
    for item in staged:
        item.temp.unlink(missing_ok=True)
    for path in created:
        if not referenced(path.name):
            path.unlink(missing_ok=True)


def read_verified(sha256: str, size: int) -> bytes:
    """The stored bytes, after checking their size and hash against the record."""
    try:
        data = path_for(sha256).read_bytes()
    except FileNotFoundError as exc:
        raise EvidenceCorrupt(f"证据文件 {sha256[:12]}… 在存储目录中缺失") from exc
    if len(data) != size or hashlib.sha256(data).hexdigest() != sha256:
        raise EvidenceCorrupt(f"证据文件 {sha256[:12]}… 的内容与登记的哈希不符, 已拒绝下载")
    return data
