"""The conformance classes this server implements, declared as data (as pygeoapi does).

Only what is really implemented and tested in ``tests/ogc``. Not claimed:
``oas30`` (FastAPI writes the API definition as OpenAPI 3.1, not 3.0) and ``html``
(only the landing page has an HTML form).
"""

from __future__ import annotations

_FEATURES_1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"
_FEATURES_2 = "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/"
_FEATURES_3 = "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/"
_FEATURES_4 = "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/"

CONFORMANCE_CLASSES: tuple[str, ...] = (
    _FEATURES_1 + "core",  # landing page, collections, items, paging, bbox, datetime
    _FEATURES_1 + "geojson",  # features as application/geo+json
    _FEATURES_2 + "crs",  # crs, bbox-crs, Content-Crs; EPSG axis order honoured
    _FEATURES_3 + "queryables",  # /collections/{id}/queryables (JSON Schema)
    _FEATURES_3 + "queryables-query-parameters",  # ?property=value equality filters
    _FEATURES_4 + "create-replace-delete",  # POST / PUT / DELETE on parcels, If-Match
    _FEATURES_4 + "update",  # PATCH on parcels
)
