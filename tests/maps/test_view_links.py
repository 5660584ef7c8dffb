"""The /maps/ shell and the short-lived signed links it opens map pages with."""

from sqlalchemy import text

from landgov.maps import links
from landgov.settings import get_settings
from tests.maps.conftest import assert_offline, layers


def test_shell_is_public_and_under_the_strict_policy(anon):
    res = anon.get("/maps/")
    assert res.status_code == 200 and "专题地图" in res.text
    csp = res.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "frame-ancestors 'none'" in csp
    assert_offline(res.text)
    assert "<script>" not in res.text  # its script is a file: /maps/static/shell.js
    assert anon.get("/maps/static/shell.js").status_code == 200


def test_link_opens_the_page_for_the_caller_without_a_header(as_role, anon, layout):
    layout.parcel(100, 100, 200, 200)
    layout.parcel(2500, 100, 200, 200)
    link = as_role("viewer").get("/maps/evaluation/link?town=330602002")
    assert link.status_code == 200
    body = link.json()
    assert body["url"].startswith("/maps/view/") and body["expires_in"] == 300
    page = anon.get(body["url"])
    assert page.status_code == 200 and "sha256-" in page.headers["content-security-policy"]
    assert_offline(page.text)
    assert len([f for v in layers(page.text).values() for f in v]) == 1  # the town asked for
    # a town officer's link is held to their town, as their direct request would be
    officer = as_role("town_officer").get("/maps/evaluation/link?town=330602002").json()
    ids = [f["id"] for v in layers(anon.get(officer["url"]).text).values() for f in v]
    assert len(ids) == 1 and ids[0].startswith("330602001")
    zones = as_role("investment").get("/maps/zones/link").json()
    assert anon.get(zones["url"]).status_code == 200


def test_link_refusals(as_role, anon, district):
    assert anon.get("/maps/evaluation/link").status_code == 401
    assert as_role("investment").get("/maps/evaluation/link").status_code == 403
    url = as_role("viewer").get("/maps/evaluation/link").json()["url"]
    assert anon.get(url[:-4] + "AAAA").status_code == 401
    expired = links.issue(get_settings(), "map_view", {"page": "evaluation"}, seconds=-5)
    assert anon.get(f"/maps/view/{expired}").status_code == 401
    share = links.issue(get_settings(), "brochure_share", {"kind": "plot", "code": "x"},
                        seconds=60)
    assert anon.get(f"/maps/view/{share}").status_code == 401
    # the key behind the link is revoked: the link dies with it
    district.execute(text("UPDATE api_key SET revoked_at = now()"))
    res = anon.get(url)
    assert res.status_code == 401 and "吊销" in res.json()["detail"]


def test_unknown_project_is_404(as_role):
    c = as_role("investment")
    assert c.get("/maps/projects/999999/matches").status_code == 404
    assert c.get("/maps/projects/999999/matches/link").status_code == 404
    assert c.get("/maps/projects/0/matches").status_code == 422
