"""Indicator uploads: a per-row report, all or nothing, only the file's columns change."""

import io

from openpyxl import Workbook
from sqlalchemy import text

from tests.evaluation.conftest import YEAR, World


def upload(client, content: bytes, name: str, **params):
    return client.post("/api/v1/indicators/upload", params={"year": YEAR, **params},
                       files={"file": (name, content)})


def indicator(db, uscc, column):
    return db.execute(text(f"SELECT i.{column} FROM indicator i JOIN enterprise e ON e.id = i.enterprise_id "
                           "WHERE e.uscc = :u AND i.year = :y"), {"u": uscc, "y": YEAR}).scalar()


def test_tax_bureau_csv_updates_only_tax(as_role, district):
    w = World(district)
    a, b = w.firm(), w.firm()
    csv = f"统一社会信用代码,税收(万元)\n{a},123.5\n{b},\"1,000\"\n".encode("utf-8-sig")
    res = upload(as_role("data_steward"), csv, "tax.csv")
    assert res.status_code == 200, res.text
    assert res.json() == {"year": YEAR, "rows": 2, "columns": ["tax_wan"], "written": 2, "dry_run": False}
    assert indicator(district, a, "tax_wan") == 123.5 and indicator(district, b, "tax_wan") == 1000
    assert indicator(district, a, "energy_tce") == 1000  # untouched


def test_every_problem_is_reported_by_row_and_nothing_written(as_role, district):
    w = World(district)
    a = w.firm()
    newcomer = w.firm(year=YEAR - 1)
    rows = [["统一社会信用代码", "税收(万元)", "综合能耗(吨标煤)"],
            [a, "12", "abc"],                       # row 2: not a number
            ["91350100M000100Y44", "5", "1"],       # row 3: bad check character
            ["91350100M000100Y43", "5", "1"],       # row 4: unknown firm
            [newcomer, "5", "1"],                   # row 5: first report this year, no 规上
            [a, "7", "-3"]]                         # row 6: duplicate and negative energy
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    before = indicator(district, a, "tax_wan")
    res = upload(as_role("data_steward"), buf.getvalue(), "bureau.xlsx")
    assert res.status_code == 422
    problems = {(e["field"], e["reason"]) for e in res.json()["errors"]}
    assert ("row 2.energy_tce", "不是数字: 'abc'") in problems
    assert ("row 3.uscc", "校验码应为 3, 实为 4") in problems
    assert ("row 4.uscc", "企业库中没有此统一社会信用代码") not in problems  # parse errors stop before the database check
    assert ("row 6.uscc", "与第 2 行重复") in problems and ("row 6.energy_tce", "不能为负数") in problems
    assert indicator(district, a, "tax_wan") == before


def test_database_checks_unknown_firms_and_missing_scale(as_role, district):
    w = World(district)
    newcomer = w.firm(year=YEAR - 1)
    csv = f"uscc,tax_wan\n91350100M000100Y43,5\n{newcomer},6\n".encode()
    res = upload(as_role("data_steward"), csv, "x.csv")
    assert res.status_code == 422
    fields = {(e["field"], e["reason"]) for e in res.json()["errors"]}
    assert fields == {("row 2.uscc", "企业库中没有此统一社会信用代码"),
                      ("row 3.above_scale", "该企业本年度首次填报, 须给出 规上 列")}
    assert indicator(district, newcomer, "tax_wan") is None


def test_new_year_row_with_scale_flag_and_dry_run(as_role, district):
    w = World(district)
    newcomer = w.firm(year=YEAR - 1)
    csv = f"统一社会信用代码,规上,税收\n{newcomer},是,42\n".encode("gbk")
    dry = upload(as_role("data_steward"), csv, "gbk.csv", dry_run=True)
    assert dry.json()["written"] == 0 and indicator(district, newcomer, "tax_wan") is None
    res = upload(as_role("data_steward"), csv, "gbk.csv")
    assert res.json()["written"] == 1 and indicator(district, newcomer, "tax_wan") == 42
    assert indicator(district, newcomer, "above_scale") is True


def test_missing_uscc_column_and_permissions(as_role):
    res = upload(as_role("data_steward"), "名称,税收\n甲,1\n".encode(), "x.csv")
    assert res.status_code == 422 and "统一社会信用代码" in res.json()["detail"]
    assert upload(as_role("land_editor"), b"uscc\n", "x.csv").status_code == 403
