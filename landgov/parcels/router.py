"""``/api/v1/parcels``: read as GeoJSON, write through the editing service with If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from landgov.auth.guard import ParcelReader, ParcelWriter
from landgov.deps import BBoxDep, IfMatchDep, PagingDep, SessionDep, etag
from landgov.parcels import service
from landgov.parcels.schemas import (
    MergeRequest,
    ParcelCollection,
    ParcelCreate,
    ParcelFeature,
    ParcelHistory,
    ParcelUpdate,
    SearchResult,
    SplitRequest,
    Vocabulary,
    WriteResult,
)

router = APIRouter(prefix="/api/v1/parcels", tags=["宗地"])
GEOJSON = "application/geo+json"
CodePath = Annotated[str, Path(max_length=64, title="不动产单元代码")]


@router.get("", response_model=ParcelCollection, summary="宗地列表 (GeoJSON)",
            responses={200: {"content": {GEOJSON: {}}}})
def list_parcels(principal: ParcelReader, request: Request, session: SessionDep, bbox: BBoxDep,
                 page: PagingDep,
                 town: Annotated[str | None, Query(max_length=12, title="镇街代码")] = None,
                 digits: Annotated[int, Query(ge=5, le=9, title="坐标小数位",
                                              description="7 ≈ 1 cm (默认); 9: 编辑器吸附用")] = 7
                 ) -> Response:
    """Current parcels as a FeatureCollection, ordered by code, with a next link."""
    result = service.list_parcels(session, bbox=bbox, town=town, limit=page.limit,
                                  offset=page.offset, scope_town=principal.scope_town,
                                  digits=digits)
    links = [f'{{"href": "{request.url}", "rel": "self", "type": "{GEOJSON}"}}']
    if page.offset + len(result.features) < result.matched:
        nxt = request.url.include_query_params(offset=page.offset + page.limit)
        links.append(f'{{"href": "{nxt}", "rel": "next", "type": "{GEOJSON}"}}')
    body = (f'{{"type": "FeatureCollection", "numberMatched": {result.matched}, '
            f'"numberReturned": {len(result.features)}, "links": [{", ".join(links)}], '
            f'"features": [{",".join(result.features)}]}}')
    return Response(body, media_type=GEOJSON)


@router.get("/search", response_model=SearchResult, summary="按一码、企业名称或信用代码检索宗地")
def search_parcels(principal: ParcelReader, session: SessionDep,
                   q: Annotated[str, Query(min_length=1, max_length=60, title="检索词")],
                   limit: Annotated[int, Query(ge=1, le=100, title="最多条数")] = 20
                   ) -> SearchResult:
    """Current parcels by code prefix, firm USCC prefix or part of a firm's name."""
    return service.search(session, q, limit, principal.scope_town)


@router.get("/vocabulary", response_model=Vocabulary, summary="宗地属性代码表")
def parcel_vocabulary(_: ParcelReader) -> Vocabulary:
    """Land-use codes by vintage, right types, statuses: what the attribute form offers."""
    return service.vocabulary()


@router.get("/{unit_code}", response_model=ParcelFeature, summary="单个宗地",
            responses={200: {"content": {GEOJSON: {}}}})
def get_parcel(principal: ParcelReader, unit_code: CodePath, session: SessionDep,
               request: Request) -> Response:
    """The current version of a parcel; its ETag is the version for If-Match."""
    feature, version = service.get_feature(session, unit_code, principal.scope_town)
    tag = etag(version)
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers={"ETag": tag})
    return Response(feature, media_type=GEOJSON,
                    headers={"ETag": tag, "Cache-Control": "no-cache"})


@router.get("/{unit_code}/history", response_model=ParcelHistory, summary="宗地历史与谱系")
def parcel_history(principal: ParcelReader, unit_code: CodePath,
                   session: SessionDep) -> ParcelHistory:
    """All versions (what it was), split/merge lineage and audit events (who, when)."""
    return service.parcel_history(session, unit_code, principal.scope_town)


def _written(result: WriteResult, status: int = 200) -> JSONResponse:
    headers = {"ETag": etag(result.version)} if result.version else {}
    return JSONResponse(result.model_dump(), status_code=status, headers=headers)


@router.post("", response_model=WriteResult, status_code=201, summary="新建宗地并赋码")
def create_parcel(_: ParcelWriter, data: ParcelCreate, session: SessionDep) -> JSONResponse:
    """Issue the next code of the parcel's 地籍子区 and store version 1."""
    return _written(service.create_parcel(session, data), 201)


@router.patch("/{unit_code}", response_model=WriteResult, summary="修改宗地")
def update_parcel(_: ParcelWriter, unit_code: CodePath, data: ParcelUpdate, session: SessionDep,
                  version: IfMatchDep) -> JSONResponse:
    """Change attributes and/or geometry of the version named by If-Match."""
    return _written(service.update_parcel(session, unit_code, version, data))


@router.delete("/{unit_code}", response_model=WriteResult, summary="注销宗地")
def retire_parcel(_: ParcelWriter, unit_code: CodePath, session: SessionDep,
                  version: IfMatchDep) -> JSONResponse:
    """Retire the parcel; its code is never issued again."""
    return _written(service.retire_parcel(session, unit_code, version))


@router.post("/{unit_code}/split", response_model=WriteResult, status_code=201,
             summary="分割宗地")
def split_parcel(_: ParcelWriter, unit_code: CodePath, data: SplitRequest, session: SessionDep,
                 version: IfMatchDep) -> JSONResponse:
    """Cut the parcel by a line; each piece gets a new code, with lineage."""
    return _written(service.split_parcel(session, unit_code, version, data), 201)


@router.post("/merge", response_model=WriteResult, status_code=201, summary="合并宗地")
def merge_parcels(_: ParcelWriter, data: MergeRequest, session: SessionDep) -> JSONResponse:
    """Merge adjacent parcels (each with the version seen) into one new parcel."""
    return _written(service.merge_parcels(session, data), 201)
