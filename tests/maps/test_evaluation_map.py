"""The evaluation-class map on a hand-built district: layers, colours, popups, scope."""

import base64
import hashlib
import json
import re

import pytest
from sqlalchemy import text

from landgov.evaluation import service as evaluation
from landgov.maps.service import EVALUATION_COLOURS
from landgov.settings import get_settings
from tests.evaluation.conftest import World
from tests.evaluation.test_evaluate import rules
from tests.maps.conftest import DATA, assert_offline, layers
from tests.zones.conftest import YEAR

GREY, NONE, RED = (EVALUATION_COLOURS[k][1] for k in ("grey", "none", "red"))
POOR = dict(tax_wan=10, revenue_wan=100, value_added_wan=50, energy_tce=2000, cod_t=20)


@pytest.fixture
def evaluated(district, layout):
    """2 poor firms (red), 6 good firms, an idle parcel (grey), one never evaluated."""
    w = World(district)
    codes = {"idle": layout.parcel(100, 100, 200, 200, status="idle"),      # 60 亩
             "bare": layout.parcel(2500, 100, 300, 300, status="producing")}  # 135 亩, 府山
    codes["poor"] = [layout.parcel(100 + i * 250, 700, 100, 100, status="producing")
                     for i in range(2)]
    for code in codes["poor"]:
        w.firm(land=[(code, 1)], **POOR)
    for i in range(6):
        w.firm(land=[(layout.parcel(100 + i * 250, 1500, 100, 100, status="producing"), 1)])
    evaluation.evaluate(district, YEAR, rules(), "test")
    return codes


def test_parcels_are_coloured_by_the_latest_evaluation(as_role, evaluated, district):
    district.execute(text("UPDATE enterprise SET name = '<img src=x onerror=alert(1)>厂' "
                          "WHERE id = (SELECT min(id) FROM enterprise)"))
    res = as_role("viewer").get("/maps/evaluation")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    html = res.text
    assert_offline(html)
    by_colour = layers(html)
    assert [f["id"] for f in by_colour[GREY]] == [evaluated["idle"]]
    assert [f["id"] for f in by_colour[NONE]] == [evaluated["bare"]]
    assert sorted(f["id"] for f in by_colour[RED]) == sorted(evaluated["poor"])
    assert sum(len(v) for v in by_colour.values()) == 10
    idle = by_colour[GREY][0]["properties"]
    assert idle["area"] == "60.00 亩" and idle["status"] == "闲置" and idle["town"] == "塔山街道"
    assert by_colour[NONE][0]["properties"]["area"] == "135.00 亩"
    firms = sorted(f["properties"]["firms"] for f in by_colour[RED])
    # popups are inserted with innerHTML: text arrives escaped, never as markup
    assert firms == ["&lt;img src=x onerror=alert(1)&gt;厂", "测试企业2"]
    assert "<img" not in html and "\\u003cimg" not in html
    # legend in Chinese with counts; no internet tile layer
    assert "一码状态色" in html and "灰 (闲置 / 已出清) (1)" in html and "未评价 (1)" in html
    assert "tileLayer" not in html


def test_map_page_csp_allows_exactly_its_own_inline_scripts(as_role, evaluated, anon):
    res = as_role("viewer").get("/maps/evaluation")
    csp = res.headers["content-security-policy"]
    scripts = re.findall(r"<script>(.*?)</script>", res.text, re.DOTALL)
    assert scripts
    for body in scripts:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'self'" in csp and res.headers["x-frame-options"] == "SAMEORIGIN"
    assert res.headers.get_list("content-security-policy") == [csp]
    # the rest of the app keeps the strict policy
    other = anon.get("/maps/")
    assert "frame-ancestors 'none'" in other.headers["content-security-policy"]
    assert "sha256" not in other.headers["content-security-policy"]
    assert other.headers["x-frame-options"] == "DENY"


def test_town_filter_and_town_officer_scope(as_role, evaluated):
    east = layers(as_role("viewer").get("/maps/evaluation?town=330602002").text)
    assert [f["id"] for v in east.values() for f in v] == [evaluated["bare"]]
    # a town officer (塔山街道) sees only their town, whatever they ask for
    west = layers(as_role("town_officer").get("/maps/evaluation?town=330602002").text)
    ids = [f["id"] for v in west.values() for f in v]
    assert len(ids) == 9 and evaluated["bare"] not in ids


def test_bbox_limits_the_page(as_role, evaluated):
    from tests.tiles.conftest import lonlat

    (x0, y0), (x1, y1) = lonlat(0, 0), lonlat(600, 400)
    page = layers(as_role("viewer").get(f"/maps/evaluation?bbox={x0},{y0},{x1},{y1}").text)
    assert [f["id"] for v in page.values() for f in v] == [evaluated["idle"]]


def test_bad_input_and_oversized_pages_are_4xx(as_role, evaluated, monkeypatch):
    c = as_role("viewer")
    res = c.get("/maps/evaluation?town=330602999")
    assert res.status_code == 422 and "330602999" in res.json()["detail"]
    assert c.get("/maps/evaluation?town=abc").status_code == 422
    assert c.get("/maps/evaluation?bbox=1,2,3").status_code == 422
    monkeypatch.setattr(get_settings(), "maps_max_features", 5)
    res = c.get("/maps/evaluation")
    assert res.status_code == 422 and "上限 5" in res.json()["detail"]
    assert c.get("/maps/evaluation?town=330602002").status_code == 200


def test_roles(anon, as_role, district):
    assert anon.get("/maps/evaluation").status_code == 401
    res = as_role("investment").get("/maps/evaluation")  # 招商 does not see firms' classes
    assert res.status_code == 403 and "evaluation:read" in res.json()["detail"]


def test_page_budget_per_feature(as_role, evaluated):
    """Under 600 bytes a parcel (simplified, 6 decimals, no crs member): the 8,000-parcel
    cap keeps a page under ~5 MB, the 5,000-parcel demo district ~2.5 MB."""
    html = as_role("viewer").get("/maps/evaluation").text
    parcels = [b for name, b in DATA.findall(html) if '"unit_code"' in b]
    count = sum(len(json.loads(b)["features"]) for b in parcels)
    assert count == 10
    assert sum(len(b.encode()) for b in parcels) / count < 600
    assert '"crs"' not in html
