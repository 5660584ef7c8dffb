"""Parcel use cases: the one write path every client uses (API, editor, OGC, import).

Each write function owns its transaction: it validates, writes through ``queries``,
and commits; any refusal raises before anything is committed, so a write is
all-or-nothing. Versions are checked against If-Match (optimistic locking) in the
UPDATE itself, so two officers saving at once cannot both win.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

from shapely import wkt as shapely_wkt
from shapely.geometry import LineString, MultiLineString, shape
from sqlalchemy.orm import Session

from landgov import geo
from landgov.coding.unit_code import LAND_ONLY, UnitCode
from landgov.errors import (
    Conflict,
    FieldError,
    Forbidden,
    InvalidGeometry,
    InvalidInput,
    NotFound,
    PreconditionFailed,
)
from landgov.parcels import queries
from landgov.parcels.schemas import (
    CodeItem,
    LineageEntry,
    MergeRequest,
    ParcelCreate,
    ParcelEvent,
    ParcelHistory,
    ParcelUpdate,
    ParcelVersion,
    SearchHit,
    SearchResult,
    SplitRequest,
    Vocabulary,
    WriteResult,
    land_use_known,
)
from landgov.parcels.vocabulary import (
    LAND_RIGHT_TYPE,
    LAND_STATUS,
    LAND_USE,
    LAND_USE_VINTAGE,
    LINEAGE_KIND,
)
from landgov.settings import get_settings

OVERLAP_TOLERANCE_SQM = 1.0
MIN_PIECE_MU = 0.01


def today() -> date:
    """Today in the configured time zone (default Asia/Shanghai)."""
    return datetime.now(ZoneInfo(get_settings().time_zone)).date()


# --- reading ---------------------------------------------------------------------------


def list_parcels(session: Session, *, bbox: tuple[float, float, float, float] | None,
                 town: str | None, limit: int, offset: int,
                 scope_town: str | None = None, digits: int = 7) -> queries.Page:
    """A page of current parcels (only ``scope_town``'s for a town-scoped caller)."""
    if scope_town is not None:
        if town is not None and town != scope_town:
            raise Forbidden(f"只能查看本镇街 ({scope_town}) 的宗地")
        town = scope_town
    return queries.list_features(session, bbox=bbox, town=town, limit=limit, offset=offset,
                                 digits=digits)


def get_feature(session: Session, code: str, scope_town: str | None = None) -> tuple[str, int]:
    """The current parcel as GeoJSON text and its version; refuses bad or unknown codes.

    A town-scoped caller gets 404 for another town's parcel, as if it did not exist.
    """
    UnitCode.parse(code)
    row = queries.feature(session, code)
    if row is None or (scope_town is not None and row.town_code != scope_town):
        if row is not None:
            raise NotFound(f"不动产单元代码 {code} 不存在")
        _missing(session, code)
    return row.feature, int(row.version)


def search(session: Session, q: str, limit: int, scope_town: str | None = None) -> SearchResult:
    """Parcels by 一码 prefix, USCC prefix or firm name (a town officer: its town only)."""
    q = q.strip()
    if len(q) < 2:
        raise InvalidInput("检索词至少两个字符", [FieldError("q", "too short")])
    rows = queries.search(session, q, scope_town, limit)
    return SearchResult(query=q, hits=[SearchHit(**{**r._asdict(), "bbox": list(r.bbox),
                                                  "enterprises": list(r.enterprises)})
                                       for r in rows])


def vocabulary() -> Vocabulary:
    """The code lists an attribute form offers, each code with its Chinese label."""
    def items(codes: dict[str, str]) -> list[CodeItem]:
        return [CodeItem(code=c, label=label) for c, label in codes.items()]
    return Vocabulary(
        land_use_vintage=items(LAND_USE_VINTAGE),
        land_use={v: items(codes) for v, codes in LAND_USE.items()},
        land_right_type=items(LAND_RIGHT_TYPE), status=items(LAND_STATUS),
        lineage_kind=items(LINEAGE_KIND),
    )


def _missing(session: Session, code: str) -> NoReturn:
    unit = queries.unit_state(session, code)
    if unit is None:
        raise NotFound(f"不动产单元代码 {code} 不存在")
    raise NotFound(f"宗地 {code} 已于 {unit.retired_at:%Y-%m-%d %H:%M} 注销; 可查询其历史")


def parcel_history(session: Session, code: str, scope_town: str | None = None) -> ParcelHistory:
    """Every version of the parcel, its split/merge lineage, and who changed it when."""
    UnitCode.parse(code)
    unit = queries.unit_state(session, code)
    if unit is None or (scope_town is not None and queries.last_town(session, code) != scope_town):
        raise NotFound(f"不动产单元代码 {code} 不存在")
    versions = [
        ParcelVersion(**{**r._asdict(), "area_mu": float(r.area_mu),
                         "geometry": json.loads(r.geometry)})
        for r in queries.history(session, code)
    ]
    return ParcelHistory(
        unit_code=code, issued_at=unit.issued_at, retired_at=unit.retired_at, versions=versions,
        lineage=[LineageEntry(**r._asdict()) for r in queries.lineage(session, code)],
        events=[ParcelEvent(**r._asdict()) for r in queries.events(session, code)],
    )


# --- validation ------------------------------------------------------------------------


def _check_attributes(values: dict[str, Any]) -> None:
    # A PATCH may send null; these columns are NOT NULL, so say so before the database does.
    errors = [FieldError(k, f"{k} 不能为空")
              for k in ("land_use_code", "land_use_vintage", "status")
              if k in values and values[k] is None]
    vintage, code = values.get("land_use_vintage"), values.get("land_use_code")
    if vintage is not None and vintage not in LAND_USE_VINTAGE:
        errors.append(FieldError("land_use_vintage", f"未知的分类标准 {vintage!r}"))
    elif vintage is not None and code is not None and not land_use_known(vintage, code):
        errors.append(FieldError("land_use_code", f"{code!r} 不在 {vintage} 的工业类用地代码表中"))
    if values.get("status") is not None and values["status"] not in LAND_STATUS:
        errors.append(FieldError("status", f"未知的宗地状态 {values['status']!r}"))
    right = values.get("land_right_type")
    if right is not None and right not in LAND_RIGHT_TYPE:
        errors.append(FieldError("land_right_type", f"未知的土地权利类型 {right!r}"))
    start, end = values.get("right_start_date"), values.get("right_end_date")
    if start and end and end <= start:
        errors.append(FieldError("right_end_date", "权利终止日期应晚于起始日期"))
    if errors:
        raise InvalidInput("; ".join(e.reason for e in errors), errors)


# The bulk importer (io/importing) checks each row with the same attribute rules.
check_attributes = _check_attributes


def _prepare_geometry(session: Session, geojson: dict[str, Any], crs: str,
                      replaces: list[str]) -> tuple[str, list[str]]:
    """Validate a parcel geometry and return its EWKT (EPSG:4490) and any warnings."""
    srid = geo.parse_srid(crs)
    geom = geo.to_storage(geo.as_multipolygon(geojson), srid)
    settings = get_settings()
    geo.check_geometry(geom, settings.max_vertices)
    ewkt = f"SRID={geo.STORAGE_SRID};{geom.wkt}"
    clashes = queries.overlapping(session, ewkt, OVERLAP_TOLERANCE_SQM, replaces)
    if clashes:
        listed = ", ".join(f"{c.unit_code} ({c.overlap_sqm:.1f} m²)" for c in clashes)
        raise InvalidGeometry(f"与现有宗地重叠: {listed}",
                              [FieldError("geometry", f"overlaps {c.unit_code}") for c in clashes])
    warnings = []
    if not queries.inside_counties(session, ewkt):
        message = "宗地超出区县边界"
        if settings.district_area_policy == "refuse":
            raise InvalidGeometry(message, [FieldError("geometry", "outside the district")])
        warnings.append(message)
    return ewkt, warnings


def _issue(session: Session, ewkt: str, feature: str = "GB") -> str:
    sub = queries.subdistrict_at(session, ewkt)
    if sub is None:
        raise InvalidGeometry("宗地不在任何地籍子区内, 无法赋码",
                              [FieldError("geometry", "outside every cadastral sub-district")])
    return queries.issue_code(session, int(sub.id), feature, LAND_ONLY)


def _locked_current(session: Session, code: str, expected: int) -> Any:
    UnitCode.parse(code)
    row = queries.current_row(session, code, lock=True)
    if row is None:
        _missing(session, code)
    if row.version != expected:
        raise PreconditionFailed(
            f"宗地 {code} 已被他人修改: 当前为第 {row.version} 版, 您编辑的是第 {expected} 版")
    return row


# --- writing ---------------------------------------------------------------------------


def create_parcel(session: Session, data: ParcelCreate) -> WriteResult:
    """Issue a code for a new parcel and store its first version."""
    attrs = data.model_dump(exclude={"geometry", "crs", "feature_code"})
    _check_attributes(attrs)
    ewkt, warnings = _prepare_geometry(session, data.geometry, data.crs, [])
    code = _issue(session, ewkt, data.feature_code)
    queries.insert_parcel(session, code, ewkt, attrs)
    session.commit()
    return WriteResult(unit_codes=[code], version=1, warnings=warnings)


def update_parcel(session: Session, code: str, expected: int, data: ParcelUpdate) -> WriteResult:
    """Change attributes and/or geometry; the database keeps the old version as history."""
    row = _locked_current(session, code, expected)
    changes = data.model_dump(exclude_unset=True, exclude={"geometry", "crs"})
    _check_attributes({**row._asdict(), **changes})
    ewkt: str | None = None
    warnings: list[str] = []
    if data.geometry is not None:
        ewkt, warnings = _prepare_geometry(session, data.geometry, data.crs, [code])
    version = queries.update_current(session, code, expected, ewkt, changes)
    if version is None:  # pragma: no cover - the row lock above makes this unreachable
        raise PreconditionFailed(f"宗地 {code} 已被他人修改")
    session.commit()
    return WriteResult(unit_codes=[code], version=version, warnings=warnings)


def retire_parcel(session: Session, code: str, expected: int) -> WriteResult:
    """Retire a parcel and its code (the code is never issued again)."""
    _locked_current(session, code, expected)
    queries.carry_occupancy(session, [code], [], today())
    queries.retire_current(session, code, expected)
    session.commit()
    return WriteResult(unit_codes=[], retired_codes=[code])


def _line(req: SplitRequest) -> str:
    srid = geo.parse_srid(req.crs)
    try:
        line = shape(req.line)
    except (ValueError, TypeError, IndexError, AttributeError) as exc:
        raise InvalidGeometry("分割线坐标无法解析", [FieldError("line", str(exc))]) from exc
    if not isinstance(line, LineString | MultiLineString) or line.is_empty:
        raise InvalidGeometry("分割线应为 LineString", [FieldError("line", "not a line")])
    return f"SRID={geo.STORAGE_SRID};{geo.to_storage(line, srid).wkt}"


def split_parcel(session: Session, code: str, expected: int, req: SplitRequest) -> WriteResult:
    """Cut a parcel by a line: children get new codes, the parent is retired, lineage kept."""
    parent = _locked_current(session, code, expected)
    pieces = queries.split_pieces(session, code, _line(req))
    if len(pieces) < 2:
        raise InvalidGeometry("分割线没有把宗地分成两块以上 (需完整穿过宗地)",
                              [FieldError("line", "does not cut the parcel")])
    if min(float(p.area_mu) for p in pieces) < MIN_PIECE_MU:
        raise InvalidGeometry("分割后有面积过小的碎片", [FieldError("line", "sliver")])
    attrs = {k: getattr(parent, k) for k in queries.EDITABLE}
    children = []
    for piece in pieces:
        child = _issue(session, piece.ewkt, code[12:14])
        queries.insert_parcel(session, child, piece.ewkt, attrs)
        children.append(child)
    return _replace(session, [(code, expected)], children, "split")


def merge_parcels(session: Session, req: MergeRequest) -> WriteResult:
    """Merge adjacent parcels into one with a new code; the members are retired."""
    members = [(m.unit_code, m.version) for m in req.parcels]
    codes = [c for c, _ in members]
    if len(set(codes)) != len(codes):
        raise InvalidInput("合并列表中有重复的宗地", [FieldError("parcels", "duplicate")])
    rows = [_locked_current(session, c, v) for c, v in sorted(members)]
    union = queries.union_of(session, codes)
    if union.parts != 1:
        raise InvalidGeometry(f"宗地不相邻, 合并后为 {union.parts} 块",
                              [FieldError("parcels", "not adjacent")])
    attrs = {k: getattr(rows[0], k) for k in queries.EDITABLE}
    if req.attributes is not None:
        attrs.update(req.attributes.model_dump(exclude_unset=True))
    _check_attributes(attrs)
    geom = shapely_wkt.loads(union.ewkt.split(";", 1)[1])
    geo.check_geometry(geom, get_settings().max_vertices)
    child = _issue(session, union.ewkt, codes[0][12:14])
    queries.insert_parcel(session, child, union.ewkt, attrs)
    return _replace(session, members, [child], "merge")


def _replace(session: Session, parents: list[tuple[str, int]], children: list[str],
             kind: str) -> WriteResult:
    codes = [c for c, _ in parents]
    queries.record_lineage(session, codes, children, kind)
    queries.carry_occupancy(session, codes, children, today())
    for code, version in parents:
        if not queries.retire_current(session, code, version):  # pragma: no cover - locked
            raise Conflict(f"宗地 {code} 无法注销")
    session.commit()
    return WriteResult(unit_codes=children, retired_codes=codes, version=1)
