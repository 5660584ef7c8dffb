"""The HTTP routes: create, list, read, progress; problems; town scope; the dashboard."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy import text

from tests.factories import geojson, metres_box
from tests.reclamation.conftest import EAST, WEST, Ledger

BASE = "/api/v1/reclamation"


def _body(code: str, **extra: object) -> dict[str, object]:
    return {"unit_code": code, "reclaimed_on": "2025-05-20", "mode": "agreed_takeback",
            "new_use": "集成电路封装测试", **extra}


def test_create_list_read_and_progress(client: TestClient, ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 400, 100)
    first = client.post(f"{BASE}/records", json=_body(
        code, geometry=geojson(metres_box(100, 100, 200, 100))))
    assert first.status_code == 201, first.text
    assert first.headers["Location"] == f"{BASE}/records/{first.json()['id']}"
    assert (first.json()["area_mu"], first.json()["mode_label"]) == (30.0, "协议收回")
    second = client.post(f"{BASE}/records", json=_body(
        code, reclaimed_on="2025-06-02", geometry=geojson(metres_box(200, 100, 200, 100))))
    assert second.json()["new_mu"] == 15.0
    page = client.get(f"{BASE}/records", params={"town": WEST, "limit": 1}).json()
    assert (page["total"], page["items"][0]["id"]) == (2, second.json()["id"])
    one = client.get(f"{BASE}/records/{first.json()['id']}").json()
    assert one["geometry"]["type"] == "MultiPolygon"
    prog = client.get(f"{BASE}/progress", params={"by": "month", "from": "2025-05-01",
                                                   "to": "2025-06-30"}).json()
    assert (prog["cumulative_union_mu"], prog["cumulative_sum_mu"], prog["overlap_mu"]) == (
        45.0, 60.0, 15.0)
    assert [(r["key"], r["union_mu"], r["sum_mu"]) for r in prog["rows"]] == [
        ("2025-05", 30.0, 30.0), ("2025-06", 15.0, 30.0)]
    assert prog["target_mu"] == 12000.0 and prog["blocks"]["planned"] is None


def test_refusal_is_a_problem_and_writes_nothing(client: TestClient, ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    res = client.post(f"{BASE}/records", json=_body(
        code, geometry=geojson(metres_box(150, 100, 200, 100))))
    assert res.status_code == 422
    assert res.headers["content-type"].startswith("application/problem+json")
    assert "超出宗地" in res.json()["detail"]
    res = client.post(f"{BASE}/records", json=_body(code, mode="收储"))
    assert res.status_code == 422 and "未知的盘活方式" in res.json()["detail"]
    assert ledger.count() == 0
    assert client.get(f"{BASE}/records/999999").status_code == 404
    bad = client.get(f"{BASE}/progress", params={"by": "week"})
    assert bad.status_code == 422


def test_town_officer_sees_and_writes_only_its_town(as_role, ledger: Ledger) -> None:
    west, east = ledger.parcel(100, 100, 200, 100), ledger.parcel(2100, 100, 200, 100)
    ledger.record(east, date(2025, 1, 5))
    officer = as_role("town_officer")
    assert officer.post(f"{BASE}/records", json=_body(east)).status_code == 403
    assert officer.post(f"{BASE}/records", json=_body(west)).status_code == 201
    page = officer.get(f"{BASE}/records").json()
    assert [i["town_code"] for i in page["items"]] == [WEST]
    assert officer.get(f"{BASE}/records", params={"town": EAST}).status_code == 403
    prog = officer.get(f"{BASE}/progress", params={"by": "town"}).json()
    assert (prog["town"], [r["key"] for r in prog["rows"]]) == (WEST, [WEST])
    assert prog["cumulative_union_mu"] == 30.0
    east_id = ledger.db.execute(text("SELECT r.id FROM reclamation_record r JOIN town t "
                                     "ON t.id = r.town_id WHERE t.code = :t"),
                                {"t": EAST}).scalar_one()
    assert officer.get(f"{BASE}/records/{east_id}").status_code == 404


def test_readers_and_writers(as_role, anon: TestClient, ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    assert anon.get(f"{BASE}/progress").status_code == 401
    assert as_role("viewer").get(f"{BASE}/progress").status_code == 200
    assert as_role("viewer").post(f"{BASE}/records", json=_body(code)).status_code == 403
    assert as_role("investment").get(f"{BASE}/records").status_code == 403


def test_dashboard_is_served_from_local_assets_only(anon: TestClient) -> None:
    page = anon.get("/reclamation/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    html = page.text
    assert "<script>" not in html and " on" not in re.sub(r"<script[^>]*src=[^>]*>", "", html)
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/vendor/echarts/echarts.min.js" in assets
    for asset in assets:
        assert not re.match(r"^(https?:)?//", asset), asset
        if asset.endswith((".js", ".css")):
            body = anon.get(asset if asset.startswith("/") else f"/reclamation/{asset}")
            assert body.status_code == 200, asset
            if "/vendor/" not in asset:
                assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", body.text), asset
