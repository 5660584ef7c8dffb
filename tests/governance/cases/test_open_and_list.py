"""Opening cases from the 治理清单 (idempotent), by hand, and listing them with filters."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from landgov.governance.cases import queries, service
from landgov.governance.cases.queries import CaseFilter
from tests.evaluation.conftest import YEAR
from tests.governance.cases.conftest import case_of


def count(db, table: str) -> int:
    return int(db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def test_open_from_list_is_set_based_and_idempotent(listed, as_role, district):
    steward = as_role("data_steward")
    res = steward.post(f"/api/v1/cases/open?year={YEAR}")
    assert res.status_code == 200, res.text
    body = res.json()
    # dirty (1 parcel) + slow1 + slow2: three firm+parcel pairs, none for the clean firm
    assert body["opened"] == 3 and body["deadline"] == f"{YEAR}-12-31"
    assert count(district, "governance_case") == 3
    assert count(district, "governance_case_event") == 3
    again = steward.post(f"/api/v1/cases/open?year={YEAR}").json()
    assert again["opened"] == 0 and again["case_ids"] == []
    assert count(district, "governance_case") == 3
    rows = district.execute(text(
        "SELECT c.state, c.action, c.source, t.code FROM governance_case c "
        "JOIN town t ON t.id = c.town_id ORDER BY c.id")).all()
    assert {r.state for r in rows} == {"待核实"} and {r.source for r in rows} == {"list"}
    assert sorted(r.action for r in rows) == ["shutdown", "vacate", "vacate"]
    assert {r.code for r in rows} == {"330602001"}
    audited = district.execute(text(
        "SELECT count(*) FROM audit_event WHERE entity = 'governance_case' "
        "AND occurred_at >= now()")).scalar_one()  # this transaction's (others may commit)
    assert audited == 3


def test_a_dropped_case_is_not_reopened_from_the_list(listed, as_role, district):
    steward = as_role("data_steward")
    steward.post(f"/api/v1/cases/open?year={YEAR}")
    cid = case_of(district, listed["dirty"])
    res = steward.post(f"/api/v1/cases/{cid}/transitions",
                       data={"to_state": "已退出", "event_date": str(date.today() - timedelta(days=1)),
                             "note": "核实后企业已自行关停"})
    assert res.status_code == 200, res.text
    assert steward.post(f"/api/v1/cases/open?year={YEAR}").json()["opened"] == 0


def test_open_needs_a_steward(listed, as_role, district):
    res = as_role("town_officer").post(f"/api/v1/cases/open?year={YEAR}")
    assert res.status_code == 403 and "data_steward" in res.json()["detail"]
    assert count(district, "governance_case") == 0


def test_open_one_by_hand_and_refuse_a_duplicate(listed, as_role, district):
    steward = as_role("data_steward")
    body = {"year": YEAR, "uscc": listed["east_firm"], "unit_code": listed["east"],
            "action": "upgrade", "note": "群众举报"}
    res = steward.post("/api/v1/cases", json=body)
    assert res.status_code == 201, res.text
    case = res.json()
    assert case["state"] == "待核实" and case["town_code"] == "330602002"
    assert case["events"][0]["to_state"] == "待核实" and case["events"][0]["note"] == "群众举报"
    dup = steward.post("/api/v1/cases", json=body)
    assert dup.status_code == 409
    assert count(district, "governance_case") == 1
    nothing = steward.post("/api/v1/cases", json={"year": YEAR})
    assert nothing.status_code == 422
    unknown = steward.post("/api/v1/cases", json={"year": YEAR,
                                                  "unit_code": "330602001001GB00999W00000000"})
    assert unknown.status_code == 404 and "不存在" in unknown.json()["detail"]
    assert count(district, "governance_case") == 1


@pytest.fixture
def opened(listed, district):
    from landgov.auth.principal import Principal
    steward = Principal("user", "steward", "data_steward")
    service.open_from_list(district, steward, YEAR, None)
    service.open_case(district, steward, YEAR, listed["east_firm"], listed["east"], "upgrade",
                      date(2099, 6, 30), None)
    return listed


def test_list_filters_by_town_state_action_overdue_year(opened, as_role):
    steward = as_role("data_steward")
    every = steward.get("/api/v1/cases").json()
    assert every["total"] == 4 and len(every["items"]) == 4
    assert steward.get("/api/v1/cases?town=330602002").json()["total"] == 1
    assert steward.get("/api/v1/cases?action=vacate").json()["total"] == 2
    assert steward.get("/api/v1/cases?state=待核实").json()["total"] == 4
    assert steward.get("/api/v1/cases?state=已列入").json()["total"] == 0
    assert steward.get(f"/api/v1/cases?year={YEAR}").json()["total"] == 4
    assert steward.get(f"/api/v1/cases?year={YEAR + 1}").json()["total"] == 0
    # the list's cases were due on 31 Dec 2025 (today is later); the east one in 2099
    overdue = steward.get("/api/v1/cases?overdue=true").json()
    assert {c["town_code"] for c in overdue["items"]} == {"330602001"} and overdue["total"] == 3
    on_time = steward.get("/api/v1/cases?overdue=false").json()
    assert [c["town_code"] for c in on_time["items"]] == ["330602002"]
    page = steward.get("/api/v1/cases?limit=2&offset=3").json()
    assert page["total"] == 4 and len(page["items"]) == 1
    empty = steward.get("/api/v1/cases?limit=2&offset=10").json()
    assert empty["total"] == 4 and empty["items"] == []
    assert steward.get("/api/v1/cases?action=demolish").status_code == 422


def test_town_officer_sees_only_its_town(opened, as_role):
    officer = as_role("town_officer")
    mine = officer.get("/api/v1/cases").json()
    assert mine["total"] == 3 and {c["town_code"] for c in mine["items"]} == {"330602001"}
    assert officer.get("/api/v1/cases?town=330602002").status_code == 403
    east = as_role("data_steward").get("/api/v1/cases?town=330602002").json()["items"][0]
    assert officer.get(f"/api/v1/cases/{east['id']}").status_code == 403
    assert as_role("investment").get("/api/v1/cases").status_code == 403


def test_overdue_at_the_date_boundary(opened, district):
    where = CaseFilter(town="330602002")
    due = date(2099, 6, 30)
    on_the_day, _ = queries.cases(district, where, due, 10, 0)
    day_after, _ = queries.cases(district, where, due + timedelta(days=1), 10, 0)
    assert on_the_day[0]["overdue"] is False
    assert day_after[0]["overdue"] is True
    assert queries.cases(district, CaseFilter(town="330602002", overdue=True), due, 10, 0)[1] == 0
    # a closed case is never overdue
    cid = on_the_day[0]["id"]
    service.record_transition(district, cid, "已退出", actor="user:s", note="企业已注销",
                              on_date=date(2025, 7, 1))
    closed, _ = queries.cases(district, where, date(2100, 1, 1), 10, 0)
    assert closed[0]["overdue"] is False


def test_deadline_patch_by_steward_only(opened, as_role, district):
    steward = as_role("data_steward")
    east = steward.get("/api/v1/cases?town=330602002").json()["items"][0]
    res = steward.patch(f"/api/v1/cases/{east['id']}", json={"deadline": "2030-12-31"})
    assert res.status_code == 200 and res.json()["deadline"] == "2030-12-31"
    assert res.json()["overdue"] is False
    officer = as_role("town_officer")
    mine = officer.get("/api/v1/cases").json()["items"][0]
    refused = officer.patch(f"/api/v1/cases/{mine['id']}", json={"deadline": "2030-12-31"})
    assert refused.status_code == 403
    assert steward.patch("/api/v1/cases/999999", json={"deadline": "2030-12-31"}).status_code == 404
    assert steward.get("/api/v1/cases/999999").status_code == 404
    missing = steward.post("/api/v1/cases/999999/transitions",
                           data={"to_state": "已列入", "event_date": "2025-01-02"})
    assert missing.status_code == 404 and "不存在" in missing.json()["detail"]
