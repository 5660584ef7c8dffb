"""Request limits, headers, rate limits, CORS, error bodies."""

import pytest
from fastapi.testclient import TestClient

from landgov.app import create_app
from landgov.db import get_session
from landgov.settings import get_settings
from tests.factories import geojson, metres_box


@pytest.fixture
def app_with(district, monkeypatch):
    """An app built with some settings changed (through the environment, as in production)."""

    def build(**overrides):
        for name, value in overrides.items():
            monkeypatch.setenv(f"LANDGOV_{name.upper()}", str(value))
        get_settings.cache_clear()
        app = create_app()
        app.dependency_overrides[get_session] = lambda: district
        return app

    yield build
    monkeypatch.undo()
    get_settings.cache_clear()


def keyed(app, district, role="land_editor"):
    from landgov.auth.service import create_key
    return TestClient(app, headers={"X-API-Key": create_key(district, "t", role)})


def test_body_over_the_limit_is_413_problem(district, app_with):
    client = keyed(app_with(max_request_bytes=2000), district)
    res = client.post("/api/v1/parcels", json={"geometry": geojson(metres_box(100, 100, 100, 100)),
                                                "note": "备注" * 1000})
    assert res.status_code == 413
    assert res.headers["content-type"].startswith("application/problem+json")


def test_too_many_vertices_is_refused(district, app_with):
    client = keyed(app_with(max_vertices=10), district)
    from shapely.geometry import Point

    from landgov.geo import AREA_SRID, to_storage
    from tests.factories import X0, Y0
    circle = to_storage(Point(X0 + 300, Y0 + 300).buffer(50, 16), AREA_SRID)
    res = client.post("/api/v1/parcels", json={"geometry": geojson(circle)})
    assert res.status_code == 422 and "超过上限 10" in res.json()["detail"]


def test_rate_limit_per_key(district, app_with):
    client = keyed(app_with(rate_limit_per_minute=3), district)
    codes = [client.get("/api/v1/regions/towns").status_code for _ in range(4)]
    assert codes[:3] == [200, 200, 200]
    assert codes[3] == 429
    other = keyed(client.app, district, "viewer")
    assert other.get("/api/v1/regions/towns").status_code == 200  # per key, not global


def test_security_headers(anon):
    page = anon.get("/")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    api = anon.get("/healthz")
    assert api.headers["x-content-type-options"] == "nosniff"
    assert api.headers["x-request-id"]


def test_cors_is_off_by_default(anon):
    res = anon.get("/healthz", headers={"Origin": "http://evil.example"})
    assert "access-control-allow-origin" not in res.headers
    pre = anon.options("/api/v1/parcels", headers={"Origin": "http://evil.example",
                                                   "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in pre.headers


def test_unexpected_error_is_500_problem_without_internals(client, monkeypatch):
    from landgov.parcels import service

    def boom(*args, **kwargs):
        raise RuntimeError("secret internal detail SELECT * FROM parcel")

    monkeypatch.setattr(service, "list_parcels", boom)
    with TestClient(client.app, raise_server_exceptions=False, headers=dict(client.headers)) as c:
        res = c.get("/api/v1/parcels")
    assert res.status_code == 500
    assert res.headers["content-type"].startswith("application/problem+json")
    assert "secret internal detail" not in res.text and "Traceback" not in res.text
