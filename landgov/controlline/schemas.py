"""The control-line API contract (English field names, zh-CN titles)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

GeoJSONGeometry = dict[str, Any]


class LineFeature(BaseModel):
    """One polygon of the line as a GeoJSON Feature; ``properties.name`` names it."""

    type: Literal["Feature"] = Field(default="Feature", title="类型")
    geometry: GeoJSONGeometry = Field(title="几何 (Polygon/MultiPolygon)")
    properties: dict[str, Any] = Field(default_factory=dict, title="属性 (name 名称)")


class LineImport(BaseModel):
    """A GeoJSON FeatureCollection of line polygons, imported all-or-nothing."""

    model_config = ConfigDict(extra="forbid")
    type: Literal["FeatureCollection"] = Field(default="FeatureCollection", title="类型")
    features: list[LineFeature] = Field(min_length=1, max_length=5000, title="控制线图斑")
    crs: str = Field(default="EPSG:4490", max_length=200, title="坐标参考系")
    replace: bool = Field(default=False, title="替换现有控制线 (补充图斑保留)")
    note: str | None = Field(default=None, max_length=500, title="说明")


class ImportResult(BaseModel):
    """What an import wrote."""

    ids: list[int] = Field(title="新图斑编号")
    retired: int = Field(title="注销的旧图斑数")
    line_total_mu: float = Field(title="控制线总面积(亩)")
    crs: str = Field(title="来源坐标参考系")


class AdditionCreate(BaseModel):
    """补: a polygon added to the line."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=120, title="补充图斑名称")
    geometry: GeoJSONGeometry = Field(title="几何 (Polygon/MultiPolygon)")
    crs: str = Field(default="EPSG:4490", max_length=200, title="坐标参考系")
    added_on: date | None = Field(default=None, title="补充日期 (默认今天)")
    note: str | None = Field(default=None, max_length=500, title="说明")


class Addition(BaseModel):
    """A recorded addition."""

    id: int = Field(title="补充记录编号")
    line_id: int = Field(title="控制线图斑编号")
    name: str = Field(title="补充图斑名称")
    added_on: date = Field(title="补充日期")
    area_mu: float = Field(title="面积(亩)")
    recorded_at: datetime = Field(title="登记时间")
    note: str | None = Field(title="说明")


class ConversionCreate(BaseModel):
    """占: a parcel inside the line leaving industrial use, with its compensation."""

    model_config = ConfigDict(extra="forbid")
    unit_code: str = Field(min_length=28, max_length=28, title="不动产单元代码")
    version: int | None = Field(default=None, ge=1, title="编辑时的宗地版本 (乐观锁)")
    land_use_code: str | None = Field(default=None, max_length=8, title="新用地分类代码")
    land_use_vintage: str | None = Field(default=None, max_length=16, title="新分类标准")
    retire: bool = Field(default=False, title="注销宗地 (而非改变用途)")
    addition_ids: list[int] = Field(default_factory=list, max_length=50,
                                    title="抵补的补充记录 (按顺序使用, 先补后占)")
    addition: AdditionCreate | None = Field(default=None,
                                            title="同时登记的补充图斑 (改一补一)")
    converted_on: date | None = Field(default=None, title="转用日期 (默认今天)")
    note: str | None = Field(default=None, max_length=500, title="说明")


class Offset(BaseModel):
    """The part of a conversion one addition covers."""

    addition_id: int = Field(title="补充记录编号")
    area_mu: float = Field(title="抵补面积(亩)")


class Conversion(BaseModel):
    """A recorded conversion and how it was covered."""

    id: int = Field(title="转用记录编号")
    unit_code: str = Field(title="不动产单元代码")
    parcel_version: int = Field(title="转用前宗地版本")
    new_version: int | None = Field(title="转用后宗地版本 (注销时为空)")
    area_mu: float = Field(title="控制线内转用面积(亩)")
    offsets: list[Offset] = Field(title="抵补明细")
    addition: Addition | None = Field(default=None, title="同时登记的补充")


class LedgerEntry(BaseModel):
    """One addition or conversion with the running figures after it."""

    kind: Literal["addition", "conversion"] = Field(title="类型 (补 / 占)")
    id: int = Field(title="记录编号")
    recorded_at: datetime = Field(title="登记时间")
    effective_on: date = Field(title="补充 / 转用日期")
    area_mu: float = Field(title="面积(亩)")
    unit_code: str | None = Field(title="宗地代码 (转用)")
    name: str = Field(title="补充图斑名称 / 新用途")
    note: str | None = Field(title="说明")
    line_total_mu: float = Field(title="控制线总面积(亩), 只增不减")
    added_total_mu: float = Field(title="累计补充(亩)")
    converted_total_mu: float = Field(title="累计转用(亩)")
    credit_mu: float = Field(title="未使用的补充余额(亩), 不为负")
    net_total_mu: float = Field(title="扣除转用后的控制线保有量(亩)")


class LedgerPair(BaseModel):
    """An addition ↔ conversion pairing."""

    addition_id: int = Field(title="补充记录编号")
    addition_name: str = Field(title="补充图斑名称")
    added_on: date = Field(title="补充日期")
    addition_area_mu: float = Field(title="补充面积(亩)")
    conversion_id: int = Field(title="转用记录编号")
    unit_code: str = Field(title="不动产单元代码")
    parcel_version: int = Field(title="转用前宗地版本")
    from_use_code: str | None = Field(title="原用途")
    to_use_code: str | None = Field(title="新用途 (注销为空)")
    converted_on: date = Field(title="转用日期")
    conversion_area_mu: float = Field(title="转用面积(亩)")
    offset_mu: float = Field(title="本对抵补面积(亩)")


class Ledger(BaseModel):
    """The 占补 ledger: current figures, every entry and every pair."""

    line_total_mu: float = Field(title="控制线总面积(亩)")
    added_total_mu: float = Field(title="累计补充(亩)")
    converted_total_mu: float = Field(title="累计转用(亩)")
    credit_mu: float = Field(title="未使用的补充余额(亩)")
    entries: list[LedgerEntry] = Field(title="台账 (按登记时间)")
    pairs: list[LedgerPair] = Field(title="占补配对")


class AreaAt(BaseModel):
    """The line and its industrial land on a date."""

    on: date = Field(title="日期")
    at: datetime = Field(title="统计时点 (当日结束)")
    line_mu: float = Field(title="控制线总面积(亩)")
    industrial_mu: float = Field(title="控制线内工业用地面积(亩)")
    parcels: int = Field(title="控制线内工业宗地数")
