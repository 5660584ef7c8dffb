"""招商项目 CRUD: validation names the field, nothing is written on refusal."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from tests.investment.conftest import PROBLEM

URL = "/api/v1/projects"
GOOD = {"name": "封测扩产项目", "chain": "集成电路", "link": "封装测试", "min_area_mu": 100,
        "max_area_mu": 150, "investment_intensity_wan_per_mu": 450, "floor_area_ratio": 1.6,
        "tax_per_mu_wan": 40, "energy_tce_per_wan": 0.3, "emission_kg_per_wan": 0.5,
        "preferred_platforms": ["袍江经开区"]}


def count(session: Session) -> int:
    return int(session.execute(text("SELECT count(*) FROM investment_project")).scalar_one())


def test_create_read_update(district: Session, as_role):
    writer = as_role("investment")
    res = writer.post(URL, json=GOOD)
    assert res.status_code == 201, res.text
    p = res.json()
    assert p["preferred_platforms"] == ["paojiang"] and p["preferred_platform_names"] == ["袍江经开区"]
    assert p["status"] == "negotiating" and p["status_label"] == "洽谈中" and p["version"] == 1
    assert writer.get(f"{URL}/{p['id']}").json()["name"] == "封测扩产项目"
    assert [x["id"] for x in writer.get(URL, params={"chain": "集成电路"}).json()] == [p["id"]]
    res = writer.patch(f"{URL}/{p['id']}", json={"status": "signed", "max_area_mu": 180})
    assert res.status_code == 200, res.text
    assert res.json()["max_area_mu"] == 180 and res.json()["version"] == 2
    audit = district.execute(text("SELECT count(*) FROM audit_event WHERE entity = "
                                  "'investment_project'")).scalar_one()
    assert audit == 2


def test_bad_projects_name_the_field(district: Session, as_role):
    writer = as_role("investment")
    cases = [({"max_area_mu": 50}, "max_area_mu", "颠倒"),
             ({"chain": "纺织"}, "chain", "未知的产业链"),
             ({"link": "酿造"}, "link", "没有环节"),
             ({"preferred_platforms": ["杭州湾新区"]}, "preferred_platforms", "未知的平台"),
             ({"min_area_mu": -5}, "min_area_mu", ""),
             ({"status": "won"}, "status", ""),
             ({"surprise": 1}, "surprise", "")]
    for change, field, fragment in cases:
        res = writer.post(URL, json={**GOOD, **change})
        assert res.status_code == 422, (change, res.text)
        assert res.headers["content-type"].startswith(PROBLEM)
        body = res.json()
        assert fragment in body["detail"] and any(field in e["field"] for e in body["errors"])
    assert count(district) == 0
    created = writer.post(URL, json=GOOD).json()
    res = writer.patch(f"{URL}/{created['id']}", json={"min_area_mu": 200})
    assert res.status_code == 422 and res.json()["errors"][0]["field"] == "max_area_mu"
    assert writer.get(f"{URL}/{created['id']}").json()["min_area_mu"] == 100
    assert writer.get(f"{URL}/999999").status_code == 404


def test_roles(district: Session, as_role, anon):
    assert anon.get(URL).status_code == 401
    assert as_role("viewer").get(URL).status_code == 200
    assert as_role("viewer").post(URL, json=GOOD).status_code == 403
    assert count(district) == 0
