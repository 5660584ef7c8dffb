"""底数清单 / 治理清单, the 一码 colour, officers' decisions, and the Excel/CSV exports."""

import io

import pytest
from openpyxl import load_workbook

from landgov.evaluation import service as evaluation
from landgov.governance import service
from tests.evaluation.conftest import YEAR, World
from tests.evaluation.test_evaluate import rules


@pytest.fixture
def listed(district):
    """Three firms: clean (A), D with high energy (关停), two-low cluster of 120 亩 (腾退)."""
    w = World(district)
    clean = w.firm(land=[(w.parcel(400), 1)])
    dirty = w.firm(land=[(w.parcel(400), 1)], tax_wan=60, revenue_wan=600, value_added_wan=600,
                   energy_tce=900)
    # two adjacent 60 亩 parcels 10 m apart (one road gap): a 120 亩 cluster, D class, no high flag
    a, b = w.parcel(400), w.parcel(400)
    slow1 = w.firm(land=[(a, 1)], tax_wan=60, revenue_wan=240, value_added_wan=300, energy_tce=100, cod_t=1)
    slow2 = w.firm(land=[(b, 1)], tax_wan=60, revenue_wan=240, value_added_wan=300, energy_tce=100, cod_t=1)
    idle = w.parcel(100)
    run = evaluation.evaluate(district, YEAR, rules(), "test")
    return {"clean": clean, "dirty": dirty, "slow": [slow1, slow2], "idle": idle, "run": run,
            "clusters": (a, b)}


def test_governance_list_proposes_actions_by_rule(listed, district):
    rows = {r["uscc"]: r for r in service.governance_list(district, YEAR, None)}
    assert listed["clean"] not in rows
    assert rows[listed["dirty"]]["proposed_action"] == "shutdown"
    assert rows[listed["dirty"]]["proposed_reason"] == "D 类且高排放或高能耗"
    for firm in listed["slow"]:
        assert rows[firm]["action"] == "vacate"
        assert float(rows[firm]["cluster_mu"]) == pytest.approx(120, abs=0.01)
        assert rows[firm]["town_name"] == "塔山街道"


def test_officer_decision_overrides_with_reason_and_is_audited(listed, client, district):
    from sqlalchemy import text
    firm = listed["slow"][0]
    row = service.decide(district, YEAR, firm, "merge", "与邻近企业兼并", "user:tester")
    assert row["action"] == "merge" and row["proposed_action"] == "vacate"
    again = {r["uscc"]: r for r in service.governance_list(district, YEAR, None)}[firm]
    assert again["decided_action"] == "merge" and again["decision_reason"] == "与邻近企业兼并"
    assert district.execute(text("SELECT count(*) FROM audit_event WHERE entity = 'governance_decision'")).scalar() == 1
    from landgov.errors import InvalidInput, NotFound
    with pytest.raises(InvalidInput):
        service.decide(district, YEAR, firm, "demolish", "理由", "user:tester")
    with pytest.raises(NotFound):
        service.decide(district, YEAR, listed["clean"], "merge", "理由", "user:tester")


def test_baseline_lists_every_industrial_parcel_with_users_and_colour(listed, district):
    rows = service.baseline_list(district, YEAR, None)
    by_code = {}
    for r in rows:
        by_code.setdefault(r["unit_code"], []).append(r)
    assert len(by_code) == 5
    idle = by_code[listed["idle"]][0]
    assert idle["uscc"] is None and idle["colour"] is None
    dirty = next(r for r in rows if r["uscc"] == listed["dirty"])
    assert dirty["class"] == "D" and dirty["colour"] == "red" and "high_energy" in dirty["flags"]
    clean = next(r for r in rows if r["uscc"] == listed["clean"])
    assert clean["colour"] == "green"


def test_lists_need_an_evaluation(district):
    from landgov.errors import NotFound
    with pytest.raises(NotFound, match="尚未进行"):
        service.baseline_list(district, 2024, None)


def test_parcel_api_carries_the_colour(listed, client):
    features = client.get("/api/v1/parcels").json()["features"]
    colours = {f["properties"]["colour"] for f in features}
    assert {"green", "red"} <= colours


def test_excel_export_in_office_form(listed, as_role):
    res = as_role("planner").get("/api/v1/exports/governance_list", params={"year": YEAR, "format": "xlsx"})
    assert res.status_code == 200, res.text
    assert "attachment" in res.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(res.content)).active
    assert ws["A1"].value == f"{YEAR}年度工业用地治理清单 (四个一批)"
    assert "面积单位: 亩" in ws["A2"].value
    assert ws["A3"].value == "序号" and ws["B3"].value == "责任镇街"
    assert ws["C3"].value == "企业" and ws["C4"].value == "企业名称" and ws["D4"].value == "统一社会信用代码"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:L1", "A3:A4", "C3:D3"} <= merged
    assert ws.freeze_panes == "A5"
    data = [row for row in ws.iter_rows(min_row=5, values_only=True)]
    assert [r[0] for r in data[:-1]] == list(range(1, len(data)))
    assert data[-1][0] == "合计" and data[-1][2] == "3 家"
    assert data[-1][6] == pytest.approx(180, abs=0.01)  # 60 + 60 + 60 亩
    actions = {r[9] for r in data[:-1]}
    assert actions == {"关停淘汰一批", "腾退盘活一批"}


def test_csv_export_has_bom_and_chinese_headers(listed, as_role):
    res = as_role("viewer").get("/api/v1/exports/baseline_list", params={"year": YEAR, "format": "csv"})
    assert res.content.startswith(b"\xef\xbb\xbf")
    lines = res.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("序号,镇街,宗地-不动产单元代码,宗地-宗地面积")
    assert len(lines) == 1 + 5


def test_export_refuses_bad_format_and_missing_year(listed, as_role):
    c = as_role("viewer")
    assert c.get("/api/v1/exports/baseline_list", params={"year": YEAR, "format": "pdf"}).status_code == 422
    assert c.get("/api/v1/exports/baseline_list").status_code == 422
    assert as_role("investment").get("/api/v1/exports/baseline_list", params={"year": YEAR}).status_code == 403


def test_town_officer_sees_only_its_town_in_lists(listed, as_role):
    rows = as_role("town_officer").get("/api/v1/lists/governance", params={"year": YEAR}).json()
    assert rows and {r["town_code"] for r in rows} == {"330602001"}


def test_enterprise_list_filters_by_class_flag_and_town(listed, as_role):
    c = as_role("viewer")
    page = c.get("/api/v1/enterprises", params={"year": YEAR}).json()
    assert page["number_matched"] == 4 and page["run_id"] == listed["run"]["id"]
    d = c.get("/api/v1/enterprises", params={"year": YEAR, "class": "D"}).json()
    assert {i["uscc"] for i in d["items"]} == {listed["dirty"], *listed["slow"]}
    energy = c.get("/api/v1/enterprises", params={"flag": "high_energy"}).json()
    assert [i["uscc"] for i in energy["items"]] == [listed["dirty"]]
    tlth = c.get("/api/v1/enterprises", params={"flag": "two_low_two_high"}).json()
    assert listed["dirty"] in {i["uscc"] for i in tlth["items"]}
    assert c.get("/api/v1/enterprises", params={"town": "330602002"}).json()["number_matched"] == 0
    assert c.get("/api/v1/enterprises", params={"class": "E"}).status_code == 422


def _colours(district) -> dict[str, str | None]:
    from sqlalchemy import text
    return {str(u): c for u, c in district.execute(text(
        "SELECT p.unit_code, pc.colour FROM parcel p JOIN parcel_colour pc USING (unit_code) "
        "WHERE p.valid_to IS NULL"))}


def test_the_colour_follows_occupancy_and_runs_in_the_same_transaction(listed, district):
    """Migration 0016 keeps the evaluation behind the colour in unit_evaluation: it must
    always equal what occupancy and the latest run say, inside the writing transaction."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    def table_is_source() -> None:
        stored = district.execute(text(
            "SELECT * FROM unit_evaluation EXCEPT SELECT * FROM unit_evaluation_source")).all()
        missing = district.execute(text(
            "SELECT * FROM unit_evaluation_source EXCEPT SELECT * FROM unit_evaluation")).all()
        assert stored == [] and missing == []

    table_is_source()
    dirty_unit = district.execute(text(
        "SELECT o.unit_code FROM occupancy o JOIN enterprise e ON e.id = o.enterprise_id "
        "WHERE e.uscc = :u"), {"u": listed["dirty"]}).scalar_one()
    assert _colours(district)[dirty_unit] == "red"
    # the dirty firm moves out: its parcel has no evaluated user any more
    district.execute(text("UPDATE occupancy SET end_date = CURRENT_DATE WHERE unit_code = :u"),
                     {"u": dirty_unit})
    assert _colours(district)[dirty_unit] is None
    table_is_source()
    # the clean firm moves onto that parcel too: green
    district.execute(text(
        "INSERT INTO occupancy (unit_code, enterprise_id, share, tenure) SELECT :u, e.id, 1, "
        "'leased' FROM enterprise e WHERE e.uscc = :c"), {"u": dirty_unit, "c": listed["clean"]})
    assert _colours(district)[dirty_unit] == "green"
    table_is_source()
    # an idle parcel is grey whatever the table holds (the status is read at read time)
    district.execute(text("UPDATE parcel SET status = 'idle' WHERE unit_code = :u "
                          "AND valid_to IS NULL"), {"u": dirty_unit})
    assert _colours(district)[dirty_unit] == "grey"
    # a new run recomputes every unit
    evaluation.evaluate(district, YEAR, rules(), "test again")
    table_is_source()
    # the app role only reads it: the refresh writes as the table's owner
    with pytest.raises(DBAPIError, match="permission denied"), district.begin_nested():
        district.execute(text("DELETE FROM unit_evaluation"))
