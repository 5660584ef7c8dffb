"""Login, tokens, API keys, town scoping."""

import time

import jwt
from sqlalchemy import text

from landgov.auth import service, tokens
from landgov.settings import get_settings
from tests.factories import geojson, metres_box

PASSWORD = "correct horse battery"


def login(anon, username, password=PASSWORD):
    return anon.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_password_login_gives_a_bearer_token_that_works(anon, district):
    service.add_user(district, "li.hua", PASSWORD, "land_editor", display_name="李华")
    res = login(anon, "li.hua")
    assert res.status_code == 200, res.text
    body = res.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == get_settings().token_minutes * 60
    me = anon.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["role"] == "land_editor" and "parcels:write" in me.json()["permissions"]


def test_passwords_are_stored_as_argon2_hashes(district):
    service.add_user(district, "wang.fang", PASSWORD, "viewer")
    stored = district.execute(text("SELECT password_hash FROM app_user WHERE username = 'wang.fang'")).scalar()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_wrong_password_unknown_user_and_inactive_user_are_refused_alike(anon, district):
    service.add_user(district, "zhao.lei", PASSWORD, "viewer")
    assert login(anon, "zhao.lei", "wrong password!").status_code == 401
    assert login(anon, "nobody.here").status_code == 401
    district.execute(text("UPDATE app_user SET active = false WHERE username = 'zhao.lei'"))
    res = login(anon, "zhao.lei")
    assert res.status_code == 401 and res.json()["detail"] == "用户名或密码错误"


def test_token_of_a_deactivated_user_stops_working_at_once(anon, district):
    service.add_user(district, "sun.li", PASSWORD, "viewer")
    token = login(anon, "sun.li").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert anon.get("/api/v1/parcels", headers=headers).status_code == 200
    district.execute(text("UPDATE app_user SET active = false WHERE username = 'sun.li'"))
    assert anon.get("/api/v1/parcels", headers=headers).status_code == 401


def test_expired_and_forged_tokens_are_refused(anon, district):
    service.add_user(district, "qian.yu", PASSWORD, "viewer")
    secret = tokens.signing_secret(get_settings())
    past = int(time.time()) - 3600
    expired = jwt.encode({"sub": "qian.yu", "iat": past - 60, "exp": past, "typ": "access"}, secret, "HS256")
    forged = jwt.encode({"sub": "qian.yu", "iat": int(time.time()), "exp": int(time.time()) + 600,
                         "typ": "access"}, "not-the-secret-of-this-server-0123456789", "HS256")
    for token, reason in [(expired, "过期"), (forged, "无效"), ("garbage", "无效")]:
        res = anon.get("/api/v1/parcels", headers={"Authorization": f"Bearer {token}"})
        assert res.status_code == 401 and reason in res.json()["detail"]


def test_api_keys_are_stored_hashed_and_can_be_revoked(anon, district):
    secret = service.create_key(district, "招商一局", "investment")
    prefix = tokens.key_prefix(secret)
    stored = district.execute(text("SELECT key_digest FROM api_key WHERE key_prefix = :p"), {"p": prefix}).scalar()
    assert stored == tokens.key_digest(secret) and secret not in stored
    headers = {"X-API-Key": secret}
    assert anon.get("/api/v1/regions/towns", headers=headers).status_code == 200
    assert anon.get("/api/v1/parcels", headers=headers).status_code == 403
    service.revoke_key(district, prefix)
    res = anon.get("/api/v1/regions/towns", headers=headers)
    assert res.status_code == 401 and "吊销" in res.json()["detail"]
    assert anon.get("/api/v1/regions/towns", headers={"X-API-Key": secret[:-1] + "x"}).status_code == 401
    assert anon.get("/api/v1/regions/towns", headers={"X-API-Key": "nonsense"}).status_code == 401


def test_town_officer_sees_only_its_town(as_role, client):
    west = client.post("/api/v1/parcels", json={"geometry": geojson(metres_box(100, 100, 100, 100))}).json()["unit_codes"][0]
    east = client.post("/api/v1/parcels", json={"geometry": geojson(metres_box(2100, 100, 100, 100))}).json()["unit_codes"][0]
    officer = as_role("town_officer")  # 塔山街道 330602001, the western town
    listed = officer.get("/api/v1/parcels").json()
    assert [f["id"] for f in listed["features"]] == [west]
    assert officer.get(f"/api/v1/parcels/{west}").status_code == 200
    assert officer.get(f"/api/v1/parcels/{east}").status_code == 404
    assert officer.get(f"/api/v1/parcels/{east}/history").status_code == 404
    assert officer.get("/api/v1/parcels", params={"town": "330602002"}).status_code == 403


def test_role_and_town_rules_for_accounts(district):
    import pytest

    from landgov.errors import Conflict, InvalidInput
    with pytest.raises(InvalidInput, match="须指定镇街"):
        service.add_user(district, "zhou.town", PASSWORD, "town_officer")
    with pytest.raises(InvalidInput, match="未知镇街"):
        service.create_key(district, "某镇", "town_officer", "330602099")
    with pytest.raises(InvalidInput, match="未知角色"):
        service.add_user(district, "wu.x", PASSWORD, "superuser")
    with pytest.raises(InvalidInput, match="至少"):
        service.add_user(district, "wu.y", "short", "viewer")
    service.add_user(district, "wu.z", PASSWORD, "viewer")
    with pytest.raises(Conflict):
        service.add_user(district, "wu.z", PASSWORD, "viewer")
