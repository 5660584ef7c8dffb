"""The zones map: one feature per zone of the latest build, coloured by progress,
popups with the area in 亩, the members and the suggested chains."""

import pytest
from sqlalchemy import text

from landgov.maps.service import PROGRESS_BINS
from tests.evaluation.conftest import World
from tests.maps.conftest import assert_offline, layers

COLOUR = {key: colour for key, _, _, colour in PROGRESS_BINS}
SIDE = 200  # 200 m x 200 m = 60 亩


@pytest.fixture
def zoned(district, layout):
    """Two 60 亩 idle parcels across a 20 m road (one zone, 126 亩 outline), a chain firm
    300 m away, and a lone parcel that forms no zone."""
    a = layout.parcel(100, 100, SIDE, SIDE)
    b = layout.parcel(100 + SIDE + 20, 100, SIDE, SIDE)
    layout.parcel(3000, 1500, 100, 100)
    firm_plot = layout.parcel(100, 600, 100, 100, status="producing")
    World(district).firm(land=[(firm_plot, 1)])
    district.execute(text("UPDATE enterprise SET chain = '集成电路', chain_link = '封装测试'"))
    summary = layout.build()
    return {"members": [a, b], "build": summary["id"]}


def test_zone_features_popups_and_colours(as_role, zoned, district):
    res = as_role("investment").get("/maps/zones")
    assert res.status_code == 200
    assert_offline(res.text)
    by_colour = layers(res.text)
    features = [f for v in by_colour.values() for f in v]
    assert [f["id"] for f in features] == [f"ZB{zoned['build']}-1"]
    props = features[0]["properties"]
    assert props["area"] == "126.00 亩" and props["net_area"] == "120.00 亩"
    for code in zoned["members"]:
        assert f"{code} 60.00 亩" in props["members"]
    assert props["chains"] == "集成电路"
    assert props["towns"] == "塔山街道"
    progress = district.execute(text("SELECT progress FROM current_zone")).scalar()
    expected = next(k for k, low, _, _ in PROGRESS_BINS if progress >= low - 1e-9)
    assert [f["id"] for f in by_colour[COLOUR[expected]]] == [features[0]["id"]]
    assert props["progress"] == f"{progress * 100:.0f}%"
    assert "治理进度" in res.text and "连片改造区" in res.text


def test_scoped_and_empty(as_role, zoned):
    east = as_role("viewer").get("/maps/zones?town=330602002")
    assert east.status_code == 200 and layers(east.text) == {}
    assert_offline(east.text)
    assert as_role("town_officer").get("/maps/zones").status_code == 200


def test_no_build_yet_is_an_empty_map(as_role, anon, district):
    res = as_role("planner").get("/maps/zones")
    assert res.status_code == 200 and "尚未识别连片区" in res.text
    assert layers(res.text) == {}
    assert anon.get("/maps/zones").status_code == 401
