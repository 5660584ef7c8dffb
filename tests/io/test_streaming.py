"""Streaming exports: prefetched batches (in order, errors raised in the writer, early
stops clean) and Shapefile text widths sized from the first batch (widened, never cut).
"""

from __future__ import annotations

import zipfile
from collections.abc import Generator
from pathlib import Path

import pytest
import shapely
from pyogrio.raw import read

from landgov.io.shapefile import write_shapefile
from landgov.io.streaming import Batch, prefetched
from landgov.tables import Field, Layer


def numbered(n: int, closed: list[bool], fail_at: int | None = None) -> Generator[Batch]:
    try:
        for i in range(n):
            if i == fail_at:
                raise ValueError(f"batch {i}")
            yield {"i": [i]}
    finally:
        closed.append(True)


def test_batches_arrive_in_order_and_the_source_is_closed():
    closed: list[bool] = []
    with prefetched(numbered(5, closed)) as ahead:
        assert [b["i"][0] for b in ahead] == [0, 1, 2, 3, 4]
    assert closed == [True]


def test_an_error_while_fetching_is_raised_in_the_writer():
    closed: list[bool] = []
    seen = []
    with pytest.raises(ValueError, match="batch 2"), prefetched(numbered(5, closed, 2)) as ahead:
        for b in ahead:
            seen.append(b["i"][0])
    assert seen == [0, 1] and closed == [True]


def test_a_writer_that_stops_early_stops_the_fetch():
    closed: list[bool] = []
    with pytest.raises(RuntimeError), prefetched(numbered(1000, closed)) as ahead:
        next(iter(ahead))
        raise RuntimeError("refused")
    assert closed == [True]


def test_text_longer_later_than_the_first_batch_is_widened_not_cut(tmp_path: Path):
    """The Shapefile's text widths come from the first batch; GDAL widens them later."""
    square = shapely.to_wkb(shapely.MultiPolygon([shapely.box(120.5, 30.0, 120.501, 30.001)]))
    rows = [{"name": "甲", "day": None, "geom": square}] * 10_000  # the first batch
    rows.append({"name": "长" * 120, "day": None, "geom": square})  # 240 GBK bytes, batch 2
    layer = Layer("t", "t", (Field("name", "名称", "", short="名称"),
                             Field("day", "日期", "", "date", short="日期")), True, rows=rows)
    out = write_shapefile(tmp_path, layer, iter([
        {k: [r[k] for r in rows[:10_000]] for k in ("name", "day", "geom")},
        {k: [r[k] for r in rows[10_000:]] for k in ("name", "day", "geom")}]), 4490, "GBK")
    with zipfile.ZipFile(out) as zf:
        zf.extractall(tmp_path / "x")
    names = read(tmp_path / "x" / "t.shp", encoding="GBK")[3][0]
    assert names[0] == "甲" and names[-1] == "长" * 120
