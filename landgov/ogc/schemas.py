"""The OGC API contract: OGC member names (camelCase aliases) with zh-CN titles.

Feature bodies are built by PostGIS as text for speed; these models document them in
OpenAPI (and so in the schemathesis run) and shape the small JSON documents.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

GeoJSONGeometry = dict[str, Any]


class _OgcModel(BaseModel):
    model_config = ConfigDict(populate_by_name=True)


class Link(_OgcModel):
    """A link as OGC API documents carry them."""

    href: str = Field(title="地址")
    rel: str = Field(title="关系")
    type: str | None = Field(default=None, title="媒体类型")
    title: str | None = Field(default=None, title="标题")


class LandingPage(_OgcModel):
    """The root of the OGC API."""

    title: str = Field(title="标题")
    description: str = Field(title="说明")
    links: list[Link] = Field(title="链接")


class Conformance(_OgcModel):
    """The conformance classes this server implements."""

    conforms_to: list[str] = Field(alias="conformsTo", title="符合的一致性类")


class SpatialExtent(_OgcModel):
    """Bounding box of the current features (CRS84)."""

    bbox: list[list[float]] = Field(title="范围")
    crs: str = Field(title="坐标参考系")


class TemporalExtent(_OgcModel):
    """From the first recorded version to now (open end)."""

    interval: list[list[str | None]] = Field(title="时间范围")
    trs: str = Field(title="时间参考系")


class Extent(_OgcModel):
    """Spatial and temporal extent of a collection."""

    spatial: SpatialExtent | None = Field(default=None, title="空间范围")
    temporal: TemporalExtent | None = Field(default=None, title="时间范围")


class CollectionInfo(_OgcModel):
    """One collection's metadata."""

    id: str = Field(title="集合编号")
    title: str = Field(title="标题")
    description: str = Field(title="说明")
    keywords: list[str] = Field(default_factory=list, title="关键词")
    links: list[Link] = Field(title="链接")
    extent: Extent | None = Field(default=None, title="范围")
    item_type: str = Field(default="feature", alias="itemType", title="要素类型")
    crs: list[str] | None = Field(default=None, title="可用坐标参考系")
    storage_crs: str | None = Field(default=None, alias="storageCrs", title="存储坐标参考系")


class CollectionList(_OgcModel):
    """The collections the caller may read."""

    links: list[Link] = Field(title="链接")
    collections: list[CollectionInfo] = Field(title="集合")


class Feature(_OgcModel):
    """A GeoJSON Feature (geometry in the response's ``Content-Crs``)."""

    type: Literal["Feature"] = "Feature"
    id: str = Field(title="要素编号")
    geometry: GeoJSONGeometry | None = Field(title="几何")
    properties: dict[str, Any] = Field(title="属性")
    links: list[Link] | None = Field(default=None, title="链接")


class FeatureCollection(_OgcModel):
    """A page of features."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[Feature] = Field(title="要素")
    number_matched: int = Field(alias="numberMatched", title="符合条件总数")
    number_returned: int = Field(alias="numberReturned", title="本页数量")
    time_stamp: str = Field(alias="timeStamp", title="响应时间")
    links: list[Link] = Field(title="链接 (self / next / prev / collection)")


class Queryables(_OgcModel):
    """The queryable properties as a JSON Schema (OGC API - Features Part 3)."""

    schema_uri: str = Field(alias="$schema", title="JSON Schema 版本")
    id_uri: str = Field(alias="$id", title="本文档地址")
    type: Literal["object"] = "object"
    title: str = Field(title="标题")
    properties: dict[str, dict[str, Any]] = Field(title="可查询属性")
    additional_properties: bool = Field(default=False, alias="additionalProperties")


class FeatureIn(_OgcModel):
    """A parcel as a GeoJSON Feature for POST / PUT (geometry in the request's CRS).

    ``id`` is ignored (the server issues codes); read-only properties a GET returned
    (area, town, version …) may be sent back and are ignored; unknown ones are refused.
    """

    model_config = ConfigDict(extra="ignore")

    type: Literal["Feature"] = Field(title="类型")
    geometry: GeoJSONGeometry = Field(title="几何 (Polygon / MultiPolygon)")
    properties: dict[str, Any] = Field(default_factory=dict, title="属性")
    id: str | int | None = Field(default=None, title="要素编号 (忽略)")


class FeaturePatch(_OgcModel):
    """A partial Feature for PATCH (JSON merge patch): what is sent is changed."""

    model_config = ConfigDict(extra="ignore")

    type: Literal["Feature"] | None = Field(default=None, title="类型")
    geometry: GeoJSONGeometry | None = Field(default=None, title="新几何")
    properties: dict[str, Any] = Field(default_factory=dict, title="要修改的属性")
