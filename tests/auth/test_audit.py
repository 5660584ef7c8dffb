"""The audit trail: every change recorded with actor, request id, before and after;
append-only for every role."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from tests.factories import geojson, metres_box


def events(db, code):
    return db.execute(text("SELECT actor, action, request_id, before, after FROM audit_event "
                           "WHERE entity = 'parcel' AND entity_key = :c ORDER BY id"), {"c": code}).all()


def test_api_changes_are_audited_with_actor_request_and_values(client, district):
    res = client.post("/api/v1/parcels", json={"geometry": geojson(metres_box(100, 100, 100, 100))},
                      headers={"X-Request-ID": "req-create-1"})
    code = res.json()["unit_codes"][0]
    assert res.headers["x-request-id"] == "req-create-1"
    upd = client.patch(f"/api/v1/parcels/{code}", json={"name": "新名称"}, headers={"If-Match": '"1"'})
    rows = events(district, code)
    assert [r.action for r in rows] == ["create", "update"]
    assert all(r.actor.startswith("api_key:") and "测试 land_editor" in r.actor for r in rows)
    assert rows[0].request_id == "req-create-1"
    assert rows[1].request_id == upd.headers["x-request-id"]
    assert rows[1].before["name"] is None and rows[1].after["name"] == "新名称"
    assert rows[1].before["version"] == 1 and rows[1].after["version"] == 2
    assert rows[0].after["geom"]["type"] == "MultiPolygon"  # geometry kept as GeoJSON
    retire = client.delete(f"/api/v1/parcels/{code}", headers={"If-Match": '"2"'})
    assert retire.status_code == 200
    assert events(district, code)[-1].action == "retire"


def test_history_view_shows_who_and_when(client):
    code = client.post("/api/v1/parcels", json={"geometry": geojson(metres_box(100, 100, 100, 100))}).json()["unit_codes"][0]
    client.patch(f"/api/v1/parcels/{code}", json={"status": "idle"}, headers={"If-Match": '"1"'})
    hist = client.get(f"/api/v1/parcels/{code}/history").json()
    assert [(e["action"], e["version_before"], e["version_after"]) for e in hist["events"]] == [
        ("create", None, 1), ("update", 1, 2)]
    assert all("land_editor" in e["actor"] for e in hist["events"])


def test_writes_outside_the_app_are_attributed_to_their_database_role(district):
    from tests.parcels.test_history_rules import new_parcel
    code = new_parcel(district)
    assert events(district, code)[0].actor == "db:landgov_app"


def test_audit_api_is_for_admins(as_role, client):
    code = client.post("/api/v1/parcels", json={"geometry": geojson(metres_box(100, 100, 100, 100))}).json()["unit_codes"][0]
    assert client.get("/api/v1/audit").status_code == 403
    res = as_role("admin").get("/api/v1/audit", params={"entity": "parcel", "key": code})
    assert res.status_code == 200
    assert [e["action"] for e in res.json()] == ["create"]


@pytest.mark.parametrize("statement", [
    "UPDATE audit_event SET actor = 'someone else'",
    "DELETE FROM audit_event",
    "TRUNCATE audit_event",
])
def test_app_role_cannot_alter_the_audit_trail(district, statement):
    from tests.parcels.test_history_rules import new_parcel
    new_parcel(district)
    with pytest.raises(DBAPIError) as exc:
        with district.begin_nested():
            district.execute(text(statement))
    assert "permission denied" in str(exc.value.orig) or "只能追加" in str(exc.value.orig)


@pytest.mark.parametrize("statement", ["UPDATE audit_event SET actor = 'x'", "DELETE FROM audit_event",
                                       "TRUNCATE audit_event"])
def test_even_the_owner_cannot_alter_the_audit_trail(owner_engine, statement):
    with owner_engine.connect() as conn:
        conn.execute(text("INSERT INTO audit_event (actor, action, entity) VALUES ('t', 'create', 't')"))
        with pytest.raises(DBAPIError, match="只能追加"):
            conn.execute(text(statement))
        conn.rollback()
