"""``/ogc``: OGC API - Features (Part 1, Part 2 CRS, Part 3 queryables, Part 4 on parcels).

Each handler validates, calls one service function and shapes the response (media
type, ETag, Content-Crs, Location).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse

from landgov.auth.guard import ParcelReader, ParcelWriter
from landgov.deps import IfMatchDep, SessionDep, etag
from landgov.errors import FieldError, ProblemDetails
from landgov.ogc import registry, service, transactions
from landgov.ogc.apidoc import ogc_openapi
from landgov.ogc.errors import InvalidParameter
from landgov.ogc.pages import landing_html
from landgov.ogc.params import BodyCrsDep, ItemsDep, output_crs
from landgov.ogc.schemas import (
    CollectionInfo,
    CollectionList,
    Conformance,
    Feature,
    FeatureCollection,
    FeatureIn,
    FeaturePatch,
    LandingPage,
    Queryables,
)
from landgov.ogc.service import GEOJSON, HTML, JSON, SCHEMA_JSON, Body
from landgov.parcels.schemas import WriteResult
from landgov.settings import get_settings

router = APIRouter(
    prefix="/ogc", tags=["OGC API - Features"],
    responses={400: {"model": ProblemDetails, "description": "查询参数无效"}},
)
CollectionId = Annotated[str, Path(alias="collectionId", max_length=64, title="集合编号")]
FeatureId = Annotated[str, Path(alias="featureId", max_length=64,
                                title="要素编号 (宗地: 28 位不动产单元代码)")]
CrsParam = Annotated[str | None, Query(max_length=200, title="输出坐标参考系 (URI)")]
PARCELS = "/collections/parcels/items"


def _root(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _wants_html(request: Request, f: str | None) -> bool:
    """``f=html``, or a browser that prefers text/html to JSON (q-values honoured)."""
    if f is not None:
        if f not in {"json", "html"}:
            raise InvalidParameter(f"f 只能是 json 或 html: {f!r}", [FieldError("f", "json|html")])
        return f == "html"
    weights: dict[str, float] = {}
    for part in request.headers.get("accept", "").split(","):
        media, *params = (p.strip() for p in part.split(";"))
        q = next((p[2:] for p in params if p.startswith("q=")), "1")
        try:
            weights[media.lower()] = float(q)
        except ValueError:
            continue
    return weights.get(HTML, 0) > max(weights.get(JSON, 0), weights.get("application/*", 0))


@router.get("", response_model=LandingPage, response_model_exclude_none=True,
            summary="OGC API 首页",
            responses={200: {"content": {HTML: {"schema": {"type": "string"}}}}})
def landing(_: ParcelReader, request: Request,
            f: Annotated[str | None, Query(max_length=8, title="格式 json / html")] = None
            ) -> Response:
    """Links to the API definition, conformance and collections (JSON, or HTML for browsers)."""
    page = service.landing(_root(request))
    if _wants_html(request, f):
        return HTMLResponse(landing_html(page))
    return JSONResponse(page.model_dump(by_alias=True, exclude_none=True))


@router.get("/conformance", response_model=Conformance, summary="一致性声明")
def conformance(_: ParcelReader) -> Conformance:
    """The conformance classes implemented (``ogc/conformance.py``)."""
    return service.conformance()


@router.get("/api", summary="OGC API 定义 (OpenAPI 3.1)",
            responses={200: {"content": {JSON: {"schema": {"type": "object"}}}}})
def api_definition(_: ParcelReader, request: Request) -> JSONResponse:
    """The ``/ogc`` part of the OpenAPI document, rooted at ``/ogc``, per-collection filters."""
    return JSONResponse(ogc_openapi(request.app.openapi(), _root(request),
                                    registry.all_collections(), get_settings().page_size_max))


@router.get("/collections", response_model=CollectionList, response_model_exclude_none=True,
            summary="集合列表")
def collections(principal: ParcelReader, request: Request,
                session: SessionDep) -> CollectionList:
    """The collections the caller may read, with extent and CRS lists."""
    return service.collection_list(session, principal, _root(request))


@router.get("/collections/{collectionId}", response_model=CollectionInfo,
            response_model_exclude_none=True, summary="集合元数据")
def collection(principal: ParcelReader, request: Request, session: SessionDep,
               collection_id: CollectionId) -> CollectionInfo:
    """One collection's links, extent, ``crs`` list and ``storageCrs``."""
    return service.collection_info(session, collection_id, principal, _root(request))


@router.get("/collections/{collectionId}/queryables", response_model=Queryables,
            summary="可查询属性", responses={200: {"content": {SCHEMA_JSON: {}}}})
def queryables(principal: ParcelReader, request: Request,
               collection_id: CollectionId) -> Response:
    """The properties ``?name=value`` filters on, as JSON Schema."""
    doc = service.queryables(collection_id, principal, _root(request))
    return Response(doc.model_dump_json(by_alias=True), media_type=SCHEMA_JSON)


def _geojson(body: Body, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    out = dict(headers or {})
    if body.crs is not None:
        out["Content-Crs"] = body.crs.header
    return Response(body.text, status_code=status, media_type=GEOJSON, headers=out)


@router.get("/collections/{collectionId}/items", response_model=FeatureCollection,
            summary="要素列表", responses={200: {"content": {GEOJSON: {}}}})
def items(principal: ParcelReader, request: Request, session: SessionDep,
          collection_id: CollectionId, params: ItemsDep) -> Response:
    """A page of features: limit/offset, bbox (+ bbox-crs), datetime, crs, property filters."""
    return _geojson(service.items(session, collection_id, principal, params, request.url,
                                  _root(request)))


@router.get("/collections/{collectionId}/items/{featureId}", response_model=Feature,
            summary="单个要素", responses={200: {"content": {GEOJSON: {}}},
                                         304: {"description": "未变更 (If-None-Match)"}})
def item(principal: ParcelReader, request: Request, session: SessionDep,
         collection_id: CollectionId, feature_id: FeatureId, crs: CrsParam = None) -> Response:
    """The current version of a feature; for parcels its ETag is the version (If-Match)."""
    body = service.item(session, collection_id, feature_id, principal,
                        None if crs is None else output_crs(crs), request.url, _root(request))
    headers = {"Cache-Control": "no-cache"}
    if body.version is not None:
        headers["ETag"] = etag(body.version)
        if request.headers.get("if-none-match") == headers["ETag"]:
            return Response(status_code=304, headers=headers)
    return _geojson(body, headers=headers)


def _written(request: Request, result: WriteResult, status: int = 200) -> JSONResponse:
    headers: dict[str, Any] = {}
    if result.version:
        headers["ETag"] = etag(result.version)
    if status == 201:
        headers["Location"] = f"{_root(request)}/ogc{PARCELS}/{result.unit_codes[0]}"
    return JSONResponse(result.model_dump(), status_code=status, headers=headers)


@router.post(PARCELS, response_model=WriteResult, status_code=201, summary="新建宗地 (Part 4)",
             responses={201: {"headers": {"Location": {"description": "新要素地址",
                                                        "schema": {"type": "string"}}}}})
def create_parcel(_: ParcelWriter, request: Request, session: SessionDep, feature: FeatureIn,
                  crs: BodyCrsDep) -> JSONResponse:
    """A GeoJSON Feature in (geometry in Content-Crs, default CRS84); the code is issued."""
    return _written(request, transactions.create(session, feature, crs), 201)


@router.put(PARCELS + "/{featureId}", response_model=WriteResult, summary="替换宗地 (Part 4)")
def replace_parcel(_: ParcelWriter, request: Request, session: SessionDep, feature_id: FeatureId,
                   feature: FeatureIn, crs: BodyCrsDep, version: IfMatchDep) -> JSONResponse:
    """Replace geometry and attributes of the version named by If-Match (412 if stale)."""
    return _written(request, transactions.replace(session, feature_id, version, feature, crs))


@router.patch(PARCELS + "/{featureId}", response_model=WriteResult, summary="修改宗地 (Part 4)")
def update_parcel(_: ParcelWriter, request: Request, session: SessionDep, feature_id: FeatureId,
                  patch: FeaturePatch, crs: BodyCrsDep, version: IfMatchDep) -> JSONResponse:
    """Merge-patch the version named by If-Match: what is sent changes (412 if stale)."""
    return _written(request, transactions.update(session, feature_id, version, patch, crs))


@router.delete(PARCELS + "/{featureId}", status_code=204, response_class=Response,
               summary="注销宗地 (Part 4)")
def delete_parcel(_: ParcelWriter, session: SessionDep, feature_id: FeatureId,
                  version: IfMatchDep) -> Response:
    """Retire the parcel of the version named by If-Match; its code is never reissued."""
    transactions.delete(session, feature_id, version)
    return Response(status_code=204)
