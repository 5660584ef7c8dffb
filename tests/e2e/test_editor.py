"""The parcel editor in a real browser: each edit an officer makes, checked on the server.

Layout (tests/e2e/editor_helpers.py, metres from the district's corner): A [200,500],
D [500,600] touching A's east side, B [600,900], C [1000,1300], all y 300–600.
"""

import os

import pytest

from tests.e2e.editor_helpers import (
    SHOTS,
    api,
    at,
    drag,
    editor,
    lonlat,
    search,
    seed,
    show_metres,
)


def ring(feature):
    return feature["geometry"]["coordinates"][0][0]


def rendered_code_at(page, x, y):
    """The unit code of the parcel tile feature drawn at a point (metres), or None."""
    lng, lat = lonlat(x, y)
    return page.evaluate(f"""() => {{
        const m = window.landgovEditor.map;
        const f = m.queryRenderedFeatures(m.project([{lng}, {lat}]), {{layers: ['parcels-fill']}});
        return f.length ? f[0].properties.unit_code : null; }}""")


def wait_rendered(page, x, y, code):
    lng, lat = lonlat(x, y)
    page.wait_for_function(f"""() => {{
        const m = window.landgovEditor.map;
        const f = m.queryRenderedFeatures(m.project([{lng}, {lat}]), {{layers: ['parcels-fill']}});
        return f.length > 0 && f[0].properties.unit_code === {code!r}; }}""", timeout=15000)


def test_move_a_vertex_with_snapping_undo_and_save(committing, commit_database, browser):
    _, b, c, _ = seed(committing)
    errors: list[str] = []
    with editor(browser, commit_database.app_url, errors) as (page, base):
        search(page, c)  # find the parcel by its code
        show_metres(page, 850, 250, 1350, 650)
        assert rendered_code_at(page, 960, 580) is None  # between B and C: nothing yet
        page.click("#tool-edit")
        page.wait_for_function("() => window.landgovEditor.state.snap.length > 0")
        # drag C's north-west corner (1000, 600) 90 m west, 4 m off B's north-east corner:
        # it snaps onto B's vertex (900, 600)
        drag(page, at(page, 1000, 600), at(page, 904, 603))
        page.wait_for_selector("#undo:not([disabled])")
        # undo the unsaved change, then make it again
        page.click("#undo")
        page.wait_for_selector("#undo[disabled]")
        drag(page, at(page, 1000, 600), at(page, 904, 603))
        page.wait_for_selector("#undo:not([disabled])")
        page.click("#save")
        page.wait_for_selector(".msg.ok:has-text('已保存为第 2 版')")
        page.wait_for_selector("#parcel-version:has-text('2')")
        # the tiles on screen were refetched: the new triangle is drawn as part of C
        wait_rendered(page, 960, 580, c)
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / "editor-moved.png"))
        with api(base) as http:
            res = http.get(f"/api/v1/parcels/{c}")
            assert res.headers["etag"] == '"2"'
            corners = ring(res.json())
            b_corners = ring(http.get(f"/api/v1/parcels/{b}").json())
            history = http.get(f"/api/v1/parcels/{c}/history").json()
    ne_of_b = next(p for p in b_corners if p == pytest.approx(list(lonlat(900, 600)), abs=1e-7))
    assert ne_of_b in corners  # snapped exactly onto the neighbour's vertex
    assert list(lonlat(1000, 600)) not in [pytest.approx(p, abs=1e-7) for p in corners]
    assert [v["version"] for v in history["versions"]] == [1, 2]
    assert errors == []


def test_split_by_a_drawn_line_shows_two_new_codes_with_lineage(committing, commit_database, browser):
    _, b, _, _ = seed(committing)
    errors: list[str] = []
    with editor(browser, commit_database.app_url, errors) as (page, base):
        search(page, b)
        show_metres(page, 550, 200, 950, 700)
        page.click("#tool-split")
        start, end = at(page, 750, 250), at(page, 750, 650)
        page.mouse.click(*start)
        page.mouse.click(*end)
        page.mouse.click(*end)  # a second click on the last point ends the line
        result = page.wait_for_selector(".lineage-result", timeout=15000).inner_text()
        page.wait_for_selector("#lineage")
        lineage_panel = page.inner_text("#lineage")
        page.screenshot(path=str(SHOTS / "editor-split.png"))
        # export of the view: fetched with the bearer header, saved as a file
        with page.expect_download() as download:
            page.click("[data-export=view][data-format=gpkg]")
        assert download.value.suggested_filename.endswith(".gpkg")
        assert os.path.getsize(download.value.path()) > 10_000
        with api(base) as http:
            history = http.get(f"/api/v1/parcels/{b}/history").json()
            gone = http.get(f"/api/v1/parcels/{b}")
    children = sorted(entry["child_code"] for entry in history["lineage"])
    assert len(children) == 2 and all(e["kind"] == "split" for e in history["lineage"])
    assert gone.status_code == 404
    assert b in result and all(code in result for code in children)
    assert "分割" in lineage_panel and b in lineage_panel
    assert errors == []


def test_conflict_with_a_second_session_shows_both_versions(committing, commit_database, browser):
    a, _, _, _ = seed(committing)
    errors: list[str] = []
    with editor(browser, commit_database.app_url, errors, expected=(412,)) as (page, base):
        search(page, a)
        show_metres(page, 100, 200, 700, 700)
        page.click("#tool-edit")
        drag(page, at(page, 200, 600), at(page, 150, 650))  # move A's north-west corner
        page.wait_for_selector("#undo:not([disabled])")
        with api(base) as http:  # meanwhile a colleague renames A
            res = http.patch(f"/api/v1/parcels/{a}", json={"name": "同事改名"},
                             headers={"If-Match": '"1"'})
            assert res.status_code == 200, res.text
        page.click("#save")
        page.wait_for_selector("#conflict:not([hidden])")
        panel = page.inner_text("#conflict")
        assert page.inner_text("#conflict-server-version") == "2"
        assert page.inner_text("#conflict-my-version") == "1"
        assert "同事改名" in panel and "已修改" in panel
        outlines = page.evaluate("() => ['mine', 'theirs'].map("
                                 "(n) => window.landgovEditor.overlays[n].length)")
        assert outlines == [1, 1]
        page.screenshot(path=str(SHOTS / "editor-conflict.png"))
        page.click("#conflict-reload")
        page.wait_for_selector("#parcel-version:has-text('2')")
        assert page.input_value("#attr-form [name=name]") == "同事改名"
        with api(base) as http:
            server = http.get(f"/api/v1/parcels/{a}").json()
    # nothing of the officer's edit was written over the colleague's
    assert list(lonlat(150, 650)) not in [pytest.approx(p, abs=1e-6) for p in ring(server)]
    assert server["properties"]["version"] == 2
    assert errors == []


def test_overlap_is_refused_and_shown_on_the_map(committing, commit_database, browser):
    a, _, _, d = seed(committing)
    errors: list[str] = []
    with editor(browser, commit_database.app_url, errors, expected=(422,)) as (page, base):
        search(page, a)
        show_metres(page, 100, 200, 700, 700)
        page.click("#tool-edit")
        # drag A's north-east corner 60 m east into D
        drag(page, at(page, 500, 600), at(page, 560, 640))
        page.wait_for_selector("#undo:not([disabled])")
        page.click("#save")
        message = page.wait_for_selector(".msg.error").inner_text()
        assert "与现有宗地重叠" in message and d in message
        page.wait_for_function("() => (window.landgovEditor.overlays.problem || [])"
                               ".some((f) => f.properties.kind === 'marker')")
        problem = page.evaluate("() => window.landgovEditor.overlays.problem"
                                ".map((f) => f.properties)")
        assert {"code": d} in problem and {"kind": "marker"} in problem
        page.screenshot(path=str(SHOTS / "editor-overlap.png"))
        assert page.evaluate("() => window.landgovEditor.state.mode") == "edit"  # still editing
        with api(base) as http:
            assert http.get(f"/api/v1/parcels/{a}").headers["etag"] == '"1"'
    assert errors == []


def test_merge_and_draw_a_new_parcel(committing, commit_database, browser):
    a, _, _, d = seed(committing)
    errors: list[str] = []
    with editor(browser, commit_database.app_url, errors) as (page, base):
        show_metres(page, 100, 100, 1400, 800)
        page.click("#tool-merge")
        page.mouse.click(*at(page, 350, 450))
        page.wait_for_selector("#merge-list li")
        page.mouse.click(*at(page, 550, 450))
        page.wait_for_selector("#merge-run:not([disabled])")
        page.click("#merge-run")
        result = page.wait_for_selector(".lineage-result", timeout=15000).inner_text()
        assert a in result and d in result and "合并" in result
        # a new parcel north of the row, drawn point by point
        page.click("#tool-draw")
        corners = [(300, 800), (700, 800), (700, 1000), (300, 1000)]
        for x, y in corners:
            page.mouse.click(*at(page, x, y))
        page.mouse.click(*at(page, *corners[0]))  # back on the first point closes it
        page.wait_for_selector("#attr-form")
        page.fill("#attr-form [name=name]", "新建测试宗地")
        page.select_option("#attr-form [name=status]", "producing")
        page.click("#save")
        page.wait_for_selector(".msg.ok:has-text('已新建宗地')")
        new_code = page.inner_text("#parcel-code")
        with api(base) as http:
            merged = http.get(f"/api/v1/parcels/{a}/history").json()["lineage"]
            created = http.get(f"/api/v1/parcels/{new_code}").json()["properties"]
    assert [e["kind"] for e in merged] == ["merge"]
    assert created["name"] == "新建测试宗地" and created["status"] == "producing"
    assert created["area_mu"] == pytest.approx(120.0, abs=0.5)  # 400 m x 200 m
    assert errors == []


def test_edit_mode_screenshot(committing, commit_database, browser):
    a = seed(committing).a
    errors: list[str] = []
    with editor(browser, commit_database.app_url, errors) as (page, _):
        search(page, a)
        show_metres(page, 0, 100, 1500, 800)
        page.click("#tool-edit")
        page.wait_for_function("() => window.landgovEditor.state.snap.length > 0")
        page.screenshot(path=str(SHOTS / "editor-edit-mode.png"))
    assert errors == []
