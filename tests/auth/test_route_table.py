"""Every route is guarded except the listed public ones; each guarded route refuses
anonymous callers and every role whose permissions lack what it needs."""

import pytest
from fastapi.routing import APIRoute, iter_route_contexts

from landgov.app import create_app
from landgov.auth.permissions import ROLES, Permission

PUBLIC = {("GET", "/"), ("GET", "/docs"), ("GET", "/openapi.json"), ("GET", "/healthz"),
          ("POST", "/api/v1/auth/token"),
          # the /maps/ shell (no data) and the signed links, whose ticket is the credential
          ("GET", "/maps/"), ("GET", "/maps/view/{ticket}"), ("GET", "/maps/shared/{ticket}")}
SAMPLE = {"unit_code": "330602001001GB00001W00000000", "layer": "towns",
          "code": "91350100M000100Y43", "uscc": "91350100M000100Y43", "run_id": "1",
          "ref": "zhejiang-default@1",
          "z": "1", "x": "1", "y": "0", "name": "nightlight", "tms": "WebMercatorQuad",
          "collectionId": "parcels", "featureId": "330602001001GB00001W00000000",
          "job_id": "1", "zone_code": "ZB1-1", "project_id": "1",
          "case_id": "1", "evidence_id": "1", "record_id": "1"}


def guard_permission(route) -> Permission | None:
    if not isinstance(route.original_route, APIRoute):
        return None
    stack = [route.dependant]
    while stack:
        dep = stack.pop()
        permission = getattr(dep.call, "permission", None)
        if permission is not None:
            return permission
        stack.extend(dep.dependencies)
    return None


def routes() -> list[tuple[str, str, Permission | None]]:
    out = []
    # iter_route_contexts flattens included routers into the routes the app serves.
    for route in iter_route_contexts(create_app().routes):
        for method in sorted((route.methods or set()) - {"HEAD", "OPTIONS"}):
            out.append((method, route.path, guard_permission(route)))
    return out


def concrete(path: str) -> str:
    for name, value in SAMPLE.items():
        path = path.replace("{" + name + "}", value)
    assert "{" not in path, path
    return path


def test_every_route_is_guarded_except_the_public_ones():
    unguarded = {(m, p) for m, p, perm in routes() if perm is None}
    assert unguarded == PUBLIC


@pytest.mark.parametrize(("method", "path", "permission"),
                         [r for r in routes() if r[2] is not None], ids=str)
def test_anonymous_is_refused(anon, method, path, permission):
    res = anon.request(method, concrete(path), json={})
    assert res.status_code == 401, res.text
    assert res.headers["content-type"].startswith("application/problem+json")
    assert res.headers["www-authenticate"].startswith("Bearer")


DENIED = [(m, p, perm, role) for m, p, perm in routes() if perm is not None
          for role, spec in ROLES.items() if perm not in spec.permissions]


@pytest.mark.parametrize(("method", "path", "permission", "role"), DENIED, ids=str)
def test_roles_without_the_permission_are_refused(as_role, method, path, permission, role):
    res = as_role(role).request(method, concrete(path), json={}, headers={"If-Match": '"1"'})
    assert res.status_code == 403, res.text
    assert permission.value in res.json()["detail"]


def test_every_write_route_is_denied_to_some_role():
    writes = [(m, p, perm) for m, p, perm in routes() if m != "GET" and (m, p) not in PUBLIC]
    assert writes
    for _method, _path, perm in writes:
        assert any(perm not in spec.permissions for spec in ROLES.values())


def test_static_assets_are_public(anon):
    assert anon.get("/static/landing.js").status_code == 200
    assert anon.get("/").status_code == 200
    assert anon.get("/healthz").status_code == 200
