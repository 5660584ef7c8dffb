"""The API definition of the OGC API alone, rooted at ``/ogc`` (its ``service-desc``).

Clients read it relative to the landing page: GDAL looks up
``/collections/{collectionId}/items`` (and ``/collections/<id>/items``) for the query
parameters it may send as server-side filters, QGIS reads the maximum ``limit``. So the
app's own OpenAPI document is cut down to the ``/ogc`` paths, re-rooted with a
``servers`` entry, and given one items path per collection listing its queryables.
"""

from __future__ import annotations

import copy
from typing import Any

from landgov.ogc.registry import Collection

PREFIX = "/ogc"
ITEMS = "/collections/{collectionId}/items"


def ogc_openapi(full: dict[str, Any], root: str, collections: list[Collection],
                page_max: int) -> dict[str, Any]:
    """The OGC part of ``full`` (not modified), served from ``root`` + ``/ogc``."""
    paths = {path[len(PREFIX):] or "/": copy.deepcopy(item)
             for path, item in full.get("paths", {}).items()
             if path == PREFIX or path.startswith(PREFIX + "/")}
    template = paths.get(ITEMS, {}).get("get")
    if template is not None:
        _limit(template, page_max)
        for collection in collections:
            paths.setdefault(f"/collections/{collection.id}/items", {})["get"] = (
                _for_collection(template, collection))
    return {**full, "servers": [{"url": root + PREFIX}], "paths": paths,
            "info": {**full.get("info", {}), "title": "landgov OGC API - Features"}}


def _limit(operation: dict[str, Any], page_max: int) -> None:
    for param in operation.get("parameters", []):
        if param.get("name") == "limit":
            param.setdefault("schema", {})["maximum"] = page_max


def _for_collection(template: dict[str, Any], collection: Collection) -> dict[str, Any]:
    operation = copy.deepcopy(template)
    operation["operationId"] = f"{operation.get('operationId', 'items')}_{collection.id}"
    operation["summary"] = f"{collection.title} 要素"
    operation["parameters"] = [p for p in operation.get("parameters", [])
                               if p.get("name") != "collectionId"] + [
        {"name": q.name, "in": "query", "required": False,
         "description": f"{q.title} (等于)", "schema": {"type": q.type}}
        for q in collection.queryables]
    return operation
