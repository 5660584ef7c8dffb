"""The ``enterprises`` collection: firms by USCC, without geometry."""

import pytest

from tests.ogc.conftest import add_firm, assert_problem, epsg

ITEMS = "/ogc/collections/enterprises/items"


@pytest.fixture
def firms(district, parcels):
    return {
        "chem": add_firm(district, 1, "越城化工有限公司", "新材料",
                         [(parcels["A"], 1.0), (parcels["B"], 0.5)]),
        "chip": add_firm(district, 2, "绍兴芯片有限公司", "集成电路", [(parcels["D"], 1.0)]),
        "idle": add_firm(district, 3, "无地企业", "集成电路", []),
    }


def test_enterprises_are_features_without_geometry(client, firms, parcels):
    res = client.get(ITEMS)
    assert res.status_code == 200 and "content-crs" not in res.headers
    doc = res.json()
    assert doc["numberMatched"] == 3
    chem = doc["features"][0]
    assert chem["id"] == firms["chem"] and chem["geometry"] is None
    props = chem["properties"]
    assert props["name"] == "越城化工有限公司" and props["chain"] == "新材料"
    assert props["parcels"] == [parcels["A"], parcels["B"]]
    assert props["land_mu"] == pytest.approx(60 + 30, abs=1e-3)  # 1.0 x 60 亩 + 0.5 x 60 亩


def test_filters_and_one_enterprise(client, firms):
    res = client.get(ITEMS, params={"chain": "集成电路"})
    assert [f["id"] for f in res.json()["features"]] == [firms["chip"], firms["idle"]]
    one = client.get(f"{ITEMS}/{firms['chip']}")
    assert one.status_code == 200 and "etag" not in one.headers
    assert one.json()["properties"]["land_mu"] == pytest.approx(60, abs=1e-3)
    assert_problem(client.get(f"{ITEMS}/91330602MA2B99999X"), 404)


def test_spatial_and_temporal_parameters_are_refused(client, firms):
    assert_problem(client.get(ITEMS, params={"bbox": "120,29,121,31"}), 400, "没有几何")
    assert_problem(client.get(ITEMS, params={"crs": epsg(4549)}), 400, "没有几何")
    assert_problem(client.get(f"{ITEMS}/{firms['chip']}", params={"crs": epsg(4549)}), 400)
    assert_problem(client.get(ITEMS, params={"datetime": "2024-01-01"}), 400, "时间")


def test_town_officer_sees_the_firms_on_its_towns_parcels(as_role, firms):
    officer = as_role("town_officer")  # 塔山街道: parcels A, B, C
    assert [f["id"] for f in officer.get(ITEMS).json()["features"]] == [firms["chem"]]
    assert_problem(officer.get(f"{ITEMS}/{firms['chip']}"), 404)
