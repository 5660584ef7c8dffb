r"""Which character encoding a DBF or CSV is in, and why we think so.

Chinese desktop GIS writes DBF attributes in GBK, often without a ``.cpg``; newer tools
write UTF-8. A wrong guess garbles every name silently, so the choice is made in a fixed
order and the report says which rule decided: ``--encoding``; the ``.cpg``; the DBF's
language-driver byte (only the bytes that name a Chinese code page are trusted; 0x57
"ANSI" depends on the writer's Windows and says nothing); then a trial decode of the
field names and text values, strict UTF-8 first (GBK text almost never decodes as
UTF-8, the reverse often does), then GBK. Neither decodes: refuse, and say what to pass.

>>> detect_text("宗地名称,WKT\n".encode("gbk"), None).encoding
'gbk'
>>> detect_text("宗地名称,WKT\n".encode("utf-8"), None).encoding
'utf-8'
"""

from __future__ import annotations

import codecs
import struct
from dataclasses import dataclass
from pathlib import Path

from landgov.io.importing.archive import BadImportFile

CPG_NAMES = {"utf-8": "utf-8", "utf8": "utf-8", "65001": "utf-8", "gbk": "gbk",
             "cp936": "gbk", "936": "gbk", "ansi 936": "gbk", "gb2312": "gbk",
             "gb18030": "gb18030", "big5": "big5", "950": "big5"}
CHINESE_LDID = {0x4D: "gbk", 0x7A: "gbk", 0x78: "big5", 0x7B: "big5"}
TRIAL_BYTES = 4 << 20
SUPPORTED = ("utf-8", "gbk", "gb18030", "big5")


@dataclass(frozen=True)
class EncodingChoice:
    """The encoding chosen and the rule that chose it (shown in the report)."""

    encoding: str
    reason: str


def forced(name: str) -> EncodingChoice:
    """The encoding the user named with ``--encoding``."""
    key = name.strip().lower()
    if CPG_NAMES.get(key) is None:
        raise BadImportFile(f"不支持的编码 {name!r}; 可用: {', '.join(SUPPORTED)}")
    return EncodingChoice(CPG_NAMES[key], f"--encoding {name} 指定")


def detect_dbf(dbf: Path, cpg: Path | None, given: str | None) -> EncodingChoice:
    """The encoding of a Shapefile's attributes (see the module docstring for the order)."""
    if given:
        return forced(given)
    if cpg is not None:
        text = cpg.read_bytes().decode("ascii", "replace").strip()
        if text.lower() in CPG_NAMES:
            return EncodingChoice(CPG_NAMES[text.lower()], f".cpg 文件声明为 {text}")
    head = dbf.read_bytes()[:TRIAL_BYTES]
    if len(head) < 32:
        raise BadImportFile(f"{dbf.name} 已损坏 (文件头不完整)")
    ldid = head[29]
    if ldid in CHINESE_LDID:
        return EncodingChoice(CHINESE_LDID[ldid],
                              f"DBF 语言驱动字节 0x{ldid:02X} 表示 {CHINESE_LDID[ldid].upper()}")
    return _trial(_dbf_text(head), f"无 .cpg, DBF 语言驱动字节 0x{ldid:02X} 未指明中文编码")


def _dbf_text(head: bytes) -> list[bytes]:
    """Field names and character-field values of the DBF's first records."""
    header_len, record_len = struct.unpack("<HH", head[8:12])
    fields: list[tuple[int, int, bool]] = []
    names: list[bytes] = []
    offset, pos = 1, 32
    while pos + 32 <= min(header_len, len(head)) and head[pos] != 0x0D:
        desc = head[pos:pos + 32]
        names.append(desc[:11].split(b"\0", 1)[0])
        fields.append((offset, desc[16], desc[11:12] == b"C"))
        offset += desc[16]
        pos += 32
    values: list[bytes] = []
    start = header_len
    while start + record_len <= len(head) and record_len > 0 and len(values) < 200_000:
        record = head[start:start + record_len]
        values.extend(record[o:o + w].rstrip(b" \0") for o, w, text in fields if text)
        start += record_len
    return names + values


def _trial(chunks: list[bytes], why: str) -> EncodingChoice:
    """Strict UTF-8, then GBK, over every chunk; refuse when neither decodes."""
    if all(c.isascii() for c in chunks):
        return EncodingChoice("utf-8", f"{why}; 内容全为 ASCII, 编码无关")
    for name in ("utf-8", "gbk"):
        try:
            for chunk in chunks:
                # DBF writers cut names and values at a byte count, often mid-character:
                # a trailing incomplete character is not evidence against the encoding.
                codecs.getincrementaldecoder(name)().decode(chunk, final=False)
        except UnicodeDecodeError:
            continue
        return EncodingChoice(name, f"{why}; 试读全部文本可按 {name.upper()} 解码")
    raise BadImportFile(f"无法识别字符编码 ({why}; 既不是 UTF-8 也不是 GBK); "
                        "请用 --encoding 指定, 例如 --encoding gb18030")


def detect_text(data: bytes, given: str | None) -> EncodingChoice:
    """The encoding of a CSV: ``--encoding``, a UTF-8 BOM, then the UTF-8/GBK trial."""
    if given:
        return forced(given)
    if data.startswith(b"\xef\xbb\xbf"):
        return EncodingChoice("utf-8-sig", "文件以 UTF-8 BOM 开头")
    lines = data[:TRIAL_BYTES].split(b"\n")
    if len(data) > TRIAL_BYTES:
        lines = lines[:-1]  # the last line may be cut mid-character
    return _trial(lines, "CSV 无 BOM")
