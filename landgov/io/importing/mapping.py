"""From a file's columns to parcel attributes, with defaults for common Chinese names.

A Shapefile cuts field names at 10 bytes (5 Chinese characters in GBK, 3 in UTF-8), so
each default name is also recognised in its cut forms. A mapping file (YAML or JSON)
overrides or adds names and gives defaults for attributes the file lacks::

    columns: {ZDDM: unit_code, DLBM: land_use_code, 备注说明: note, 旧编号: null}
    defaults: {land_use_vintage: sandiao, status: producing}

``用地面积`` is never stored (DESIGN: a client's area is never trusted); it is read only to
compare with the area computed from the geometry.

>>> sorted(Mapping.default().resolve(["宗地代码", "地类编码", "坐落", "XYZ"]).items())
[('地类编码', 'land_use_code'), ('坐落', 'name'), ('宗地代码', 'unit_code')]
>>> Mapping.default().resolve(["不动产单元"])  # 不动产单元代码 cut at 10 GBK bytes
{'不动产单元': 'unit_code'}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from landgov.io.importing.archive import BadImportFile
from landgov.parcels.queries import EDITABLE

ATTRIBUTES = ("unit_code", *EDITABLE, "reported_area")
REPORTED_AREA = "reported_area"
CHINESE_NAMES: dict[str, tuple[str, ...]] = {
    "unit_code": ("宗地代码", "不动产单元号", "不动产单元代码", "宗地编码", "ZDDM", "BDCDYH"),
    "land_use_code": ("用地分类", "地类编码", "用地分类代码", "DLBM", "TDYT"),
    "land_use_vintage": ("分类标准",),
    "name": ("宗地名称", "坐落", "ZDMC", "ZL"),
    "land_right_type": ("权利类型", "土地权利类型", "QLLX"),
    "right_start_date": ("权利起始日期", "起始日期"),
    "right_end_date": ("权利终止日期", "终止日期"),
    "status": ("宗地状态", "状态"),
    "note": ("备注", "BZ"),
    REPORTED_AREA: ("用地面积", "用地面积(亩)", "用地面积(平方米)", "宗地面积", "面积", "YDMJ"),
}


def _cut(name: str, encoding: str) -> str:
    """``name`` as a DBF writer leaves it: at most 10 bytes, no broken character."""
    return name.encode(encoding)[:10].decode(encoding, "ignore")


def _default_names() -> dict[str, str]:
    names: dict[str, str] = {a: a for a in ATTRIBUTES}
    for attr, aliases in CHINESE_NAMES.items():
        for alias in aliases:
            for form in (alias, _cut(alias, "gbk"), _cut(alias, "utf-8")):
                names.setdefault(form, attr)
    return names


@dataclass(frozen=True)
class Mapping:
    """File column → attribute (None: ignore the column), plus defaults for new parcels."""

    names: dict[str, str | None]
    defaults: dict[str, Any] = field(default_factory=dict)
    origin: str = "默认中文字段名"

    @classmethod
    def default(cls) -> Mapping:
        """The built-in names only."""
        return cls(dict(_default_names()))

    @classmethod
    def load(cls, path: Path) -> Mapping:
        """The built-in names overridden by a YAML/JSON mapping file."""
        try:
            text = path.read_text("utf-8")
            raw = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        except (OSError, ValueError, yaml.YAMLError) as exc:
            raise BadImportFile(f"映射文件 {path.name} 无法读取: {exc}") from exc
        if not isinstance(raw, dict):
            raise BadImportFile(f"映射文件 {path.name} 应为 columns/defaults 两节的字典")
        columns, defaults = raw.get("columns") or {}, raw.get("defaults") or {}
        unknown = sorted({str(v) for v in columns.values() if v is not None} - set(ATTRIBUTES)
                         | set(defaults) - set(EDITABLE))
        if unknown:
            raise BadImportFile(f"映射文件 {path.name} 含未知属性 {', '.join(unknown)}; "
                                f"可用: {', '.join(ATTRIBUTES)}")
        names: dict[str, str | None] = {**_default_names(), **columns}
        return cls(names, dict(defaults), f"映射文件 {path.name} + 默认中文字段名")

    def resolve(self, columns: list[str]) -> dict[str, str]:
        """Which file column feeds which attribute; refuses two columns for one attribute."""
        chosen: dict[str, str] = {}
        taken: dict[str, str] = {}
        for column in columns:
            attr = self.names.get(column.strip())
            if attr is None:
                continue
            if attr in taken:
                raise BadImportFile(f"字段 {taken[attr]} 与 {column} 都对应 {attr}; "
                                    "请用 --mapping 指定用哪一个")
            taken[attr] = column
            chosen[column] = attr
        return chosen
