"""The page at / (the parcel editor, which replaced the Leaflet landing map) in a real
browser: log in, the district and its parcels drawn from our own tiles and coloured,
the legend switches, nothing loaded from outside, a viewer cannot edit."""

import io

from PIL import Image
from sqlalchemy.orm import Session

from landgov.auth.service import add_user
from landgov.parcels.schemas import ParcelCreate
from landgov.parcels.service import create_parcel
from tests.e2e.editor_helpers import SHOTS, at, login, show_metres
from tests.factories import geojson, metres_box
from tests.reliability.conftest import live_server


def pixel(page, x, y):
    shot = Image.open(io.BytesIO(page.screenshot())).convert("RGB")
    return shot.getpixel((round(x), round(y)))


def test_login_and_see_the_district_coloured(committing, commit_database, browser):
    with Session(committing) as s:
        codes = [create_parcel(s, ParcelCreate(geometry=geojson(metres_box(200 + 400 * i, 300, 300, 300)),
                                               status="idle" if i == 0 else "supplied")).unit_codes[0]
                 for i in range(3)]
        add_user(s, "browser.user", "browser-password", "viewer")
    errors: list[str] = []
    with live_server(commit_database.app_url) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda req: errors.append(f"failed {req.url}"))
        response = page.goto(base + "/")
        # the strict CSP as it was: MapLibre's worker is a same-origin module file
        assert "script-src 'self';" in response.headers["content-security-policy"]
        page.fill("input[name=username]", "browser.user")
        page.fill("input[name=password]", "wrong-password")
        page.click("#login-form button")
        page.wait_for_selector("#login-error:has-text('用户名或密码错误')")
        login(page, "browser.user", "browser-password")
        assert "browser.user" in page.inner_text("#user")
        assert page.evaluate("() => sessionStorage.getItem('landgov.token')")  # shared key
        show_metres(page, 0, 0, 1500, 900)
        # the three parcels come from the vector tiles, with their 一码 colour attribute
        drawn = page.evaluate("""() => window.landgovEditor.map
            .queryRenderedFeatures({layers: ['parcels-fill']})
            .map((f) => [f.properties.unit_code, f.properties.colour ?? null])""")
        assert sorted(set(map(tuple, drawn))) == [(codes[0], "grey"), (codes[1], None), (codes[2], None)]
        # and coloured by it: the idle parcel grey (#8e8e8e), the unevaluated ones light grey
        idle, fresh = pixel(page, *at(page, 350, 450)), pixel(page, *at(page, 750, 450))
        assert max(idle) < 170 < min(fresh), (idle, fresh)
        assert "一码状态色" in page.inner_text("#legend h3")
        page.select_option("#style-by", "eval_class")
        assert page.inner_text("#legend h3") == "亩均效益评价类别"
        page.select_option("#style-by", "governance_state")
        assert "治理状态" in page.inner_text("#legend")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "landing.png"))
        hosts = page.evaluate("performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
        assert set(hosts) == {base.removeprefix("http://")}  # nothing loaded from outside
        # a viewer may look (click → attributes and history) but not edit
        page.mouse.click(*at(page, 750, 450))
        page.wait_for_selector(f"#parcel-code:has-text('{codes[1]}')")
        assert page.is_disabled("#tool-edit") and page.is_disabled("#tool-draw")
        assert page.query_selector("#attr-form") is None
        assert "只能查看" in page.inner_text("#messages")
        # an expired token: a tile is refused, the login dialog comes back, tiles reload
        page.evaluate("() => { sessionStorage.setItem('landgov.token', 'expired'); "
                      "window.landgovEditor.refreshParcels(); }")
        page.wait_for_selector("#login[open]")
        assert "登录已过期" in page.inner_text("#login-error")
        page.fill("input[name=username]", "browser.user")
        page.fill("input[name=password]", "browser-password")
        page.click("#login-form button")
        page.wait_for_selector("#login[open]", state="detached")
        assert page.evaluate("() => sessionStorage.getItem('landgov.token')") != "expired"
    assert errors == []
