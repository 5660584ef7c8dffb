"""A project's matches on a map: the investment tests' hand-checked layout (P3 87.0,
P1 70.4, P2 67.3 without a control line), ranked, coloured by score, explained."""

from landgov.maps.service import SCORE_BANDS
from tests.investment.conftest import layout  # noqa: F401  (the hand-checked layout)
from tests.investment.test_projects import GOOD
from tests.maps.conftest import assert_offline, layers

COLOUR = {key: colour for key, _, _, colour in SCORE_BANDS}
FIRM_COLOURS = ["#08306b", "#4292c6", "#c6dbef"]  # same link, adjacent link, other


def test_ranked_plots_with_score_popups(layout, as_role, anon):  # noqa: F811
    c = as_role("investment")
    project = c.post("/api/v1/projects", json=GOOD).json()
    api = c.get(f"/api/v1/projects/{project['id']}/matches").json()["results"]
    res = c.get(f"/maps/projects/{project['id']}/matches")
    assert res.status_code == 200, res.text
    assert_offline(res.text)
    by_colour = layers(res.text)
    sites = {k: by_colour.pop(k) for k in list(by_colour) if k in FIRM_COLOURS}
    # the chain's firms beside the plots: same link (F1 封装测试), adjacent link (F2 制造)
    assert [f["properties"]["name"] for f in sites[FIRM_COLOURS[0]]] == ["越芯封测有限公司"]
    assert [f["properties"]["name"] for f in sites[FIRM_COLOURS[1]]] == ["越城晶圆制造有限公司"]
    assert "同环节企业 (封装测试) (1)" in res.text
    features = {f["id"]: f["properties"] for v in by_colour.values() for f in v}
    assert set(features) == {r["code"] for r in api}
    for rank, r in enumerate(api, start=1):
        props = features[r["code"]]
        assert props["rank"] == f"第 {rank} 名" and props["total"] == f"{r['total']:.1f} / 100"
        assert props["area"] == f"{r['area_mu']:.2f} 亩"
        band = next(k for k, low, _, _ in SCORE_BANDS if r["total"] >= low - 1e-9)
        assert r["code"] in [f["id"] for f in by_colour[COLOUR[band]]]
    p3 = features[layout.codes["P3"]]
    assert p3["rank"] == "第 1 名" and p3["area"] == "112.50 亩"
    assert "封装测试" in p3["explanation"] and "0.2 公里" in p3["explanation"]
    assert "形状" in features[layout.codes["P2"]]["flagged"]
    assert "封测扩产项目" in res.text and "匹配得分" in res.text
    # the shell's signed link opens the same page
    link = c.get(f"/maps/projects/{project['id']}/matches/link").json()
    assert layers(anon.get(link["url"]).text).keys() == by_colour.keys() | sites.keys()


def test_scope_and_refusals(layout, as_role, anon):  # noqa: F811
    project = as_role("investment").post("/api/v1/projects", json=GOOD).json()
    officer = as_role("town_officer")  # 塔山: P1 and P2 only
    page = layers(officer.get(f"/maps/projects/{project['id']}/matches").text)
    plots = {f["id"] for k, v in page.items() for f in v
             if k not in FIRM_COLOURS and f["id"] in layout.codes.values()}
    assert plots == {layout.codes["P1"], layout.codes["P2"]}
    assert anon.get(f"/maps/projects/{project['id']}/matches").status_code == 401
    assert as_role("investment").get("/maps/projects/424242/matches").status_code == 404
    assert as_role("investment").get(
        f"/maps/projects/{project['id']}/matches?limit=0").status_code == 422
