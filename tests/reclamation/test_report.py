"""The monthly report: PNG and PDF with the progress service's numbers; bad months."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from landgov.errors import InvalidInput
from landgov.reclamation import report
from landgov.reclamation.progress import progress
from tests.reclamation.conftest import WEST, Ledger


def test_monthly_report_writes_png_and_pdf_from_progress(ledger: Ledger, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    code = ledger.parcel(100, 100, 400, 100)
    ledger.record(code, date(2026, 4, 20), (100, 100, 200, 100))  # 30 亩 in April
    ledger.record(code, date(2026, 5, 31), (200, 100, 200, 100))  # 30 亩, 15 亩 new, May
    ledger.record(ledger.parcel(100, 400, 100, 100), date(2026, 6, 1))  # June, not in May
    calls: list[str] = []
    real = report.progress

    def spy(session, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["by"])
        return real(session, **kwargs)

    monkeypatch.setattr(report, "progress", spy)
    found, png, pdf = report.monthly_report(ledger.db, "2026-05", tmp_path)
    assert sorted(calls) == ["mode", "month", "town"]
    assert (found.month_union_mu, found.month_sum_mu) == (15.0, 30.0)
    assert found.by_month.cumulative_union_mu == 45.0
    direct = progress(ledger.db, by="month", end=date(2026, 5, 31))
    assert found.by_month.cumulative_union_mu == direct.cumulative_union_mu
    assert {r.key: r.union_mu for r in found.by_town.rows}[WEST] == 15.0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 50_000
    body = pdf.read_bytes()
    assert body[:5] == b"%PDF-" and body.rstrip().endswith(b"%%EOF")
    assert pdf.stat().st_size > 10_000
    assert b"FontFile" in body or b"/Type0" in body or b"/Type3" in body  # glyphs embedded


@pytest.mark.parametrize("month", ["2026-13", "2026/05", "May", "2099-01", "2019-05"])
def test_bad_month_is_refused(month: str) -> None:
    with pytest.raises(InvalidInput):
        report.parse_month(month)


def test_cli_bad_month_exits_2_with_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from landgov.cli import main

    monkeypatch.setattr("sys.argv", ["landgov", "report", "monthly", "--month", "2026-5x",
                                     "--out", str(tmp_path)])
    with pytest.raises(SystemExit) as exited:
        main()
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert err.strip().count("\n") == 0 and "YYYY-MM" in err
    assert list(tmp_path.iterdir()) == []


def test_without_a_cjk_font_the_report_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from landgov.errors import SetupError

    report.cjk_font.cache_clear()
    monkeypatch.setattr(report.font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(report.font_manager, "findSystemFonts", lambda: [])
    try:
        with pytest.raises(SetupError, match="fonts-noto-cjk"):
            report.cjk_font()
    finally:
        report.cjk_font.cache_clear()
