"""Control-line use cases: import the line, record 补 and 占, read the ledger.

Each write owns its transaction and commits once; a refusal raises before the commit
and rolls back, so a write is all-or-nothing. The service refuses early with a clear
reason, but it is not the guard: the database's constraint triggers (migration 0009)
check every write at COMMIT, whoever makes it. A conversion changes the parcel's use
through ``parcels.service`` (the one parcel write path), in the same transaction as the
conversion record and its offsets.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from landgov import geo
from landgov.coding.unit_code import UnitCode
from landgov.controlline import queries
from landgov.controlline.reading import LinePolygons, polygon_in_storage, read_file
from landgov.controlline.schemas import (
    Addition,
    AdditionCreate,
    AreaAt,
    Conversion,
    ConversionCreate,
    ImportResult,
    Ledger,
    LedgerEntry,
    LedgerPair,
    LineImport,
    Offset,
)
from landgov.errors import FieldError, InvalidGeometry, InvalidInput, NotFound, PreconditionFailed
from landgov.parcels import queries as parcel_queries
from landgov.parcels import service as parcel_service
from landgov.parcels.schemas import ParcelUpdate
from landgov.settings import get_settings

TOLERANCE_SQM = 1.0  # the database's control_line_tolerance_sqm()
TOLERANCE_MU = TOLERANCE_SQM / geo.SQM_PER_MU
T = TypeVar("T")


def _all_or_nothing(session: Session, work: Callable[[], T]) -> T:
    """Run ``work``; on any refusal roll back what it wrote before re-raising."""
    try:
        return work()
    except BaseException:
        session.rollback()
        raise


def _not_future(day: date | None, field: str) -> date:
    today = parcel_service.today()
    if day is None:
        return today
    if day > today:
        raise InvalidInput(f"日期 {day} 晚于今天 ({today})", [FieldError(field, "in the future")])
    return day


# --- the line ---------------------------------------------------------------------------


def _write_lines(session: Session, lines: LinePolygons, replace: bool, note: str | None,
                 source: str) -> ImportResult:
    ewkts = [f"SRID={geo.STORAGE_SRID};{g.wkt}" for g in lines.geoms]
    bad = queries.invalid_geometries(session, ewkts)
    if bad:
        listed = "; ".join(f"第 {i} 个 ({lines.names[i - 1]}): {why}" for i, why in bad[:5])
        raise InvalidGeometry(f"控制线图斑几何无效: {listed}",
                              [FieldError("geometry", f"feature {i}: {why}") for i, why in bad])
    ids = queries.insert_lines(session, lines.names, ewkts, source, note)
    retired = queries.retire_imported(session, ids) if replace else 0
    total = queries.line_total_mu(session)
    session.commit()
    return ImportResult(ids=ids, retired=retired, line_total_mu=round(total, 2), crs=lines.crs)


def import_geojson(session: Session, data: LineImport) -> ImportResult:
    """Import a GeoJSON FeatureCollection of line polygons, all-or-nothing."""
    srid = geo.parse_srid(data.crs)
    names, geoms = [], []
    for i, feature in enumerate(data.features, start=1):
        name = str(feature.properties.get("name") or f"控制线 #{i}").strip()[:120]
        geom = geo.as_multipolygon(feature.geometry)
        geoms.append(polygon_in_storage(geom, srid, f"第 {i} 个要素 ({name})"))
        names.append(name)
    lines = LinePolygons(names, geoms, f"EPSG:{srid}")
    return _all_or_nothing(session, lambda: _write_lines(session, lines, data.replace,
                                                         data.note, "api"))


def import_file(session: Session, path: Path, *, crs: str | None = None,
                name_field: str | None = None, replace: bool = False,
                note: str | None = None, source: str = "import") -> ImportResult:
    """Import a Shapefile / GeoPackage / GeoJSON of line polygons, all-or-nothing."""
    lines = read_file(path, crs, name_field)
    return _all_or_nothing(session, lambda: _write_lines(session, lines, replace, note, source))


def current_lines(session: Session) -> str:
    """The current line polygons as a GeoJSON FeatureCollection (text)."""
    features = queries.current_features(session)
    return f'{{"type": "FeatureCollection", "features": [{",".join(features)}]}}'


# --- 补: additions -------------------------------------------------------------------------


def record_addition(session: Session, data: AdditionCreate, actor: str) -> Addition:
    """Write an addition's polygon and record (no commit): it must be land new to the line."""
    added_on = _not_future(data.added_on, "added_on")
    srid = geo.parse_srid(data.crs)
    geom = polygon_in_storage(geo.as_multipolygon(data.geometry), srid, data.name)
    ewkt = f"SRID={geo.STORAGE_SRID};{geom.wkt}"
    if queries.invalid_geometries(session, [ewkt]):
        raise InvalidGeometry(f"补充图斑 {data.name} 几何无效", [FieldError("geometry", "invalid")])
    overlap = queries.line_overlap_sqm(session, ewkt)
    if overlap > TOLERANCE_SQM:
        raise InvalidGeometry(
            f"补充图斑 {data.name} 与现有工业用地控制线重叠 {geo.mu_from_sqm(overlap):.2f} 亩; "
            "补充的应是线外新增土地", [FieldError("geometry", "overlaps the line")])
    [line_id] = queries.insert_lines(session, [data.name], [ewkt], "addition", data.note)
    row = queries.insert_addition(session, line_id, added_on, data.note, actor)
    return Addition(**{**row._asdict(), "name": data.name, "area_mu": round(row.area_mu, 2)})


def add_addition(session: Session, data: AdditionCreate, actor: str) -> Addition:
    """补: add a polygon to the line and record it as compensation to draw on later."""
    def work() -> Addition:
        addition = record_addition(session, data, actor)
        session.commit()
        return addition
    return _all_or_nothing(session, work)


# --- 占: conversions -----------------------------------------------------------------------


def _check_new_use(session: Session, data: ConversionCreate) -> None:
    if data.retire:
        if data.land_use_code or data.land_use_vintage:
            raise InvalidInput("注销宗地时不应填写新用途", [FieldError("land_use_code", "retire")])
        return
    if not data.land_use_code or not data.land_use_vintage:
        raise InvalidInput("请填写新用地分类代码及其分类标准 (或 retire 注销)",
                           [FieldError("land_use_code", "required")])
    parcel_service.check_attributes({"land_use_code": data.land_use_code,
                                     "land_use_vintage": data.land_use_vintage})
    if queries.is_industrial(session, data.land_use_vintage, data.land_use_code):
        raise InvalidInput(f"新用途 {data.land_use_code} 仍是工业用地, 不是转用; 请直接修改宗地",
                           [FieldError("land_use_code", "still industrial")])


def _current_industrial(session: Session, data: ConversionCreate) -> Any:
    UnitCode.parse(data.unit_code)
    row = parcel_queries.current_row(session, data.unit_code, lock=True)
    if row is None:
        raise NotFound(f"宗地 {data.unit_code} 不存在或已注销")
    if data.version is not None and row.version != data.version:
        raise PreconditionFailed(f"宗地 {data.unit_code} 已被他人修改: 当前为第 {row.version} 版, "
                                 f"您编辑的是第 {data.version} 版")
    if not queries.is_industrial(session, row.land_use_vintage, row.land_use_code):
        raise InvalidInput(
            f"宗地 {data.unit_code} 当前用途 {row.land_use_code} 不是工业用地, 无需占补",
            [FieldError("unit_code", "not industrial")])
    return row


def _check_cover(session: Session, code: str, ids: list[int], need_mu: float) -> None:
    pool = queries.lock_additions(session, ids)
    missing = sorted(set(ids) - {int(r.id) for r in pool})
    if missing:
        raise NotFound(f"补充记录 {', '.join(f'#{i}' for i in missing)} 不存在")
    free = sum(max(float(r.free_mu), 0.0) for r in pool)
    if free >= need_mu - TOLERANCE_MU:
        return
    used_up = [f"#{r.id}" for r in pool if float(r.free_mu) <= TOLERANCE_MU]
    why = f" (补充记录 {', '.join(used_up)} 已用完)" if used_up else ""
    raise InvalidInput(
        f"补充面积不足: 宗地 {code} 在工业用地控制线内 {need_mu:.2f} 亩, "
        f"所列补充可用 {free:.2f} 亩, 缺 {need_mu - free:.2f} 亩{why} (改一补一 / 先补后占)",
        [FieldError("addition_ids", f"short by {need_mu - free:.2f} mu")])


def convert(session: Session, data: ConversionCreate, actor: str) -> Conversion:
    """占: take a parcel inside the line out of industrial use, covered by additions.

    The additions are drawn on in the order listed; ``data.addition`` records a new one
    in the same transaction (改一补一). The parcel's change goes through the parcel
    editing service, which commits the whole transaction.
    """
    return _all_or_nothing(session, lambda: _convert(session, data, actor))


def _convert(session: Session, data: ConversionCreate, actor: str) -> Conversion:
    _check_new_use(session, data)
    if not data.addition_ids and data.addition is None:
        raise InvalidInput("转用须引用已登记的补充 (先补后占) 或同时登记补充图斑 (改一补一)",
                           [FieldError("addition_ids", "required")])
    if len(set(data.addition_ids)) != len(data.addition_ids):
        raise InvalidInput("补充记录重复", [FieldError("addition_ids", "duplicate")])
    converted_on = _not_future(data.converted_on, "converted_on")
    row = _current_industrial(session, data)
    need_mu = geo.mu_from_sqm(queries.parcel_inside_sqm(session, data.unit_code))
    if need_mu <= TOLERANCE_MU:
        raise InvalidInput(f"宗地 {data.unit_code} 不在工业用地控制线内, 无需占补; 请直接修改宗地",
                           [FieldError("unit_code", "outside the line")])
    ids = list(data.addition_ids)
    addition = record_addition(session, data.addition, actor) if data.addition else None
    if addition is not None:
        ids.append(addition.id)
    _check_cover(session, data.unit_code, ids, need_mu)
    rec = queries.record_conversion(session, {
        "code": data.unit_code, "version": row.version, "to_code": data.land_use_code,
        "to_vintage": data.land_use_vintage, "converted_on": converted_on, "note": data.note,
        "by": actor, "additions": ids})
    if data.retire:
        parcel_service.retire_parcel(session, data.unit_code, row.version)
        new_version = None
    else:
        change = ParcelUpdate(land_use_code=data.land_use_code,
                              land_use_vintage=data.land_use_vintage)
        new_version = parcel_service.update_parcel(session, data.unit_code, row.version,
                                                   change).version
    return Conversion(id=rec.id, unit_code=data.unit_code, parcel_version=row.version,
                      new_version=new_version, area_mu=round(rec.area_mu, 2),
                      offsets=[Offset(addition_id=o["addition_id"], area_mu=round(o["area_mu"], 2))
                               for o in rec.offsets],
                      addition=addition)


# --- reading ------------------------------------------------------------------------------


def ledger(session: Session) -> Ledger:
    """Every 补 and 占 with running totals, and every pairing."""
    entries = [LedgerEntry(**r._asdict()) for r in queries.ledger_entries(session)]
    pairs = [LedgerPair(**r._asdict()) for r in queries.ledger_pairs(session)]
    last = entries[-1] if entries else None
    return Ledger(line_total_mu=round(queries.line_total_mu(session), 2),
                  added_total_mu=last.added_total_mu if last else 0.0,
                  converted_total_mu=last.converted_total_mu if last else 0.0,
                  credit_mu=last.credit_mu if last else 0.0, entries=entries, pairs=pairs)


def area_at(session: Session, at: datetime) -> tuple[float, float, int]:
    """(line 亩, industrial 亩 inside it, industrial parcels inside it) at ``at``."""
    row = queries.area_at(session, at)
    return round(float(row.line_mu), 2), round(float(row.industrial_mu), 2), int(row.parcels)


def area_on(session: Session, on: date | None) -> AreaAt:
    """The line and the industrial land inside it at the end of day ``on`` (local time)."""
    day = _not_future(on, "on")
    zone = ZoneInfo(get_settings().time_zone)
    at = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    line_mu, industrial_mu, parcels = area_at(session, at)
    return AreaAt(on=day, at=at, line_mu=line_mu, industrial_mu=industrial_mu, parcels=parcels)
