"""``/api/v1/exports/{layer}?format=``: lists and layers in the formats users take away.

One route shape for every layer (DESIGN Rulings); each layer is its own route so it
carries its own guard. The owning domain builds the rows; this package writes formats.
Files are written into a temporary directory that is removed once the response has
been sent (a background task), or at once when the export is refused.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse, StreamingResponse
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask

from landgov.auth.guard import EvaluationReader, ExportReader
from landgov.deps import BBoxDep, SessionDep
from landgov.errors import FieldError, InvalidInput
from landgov.governance import service
from landgov.governance.export import baseline_layer
from landgov.governance.tables import baseline_table, governance_table
from landgov.investment.export import plot_layer
from landgov.io.csv_writer import csv_chunks
from landgov.io.options import MEDIA, ExportOptions, parse_options
from landgov.io.service import export_layer
from landgov.io.xlsx import write_xlsx
from landgov.parcels.export import parcel_layer
from landgov.reclamation.export import reclaimed_layer
from landgov.settings import get_settings
from landgov.tables import Layer, Table
from landgov.zones.export import zone_layer

router = APIRouter(prefix="/api/v1/exports", tags=["导出"])
Format = Annotated[Literal["xlsx", "csv", "shp", "gpkg", "geojson"], Query(title="格式")]
Crs = Annotated[str, Query(max_length=40, title="坐标参考系",
                           description="EPSG:4490 (经纬度, 默认) 或 EPSG:4549 (高斯-克吕格 120°E)")]
Encoding = Annotated[str, Query(max_length=10, title="Shapefile 属性编码",
                                description="gbk (默认, 国内桌面 GIS 习惯) 或 utf-8")]
Year = Annotated[int, Query(ge=1990, le=2100, title="年度")]
Town = Annotated[str | None, Query(max_length=12, title="镇街代码")]
Status = Annotated[str | None, Query(max_length=30, title="宗地状态代码")]
XLSX = MEDIA["xlsx"]
FILE_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {m: {} for m in MEDIA.values()}, "description": "文件"}}


def _send(table: Table, fmt: str, filename: str) -> StreamingResponse:
    disposition = f"attachment; filename*=UTF-8''{quote(filename)}.{fmt}"
    if fmt == "csv":
        return StreamingResponse(csv_chunks(table), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": disposition})
    buffer = io.BytesIO()
    write_xlsx(table, buffer)
    return StreamingResponse(iter([buffer.getvalue()]), media_type=XLSX,
                             headers={"Content-Disposition": disposition})


def _file(session: Session, layer: Layer, options: ExportOptions) -> FileResponse:
    out = export_layer(session, layer, options)
    return FileResponse(out.path, media_type=out.media_type, filename=out.download_name,
                        background=BackgroundTask(out.cleanup))


@router.get("/parcels", summary="导出宗地", response_class=FileResponse,
            responses=FILE_RESPONSES)
def export_parcels(principal: ExportReader, session: SessionDep, bbox: BBoxDep,
                   format: Format = "shp", crs: Crs = "EPSG:4490", encoding: Encoding = "gbk",
                   town: Town = None, status: Status = None) -> FileResponse:
    """Current parcels as shp (zip) / gpkg / geojson / csv / xlsx.

    Filtered by town, status and lon/lat bbox; a town officer gets its own town only.
    """
    options = parse_options(format, crs, encoding)
    layer = parcel_layer(srid=options.srid, tz=get_settings().time_zone,
                         town=principal.scope_town or town, status=status, bbox=bbox)
    return _file(session, layer, options)


@router.get("/zones", summary="导出连片改造片区", response_class=FileResponse,
            responses=FILE_RESPONSES)
def export_zones(principal: ExportReader, session: SessionDep, format: Format = "shp",
                 crs: Crs = "EPSG:4490", encoding: Encoding = "gbk", town: Town = None,
                 build: Annotated[int | None, Query(ge=1, le=2**62, title="批次")] = None
                 ) -> FileResponse:
    """The zones of the current build (or ``build``) with outline, areas and progress."""
    options = parse_options(format, crs, encoding)
    layer = zone_layer(srid=options.srid, town=principal.scope_town or town, build=build)
    return _file(session, layer, options)


@router.get("/reclaimed", summary="导出盘活台账", response_class=FileResponse,
            responses=FILE_RESPONSES)
def export_reclaimed(principal: ExportReader, session: SessionDep, format: Format = "shp",
                     crs: Crs = "EPSG:4490", encoding: Encoding = "gbk", town: Town = None,
                     start: Annotated[date | None, Query(alias="from", title="起始日期")] = None,
                     end: Annotated[date | None, Query(alias="to", title="截止日期")] = None
                     ) -> FileResponse:
    """The 盘活 ledger: each record with its area and the area counted once."""
    options = parse_options(format, crs, encoding)
    layer = reclaimed_layer(srid=options.srid, tz=get_settings().time_zone,
                            town=principal.scope_town or town, start=start, end=end)
    return _file(session, layer, options)


@router.get("/available_plots", summary="导出可供地块", response_class=FileResponse,
            responses=FILE_RESPONSES)
def export_available_plots(principal: ExportReader, session: SessionDep, format: Format = "shp",
                           crs: Crs = "EPSG:4490", encoding: Encoding = "gbk",
                           town: Town = None) -> FileResponse:
    """可供地块 with area, 标准地 indicators, platforms and date (docs/investment.md)."""
    options = parse_options(format, crs, encoding)
    return _file(session, plot_layer(srid=options.srid, town=principal.scope_town or town),
                 options)


SpatialList = Callable[[Session, int, str | None, int], Layer]


def _list_route(name: str, build: Callable[..., Table], rows: Callable[..., object],
                spatial: SpatialList | None, summary: str) -> None:
    @router.get(f"/{name}", summary=summary, response_class=StreamingResponse,
                response_model=None, responses=FILE_RESPONSES)
    def export(principal: EvaluationReader, session: SessionDep, year: Year,
               format: Format = "xlsx", town: Town = None, crs: Crs = "EPSG:4490",
               encoding: Encoding = "gbk") -> StreamingResponse | FileResponse:
        options = parse_options(format, crs, encoding)
        scope = principal.scope_town or town
        if format in ("xlsx", "csv"):
            table = build(year, scope, rows(session, year, scope))
            return _send(table, format, table.title)
        if spatial is None:
            raise InvalidInput(f"{summary[2:]}以企业为行、没有几何图形, 只能导出 xlsx 或 csv",
                               [FieldError("format", "list has no geometry")])
        return _file(session, spatial(session, year, scope, options.srid), options)

    export.__name__ = f"export_{name}"


_list_route("baseline_list", baseline_table, service.baseline_list, baseline_layer, "导出底数清单")
_list_route("governance_list", governance_table, service.governance_list, None, "导出治理清单")
