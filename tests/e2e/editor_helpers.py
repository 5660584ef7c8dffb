"""Shared set-up for the editor's browser tests: a committed layout, a live server, a
logged-in page that records every page error and failed request."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import httpx
from shapely.geometry import Point
from sqlalchemy.orm import Session

from landgov.auth.service import add_user
from landgov.geo import AREA_SRID, to_storage
from landgov.parcels.schemas import ParcelCreate
from landgov.parcels.service import create_parcel
from tests.factories import X0, Y0, geojson, metres_box
from tests.reliability.conftest import live_server

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DOCS = Path(__file__).resolve().parents[2] / "docs"
USER, PASSWORD = "editor.officer", "editor-password"

# Three 300 m parcels in a row in the west town, 100 m apart, and one touching the
# first on its east side (for the merge): A [200,500], B [600,900], C [1000,1300], D [500,600].
BOXES = [(200, 300, 300, 300), (600, 300, 300, 300), (1000, 300, 300, 300), (500, 300, 100, 300)]


class Layout(NamedTuple):
    """The codes of the four parcels of BOXES."""

    a: str
    b: str
    c: str
    d: str


def seed(engine: Any) -> Layout:
    with Session(engine) as s:
        codes = [create_parcel(s, ParcelCreate(geometry=geojson(metres_box(*b)))).unit_codes[0]
                 for b in BOXES]
        add_user(s, USER, PASSWORD, "land_editor")
        add_user(s, "viewer.user", "viewer-password", "viewer")
    return Layout(*codes)


def api(base: str) -> httpx.Client:
    """An API client logged in as the editor (a second session beside the browser)."""
    res = httpx.post(f"{base}/api/v1/auth/token", data={"username": USER, "password": PASSWORD})
    res.raise_for_status()
    return httpx.Client(base_url=base, timeout=30,
                        headers={"Authorization": f"Bearer {res.json()['access_token']}"})


@contextmanager
def editor(browser: Any, database_url: str, errors: list[str],
           expected: tuple[int, ...] = ()) -> Iterator[tuple[Any, str]]:
    """The editor page, logged in and ready, on a live server; ``errors`` collects faults
    (page errors, failed requests, responses >= 400 other than the ``expected`` ones)."""
    with live_server(database_url) as base:
        page = browser.new_page(viewport={"width": 1400, "height": 850})
        page.on("pageerror", lambda exc: errors.append(f"pageerror {exc}"))
        page.on("requestfailed", lambda req: errors.append(f"failed {req.url} {req.failure}"))
        page.on("response", lambda r: r.status >= 400 and r.status not in expected
                and errors.append(f"{r.status} {r.url}"))
        page.goto(base + "/")
        login(page, USER, PASSWORD)
        yield page, base
        page.close()


def login(page: Any, user: str, password: str) -> None:
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", password)
    page.click("#login-form button")
    page.wait_for_selector("body[data-ready=true]", timeout=20000)


def wait_tiles(page: Any) -> None:
    """Until MapLibre has loaded every tile it wants and is idle."""
    page.wait_for_function("() => window.landgovEditor.map.loaded() && "
                           "window.landgovEditor.map.areTilesLoaded()", timeout=20000)


def screen_point(page: Any, lng: float, lat: float) -> tuple[float, float]:
    """Page coordinates of a lon/lat on the map."""
    p = page.evaluate(f"() => window.landgovEditor.map.project([{lng}, {lat}])")
    box = page.locator("#map").bounding_box()
    return box["x"] + p["x"], box["y"] + p["y"]


def search(page: Any, code: str) -> None:
    page.fill("#search", code)
    page.click("#search-form button")
    page.wait_for_selector(f"#parcel-code:has-text('{code}')", timeout=10000)


def lonlat(x: float, y: float) -> tuple[float, float]:
    """Lon/lat (EPSG:4490) of a point given in metres from the district's south-west corner."""
    p = to_storage(Point(X0 + x, Y0 + y), AREA_SRID)
    return p.x, p.y


def at(page: Any, x: float, y: float) -> tuple[float, float]:
    """Page coordinates of a point given in metres (see :func:`lonlat`)."""
    return screen_point(page, *lonlat(x, y))


def show_metres(page: Any, x0: float, y0: float, x1: float, y1: float) -> None:
    """Fit the map to a box given in metres and wait for its tiles."""
    (a, b), (c, d) = lonlat(x0, y0), lonlat(x1, y1)
    page.evaluate(f"() => window.landgovEditor.map.fitBounds([[{a}, {b}], [{c}, {d}]], "
                  "{padding: 40, duration: 0})")
    wait_tiles(page)


def drag(page: Any, start: tuple[float, float], end: tuple[float, float]) -> None:
    """A real mouse drag (pointer down, moves, up), as an officer drags a vertex."""
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=5)
    page.mouse.move(*end, steps=5)
    page.mouse.up()
