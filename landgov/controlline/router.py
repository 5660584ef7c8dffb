"""``/api/v1/control-lines`` (the polygons) and ``/api/v1/control-line/...`` (the ledger)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from landgov.auth.guard import ControlLineReader, ControlLineWriter
from landgov.controlline import service
from landgov.controlline.schemas import (
    Addition,
    AdditionCreate,
    AreaAt,
    Conversion,
    ConversionCreate,
    ImportResult,
    Ledger,
    LineImport,
)
from landgov.deps import SessionDep

router = APIRouter(tags=["工业用地控制线"])
GEOJSON = "application/geo+json"


@router.get("/api/v1/control-lines", summary="现行工业用地控制线 (GeoJSON)",
            responses={200: {"content": {GEOJSON: {}}}})
def list_lines(_: ControlLineReader, session: SessionDep) -> Response:
    """The current line polygons, additions included."""
    return Response(service.current_lines(session), media_type=GEOJSON)


@router.post("/api/v1/control-lines", response_model=ImportResult, status_code=201,
             summary="导入控制线图斑 (GeoJSON, 全部成功或全部不写)")
def import_lines(_: ControlLineWriter, data: LineImport, session: SessionDep) -> ImportResult:
    """Import polygons; ``replace`` retires the current imported ones (the total may not fall)."""
    return service.import_geojson(session, data)


@router.get("/api/v1/control-line/ledger", response_model=Ledger, summary="占补台账")
def ledger(_: ControlLineReader, session: SessionDep) -> Ledger:
    """Every addition and conversion with running totals, and every pairing."""
    return service.ledger(session)


@router.get("/api/v1/control-line/area", response_model=AreaAt,
            summary="某日控制线面积及线内工业用地面积")
def area(_: ControlLineReader, session: SessionDep,
         on: Annotated[date | None, Query(title="日期 (默认今天)")] = None) -> AreaAt:
    """The line and the industrial land inside it as they stood at the end of ``on``."""
    return service.area_on(session, on)


@router.post("/api/v1/control-line/additions", response_model=Addition, status_code=201,
             summary="登记补充图斑 (补)")
def add(principal: ControlLineWriter, data: AdditionCreate, session: SessionDep) -> Addition:
    """Add a polygon to the line; later conversions may draw on it (先补后占)."""
    return service.add_addition(session, data, principal.actor)


@router.post("/api/v1/control-line/conversions", response_model=Conversion, status_code=201,
             summary="登记转用 (占) 并修改宗地用途")
def convert(principal: ControlLineWriter, data: ConversionCreate,
            session: SessionDep) -> Conversion:
    """Change a parcel's use out of industry, covered by additions (先补后占 / 改一补一)."""
    return service.convert(session, data, principal.actor)
