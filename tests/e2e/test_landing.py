"""The landing map in a real browser: log in, see the district's parcels, open one."""

from pathlib import Path

from sqlalchemy.orm import Session

from landgov.auth.service import add_user
from landgov.parcels.schemas import ParcelCreate
from landgov.parcels.service import create_parcel
from tests.factories import geojson, metres_box
from tests.reliability.conftest import live_server

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def test_login_and_see_parcels(committing, test_database, browser):
    with Session(committing) as s:
        codes = [create_parcel(s, ParcelCreate(geometry=geojson(metres_box(200 + 400 * i, 300, 300, 300))))
                 .unit_codes[0] for i in range(3)]
        add_user(s, "browser.user", "browser-password", "viewer")
    errors: list[str] = []
    with live_server(test_database.app_url) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda req: errors.append(f"failed {req.url}"))
        page.goto(base + "/")
        page.fill("input[name=username]", "browser.user")
        page.fill("input[name=password]", "wrong-password")
        page.click("#login-form button")
        page.wait_for_selector("#login-error:has-text('用户名或密码错误')")
        page.fill("input[name=password]", "browser-password")
        page.click("#login-form button")
        page.wait_for_selector("#status:has-text('当前视图 3 宗宗地')", timeout=20000)
        assert "browser.user" in page.inner_text("#user")
        assert "一码状态色" in page.inner_text(".legend h2")
        page.check("input[name=style-by][value=status]")
        assert page.inner_text(".legend h2") == "宗地状态"
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "landing.png"))
        hosts = page.evaluate("performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
        assert set(hosts) == {base.removeprefix("http://")}  # nothing loaded from outside
        # click the middle of the first parcel: its popup shows the code and area in 亩
        x0, y0, x1, y1 = metres_box(200, 300, 300, 300).bounds
        point = page.evaluate(f"() => map.latLngToContainerPoint([{(y0 + y1) / 2}, {(x0 + x1) / 2}])")
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        popup = page.wait_for_selector(".parcel-popup", timeout=5000).inner_text()
        assert codes[0] in popup and "135.00 亩" in popup  # 300 m x 300 m = 135 亩
    assert errors == []
    assert len(codes) == 3
