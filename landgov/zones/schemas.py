"""API contract of zone builds, zones and the comparison of two builds."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from landgov.parcels.schemas import GeoJSONGeometry, Link

Source = Literal["two_low_two_high", "governance_list", "vacated", "reclaimed"]
SOURCES: dict[str, str] = {
    "two_low_two_high": "两低两高企业用地",
    "governance_list": "治理清单企业用地",
    "vacated": "闲置或已出清宗地",
    "reclaimed": "已盘活未再出让宗地",
}


class BuildRequest(BaseModel):
    """Parameters of a zone build; each left out takes its configured default."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    year: int | None = Field(default=None, ge=1990, le=2100, title="年度",
                             description="Default: the year of the latest evaluation run")
    tolerance_m: float | None = Field(
        default=None, ge=0, title="连片容差 (米)",
        description="Parcels at most this far apart (a road, a gap) are contiguous; "
        "at most LANDGOV_ZONE_MAX_TOLERANCE_M (200)")
    min_area_mu: float | None = Field(default=None, ge=0, le=1_000_000,
                                      title="最小片区面积 (亩, 成员用地)")
    sources: list[Source] | None = Field(default=None, min_length=1, max_length=4,
                                         title="候选来源", description=", ".join(SOURCES))


class BuildParameters(BaseModel):
    """The parameters a build ran with (defaults filled in)."""

    tolerance_m: float = Field(title="连片容差 (米)")
    min_area_mu: float = Field(title="最小片区面积 (亩)")
    sources: list[str] = Field(title="候选来源")
    list_classes: list[str] = Field(default_factory=list, title="治理清单类别")
    list_two_low_two_high: bool = Field(default=True, title="治理清单含两低两高")


class BuildSummary(BaseModel):
    """A stored build and its counts."""

    id: int = Field(title="批次")
    built_at: datetime = Field(title="生成时间")
    year: int = Field(title="年度")
    evaluation_run_id: int | None = Field(title="所用评价批次")
    parameters: BuildParameters = Field(title="参数")
    actor: str = Field(title="执行者")
    candidate_count: int = Field(title="候选宗地数")
    cluster_count: int = Field(title="连片簇数 (含小于阈值的)")
    zone_count: int = Field(title="片区数")
    member_count: int = Field(title="片区内宗地数")
    area_mu: float = Field(title="片区总面积 (亩, 轮廓)")
    net_area_mu: float = Field(title="片区净面积 (亩, 成员宗地)")
    elapsed_ms: int | None = Field(title="耗时 (毫秒)")


class ZoneProperties(BaseModel):
    """What a zone is: areas, shape, where it lies, how far its governance has come."""

    code: str = Field(title="片区编号")
    build_id: int = Field(title="批次")
    area_mu: float = Field(title="总面积 (亩)", description="轮廓面积, 含其间道路与小间隙")
    net_area_mu: float = Field(title="净面积 (亩)", description="成员宗地面积之和")
    compactness: float = Field(title="紧凑度", description="Polsby-Popper 4πA/P², 正方形 0.785")
    member_count: int = Field(title="宗地数")
    firm_count: int = Field(title="企业数")
    town_codes: list[str] = Field(title="镇街代码")
    town_names: list[str] = Field(title="镇街")
    platform_codes: list[str] = Field(title="平台代码")
    platform_names: list[str] = Field(title="平台")
    progress: float = Field(title="治理进度", description="已出清/已盘活/已再出让宗地占比")
    status_counts: dict[str, int] = Field(title="宗地状态计数")
    case_counts: dict[str, int] | None = Field(default=None, title="治理案件状态计数")


class ZoneFeature(BaseModel):
    """A zone as a GeoJSON Feature (EPSG:4490)."""

    type: Literal["Feature"] = "Feature"
    id: str = Field(title="片区编号")
    geometry: GeoJSONGeometry = Field(title="轮廓 (MultiPolygon, EPSG:4490)")
    properties: ZoneProperties


class ZoneCollection(BaseModel):
    """A page of the zones of one build."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    build_id: int | None = Field(title="批次")
    features: list[ZoneFeature]
    number_matched: int = Field(alias="numberMatched", title="符合条件总数")
    number_returned: int = Field(alias="numberReturned", title="本页数量")
    links: list[Link] = Field(title="分页链接")


class MemberFirm(BaseModel):
    """A firm on a member parcel when the build ran."""

    uscc: str = Field(title="统一社会信用代码")
    name: str = Field(title="企业名称")
    share: float = Field(title="份额")
    tenure: str = Field(title="用地方式")


class Member(BaseModel):
    """A member parcel of a zone."""

    unit_code: str = Field(title="不动产单元代码")
    area_mu: float = Field(title="面积 (亩)")
    status: str = Field(title="宗地状态 (生成时)")
    sources: list[str] = Field(title="入选原因")
    firms: list[MemberFirm] = Field(title="用地企业")


class ZoneFirm(BaseModel):
    """A firm using land in the zone, with the land it uses there."""

    uscc: str = Field(title="统一社会信用代码")
    name: str = Field(title="企业名称")
    land_mu: float = Field(title="片区内用地 (亩)")


class ZoneDetail(ZoneProperties):
    """A zone with its outline, members and firms."""

    geometry: dict[str, Any] = Field(title="轮廓 (GeoJSON, EPSG:4490)")
    built_at: datetime = Field(title="生成时间")
    year: int = Field(title="年度")
    perimeter_m: float = Field(title="周长 (米)")
    members: list[Member] = Field(title="成员宗地")
    firms: list[ZoneFirm] = Field(title="用地企业")


class ZoneBrief(BaseModel):
    """A zone in a comparison."""

    code: str = Field(title="片区编号")
    area_mu: float = Field(title="总面积 (亩)")
    net_area_mu: float = Field(title="净面积 (亩)")


class ZoneChange(BaseModel):
    """A zone of the later build and the zones of the earlier one it overlaps."""

    to_code: str = Field(title="新批次片区")
    from_codes: list[str] = Field(title="旧批次重叠片区")
    change: Literal["grown", "shrunk", "unchanged"] = Field(title="变化")
    merged: bool = Field(title="由多个旧片区合并")
    from_area_mu: float = Field(title="旧面积 (亩)")
    to_area_mu: float = Field(title="新面积 (亩)")
    delta_mu: float = Field(title="面积变化 (亩)")
    overlap_mu: float = Field(title="重叠面积 (亩)")


class Comparison(BaseModel):
    """What changed between two builds, matched by overlap."""

    from_build: int = Field(title="旧批次")
    to_build: int = Field(title="新批次")
    new: list[ZoneBrief] = Field(title="新出现")
    gone: list[ZoneBrief] = Field(title="已消失")
    changed: list[ZoneChange] = Field(title="延续 (增大 / 缩小 / 不变)")
    counts: dict[str, int] = Field(title="计数")
