"""Code lists of the investment domain, each code with its Chinese label.

The database checks membership with the same lists (migration 0012 reads them).
"""

from __future__ import annotations

# Parcel statuses (parcels/vocabulary.py) under which an unused industrial parcel is
# offered to investors: idle, cleared, reclaimed — not relet (already let again).
AVAILABLE_STATUSES: tuple[str, ...] = ("idle", "cleared", "reclaimed")

PROJECT_STATUS: dict[str, str] = {
    "negotiating": "洽谈中",
    "signed": "已签约",
    "landed": "已落地",
    "paused": "暂缓",
    "dropped": "已终止",
}

AVAILABILITY_LABEL = "可供地"  # the parcels tile layer's ``availability`` value

# The 标准地 control indicators a plot carries, with their Chinese titles and units.
STANDARD_FIELDS: dict[str, str] = {
    "investment_intensity_wan_per_mu": "投资强度下限 (万元/亩)",
    "floor_area_ratio_min": "容积率下限",
    "tax_per_mu_wan": "亩均税收下限 (万元/亩)",
    "energy_tce_per_wan_max": "单位能耗上限 (吨标准煤/万元增加值)",
    "emission_kg_per_wan_max": "单位排放上限 (千克/万元增加值)",
    "building_coverage_min_pct": "建筑系数下限 (%)",
    "admin_share_max_pct": "行政办公及生活服务设施用地上限 (%)",
}
STANDARD_SOURCE: dict[str, str] = {"plot": "地块设定", "platform": "平台默认",
                                   "district": "全区默认"}
