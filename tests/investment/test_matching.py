"""Matching on the hand-checked layout (conftest.py), and the shape test.

Project: 集成电路 / 封装测试, 100–150 亩, preferred 袍江经开区, no date. Hand-checked
(distances from the firms' points on surface, (2200, 1100) for F1 and (600, 1300) for
F2, to the plots' outlines; agglomeration 12 × (1 − d/5000) + 8 × (1 − d/5000)):

    P3 112.5 亩 rectangle 250 × 300 in 袍江: area 25, shape 20 (288.7 × 230.9 m at 1:1.25),
       platform 15, same link 200 m → 11.52, adjacent 1552.4 m → 5.52 (17.04), on time 10
    P1 135 亩 square, no platform: 25 + 20 + 0 + (7.67 + 7.68 = 15.35) + 10
    P2 105 亩 L (arms 100 m wide): area fits, no 100 亩 rectangle (nor 80 % or 60 % of
       it) fits → shape 0, flagged; 25 + 0 + 15 + (447.2 m → 10.93; 1044.0 m → 6.33) + 10
Control line: 0 everywhere when none is recorded (not counted in the totals below).
"""

from __future__ import annotations

import pytest
from shapely.geometry import Polygon, box

from landgov.investment.shape_fit import fits_rectangle, largest_fitting_share
from tests.investment.conftest import Layout
from tests.investment.test_projects import GOOD


def test_shape_fit_rectangle_versus_ell():
    assert fits_rectangle(box(0, 0, 250, 300), 66_666.67).fits
    ell = Polygon([(0, 0), (400, 0), (400, 100), (100, 100), (100, 400), (0, 400)])
    assert ell.area == 70_000 and not fits_rectangle(ell, 66_666.67).fits
    assert largest_fitting_share(ell, 66_666.67)[0] == 0.0
    # a strip 1000 × 100 has the area but an aspect of 10:1
    assert not fits_rectangle(box(0, 0, 1000, 100), 90_000).fits
    # a hole (a kept building) counts as boundary
    holed = Polygon(box(0, 0, 300, 300).exterior.coords,
                    [box(140, 140, 160, 160).exterior.coords])
    # beside the hole: strips of 140 × 300 m; 40,000 m² needs ≥ 141 m at 1:2, 30,000 fits
    assert not fits_rectangle(holed, 40_000).fits and fits_rectangle(holed, 30_000).fits


def parts(result: dict) -> dict[str, float]:  # type: ignore[type-arg]
    return {p["name"]: p["points"] for p in result["parts"]}


def test_matches_hand_checked(layout: Layout, as_role):
    client = as_role("investment")
    project = client.post("/api/v1/projects", json=GOOD).json()
    res = client.get(f"/api/v1/projects/{project['id']}/matches")
    assert res.status_code == 200, res.text
    body = res.json()
    plots = [r for r in body["results"] if r["kind"] == "plot"]
    c = layout.codes
    assert [r["code"] for r in plots] == [c["P3"], c["P1"], c["P2"]]
    p3, p1, p2 = plots
    control = 0 if not body["control_line_recorded"] else None
    assert parts(p3) == pytest.approx({"area": 25, "shape": 20, "platform": 15,
                                       "agglomeration": 17.04, "control_line": control or
                                       parts(p3)["control_line"], "availability": 10})
    assert parts(p1)["agglomeration"] == pytest.approx(15.35)
    assert parts(p1)["platform"] == 0 and parts(p1)["shape"] == 20
    assert parts(p2)["shape"] == 0 and "shape" in p2["flagged"] and not p2["shape"]["fits"]
    assert parts(p2)["agglomeration"] == pytest.approx(17.26)
    assert p2["area_mu"] == 105 and parts(p2)["area"] == 25
    if control == 0:
        assert (p3["total"], p1["total"], p2["total"]) == (87.0, 70.4, 67.3)
    assert any("封装测试" in s and "0.2 公里" in s for s in p3["explanation"])
    assert any("形状不适" in s for s in p2["explanation"])
    assert p3["shape"]["fits"] and p3["geometry"]["type"] == "MultiPolygon"


def test_matches_scope_and_missing(layout: Layout, as_role):
    project = as_role("investment").post("/api/v1/projects", json=GOOD).json()
    officer = as_role("town_officer")  # 塔山: P1 and P2 only
    res = officer.get(f"/api/v1/projects/{project['id']}/matches")
    assert {r["code"] for r in res.json()["results"] if r["kind"] == "plot"} == {
        layout.codes["P1"], layout.codes["P2"]}
    assert officer.get("/api/v1/projects/424242/matches").status_code == 404


def test_zone_and_control_line(layout: Layout, as_role, district):
    """A control line over all of P3 and the west half of P1; a 连片 zone (net 120 亩,
    outline 400 × 300 m at (2600, 1300), outside 袍江) from the zones domain.

    P3: control 10 → 97.0; P1: half inside → 5 → 75.4; P2: outside → 0 → 67.3.
    Zone: 25 + 20 + 0 + (F1 447.2 m → 10.93; F2 2000 m → 4.80) + 0 + 5 (still being
    vacated) = 65.7.
    """
    from sqlalchemy import text

    from tests.factories import metres_box
    from tests.factories import multi as as_multi

    def ewkt(g):  # type: ignore[no-untyped-def]
        return f"SRID=4490;{as_multi(g).wkt}"

    district.execute(text("INSERT INTO control_line (name, geom) VALUES "
                          "('测试控制线', ST_GeomFromEWKT(:a)), ('测试控制线二', ST_GeomFromEWKT(:b))"),
                     {"a": ewkt(metres_box(2050, 550, 400, 400)),
                      "b": ewkt(metres_box(100, 1200, 150, 300))})
    build = district.execute(text(
        "INSERT INTO zone_build (year, parameters, actor, candidate_count, cluster_count, "
        "zone_count, member_count) VALUES (2025, '{}', 'test', 1, 1, 1, 1) RETURNING id")).scalar()
    district.execute(text(
        "INSERT INTO zone (build_id, seq, code, geom, net_area_mu, perimeter_m, compactness, "
        "member_count, firm_count, progress) VALUES (:b, 1, 'ZT-1', ST_GeomFromEWKT(:g), 120, "
        "1400, 0.9, 2, 0, 0.5)"), {"b": build, "g": ewkt(metres_box(2600, 1300, 400, 300))})
    # a one-member zone that is just P1: already a candidate as the plot, so left out
    zone_id = district.execute(text(
        "INSERT INTO zone (build_id, seq, code, geom, net_area_mu, perimeter_m, compactness, "
        "member_count, firm_count, progress) VALUES (:b, 2, 'ZT-2', ST_GeomFromEWKT(:g), 135, "
        "1200, 0.9, 1, 0, 1) RETURNING id"),
        {"b": build, "g": ewkt(metres_box(100, 1200, 300, 300))}).scalar()
    district.execute(text("INSERT INTO zone_member (zone_id, unit_code, area_mu, status, sources) "
                          "VALUES (:z, :u, 135, 'idle', '{vacated}')"),
                     {"z": zone_id, "u": layout.codes["P1"]})
    client = as_role("investment")
    project = client.post("/api/v1/projects", json=GOOD).json()
    body = client.get(f"/api/v1/projects/{project['id']}/matches").json()
    assert body["control_line_recorded"] and body["zones_included"]
    got = {r["code"]: r for r in body["results"]}
    c = layout.codes
    assert [got[c[k]]["total"] for k in ("P3", "P1", "P2")] == [97.0, 75.4, 67.3]
    assert parts(got[c["P1"]])["control_line"] == 5.0
    zone = got["ZT-1"]
    assert zone["kind"] == "zone" and zone["area_mu"] == 120 and zone["available_from"] is None
    assert parts(zone) == pytest.approx({"area": 25, "shape": 20, "platform": 0,
                                         "agglomeration": 15.73, "control_line": 0,
                                         "availability": 5})
    assert zone["total"] == 65.7
    assert [r["code"] for r in body["results"]] == [c["P3"], c["P1"], c["P2"], "ZT-1"]


def test_availability_part():
    from dataclasses import replace
    from datetime import date

    from landgov.investment.matching import Candidate, Need, availability_part

    need = Need("黄酒", "酿造", 20, 50, (), (), date(2026, 1, 1))
    plot = Candidate("plot", "X", 30, (), (), None, None, None, None, None, None, None,
                     date(2026, 4, 1))
    # 90 days late = 2.96 months of 12: 10 × (1 − 90 / 30.44 / 12) = 7.54
    assert availability_part(plot, need, date(2025, 6, 1)).points == 7.54
    # the project's date has passed: today is the yardstick, so a plot free today is on time
    assert availability_part(replace(plot, available_from=date(2026, 4, 1)), need,
                             date(2026, 5, 1)).points == 10
    assert availability_part(replace(plot, kind="zone", available_from=None), need,
                             date(2026, 5, 1)).points == 5
