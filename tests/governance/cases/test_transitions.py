"""Transitions through the API: roles, towns, reasons, dates, 已盘活, the database guard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import text

from landgov.auth.principal import Principal
from landgov.errors import Conflict, InvalidInput
from landgov.governance.cases import service
from tests.evaluation.conftest import YEAR
from tests.governance.cases.conftest import case_of

STEWARD = Principal("user", "steward", "data_steward")


@pytest.fixture
def cases(listed, district):
    service.open_from_list(district, STEWARD, YEAR, None)
    east = service.open_case(district, STEWARD, YEAR, listed["east_firm"], listed["east"],
                             "upgrade", None, None)["id"]
    return {"dirty": case_of(district, listed["dirty"]),
            "slow": case_of(district, listed["slow"][0]), "slow_parcel": listed["cluster"][0],
            "east": east}


def move(client, case_id, to_state, days_ago=0, **extra):
    day = service.today() - timedelta(days=days_ago)
    return client.post(f"/api/v1/cases/{case_id}/transitions",
                       data={"to_state": to_state, "event_date": day.isoformat(), **extra})


def events(db, case_id):
    return db.execute(text("SELECT count(*) FROM governance_case_event WHERE case_id = :c"),
                      {"c": case_id}).scalar_one()


def state(db, case_id):
    return db.execute(text("SELECT state FROM governance_case WHERE id = :c"),
                      {"c": case_id}).scalar_one()


def test_the_whole_life_of_a_vacate_case(cases, as_role, district):
    steward, officer = as_role("data_steward"), as_role("town_officer")
    cid = cases["slow"]
    res = move(steward, cid, "已列入", 30, note="核实属实, 列入腾退")
    assert res.status_code == 200, res.text
    assert res.json()["next_states"] == ["腾退中", "已退出"]
    assert move(officer, cid, "腾退中", 20, note="签订腾退协议").status_code == 200
    cleared = move(officer, cid, "已出清", 10, note="企业已搬离")
    assert cleared.status_code == 200 and cleared.json()["state"] == "已出清"
    assert cleared.json()["next_states"] == ["已退出"]  # 已盘活 comes from the ledger
    refused = move(steward, cid, "已盘活", 0, note="已出让")
    assert refused.status_code == 409 and "盘活台账" in refused.json()["detail"]
    # the reclamation ledger's path: its record names the case (migration 0010 checks
    # that), then it moves the case in the same transaction, without committing
    district.execute(text(
        "INSERT INTO reclamation_record (case_id, unit_code, geom, whole_parcel, reclaimed_on, "
        "mode, new_use, recorded_by) SELECT :c, p.unit_code, p.geom, true, :d, "
        "'agreed_takeback', '新材料项目', 'user:ledger' FROM parcel p "
        "WHERE p.unit_code = :u AND p.valid_to IS NULL"),
        {"c": cid, "u": cases["slow_parcel"], "d": service.today() - timedelta(days=5)})
    service.record_transition(district, cid, "已盘活", actor="user:ledger", note="盘活记录 #1",
                              on_date=service.today() - timedelta(days=5), allow_reclaimed=True)
    detail = steward.get(f"/api/v1/cases/{cid}").json()
    assert detail["state"] == "已盘活" and detail["next_states"] == []
    assert [(e["from_state"], e["to_state"]) for e in detail["events"]] == [
        (None, "待核实"), ("待核实", "已列入"), ("已列入", "腾退中"), ("腾退中", "已出清"),
        ("已出清", "已盘活")]
    assert detail["events"][2]["note"] == "签订腾退协议"
    assert detail["events"][2]["actor"].startswith("api_key:")
    audited = district.execute(text(
        "SELECT count(*) FROM audit_event WHERE entity = 'governance_case_event'")).scalar_one()
    assert audited >= 5


def test_skipping_a_state_is_refused_and_nothing_written(cases, as_role, district):
    steward = as_role("data_steward")
    cid = cases["dirty"]
    res = move(steward, cid, "腾退中", note="直接腾退")
    assert res.status_code == 409
    assert "不可跳过" in res.json()["detail"] and "已列入" in res.json()["detail"]
    assert move(steward, cid, "已出清").status_code == 409
    assert events(district, cid) == 1 and state(district, cid) == "待核实"


def test_wrong_role_and_wrong_town_are_403(cases, as_role, district):
    officer = as_role("town_officer")
    listing = move(officer, cases["dirty"], "已列入")
    assert listing.status_code == 403 and "data_steward" in listing.json()["detail"]
    assert move(as_role("land_editor"), cases["dirty"], "已列入").status_code == 403
    assert move(as_role("planner"), cases["dirty"], "已列入").status_code == 403
    steward = as_role("data_steward")
    assert move(steward, cases["east"], "已列入").status_code == 200
    other_town = move(officer, cases["east"], "整治中")
    assert other_town.status_code == 403 and "本镇街" in other_town.json()["detail"]
    assert state(district, cases["east"]) == "已列入" and events(district, cases["east"]) == 2


def test_exit_needs_a_reason_and_a_steward(cases, as_role, district):
    steward, officer = as_role("data_steward"), as_role("town_officer")
    cid = cases["dirty"]
    bare = move(steward, cid, "已退出")
    assert bare.status_code == 422 and "理由" in bare.json()["detail"]
    assert move(officer, cid, "已退出", note="企业已注销").status_code == 403
    assert events(district, cid) == 1
    done = move(steward, cid, "已退出", note="企业已注销, 用地由法院拍卖")
    assert done.status_code == 200 and done.json()["exit_reason"] == "企业已注销, 用地由法院拍卖"
    again = move(steward, cid, "已列入")
    assert again.status_code == 409 and "案件已结束" in again.json()["detail"]


def test_dates_future_refused_and_in_order(cases, as_role, district):
    steward = as_role("data_steward")
    cid = cases["dirty"]
    future = move(steward, cid, "已列入", days_ago=-1)
    assert future.status_code == 422 and "未来" in future.json()["detail"]
    assert move(steward, cid, "已列入", days_ago=10).status_code == 200
    earlier = move(steward, cid, "腾退中", days_ago=11)
    assert earlier.status_code == 422 and "早于上一环节" in earlier.json()["detail"]
    assert events(district, cid) == 2
    bad = steward.post(f"/api/v1/cases/{cid}/transitions",
                       data={"to_state": "腾退中", "event_date": "2025-02-30"})
    assert bad.status_code == 422


def test_action_chosen_at_listing_decides_the_progress_state(cases, as_role, district):
    steward, officer = as_role("data_steward"), as_role("town_officer")
    cid = cases["dirty"]  # proposed: shutdown → 腾退中
    assert move(steward, cid, "已列入", action="merge", note="拟由邻厂兼并").status_code == 200
    wrong = move(officer, cid, "腾退中")
    assert wrong.status_code == 409 and "对应 整治中" in wrong.json()["detail"]
    res = move(officer, cid, "整治中")
    assert res.status_code == 200 and res.json()["action"] == "merge"
    assert move(steward, cid, "已出清", action="vacate").status_code == 422
    assert move(steward, cid, "已出清", action="demolish").status_code == 422


def test_record_transition_refuses_what_the_api_refuses(cases, district):
    cid = cases["slow"]
    with pytest.raises(Conflict, match="不可跳过"):
        service.record_transition(district, cid, "已盘活", actor="x", note=None,
                                  on_date=service.today(), allow_reclaimed=True)
    with pytest.raises(InvalidInput, match="未来"):
        service.record_transition(district, cid, "已列入", actor="x", note=None,
                                  on_date=service.today() + timedelta(days=1))
    assert events(district, cid) == 1


def test_the_database_refuses_a_skip_by_raw_sql(cases, district):
    from sqlalchemy.exc import DBAPIError
    with pytest.raises(DBAPIError, match="不可跳过"), district.begin_nested():
        district.execute(text("UPDATE governance_case SET state = '已盘活' WHERE id = :c"),
                         {"c": cases["slow"]})
    with pytest.raises(DBAPIError, match="未来"), district.begin_nested():
        district.execute(text(
            "INSERT INTO governance_case_event (case_id, to_state, event_date, actor) "
            "VALUES (:c, '待核实', governance_today() + 1, 'sql')"), {"c": cases["slow"]})
    with pytest.raises(DBAPIError, match="exit_reason"), district.begin_nested():
        district.execute(text("UPDATE governance_case SET state = '已退出' WHERE id = :c"),
                         {"c": cases["slow"]})
