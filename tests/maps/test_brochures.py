"""The 推介单 of a plot and a zone as HTML and PDF, and its shared, expiring link."""

import re

import pytest
from sqlalchemy import text

from landgov.maps import links
from landgov.settings import get_settings
from tests.evaluation.conftest import World
from tests.maps.conftest import assert_offline

SIDE = 200  # 60 亩


@pytest.fixture
def site(district, layout):
    """An idle 60 亩 plot, its idle neighbour across a road (a 126 亩 zone), a chain firm
    250 m north and a plot in the other town."""
    plot = layout.parcel(100, 100, SIDE, SIDE)
    other = layout.parcel(100 + SIDE + 20, 100, SIDE, SIDE)
    firm_plot = layout.parcel(100, 550, 100, 100, status="producing")
    World(district).firm(land=[(firm_plot, 1)])
    district.execute(text("UPDATE enterprise SET chain = '生物医药', chain_link = '化学制剂'"))
    east = layout.parcel(2500, 100, 100, 100)
    build = layout.build()
    return {"plot": plot, "other": other, "east": east, "zone": f"ZB{build['id']}-1"}


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_plot_brochure_html(as_role, site):
    res = as_role("investment").get(f"/maps/brochure/plot/{site['plot']}")
    assert res.status_code == 200 and res.headers["content-type"].startswith("text/html")
    html = res.text
    assert_offline(html)
    assert "<script" not in html  # printable page: the app's strict CSP applies unchanged
    assert "frame-ancestors 'none'" in res.headers["content-security-policy"]
    assert site["plot"] in html and "60.00 亩" in html and "塔山街道" in html
    assert "可供地" in html and "生物医药" in html and "化学制剂" in html
    assert re.search(r'<img [^>]*src="data:image/png;base64,iVBOR', html)
    # 标准地 indicators as the investment domain shows the plot (district defaults here)
    assert "投资强度下限 (万元/亩)" in html and "容积率下限" in html and "全区默认" in html


def test_a_plot_not_on_offer_says_so(as_role, site, district):
    occupied = district.execute(text("SELECT unit_code FROM occupancy")).scalar()
    html = as_role("investment").get(f"/maps/brochure/plot/{occupied}").text
    assert "暂不可供" in html and "测试企业" in html
    assert "建筑系数" in html  # national minimums only


def test_plot_brochure_pdf(as_role, site):
    res = as_role("investment").get(f"/maps/brochure/plot/{site['plot']}?format=pdf")
    assert res.status_code == 200 and res.headers["content-type"] == "application/pdf"
    pdf = res.content
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert pages(pdf) == 2
    assert f"/Subject ({site['plot']})".encode() in pdf


def test_zone_brochure(as_role, site):
    c = as_role("planner")
    html = c.get(f"/maps/brochure/zone/{site['zone']}").text
    assert "连片区推介单" in html and "126.00 亩" in html and "120.00 亩" in html
    assert site["plot"] in html and site["other"] in html
    assert "投资强度下限 (万元/亩)" in html and "全区默认" in html  # no platform: district's
    pdf = c.get(f"/maps/brochure/zone/{site['zone']}?format=pdf").content
    assert pdf.startswith(b"%PDF-") and pages(pdf) == 2
    assert f"/Subject ({site['zone']})".encode() in pdf


def test_unknown_and_out_of_scope_are_404(as_role, site):
    c = as_role("investment")
    assert c.get("/maps/brochure/plot/330602001001GB09999W00000000").status_code == 404
    assert c.get("/maps/brochure/zone/ZB999-1").status_code == 404
    assert c.get(f"/maps/brochure/plot/{site['plot']}?format=doc").status_code == 422
    assert c.get("/maps/brochure/plot/short").status_code == 422
    officer = as_role("town_officer")  # 塔山街道
    assert officer.get(f"/maps/brochure/plot/{site['east']}").status_code == 404
    assert officer.get(f"/maps/brochure/plot/{site['plot']}").status_code == 200


def test_anonymous_is_refused(anon, site):
    assert anon.get(f"/maps/brochure/plot/{site['plot']}").status_code == 401


def test_shared_link_opens_the_pdf_without_credentials(as_role, anon, site):
    res = as_role("investment").post(f"/api/v1/brochures/plot/{site['plot']}/share?days=3")
    assert res.status_code == 201, res.text
    body = res.json()
    assert body["url"].startswith("/maps/shared/") and body["code"] == site["plot"]
    pdf = anon.get(body["url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert pdf.headers["content-type"] == "application/pdf"
    zone = as_role("admin").post(f"/api/v1/brochures/zone/{site['zone']}/share").json()
    assert anon.get(zone["url"]).content.startswith(b"%PDF-")


def test_shared_link_refusals(as_role, anon, site):
    c = as_role("investment")
    assert as_role("viewer").post(
        f"/api/v1/brochures/plot/{site['plot']}/share").status_code == 403
    assert c.post(f"/api/v1/brochures/plot/{site['plot']}/share?days=0").status_code == 422
    assert c.post(f"/api/v1/brochures/plot/{site['plot']}/share?days=91").status_code == 422
    assert c.post("/api/v1/brochures/plot/330602001001GB09999W00000000/share").status_code == 404
    url = c.post(f"/api/v1/brochures/plot/{site['plot']}/share").json()["url"]
    tampered = url[:-3] + ("AAA" if not url.endswith("AAA") else "BBB")
    res = anon.get(tampered)
    assert res.status_code == 401 and res.json()["detail"] == "链接无效"
    expired = links.issue(get_settings(), "brochure_share", {"kind": "plot", "code": site["plot"]},
                          seconds=-10)
    res = anon.get(f"/maps/shared/{expired}")
    assert res.status_code == 401 and "过期" in res.json()["detail"]
    # a map-view ticket is not a share, and neither is a login token
    view = links.issue(get_settings(), "map_view", {"kind": "plot", "code": site["plot"]},
                       seconds=60)
    assert anon.get(f"/maps/shared/{view}").status_code == 401
    assert anon.get(url[len("/maps/shared/"):] and url).status_code == 200
    share_ticket = url.rsplit("/", 1)[1]
    me = anon.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {share_ticket}"})
    assert me.status_code == 401


def test_missing_cjk_font_is_a_clear_503(as_role, site, monkeypatch):
    from landgov.maps import figure

    figure.cjk_font.cache_clear()
    monkeypatch.setattr(figure, "findSystemFonts", lambda: ["/usr/share/fonts/x/DejaVuSans.ttf"])
    try:
        res = as_role("investment").get(f"/maps/brochure/plot/{site['plot']}?format=pdf")
        assert res.status_code == 503 and "fonts-noto-cjk" in res.json()["detail"]
        monkeypatch.setattr(get_settings(), "brochure_font", "/nonexistent/font.ttc")
        figure.cjk_font.cache_clear()
        res = as_role("investment").get(f"/maps/brochure/plot/{site['plot']}?format=pdf")
        assert res.status_code == 503 and "LANDGOV_BROCHURE_FONT" in res.json()["detail"]
    finally:
        figure.cjk_font.cache_clear()
