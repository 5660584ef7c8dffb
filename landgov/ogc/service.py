"""OGC API reads: landing page, conformance, collections, queryables, items, one feature.

Each function first checks that the caller may read the collection (a collection
names its permission) and confines a town-scoped caller (镇街) to its own town, then
asks ``queries`` for GeoJSON text built by PostGIS. The Part 4 writes live in
``transactions.py`` and go through the parcel editing service.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session
from starlette.datastructures import URL

from landgov.auth.principal import Principal
from landgov.errors import FieldError, Forbidden, NotFound
from landgov.ogc import queries, registry
from landgov.ogc.conformance import CONFORMANCE_CLASSES
from landgov.ogc.crs import CRS84, STORAGE_URI, OgcCrs, offered_uris, parse_crs
from landgov.ogc.errors import InvalidParameter
from landgov.ogc.params import ITEMS_PARAMETERS, ItemsParams
from landgov.ogc.registry import Collection
from landgov.ogc.schemas import (
    CollectionInfo,
    CollectionList,
    Conformance,
    Extent,
    LandingPage,
    Link,
    Queryables,
    SpatialExtent,
    TemporalExtent,
)

JSON = "application/json"
GEOJSON = "application/geo+json"
HTML = "text/html"
SCHEMA_JSON = "application/schema+json"
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"


@dataclass(frozen=True)
class Body:
    """A GeoJSON response body and the CRS its geometry is in (None: no geometry)."""

    text: str
    crs: OgcCrs | None
    version: int | None = None


def landing(root: str) -> LandingPage:
    """The landing page: where the API definition, conformance and data are."""
    base = f"{root}/ogc"
    return LandingPage(
        title="landgov OGC API - Features",
        description="越城区工业用地全域治理平台的 OGC API - Features 服务: 宗地 (可编辑) 与企业。"
        "需登录令牌或 X-API-Key。",
        links=[
            Link(href=base, rel="self", type=JSON, title="本页 (JSON)"),
            Link(href=f"{base}?f=html", rel="alternate", type=HTML, title="本页 (HTML)"),
            Link(href=f"{base}/api", rel="service-desc", type=JSON, title="API 定义 (OpenAPI 3.1)"),
            Link(href=f"{root}/docs", rel="service-doc", type=HTML, title="接口文档"),
            Link(href=f"{base}/conformance", rel="conformance", type=JSON, title="一致性声明"),
            Link(href=f"{base}/collections", rel="data", type=JSON, title="数据集合"),
        ],
    )


def conformance() -> Conformance:
    """The conformance classes implemented (``conformance.py``)."""
    return Conformance(conforms_to=list(CONFORMANCE_CLASSES))


def readable(collection_id: str, principal: Principal) -> Collection:
    """The collection, if it exists and the caller's role may read it."""
    collection = registry.get(collection_id)
    if not principal.may(collection.permission):
        raise Forbidden(f"角色 {principal.role} 无权读取集合 {collection_id} "
                        f"(需要 {collection.permission.value})")
    return collection


def collection_list(session: Session, principal: Principal, root: str) -> CollectionList:
    """Every collection the caller may read, with its metadata."""
    base = f"{root}/ogc"
    return CollectionList(
        links=[Link(href=f"{base}/collections", rel="self", type=JSON, title="集合列表")],
        collections=[describe(session, c, base) for c in registry.all_collections()
                     if principal.may(c.permission)],
    )


def describe(session: Session, collection: Collection, base: str) -> CollectionInfo:
    """A collection's metadata: links, extent, CRSs."""
    url = f"{base}/collections/{collection.id}"
    row = queries.extent(session, collection)
    spatial = (SpatialExtent(bbox=[[row.x0, row.y0, row.x1, row.y1]], crs=CRS84)
               if row.x0 is not None else None)
    temporal = (TemporalExtent(interval=[[row.first_version.isoformat(), None]], trs=GREGORIAN)
                if collection.temporal and row.first_version is not None else None)
    return CollectionInfo(
        id=collection.id, title=collection.title, description=collection.description,
        keywords=list(collection.keywords),
        links=[
            Link(href=url, rel="self", type=JSON, title=collection.title),
            Link(href=f"{url}/items", rel="items", type=GEOJSON, title="要素"),
            Link(href=f"{url}/queryables", rel="http://www.opengis.net/def/rel/ogc/1.0/queryables",
                 type=SCHEMA_JSON, title="可查询属性"),
            Link(href=f"{base}/collections", rel="collection", type=JSON, title="集合列表"),
        ],
        extent=Extent(spatial=spatial, temporal=temporal) if spatial or temporal else None,
        crs=offered_uris() if collection.geometry else None,
        storage_crs=STORAGE_URI if collection.geometry else None,
    )


def collection_info(session: Session, collection_id: str, principal: Principal,
                    root: str) -> CollectionInfo:
    """One collection's metadata, if the caller may read it."""
    return describe(session, readable(collection_id, principal), f"{root}/ogc")


def queryables(collection_id: str, principal: Principal, root: str) -> Queryables:
    """The properties ``?name=value`` may filter on, as a JSON Schema."""
    collection = readable(collection_id, principal)
    return Queryables(
        schema_uri="https://json-schema.org/draft/2019-09/schema",
        id_uri=f"{root}/ogc/collections/{collection.id}/queryables",
        title=f"{collection.title} 可查询属性",
        properties={q.name: {"title": q.title, "type": q.type} for q in collection.queryables},
    )


def items(session: Session, collection_id: str, principal: Principal, params: ItemsParams,
          url: URL, root: str) -> Body:
    """A page of features with numberMatched, numberReturned and paging links."""
    collection = readable(collection_id, principal)
    where = _where(collection, params, principal.scope_town)
    features = queries.page(session, collection, where, params.crs, params.limit, params.offset)
    if params.offset == 0 and len(features) < params.limit:
        matched = len(features)  # the whole result fits on the first page
    else:
        matched = queries.count(session, collection, where)
    links = _page_links(url, f"{root}/ogc/collections/{collection.id}", params,
                        len(features), matched)
    head = json.dumps({"type": "FeatureCollection", "numberMatched": matched,
                       "numberReturned": len(features), "timeStamp": _now(), "links": links},
                      ensure_ascii=False)
    text = f'{head[:-1]}, "features": [{",".join(features)}]}}'
    return Body(text, params.crs if collection.geometry else None)


def item(session: Session, collection_id: str, feature_id: str, principal: Principal,
         crs: OgcCrs | None, url: URL, root: str) -> Body:
    """The current version of one feature (404 if absent, retired, or in another town)."""
    collection = readable(collection_id, principal)
    if crs is not None and not collection.geometry:
        raise _no_geometry(collection, "crs")
    out = crs or parse_crs(None)
    where = queries.Where()
    if collection.temporal:
        queries.when(where, None)
    where.add("s.id = :fid", fid=feature_id)
    queries.scoped(where, collection, principal.scope_town)
    links = [{"href": str(url), "rel": "self", "type": GEOJSON},
             {"href": f"{root}/ogc/collections/{collection.id}", "rel": "collection",
              "type": JSON}]
    row = None if "\x00" in feature_id else queries.one(session, collection, where, out,
                                                         json.dumps(links))
    if row is None:
        hint = " (已注销的宗地可用 items?datetime=… 查询其历史)" if collection.temporal else ""
        raise NotFound(f"集合 {collection.id} 中没有要素 {feature_id}{hint}")
    return Body(row.feature, out if collection.geometry else None, row.version)


def _where(collection: Collection, params: ItemsParams, town: str | None) -> queries.Where:
    if not collection.geometry and (params.bbox is not None or params.crs_given):
        raise _no_geometry(collection, "bbox" if params.bbox is not None else "crs")
    if not collection.temporal and params.interval is not None:
        raise InvalidParameter(f"集合 {collection.id} 没有时间属性, 不支持 datetime",
                               [FieldError("datetime", "collection has no temporal extent")])
    where = queries.Where()
    if collection.temporal:
        queries.when(where, params.interval)
    if params.bbox is not None:
        queries.within(where, params.bbox, params.bbox_crs)
    queries.matching(where, collection, _typed(collection, params.filters))
    queries.scoped(where, collection, town)
    return where


def _typed(collection: Collection, filters: dict[str, str]) -> dict[str, str | int]:
    """Filter values checked against the queryables and typed for the database."""
    out: dict[str, str | int] = {}
    for name, value in filters.items():
        queryable = collection.queryable(name)
        if queryable is None:
            allowed = sorted(ITEMS_PARAMETERS) + [q.name for q in collection.queryables]
            raise InvalidParameter(f"未知的查询参数 {name!r}; 集合 {collection.id} 可用: "
                                   f"{', '.join(allowed)}", [FieldError(name, "not queryable")])
        if queryable.type == "integer":
            if not value.lstrip("-").isdigit() or len(value) > 18:
                raise InvalidParameter(f"{name} 应为整数: {value!r}",
                                       [FieldError(name, "not an integer")])
            out[name] = int(value)
        else:
            out[name] = value
    return out


def _no_geometry(collection: Collection, field: str) -> InvalidParameter:
    return InvalidParameter(f"集合 {collection.id} 没有几何, 不支持 {field}",
                            [FieldError(field, "collection has no geometry")])


def _page_links(url: URL, collection_url: str, params: ItemsParams, returned: int,
                matched: int) -> list[dict[str, str]]:
    """self, next (more to come), prev (not the first page) and the collection."""
    links = [{"href": str(url), "rel": "self", "type": GEOJSON, "title": "本页"}]
    if params.offset + returned < matched:
        nxt = url.include_query_params(offset=params.offset + params.limit, limit=params.limit)
        links.append({"href": str(nxt), "rel": "next", "type": GEOJSON, "title": "下一页"})
    if params.offset > 0:
        prev = url.include_query_params(offset=max(0, params.offset - params.limit),
                                        limit=params.limit)
        links.append({"href": str(prev), "rel": "prev", "type": GEOJSON, "title": "上一页"})
    links.append({"href": collection_url, "rel": "collection", "type": JSON, "title": "集合"})
    return links


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
