"""Code lists of the parcel record, each code with its Chinese label.

The database checks membership with the same lists (the migration reads them), so a
code added here needs a migration that widens the check.
"""

from __future__ import annotations

# Parcel life cycle (一码管地 carries the parcel's state across its life).
LAND_STATUS: dict[str, str] = {
    "supplied": "已供地",
    "under_construction": "在建",
    "producing": "在产",
    "idle": "闲置",
    "cleared": "已出清",
    "reclaimed": "已盘活",
    "relet": "已再出让",
}

# Land-use classification vintages that coexist in real data (DOMAIN.md).
LAND_USE_VINTAGE: dict[str, str] = {
    "sandiao": "第三次国土调查",
    "gbt21010_2017": "GB/T 21010-2017",
    "ydyh_2023": "国土空间调查、规划、用途管制用地用海分类 (2023)",
    "gb50137": "城市用地分类 GB 50137",
}

# The industrial and related codes landgov needs to recognise, by vintage.
LAND_USE: dict[str, dict[str, str]] = {
    "sandiao": {"0601": "工业用地", "0602": "采矿用地", "0508": "物流仓储用地"},
    "gbt21010_2017": {"0601": "工业用地", "0602": "采矿用地", "0508": "物流仓储用地"},
    "ydyh_2023": {
        "1001": "工业用地",
        "100101": "一类工业用地",
        "100102": "二类工业用地",
        "100103": "三类工业用地",
        "1101": "物流仓储用地",
    },
    "gb50137": {"M1": "一类工业用地", "M2": "二类工业用地", "M3": "三类工业用地",
                "W1": "一类物流仓储用地"},
}

# Crosswalk: the codes of every vintage that mean "industrial" (the 底数清单's scope).
INDUSTRIAL_CODES: frozenset[str] = frozenset(
    {"0601", "1001", "100101", "100102", "100103", "M1", "M2", "M3"}
)

LAND_RIGHT_TYPE: dict[str, str] = {
    "transfer": "出让",
    "allocation": "划拨",
    "lease": "租赁",
    "collective": "集体建设用地",
}

TENURE: dict[str, str] = {"owned": "自有", "leased": "租用"}
LINEAGE_KIND: dict[str, str] = {"split": "分割", "merge": "合并"}
