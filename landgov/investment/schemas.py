"""The investment API contract: English snake_case fields with zh-CN titles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

ProjectStatus = Literal["negotiating", "signed", "landed", "paused", "dropped"]
AREA_MAX = 100_000.0  # 亩: far above any plot, far below an overflow


class ChainLinkOut(BaseModel):
    """One link of a chain and its neighbours."""

    link: str = Field(title="环节")
    position: int = Field(title="顺序")
    upstream: list[str] = Field(title="上游环节")
    downstream: list[str] = Field(title="下游环节")
    firm_count: int = Field(title="现有企业数")


class ChainOut(BaseModel):
    """An industry chain of the catalogue."""

    name: str = Field(title="产业链")
    description: str = Field(title="说明")
    links: list[ChainLinkOut] = Field(title="环节")


class _ProjectFields(BaseModel):
    model_config = ConfigDict(extra="forbid")

    investment_intensity_wan_per_mu: float | None = Field(
        default=None, ge=0, le=1_000_000, title="投资强度 (万元/亩)")
    floor_area_ratio: float | None = Field(default=None, gt=0, le=10, title="容积率")
    tax_per_mu_wan: float | None = Field(default=None, ge=0, le=100_000,
                                         title="亩均税收 (万元/亩)")
    energy_tce_per_wan: float | None = Field(default=None, ge=0, le=1000,
                                             title="单位能耗 (吨标准煤/万元增加值)")
    emission_kg_per_wan: float | None = Field(default=None, ge=0, le=100_000,
                                              title="单位排放 (千克/万元增加值)")
    land_needed_by: date | None = Field(default=None, title="期望用地时间")
    contact: str | None = Field(default=None, max_length=120, title="联系人")
    note: str | None = Field(default=None, max_length=2000, title="备注")


class ProjectCreate(_ProjectFields):
    """A new 招商项目."""

    name: str = Field(min_length=2, max_length=200, title="项目名称")
    chain: str = Field(max_length=40, title="产业链")
    link: str = Field(max_length=40, title="产业链环节")
    min_area_mu: float = Field(gt=0, le=AREA_MAX, title="用地需求下限 (亩)")
    max_area_mu: float = Field(gt=0, le=AREA_MAX, title="用地需求上限 (亩)")
    preferred_platforms: list[str] = Field(default_factory=list, max_length=10,
                                           title="意向平台 (代码或名称)")
    status: ProjectStatus = Field(default="negotiating", title="状态")


class ProjectUpdate(_ProjectFields):
    """A change to a project: only the fields given change."""

    name: str | None = Field(default=None, min_length=2, max_length=200, title="项目名称")
    chain: str | None = Field(default=None, max_length=40, title="产业链")
    link: str | None = Field(default=None, max_length=40, title="产业链环节")
    min_area_mu: float | None = Field(default=None, gt=0, le=AREA_MAX, title="用地需求下限 (亩)")
    max_area_mu: float | None = Field(default=None, gt=0, le=AREA_MAX, title="用地需求上限 (亩)")
    preferred_platforms: list[str] | None = Field(default=None, max_length=10,
                                                  title="意向平台 (代码或名称)")
    status: ProjectStatus | None = Field(default=None, title="状态")


class ProjectOut(BaseModel):
    """A project as stored."""

    id: int = Field(title="项目编号")
    name: str = Field(title="项目名称")
    chain: str = Field(title="产业链")
    link: str = Field(title="产业链环节")
    min_area_mu: float = Field(title="用地需求下限 (亩)")
    max_area_mu: float = Field(title="用地需求上限 (亩)")
    investment_intensity_wan_per_mu: float | None = Field(title="投资强度 (万元/亩)")
    floor_area_ratio: float | None = Field(title="容积率")
    tax_per_mu_wan: float | None = Field(title="亩均税收 (万元/亩)")
    energy_tce_per_wan: float | None = Field(title="单位能耗 (吨标准煤/万元增加值)")
    emission_kg_per_wan: float | None = Field(title="单位排放 (千克/万元增加值)")
    preferred_platforms: list[str] = Field(title="意向平台代码")
    preferred_platform_names: list[str] = Field(title="意向平台")
    land_needed_by: date | None = Field(title="期望用地时间")
    status: str = Field(title="状态")
    status_label: str = Field(title="状态 (中文)")
    contact: str | None = Field(title="联系人")
    note: str | None = Field(title="备注")
    version: int = Field(title="版本")
    created_by: str = Field(title="创建人")
    created_at: datetime = Field(title="创建时间")
    updated_at: datetime = Field(title="更新时间")


class ScorePart(BaseModel):
    """One part of a match's score."""

    name: str = Field(title="评分项")
    title: str = Field(title="评分项 (中文)")
    points: float = Field(title="得分")
    max_points: float = Field(title="满分")
    explanation: str = Field(title="说明")


class ShapeOut(BaseModel):
    """The usable-rectangle test (shape_fit.py)."""

    fits: bool = Field(title="可容纳所需矩形")
    share: float = Field(title="可容纳的需求面积比例")
    width_m: float = Field(title="矩形长 (米)")
    height_m: float = Field(title="矩形宽 (米)")
    angle_deg: float = Field(title="矩形方向 (度)")


class MatchOut(BaseModel):
    """One ranked plot or zone with its score explained."""

    kind: Literal["plot", "zone"] = Field(title="类型 (地块/片区)")
    code: str = Field(title="不动产单元代码或片区编号")
    area_mu: float = Field(title="面积 (亩)")
    town_name: str | None = Field(title="镇街")
    platforms: list[str] = Field(title="所在平台")
    available_from: date | None = Field(title="可供地日期")
    total: float = Field(title="总分 (100)")
    parts: list[ScorePart] = Field(title="分项")
    flagged: list[str] = Field(title="零分项")
    explanation: list[str] = Field(title="评分说明")
    shape: ShapeOut | None = Field(title="形状检验")
    geometry: dict[str, Any] = Field(title="几何 (EPSG:4490)")


class MatchesOut(BaseModel):
    """A project's ranked matches."""

    project: ProjectOut = Field(title="项目")
    weights: dict[str, float] = Field(title="各项满分")
    candidates: int = Field(title="候选数")
    shape_checked: int = Field(title="做过形状检验的候选数")
    control_line_recorded: bool = Field(title="控制线已录入")
    zones_included: bool = Field(title="含连片片区")
    results: list[MatchOut] = Field(title="匹配结果")


class PlotStandardIn(BaseModel):
    """A plot's own 标准地 indicators (fields left out fall back to the platform's)."""

    model_config = ConfigDict(extra="forbid")

    investment_intensity_wan_per_mu: float | None = Field(default=None, ge=0, le=1_000_000,
                                                          title="投资强度下限 (万元/亩)")
    floor_area_ratio_min: float | None = Field(default=None, gt=0, le=10, title="容积率下限")
    tax_per_mu_wan: float | None = Field(default=None, ge=0, le=100_000,
                                         title="亩均税收下限 (万元/亩)")
    energy_tce_per_wan_max: float | None = Field(default=None, ge=0, le=1000,
                                                 title="单位能耗上限 (吨标准煤/万元增加值)")
    emission_kg_per_wan_max: float | None = Field(default=None, ge=0, le=100_000,
                                                  title="单位排放上限 (千克/万元增加值)")
    building_coverage_min_pct: float | None = Field(default=None, ge=30, le=100,
                                                    title="建筑系数下限 (%)")
    admin_share_max_pct: float | None = Field(default=None, ge=0, le=7,
                                              title="行政办公及生活服务设施用地上限 (%)")
    deliverable_on: date | None = Field(default=None, title="计划交地日期")


class PlotCollection(BaseModel):
    """Available plots (GeoJSON FeatureCollection); see docs/investment.md for properties."""

    type: Literal["FeatureCollection"] = Field(title="类型")
    numberMatched: int = Field(title="符合条件的地块数")  # noqa: N815 (GeoJSON/OGC name)
    numberReturned: int = Field(title="本页地块数")  # noqa: N815
    links: list[dict[str, str]] = Field(title="链接")
    features: list[dict[str, Any]] = Field(title="地块")
