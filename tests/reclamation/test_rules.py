"""Bad input is refused with the reason and nothing written; the case rule."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from landgov.errors import Forbidden, InvalidInput
from landgov.reclamation import service
from landgov.reclamation.vocabulary import MODES
from tests.reclamation.conftest import WEST, Ledger


def _case(db: Session, code: str, state: str) -> int:
    """A governance case on ``code`` walked by raw SQL to ``state`` (the database allows
    only the life cycle's steps)."""
    case_id = int(db.execute(text(
        "INSERT INTO governance_case (year, unit_code, town_id, action, opened_by) "
        "SELECT 2025, :c, town_id, 'vacate', 'test' FROM parcel "
        "WHERE unit_code = :c AND valid_to IS NULL RETURNING id"), {"c": code}).scalar_one())
    for step in ("已列入", "腾退中", "已出清"):
        if state == "待核实":
            break
        db.execute(text("UPDATE governance_case SET state = :s WHERE id = :i"),
                   {"s": step, "i": case_id})
        if step == state:
            break
    return case_id


def _state(db: Session, case_id: int) -> str:
    return str(db.execute(text("SELECT state FROM governance_case WHERE id = :i"),
                          {"i": case_id}).scalar_one())


def _unchanged(ledger: Ledger, code: str) -> None:
    assert ledger.count() == 0
    assert ledger.db.execute(text(
        "SELECT version, status FROM parcel WHERE unit_code = :c AND valid_to IS NULL"),
        {"c": code}).one() == (1, "cleared")


@pytest.mark.parametrize(("part", "message"), [
    ((90, 100, 100, 100), "超出宗地"),           # 10 m x 100 m = 1,000 m² outside
    ((250, 100, 100, 100), "重叠"),              # half on the neighbouring parcel
])
def test_geometry_outside_or_on_a_neighbour_is_refused(ledger: Ledger, part, message) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    ledger.parcel(300, 100, 200, 100)
    with pytest.raises(InvalidInput, match=message) as refused:
        ledger.record(code, date(2025, 1, 1), part)
    assert refused.value.errors[0].field == "geometry"
    _unchanged(ledger, code)


def test_geometry_within_tolerance_is_clipped_to_the_parcel(ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    # 0.005 m over the west edge: 0.5 m² outside, accepted and clipped
    rec = ledger.record(code, date(2025, 1, 1), (99.995, 100, 100.005, 100))
    assert (rec.area_mu, rec.whole_parcel) == (15.0, False)


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"mode": "sold"}, "mode", "未知的盘活方式"),
    ({"on": "tomorrow"}, "reclaimed_on", "晚于今天"),
    ({"on": date(2021, 12, 31)}, "reclaimed_on", "早于盘活计划起始日"),
    ({"new_use": "  "}, "new_use", "新用途不能为空"),
])
def test_bad_values_are_refused(ledger: Ledger, change, field, message) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    on = change.pop("on", date(2025, 1, 1))
    if on == "tomorrow":
        on = service.today() + timedelta(days=1)
    req = ledger.request(code, on).model_copy(update=change)
    with pytest.raises(InvalidInput, match=message) as refused:
        service.record(ledger.db, req, actor="test")
    assert [e.field for e in refused.value.errors] == [field]
    _unchanged(ledger, code)


def test_unknown_or_retired_parcel_is_refused(ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    missing = code[:-14] + "99999W00000000"
    with pytest.raises(InvalidInput, match="不存在或已注销"):
        ledger.record(missing, date(2025, 1, 1))
    _unchanged(ledger, code)


def test_town_officer_only_in_own_town(ledger: Ledger) -> None:
    east = ledger.parcel(2100, 100, 200, 100)
    with pytest.raises(Forbidden):
        service.record(ledger.db, ledger.request(east, date(2025, 1, 1)), actor="t",
                       scope_town=WEST)
    assert ledger.count() == 0


@pytest.mark.parametrize("state", ["待核实", "已列入", "腾退中"])
def test_case_not_cleared_is_refused(ledger: Ledger, state: str) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    case_id = _case(ledger.db, code, state)
    with pytest.raises(InvalidInput, match="须为 已出清"):
        ledger.record(code, date(2025, 1, 1), case_id=case_id)
    assert _state(ledger.db, case_id) == state
    _unchanged(ledger, code)


def test_case_of_another_parcel_is_refused(ledger: Ledger) -> None:
    code, other = ledger.parcel(100, 100, 200, 100), ledger.parcel(400, 100, 200, 100)
    case_id = _case(ledger.db, other, "已出清")
    with pytest.raises(InvalidInput, match="不是治理案件"):
        ledger.record(code, date(2025, 1, 1), case_id=case_id)
    assert _state(ledger.db, case_id) == "已出清"
    _unchanged(ledger, code)


def test_cleared_case_moves_to_reclaimed_with_the_record(ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    case_id = _case(ledger.db, code, "已出清")
    rec = ledger.record(code, date(2025, 2, 1), (100, 100, 100, 100), case_id=case_id)
    assert (rec.case_id, _state(ledger.db, case_id)) == (case_id, "已盘活")
    event = ledger.db.execute(text(
        "SELECT from_state, to_state, event_date, note FROM governance_case_event "
        "WHERE case_id = :i ORDER BY id DESC LIMIT 1"), {"i": case_id}).one()
    assert event[:3] == ("已出清", "已盘活", date(2025, 2, 1))
    assert f"#{rec.id}" in event.note
    # a further part of the same case: accepted, no second transition
    ledger.record(code, date(2025, 3, 1), (200, 100, 100, 100), case_id=case_id)
    assert ledger.db.execute(text("SELECT count(*) FROM governance_case_event "
                                  "WHERE case_id = :i AND to_state = '已盘活'"),
                             {"i": case_id}).scalar_one() == 1


def test_database_refuses_reclaimed_case_without_a_record(ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    case_id = _case(ledger.db, code, "已出清")
    with pytest.raises(DBAPIError, match="没有盘活登记"), ledger.db.begin_nested():
        ledger.db.execute(text("UPDATE governance_case SET state = '已盘活' WHERE id = :i"),
                          {"i": case_id})
    assert _state(ledger.db, case_id) == "已出清"


def test_database_refuses_future_date_and_uncleared_case(ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    case_id = _case(ledger.db, code, "已列入")
    insert = text(
        "INSERT INTO reclamation_record (case_id, unit_code, geom, reclaimed_on, mode, new_use, "
        "recorded_by) SELECT :case, unit_code, geom, :on, 'merger', '厂房', 'sql' FROM parcel "
        "WHERE unit_code = :c AND valid_to IS NULL")
    for case, on, message in ((None, date(2099, 1, 1), "晚于今天"),
                              (case_id, date(2025, 1, 1), "须为 已出清")):
        with pytest.raises(DBAPIError, match=message), ledger.db.begin_nested():
            ledger.db.execute(insert, {"case": case, "on": on, "c": code})
    assert ledger.count() == 0


def test_app_role_cannot_change_or_remove_records(ledger: Ledger) -> None:
    code = ledger.parcel(100, 100, 200, 100)
    ledger.record(code, date(2025, 1, 1))
    for statement in ("UPDATE reclamation_record SET mode = 'merger'",
                      "DELETE FROM reclamation_record"):
        with pytest.raises(DBAPIError, match="permission denied"), ledger.db.begin_nested():
            ledger.db.execute(text(statement))
    assert ledger.count() == 1


def test_every_mode_has_a_chinese_label() -> None:
    assert set(MODES.values()) == {"收购储备", "协议收回", "自主更新", "兼并重组", "二次开发"}
