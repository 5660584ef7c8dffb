"""The parcel API contract: English snake_case fields with Chinese titles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from landgov.parcels.vocabulary import LAND_RIGHT_TYPE, LAND_STATUS, LAND_USE, LAND_USE_VINTAGE

GeoJSONGeometry = dict[str, Any]


class Occupant(BaseModel):
    """A firm on the parcel."""

    uscc: str = Field(title="统一社会信用代码")
    name: str = Field(title="企业名称")
    share: float = Field(title="用地份额")
    tenure: str = Field(title="用地方式", description="owned 自有 / leased 租用")


class ParcelProperties(BaseModel):
    """What a parcel feature says about the parcel."""

    unit_code: str = Field(title="不动产单元代码")
    fid: int = Field(title="要素编号", description="Stable integer id per unit code")
    version: int = Field(title="版本")
    area_mu: float = Field(title="面积(亩)", description="Computed by the database in EPSG:4549")
    town_code: str | None = Field(title="镇街代码")
    town_name: str | None = Field(title="镇街")
    platforms: list[str] = Field(title="所在平台")
    name: str | None = Field(title="宗地名称")
    land_use_code: str = Field(title="用地分类代码")
    land_use_vintage: str = Field(title="分类标准")
    land_right_type: str | None = Field(title="土地权利类型")
    right_start_date: date | None = Field(title="权利起始日期")
    right_end_date: date | None = Field(title="权利终止日期")
    status: str = Field(title="宗地状态")
    evaluation_class: str | None = Field(title="评价类别", description="A/B/C/D, by share of land")
    two_low_two_high: bool = Field(title="两低两高")
    colour: str | None = Field(title="一码状态色", description="green / yellow / red / grey")
    note: str | None = Field(title="备注")
    enterprises: list[Occupant] = Field(title="用地企业")
    valid_from: datetime = Field(title="本版本生效时间")


class ParcelFeature(BaseModel):
    """A parcel as a GeoJSON Feature (geometry in EPSG:4490 lon/lat)."""

    type: Literal["Feature"] = "Feature"
    id: str = Field(title="不动产单元代码")
    geometry: GeoJSONGeometry = Field(title="几何 (MultiPolygon, EPSG:4490)")
    properties: ParcelProperties


class Link(BaseModel):
    """A paging link."""

    href: str
    rel: str
    type: str = "application/geo+json"


class ParcelCollection(BaseModel):
    """A page of parcels."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[ParcelFeature]
    number_matched: int = Field(alias="numberMatched", title="符合条件总数")
    number_returned: int = Field(alias="numberReturned", title="本页数量")
    links: list[Link] = Field(title="分页链接")


class ParcelAttributes(BaseModel):
    """Attributes an officer may set; codes come from the code lists."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, max_length=120, title="宗地名称")
    land_use_code: str | None = Field(default=None, max_length=8, title="用地分类代码")
    land_use_vintage: str | None = Field(default=None, title="分类标准",
                                         description=", ".join(LAND_USE_VINTAGE))
    land_right_type: str | None = Field(default=None, title="土地权利类型",
                                        description=", ".join(LAND_RIGHT_TYPE))
    right_start_date: date | None = Field(default=None, title="权利起始日期")
    right_end_date: date | None = Field(default=None, title="权利终止日期")
    status: str | None = Field(default=None, title="宗地状态", description=", ".join(LAND_STATUS))
    note: str | None = Field(default=None, max_length=2000, title="备注")


class ParcelCreate(ParcelAttributes):
    """A new parcel: its geometry and attributes; the code is issued by the server."""

    geometry: GeoJSONGeometry = Field(title="几何 (Polygon/MultiPolygon)")
    crs: str = Field(default="EPSG:4490", title="几何坐标参考系")
    land_use_code: str = Field(default="0601", max_length=8, title="用地分类代码")
    land_use_vintage: str = Field(default="gbt21010_2017", title="分类标准")
    status: str = Field(default="supplied", title="宗地状态")
    feature_code: str = Field(default="GB", pattern="^[GJZ][ABSXCDELNFHWY]$", title="宗地特征码")


class ParcelUpdate(ParcelAttributes):
    """A change to a parcel: any attributes and/or a new geometry."""

    geometry: GeoJSONGeometry | None = Field(default=None, title="新几何")
    crs: str = Field(default="EPSG:4490", title="几何坐标参考系")

    @model_validator(mode="after")
    def _not_empty(self) -> ParcelUpdate:
        if not self.model_fields_set - {"crs"}:
            raise ValueError("没有要修改的内容")
        return self


class SplitRequest(BaseModel):
    """Split a parcel by a line drawn across it."""

    model_config = ConfigDict(extra="forbid")
    line: GeoJSONGeometry = Field(title="分割线 (LineString)")
    crs: str = Field(default="EPSG:4490", title="坐标参考系")


class MergeMember(BaseModel):
    """A parcel to merge, with the version the officer saw."""

    unit_code: str = Field(min_length=28, max_length=28, title="不动产单元代码")
    version: int = Field(ge=1, title="版本")


class MergeRequest(BaseModel):
    """Merge adjacent parcels into one new parcel."""

    model_config = ConfigDict(extra="forbid")
    parcels: list[MergeMember] = Field(min_length=2, max_length=50, title="被合并宗地")
    attributes: ParcelAttributes | None = Field(default=None, title="新宗地属性")


class WriteResult(BaseModel):
    """What a write did: the codes it produced and any warnings."""

    unit_codes: list[str] = Field(title="生成或修改的不动产单元代码")
    retired_codes: list[str] = Field(default_factory=list, title="注销的代码")
    version: int | None = Field(default=None, title="新版本")
    warnings: list[str] = Field(default_factory=list, title="警告")


class ParcelVersion(BaseModel):
    """One version of a parcel's record."""

    version: int = Field(title="版本")
    valid_from: datetime = Field(title="生效时间")
    valid_to: datetime | None = Field(title="失效时间")
    area_mu: float = Field(title="面积(亩)")
    name: str | None = Field(title="宗地名称")
    land_use_code: str = Field(title="用地分类代码")
    land_use_vintage: str = Field(title="分类标准")
    land_right_type: str | None = Field(title="土地权利类型")
    status: str = Field(title="宗地状态")
    note: str | None = Field(title="备注")
    geometry: GeoJSONGeometry = Field(title="几何")


class LineageEntry(BaseModel):
    """A parent → child link."""

    parent_code: str = Field(title="原宗地代码")
    child_code: str = Field(title="新宗地代码")
    kind: str = Field(title="类型", description="split 分割 / merge 合并")
    recorded_at: datetime = Field(title="记录时间")


class ParcelEvent(BaseModel):
    """Who changed the parcel, when, and in which request (from the audit trail)."""

    occurred_at: datetime = Field(title="时间")
    actor: str = Field(title="操作者")
    action: str = Field(title="动作")
    version_before: int | None = Field(title="修改前版本")
    version_after: int | None = Field(title="修改后版本")
    request_id: str | None = Field(title="请求编号")


class ParcelHistory(BaseModel):
    """A parcel's versions, lineage, and the audit events that made them."""

    unit_code: str = Field(title="不动产单元代码")
    issued_at: datetime = Field(title="赋码时间")
    retired_at: datetime | None = Field(title="注销时间")
    versions: list[ParcelVersion] = Field(title="历史版本")
    lineage: list[LineageEntry] = Field(title="分割合并谱系")
    events: list[ParcelEvent] = Field(title="操作记录")


class SearchHit(BaseModel):
    """A parcel found by code, USCC or firm name, with its box to zoom to."""

    unit_code: str = Field(title="不动产单元代码")
    name: str | None = Field(title="宗地名称")
    town_name: str | None = Field(title="镇街")
    area_mu: float = Field(title="面积(亩)")
    enterprises: list[str] = Field(title="用地企业")
    bbox: list[float] = Field(title="范围 (经纬度 minx, miny, maxx, maxy)")


class SearchResult(BaseModel):
    """Search hits, code matches first."""

    query: str = Field(title="检索词")
    hits: list[SearchHit] = Field(title="结果")


class CodeItem(BaseModel):
    """One code of a code list with its Chinese label."""

    code: str = Field(title="代码")
    label: str = Field(title="名称")


class Vocabulary(BaseModel):
    """The parcel record's code lists, for forms (the server checks the same lists)."""

    land_use_vintage: list[CodeItem] = Field(title="用地分类标准")
    land_use: dict[str, list[CodeItem]] = Field(title="用地分类代码 (按分类标准)")
    land_right_type: list[CodeItem] = Field(title="土地权利类型")
    status: list[CodeItem] = Field(title="宗地状态")
    lineage_kind: list[CodeItem] = Field(title="谱系类型")


def land_use_known(vintage: str, code: str) -> bool:
    """Whether ``code`` is in the code list of ``vintage``."""
    return code in LAND_USE.get(vintage, {})
