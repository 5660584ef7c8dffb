"""The /maps/ shell in a real browser: log in, open the evaluation map in its iframe
(signed link, page CSP with script hashes, sandboxed frame), click a parcel."""

from sqlalchemy.orm import Session

from landgov.auth.service import add_user
from landgov.parcels.schemas import ParcelCreate
from landgov.parcels.service import create_parcel
from tests.e2e.test_landing import SHOTS
from tests.factories import geojson, metres_box
from tests.reliability.conftest import live_server


def test_shell_opens_the_evaluation_map(committing, commit_database, browser):
    with Session(committing) as s:
        code = create_parcel(s, ParcelCreate(geometry=geojson(metres_box(200, 300, 300, 300)),
                                             status="idle")).unit_codes[0]
        add_user(s, "maps.user", "maps-password", "viewer")
    errors: list[str] = []
    with live_server(commit_database.app_url) as base:
        page = browser.new_page(viewport={"width": 1200, "height": 800})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda req: errors.append(f"failed {req.url}"))
        page.on("response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}"))
        # a CSP violation (an inline script without its hash) is a console error
        page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
        page.goto(base + "/maps/")
        page.click("button[data-map=evaluation]")
        page.fill("input[name=username]", "maps.user")
        page.fill("input[name=password]", "maps-password")
        page.click("#login-form button")
        frame_el = page.wait_for_selector("#map-frame[src^='/maps/view/']", timeout=20000)
        frame = frame_el.content_frame()
        assert frame is not None
        frame.wait_for_selector(".lg-legend", timeout=20000)
        frame.wait_for_function("typeof L !== 'undefined'", timeout=20000)
        assert "一码状态色" in frame.inner_text(".lg-legend")
        frame.wait_for_timeout(1500)  # fitBounds' zoom animation
        name = frame.evaluate("Object.keys(window).find(k => /^map_[0-9a-f]+$/.test(k))")
        x0, y0, x1, y1 = metres_box(200, 300, 300, 300).bounds
        point = frame.evaluate(
            f"() => window['{name}'].latLngToContainerPoint([{(y0 + y1) / 2}, {(x0 + x1) / 2}])")
        box = frame_el.bounding_box()
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        popup = frame.wait_for_selector(".foliumpopup", timeout=5000).inner_text()
        assert code in popup and "135.00 亩" in popup and "闲置" in popup
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "maps-evaluation.png"))
        hosts = frame.evaluate("performance.getEntriesByType('resource')"
                               ".map(e => new URL(e.name).host)")
        assert set(hosts) == {base.removeprefix("http://")}  # nothing loaded from outside
        # the 推介单 PDF, fetched with the token and saved from a blob
        page.fill("#plot", code)
        with page.expect_download(timeout=20000) as download:
            page.click("#brochure")
        path = download.value.path()
        assert download.value.suggested_filename == f"地块推介单-{code}.pdf"
        with open(path, "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        # the sandboxed frame cannot read the shell's token
        assert frame.evaluate("(() => { try { return sessionStorage.length; } "
                              "catch (e) { return 'blocked'; } })()") == "blocked"
    assert errors == []
