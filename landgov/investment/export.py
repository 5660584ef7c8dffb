"""Available plots as an exportable layer (``/api/v1/exports/available_plots``).

The investment domain owns what the layer holds; ``landgov.io`` streams the query and
writes the formats (DESIGN Rulings).
"""

from __future__ import annotations

from landgov.investment.queries import sql
from landgov.tables import Field, Layer

PLOT_FIELDS: tuple[Field, ...] = (
    Field("unit_code", "不动产单元代码", "GB/T 37346 不动产单元代码 (一码)", short="单元码"),
    Field("area_mu", "面积(亩)", "按 EPSG:4549 计算, 两位小数", "real", short="面积亩"),
    Field("town_code", "镇街代码", "所在镇街的行政区划代码", short="镇街码"),
    Field("town_name", "镇街名称", "所在镇街", short="镇街"),
    Field("platforms", "所属平台", "所在开发区或平台, 顿号分隔", short="平台", parts=2),
    Field("status", "宗地状态代码", "idle 闲置 / cleared 已出清 / reclaimed 已盘活",
          short="状态码"),
    Field("land_use_code", "用地分类代码", "用地分类代码, 按其分类标准", short="地类码"),
    Field("available_from", "可供地日期", "进入可供状态、企业迁出或计划交地中最晚者",
          "date", short="可供日"),
    Field("investment_intensity", "投资强度下限", "万元/亩", "real", short="投资强"),
    Field("floor_area_ratio_min", "容积率下限", "容积率", "real", short="容积率"),
    Field("tax_per_mu", "亩均税收下限", "万元/亩", "real", short="亩均税"),
    Field("energy_max", "单位能耗上限", "吨标准煤/万元增加值", "real", short="能耗"),
    Field("emission_max", "单位排放上限", "千克/万元增加值", "real", short="排放"),
    Field("standard_source", "指标来源", "plot 地块设定 / platform 平台默认 / district 全区默认",
          short="指标源"),
)


def plot_layer(*, srid: int, town: str | None = None) -> Layer:
    """Available plots (optionally of one town), largest first."""
    where, params = (" AND t.code = :town", {"town": town}) if town is not None else ("", {})
    return Layer(
        name="available_plots", title="可供地块", fields=PLOT_FIELDS, spatial=True,
        sql=sql("export_select") + where + " ORDER BY a.area_mu DESC, a.unit_code",
        count_sql="SELECT count(*) FROM available_plot a LEFT JOIN town t ON t.id = a.town_id "
                  "WHERE true" + where,
        params={"srid": srid, **params},
    )
