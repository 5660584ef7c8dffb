"""The tile API's JSON: TileJSON 3.0.0 and the tile matrix set listing."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class VectorLayerInfo(BaseModel):
    """One entry of TileJSON ``vector_layers``."""

    id: str = Field(title="图层名 (MVT layer)")
    description: str = Field(default="", title="说明")
    minzoom: int = Field(title="最小缩放级别")
    maxzoom: int = Field(title="最大缩放级别")
    fields: dict[str, str] = Field(title="属性字段及说明")


class TileJSON(BaseModel):
    """TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0)."""

    tilejson: str = Field(default="3.0.0", title="TileJSON 版本")
    name: str = Field(title="名称")
    description: str = Field(default="", title="说明")
    version: str = Field(default="1.0.0", title="版本")
    attribution: str = Field(default="", title="数据来源")
    scheme: str = Field(default="xyz", title="行号方向 (xyz: 自上而下)")
    tiles: list[str] = Field(title="瓦片 URL 模板")
    minzoom: int = Field(title="最小缩放级别")
    maxzoom: int = Field(title="最大缩放级别")
    bounds: list[float] = Field(title="范围 (经度, 纬度)")
    center: list[float] = Field(title="中心 (经度, 纬度, 缩放级别)")
    vector_layers: list[VectorLayerInfo] | None = Field(default=None, title="矢量图层")
    tilematrixset: str = Field(title="瓦片矩阵集 (landgov 扩展)")
    hooks: list[str] | None = Field(default=None, title="待其他模块提供的属性 (landgov 扩展)")


class TileMatrixSetInfo(BaseModel):
    """A tile matrix set on offer, and where its OGC definition is."""

    id: str = Field(title="标识")
    title: str = Field(title="名称")
    crs: str = Field(title="坐标参考系")
    description: str = Field(title="说明")
    minzoom: int = Field(title="最小级别")
    maxzoom: int = Field(title="最大级别")


TileMatrixSetDocument = dict[str, Any]
