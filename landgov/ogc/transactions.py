"""OGC API - Features Part 4 on ``parcels``: a GeoJSON Feature in, the editing service out.

There is no second write path: each transaction becomes the request the domain API
would make (``ParcelCreate`` / ``ParcelUpdate``) and calls ``landgov.parcels.service``
(create, update with the If-Match version, retire), which validates, writes history
and lineage, and is audited. What this module adds is only the translation:

* geometry arrives in the request CRS and that CRS's axis order; it is swapped to x/y
  when the CRS is north-first and handed over with its EPSG code, so the service
  transforms it exactly as it does for the domain API;
* the properties a GET returns but nobody may set (area, town, version, firms …) may be
  sent back, as GIS clients do, and are ignored; unknown properties are refused;
* PUT replaces: an attribute left out takes the value a new parcel would get;
  PATCH is a JSON merge patch: what is sent changes, ``null`` clears.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from landgov.errors import FieldError, InvalidGeometry, InvalidInput
from landgov.ogc.crs import OgcCrs, swap_axes
from landgov.ogc.schemas import FeatureIn, FeaturePatch
from landgov.parcels import service as parcels
from landgov.parcels.schemas import ParcelAttributes, ParcelCreate, ParcelUpdate, WriteResult

# Returned by GET, computed by the server: accepted back and ignored.
READ_ONLY = frozenset({"unit_code", "fid", "version", "area_mu", "town_code", "town_name",
                       "platforms", "enterprises", "valid_from", "valid_to",
                       "evaluation_class", "colour"})
EDITABLE = frozenset(ParcelAttributes.model_fields)
_Model = TypeVar("_Model", bound=BaseModel)


def create(session: Session, feature: FeatureIn, crs: OgcCrs) -> WriteResult:
    """A new parcel: the service issues its code in the 地籍子区 it lies in."""
    values = _settable(feature.properties, extra={"feature_code"})
    data = _model(ParcelCreate, {**values, **_geometry(feature.geometry, crs)})
    return parcels.create_parcel(session, data)


def replace(session: Session, code: str, expected: int, feature: FeatureIn,
            crs: OgcCrs) -> WriteResult:
    """Replace the parcel's geometry and every attribute (PUT)."""
    geometry = _geometry(feature.geometry, crs)
    full = _model(ParcelCreate, {**_settable(feature.properties), **geometry})
    attributes = full.model_dump(include=set(EDITABLE))
    return parcels.update_parcel(session, code, expected,
                                 _model(ParcelUpdate, {**attributes, **geometry}))


def update(session: Session, code: str, expected: int, patch: FeaturePatch,
           crs: OgcCrs) -> WriteResult:
    """Change what the patch sends (PATCH); the rest stays as it is."""
    values: dict[str, Any] = _settable(patch.properties)
    if "geometry" in patch.model_fields_set:
        if patch.geometry is None:
            raise InvalidGeometry("宗地不能删除几何 (geometry 不能为 null)",
                                  [FieldError("geometry", "null")])
        values.update(_geometry(patch.geometry, crs))
    return parcels.update_parcel(session, code, expected, _model(ParcelUpdate, values))


def delete(session: Session, code: str, expected: int) -> WriteResult:
    """Retire the parcel; its code is never issued again (DELETE)."""
    return parcels.retire_parcel(session, code, expected)


def _settable(properties: dict[str, Any], extra: set[str] | None = None) -> dict[str, Any]:
    """The properties a client may set; read-only ones dropped, unknown ones refused."""
    allowed = EDITABLE | (extra or set())
    unknown = sorted(k for k in properties if k not in allowed and k not in READ_ONLY)
    if unknown:
        raise InvalidInput(
            f"未知或不可修改的属性: {', '.join(unknown)}; 可设置: {', '.join(sorted(allowed))}",
            [FieldError(f"properties.{k}", "unknown property") for k in unknown])
    nul = sorted(k for k, v in properties.items() if isinstance(v, str) and "\x00" in v)
    if nul:  # PostgreSQL text cannot hold NUL
        raise InvalidInput(f"属性含有 NUL 字符: {', '.join(nul)}",
                           [FieldError(f"properties.{k}", "NUL character") for k in nul])
    return {k: v for k, v in properties.items() if k in allowed}


def _geometry(geometry: dict[str, Any], crs: OgcCrs) -> dict[str, Any]:
    """Geometry in x/y order with the EPSG code the editing service transforms from."""
    xy = swap_axes(geometry) if crs.north_first else geometry
    return {"geometry": xy, "crs": f"EPSG:{crs.srid}"}


def _model(model: type[_Model], values: dict[str, Any]) -> _Model:
    """Validate as the domain API would, answering 422 with each field's reason."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        errors = [FieldError(".".join(str(p) for p in err["loc"]) or "properties",
                             str(err["msg"])) for err in exc.errors()]
        raise InvalidInput("要素属性不符合要求: " + "; ".join(f"{e.field}: {e.reason}"
                                                      for e in errors), errors) from exc
