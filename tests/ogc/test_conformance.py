"""Landing page, conformance declaration, API definition, collections and queryables."""

import pytest
from shapely import unary_union

from tests.factories import metres_box
from tests.ogc.conftest import CRS84, GEOJSON, assert_problem, epsg

PART1 = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/"


def links(doc):
    return {link["rel"]: link for link in doc["links"]}


def test_landing_page_links_everything_a_client_needs(client):
    res = client.get("/ogc")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("application/json")
    rel = links(res.json())
    assert rel["self"]["href"].endswith("/ogc")
    assert rel["service-desc"]["href"].endswith("/ogc/api")
    assert rel["conformance"]["href"].endswith("/ogc/conformance")
    assert rel["data"]["href"].endswith("/ogc/collections")
    assert rel["alternate"]["type"] == "text/html"


def test_landing_page_is_html_for_browsers(client):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    for res in (client.get("/ogc", headers={"Accept": browser}), client.get("/ogc?f=html")):
        assert res.status_code == 200
        assert res.headers["content-type"].startswith("text/html")
        assert '<html lang="zh-CN">' in res.text and "X-API-Key" in res.text
        assert "content-security-policy" in res.headers
    # GDAL and curl get JSON
    assert client.get("/ogc", headers={"Accept": "application/json"}).json()["links"]
    assert client.get("/ogc", headers={"Accept": "*/*"}).json()["links"]
    mixed = client.get("/ogc", headers={"Accept": "text/html;level=1;q=0.5, application/json"})
    assert mixed.headers["content-type"].startswith("application/json")
    assert_problem(client.get("/ogc?f=xml"), 400, "f")


def test_conformance_declares_only_what_is_implemented(client):
    classes = client.get("/ogc/conformance").json()["conformsTo"]
    assert PART1 + "core" in classes and PART1 + "geojson" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/update" in classes
    # FastAPI writes OpenAPI 3.1 and only the landing page has HTML: neither is claimed
    assert PART1 + "oas30" not in classes and PART1 + "html" not in classes


def test_api_definition_is_rooted_at_ogc_with_per_collection_filters(client):
    doc = client.get("/ogc/api").json()
    assert doc["openapi"].startswith("3.")
    assert doc["servers"][0]["url"].endswith("/ogc")
    assert "/collections/{collectionId}/items" in doc["paths"]
    assert not [p for p in doc["paths"] if p.startswith("/api/v1")]
    parcels = doc["paths"]["/collections/parcels/items"]
    names = {p["name"] for p in parcels["get"]["parameters"]}
    assert {"limit", "bbox", "crs", "datetime", "status", "town_name"} <= names
    assert "post" in parcels  # Part 4 create
    limit = next(p for p in parcels["get"]["parameters"] if p["name"] == "limit")
    assert limit["schema"]["maximum"] == 10_000
    assert client.get("/openapi.json").json()["paths"]["/ogc/collections"]  # app doc unchanged


def test_collections_list_every_registered_collection_with_crs(client, parcels):
    doc = client.get("/ogc/collections").json()
    by_id = {c["id"]: c for c in doc["collections"]}
    assert set(by_id) == {"parcels", "enterprises", "cases", "reclaimed", "zones",
                          "available_plots"}
    p = by_id["parcels"]
    assert p["crs"][0] == CRS84
    assert set(p["crs"]) == {CRS84, epsg(4490), epsg(4326), epsg(3857), epsg(4549)}
    assert p["storageCrs"] == epsg(4490)
    assert links(p)["items"]["type"] == GEOJSON
    boxes = [metres_box(x, y, 200, 200) for x, y in ((100, 100), (400, 100), (1600, 600),
                                                      (2100, 1100))]
    expected = unary_union(boxes).bounds
    assert p["extent"]["spatial"]["bbox"][0] == pytest.approx(expected, abs=1e-9)
    assert p["extent"]["temporal"]["interval"][0][1] is None
    e = by_id["enterprises"]
    assert "crs" not in e and "storageCrs" not in e


def test_one_collection_and_unknown_collection(client):
    assert client.get("/ogc/collections/parcels").json()["id"] == "parcels"
    assert_problem(client.get("/ogc/collections/nope"), 404, "nope")
    assert_problem(client.get("/ogc/collections/nope/items"), 404, "nope")
    assert_problem(client.get("/ogc/collections/nope/items/x"), 404, "nope")


def test_queryables_are_a_json_schema(client):
    res = client.get("/ogc/collections/parcels/queryables")
    assert res.headers["content-type"].startswith("application/schema+json")
    doc = res.json()
    assert doc["type"] == "object" and doc["$id"].endswith("/parcels/queryables")
    assert doc["properties"]["town_name"] == {"title": "镇街", "type": "string"}
    assert "uscc" in client.get("/ogc/collections/enterprises/queryables").json()["properties"]


def test_roles_without_parcel_read_see_nothing(as_role, anon):
    assert_problem(anon.get("/ogc/collections"), 401)
    assert_problem(as_role("investment").get("/ogc/collections"), 403, "parcels:read")
    assert as_role("viewer").get("/ogc/collections").status_code == 200
