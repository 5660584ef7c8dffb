"""The indicators a rule set may name, each with one orientation and its unit.

Rule sets refer to indicators by key; the SQL for each lives here, in code, so a county's
rule set (loaded from YAML or the API) can change weights and thresholds but never
inject SQL. Each ratio is stored in one direction and the unit says which (DOMAIN.md:
单位能耗增加值 is value added per tce, higher is better; 单位增加值能耗 is tce per 万元,
lower is better).

>>> INDICATORS["tax_per_mu"].unit
'万元/亩'
>>> INDICATORS["energy_per_value_added"].higher_is_better
False
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Indicator:
    """A ratio of two inputs (columns of ``indicator`` or the land used, ``land_mu``)."""

    key: str
    label_zh: str
    label_en: str
    unit: str
    numerator: str
    denominator: str
    higher_is_better: bool = True
    scale: float = 1.0

    @property
    def formula_zh(self) -> str:
        """How the value is computed, in the words of the inputs."""
        return f"{INPUT_LABELS[self.numerator]} ÷ {INPUT_LABELS[self.denominator]}"


# Inputs: the columns of ``indicator`` plus the land computed from occupancy.
INPUT_LABELS: dict[str, str] = {
    "tax_wan": "税收(万元)",
    "revenue_wan": "销售收入(万元)",
    "value_added_wan": "工业增加值(万元)",
    "energy_tce": "综合能耗(吨标煤)",
    "electricity_kwh": "用电量(千瓦时)",
    "water_m3": "用水量(立方米)",
    "cod_t": "化学需氧量排放(吨)",
    "ammonia_n_t": "氨氮排放(吨)",
    "so2_t": "二氧化硫排放(吨)",
    "nox_t": "氮氧化物排放(吨)",
    "rd_wan": "研发经费(万元)",
    "employees": "年平均职工人数(人)",
    "land_mu": "用地面积(亩)",
}

_ALL = [
    Indicator("tax_per_mu", "亩均税收", "tax per mu", "万元/亩", "tax_wan", "land_mu"),
    Indicator("revenue_per_mu", "亩均销售收入", "sales revenue per mu", "万元/亩",
              "revenue_wan", "land_mu"),
    Indicator("value_added_per_mu", "亩均增加值", "value added per mu", "万元/亩",
              "value_added_wan", "land_mu"),
    Indicator("value_added_per_tce", "单位能耗增加值", "value added per tce", "万元/吨标煤",
              "value_added_wan", "energy_tce"),
    Indicator("value_added_per_cod", "单位排放增加值(COD)", "value added per tonne of COD",
              "万元/吨", "value_added_wan", "cod_t"),
    Indicator("value_added_per_water", "单位用水增加值", "value added per m³ of water",
              "万元/立方米", "value_added_wan", "water_m3"),
    Indicator("labour_productivity", "全员劳动生产率", "value added per employee", "万元/人",
              "value_added_wan", "employees"),
    Indicator("rd_intensity", "研发经费占营业收入比", "R&D spend share of revenue", "%",
              "rd_wan", "revenue_wan", scale=100.0),
    Indicator("tax_per_kwh", "单位电耗税收", "tax per kWh", "元/千瓦时", "tax_wan",
              "electricity_kwh", scale=10000.0),
    Indicator("energy_per_value_added", "单位增加值能耗", "energy per 万元 value added",
              "吨标煤/万元", "energy_tce", "value_added_wan", higher_is_better=False),
    Indicator("cod_per_value_added", "单位增加值COD排放", "COD per 万元 value added", "吨/万元",
              "cod_t", "value_added_wan", higher_is_better=False),
]
INDICATORS: dict[str, Indicator] = {i.key: i for i in _ALL}

FLAGS: dict[str, tuple[str, str]] = {
    "low_output": ("低产出", "low output per mu"),
    "low_benefit": ("低效益", "low tax per mu"),
    "high_energy": ("高能耗", "high energy per unit of value added"),
    "high_emission": ("高排放", "high emissions per unit of value added"),
}

CLASSES: dict[str, tuple[str, str]] = {
    "A": ("优先发展", "priority"),
    "B": ("提升发展", "encouraged"),
    "C": ("调整提升", "to be adjusted"),
    "D": ("整治淘汰", "to be rectified or eliminated"),
}
