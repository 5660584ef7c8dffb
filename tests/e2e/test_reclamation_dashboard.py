"""The dashboard in Debian's Chromium: a login link without a token, then the charts
drawn from the API with the token the map page keeps, nothing loaded from outside."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from landgov.auth.service import add_user
from landgov.parcels.schemas import ParcelCreate
from landgov.parcels.service import create_parcel
from landgov.reclamation import service
from landgov.reclamation.schemas import RecordCreate
from tests.e2e.editor_helpers import SHOTS
from tests.factories import geojson, metres_box
from tests.reliability.conftest import live_server


def test_dashboard_in_a_browser(committing, commit_database, browser) -> None:
    with Session(committing) as s:
        code = create_parcel(s, ParcelCreate(geometry=geojson(metres_box(200, 300, 200, 100)),
                                             status="cleared")).unit_codes[0]
        service.record(s, RecordCreate(unit_code=code, reclaimed_on=date(2025, 6, 1),
                                       mode="merger", new_use="智能制造"), actor="test")
        add_user(s, "dash.viewer", "dash-password", "viewer")
    errors: list[str] = []
    with live_server(commit_database.app_url) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("requestfailed", lambda req: errors.append(f"failed {req.url}"))
        page.goto(base + "/reclamation/")
        page.wait_for_selector("#login-needed:not([hidden])")
        assert page.get_attribute("#login-needed a", "href") == "/"
        token = page.evaluate("""async () => {
            const res = await fetch('/api/v1/auth/token', {method: 'POST',
                body: new URLSearchParams({username: 'dash.viewer', password: 'dash-password'})});
            return (await res.json()).access_token; }""")
        page.evaluate("(t) => sessionStorage.setItem('landgov.token', t)", token)
        page.reload()
        page.wait_for_selector("#board:not([hidden])")
        assert page.inner_text("#k-union") == "30.00 / 12,000.00 亩"
        for chart in ("c-trend", "c-towns", "c-modes", "c-blocks"):
            assert page.query_selector(f"#{chart} canvas") is not None, chart
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "reclamation-dashboard.png"), full_page=True)
        hosts = page.evaluate(
            "performance.getEntriesByType('resource').map(e => new URL(e.name).host)")
        assert set(hosts) == {base.removeprefix("http://")}
    assert errors == []
