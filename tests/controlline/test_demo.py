"""The demo step on the hand-built district: 袍江经开区 (1500–2500 m east, 500–1500 m
north) holds two 30 亩 industrial parcels 100 m apart; outside it lie 45, 30 and 15 亩 ones.
"""

from __future__ import annotations

import pytest

from landgov.controlline import service
from landgov.demo import controlline_demo
from tests.controlline.helpers import immediate, parcel, use_of


def test_demo_draws_the_line_pairs_and_is_idempotent(district):
    inside = [parcel(district, 1600, 600), parcel(district, 1600, 800)]
    big, middle = parcel(district, 100, 100, 300, 100), parcel(district, 100, 400)
    parcel(district, 100, 700, 100, 100)
    summary = controlline_demo.seed(district, 2025)
    assert summary is not None and "控制线 1 条" in summary and "补充 2 块 75.0 亩" in summary
    assert controlline_demo.seed(district, 2025) is None
    book = service.ledger(district)
    # the two parcels and the 100 m road between them: 200 m x 300 m = 90 亩, plus 75 亩 added
    assert book.line_total_mu == pytest.approx(165.0, abs=0.5)
    assert (book.added_total_mu, book.converted_total_mu, book.credit_mu) == (75.0, 30.0, 45.0)
    [pair] = book.pairs
    assert pair.unit_code == inside[0] and pair.offset_mu == 30.0
    assert pair.addition_name == f"补充图斑 {big}" and middle not in pair.addition_name
    assert use_of(district, inside[0]) == "0508"
    immediate(district)  # what the scenario's one commit will check
