"""Request and response shapes of the 盘活 ledger and its progress report."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from landgov.reclamation.vocabulary import MODES

GeoJSONGeometry = dict[str, Any]


class RecordCreate(BaseModel):
    """A piece of land brought back into use (盘活)."""

    unit_code: str = Field(min_length=28, max_length=28, title="不动产单元代码",
                           description="the current parcel the land lies in")
    case_id: int | None = Field(default=None, ge=1, title="治理案件编号",
                                description="optional; the case must be 已出清")
    geometry: GeoJSONGeometry | None = Field(
        default=None, title="盘活范围 (Polygon/MultiPolygon)",
        description="omitted: the whole parcel; else a part lying within the parcel")
    crs: str = Field(default="EPSG:4490", max_length=60, title="几何坐标参考系")
    reclaimed_on: date = Field(title="盘活日期", description="not in the future (Asia/Shanghai)")
    mode: str = Field(max_length=24, title="盘活方式", description=", ".join(
        f"{k} {v}" for k, v in MODES.items()))
    new_use: str = Field(min_length=1, max_length=200, title="新用途")
    note: str | None = Field(default=None, max_length=2000, title="备注")


class Record(BaseModel):
    """A ledger record as stored."""

    id: int = Field(title="登记编号")
    case_id: int | None = Field(title="治理案件编号")
    unit_code: str = Field(title="不动产单元代码")
    town_code: str | None = Field(title="镇街代码")
    town_name: str | None = Field(title="镇街")
    reclaimed_on: date = Field(title="盘活日期")
    mode: str = Field(title="盘活方式代码")
    mode_label: str = Field(title="盘活方式")
    new_use: str = Field(title="新用途")
    note: str | None = Field(title="备注")
    whole_parcel: bool = Field(title="整宗盘活")
    area_mu: float = Field(title="登记面积 (亩)")
    new_mu: float | None = Field(title="首次盘活面积 (亩)",
                                 description="ground no earlier record had brought back")
    recorded_by: str = Field(title="登记人")
    recorded_at: datetime = Field(title="登记时间")
    geometry: GeoJSONGeometry = Field(title="盘活范围 (EPSG:4490)")
    warnings: list[str] = Field(default_factory=list, title="提示")


class RecordPage(BaseModel):
    """A page of ledger records."""

    items: list[Record] = Field(title="登记")
    total: int = Field(title="符合条件的登记数")
    limit: int = Field(title="每页条数")
    offset: int = Field(title="偏移")


class ProgressRow(BaseModel):
    """One period, town or mode of the progress report."""

    key: str = Field(title="键", description="YYYY, YYYY-MM, town code or mode code")
    label: str = Field(title="名称")
    union_mu: float = Field(title="盘活面积 (亩, 按并集计一次)")
    sum_mu: float = Field(title="登记面积合计 (亩, 简单相加)")
    records: int = Field(title="登记数")
    cumulative_union_mu: float | None = Field(default=None, title="累计盘活面积 (亩, 期末)")
    cumulative_sum_mu: float | None = Field(default=None, title="累计登记面积合计 (亩, 期末)")
    target_mu: float | None = Field(default=None, title="任务面积 (亩, 镇街分解)")
    percent: float | None = Field(default=None, title="完成率 (%)")


class Projection(BaseModel):
    """Linear trend of the last months, carried to the deadline."""

    months_used: int = Field(title="参与推算的月数")
    monthly_rate_mu: float = Field(title="近期月均盘活 (亩/月)")
    months_left: float = Field(title="距截止剩余月数")
    projected_mu: float = Field(title="按趋势截止时累计 (亩)")
    needed_monthly_mu: float = Field(title="完成任务所需月均 (亩/月)")
    on_track: bool = Field(title="按趋势能否完成")
    series: list[dict[str, Any]] = Field(title="推算曲线",
                                         description="[{month, cumulative_mu}] to the deadline")


class Block(BaseModel):
    """A contiguous block of reclaimed land."""

    area_mu: float = Field(title="面积 (亩)")
    records: int = Field(title="登记数")


class Blocks(BaseModel):
    """100 亩+ contiguous blocks done against the plan."""

    eps_m: float = Field(title="连片判定距离 (米)")
    min_mu: float = Field(title="连片面积下限 (亩)")
    done: int = Field(title="已完成连片数")
    planned: int | None = Field(title="计划连片数", description="configured; null: not set")
    items: list[Block] = Field(title="连片")


class Progress(BaseModel):
    """Progress of 盘活 against the target."""

    by: str = Field(title="分组")
    start: date = Field(title="起始日期")
    end: date = Field(title="截止日期 (统计至)")
    town: str | None = Field(title="镇街代码 (仅本镇街)")
    target_mu: float = Field(title="任务面积 (亩)")
    deadline: date = Field(title="任务截止日期")
    cumulative_union_mu: float = Field(title="累计盘活面积 (亩, 并集)")
    cumulative_sum_mu: float = Field(title="累计登记面积合计 (亩, 简单相加)")
    overlap_mu: float = Field(title="重复登记面积 (亩) = 合计 − 并集")
    percent: float = Field(title="完成率 (%)")
    in_range_union_mu: float = Field(title="期间新增盘活 (亩, 并集)")
    in_range_sum_mu: float = Field(title="期间登记面积合计 (亩)")
    rows: list[ProgressRow] = Field(title="分组明细")
    projection: Projection = Field(title="趋势推算")
    blocks: Blocks = Field(title="连片盘活")
