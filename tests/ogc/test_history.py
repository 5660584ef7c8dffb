"""``datetime``: a parcel as it was at an instant or during an interval.

Versions must be recorded in separate transactions (now() is the transaction's time),
so these tests commit through ``real_client``.
"""

import pytest

from tests.ogc.conftest import ITEMS, assert_problem, create


def versions(res):
    assert res.status_code == 200, res.text
    return [(f["id"], f["properties"]["version"]) for f in res.json()["features"]]


@pytest.fixture
def edited(real_client):
    """One parcel in three versions, then retired; another created after version 2."""
    client = real_client("land_editor")
    code = create(client, 100, 100, name="v1")
    times = {1: client.get(f"{ITEMS}/{code}").json()["properties"]["valid_from"]}
    for version in (1, 2):
        res = client.patch(f"{ITEMS}/{code}", json={"properties": {"name": f"v{version + 1}"}},
                           headers={"If-Match": f'"{version}"'})
        assert res.status_code == 200, res.text
        times[version + 1] = client.get(f"{ITEMS}/{code}").json()["properties"]["valid_from"]
        if version == 1:
            later = create(client, 400, 100)
    assert client.delete(f"{ITEMS}/{code}", headers={"If-Match": '"3"'}).status_code == 204
    return client, code, later, times


@pytest.mark.commits
def test_an_instant_gives_the_version_valid_then(edited):
    client, code, later, times = edited
    assert versions(client.get(ITEMS, params={"datetime": times[1]})) == [(code, 1)]
    assert versions(client.get(ITEMS, params={"datetime": times[2]})) == [(code, 2)]
    at3 = client.get(ITEMS, params={"datetime": times[3]}).json()["features"]
    assert [(f["properties"]["name"], f["properties"]["valid_to"] is not None) for f in at3] == [
        ("v3", True), (None, False)]  # v3 was retired later; the other parcel is current
    assert versions(client.get(ITEMS)) == [(later, 1)]  # no datetime: current only
    assert versions(client.get(ITEMS, params={"datetime": "2000-01-01"})) == []


@pytest.mark.commits
def test_an_interval_gives_every_version_valid_during_it(edited):
    client, code, later, times = edited
    both = client.get(ITEMS, params={"datetime": f"{times[1]}/{times[2]}"})
    assert versions(both) == [(code, 1), (code, 2)]  # `later` was made after version 2
    assert versions(client.get(ITEMS, params={"datetime": "../.."})) == [
        (code, 1), (code, 2), (code, 3), (later, 1)]
    assert versions(client.get(ITEMS, params={"datetime": f"{times[3]}/.."})) == [
        (code, 3), (later, 1)]
    assert versions(client.get(ITEMS, params={"datetime": f"../{times[1]}"})) == [(code, 1)]
    doc = client.get(ITEMS, params={"datetime": "../..", "limit": 2}).json()
    assert doc["numberMatched"] == 4
    nxt = next(lk["href"] for lk in doc["links"] if lk["rel"] == "next")
    assert "datetime=" in nxt


@pytest.mark.commits
def test_history_combines_with_filters_and_town_scope(edited, real_client):
    client, code, _later, _times = edited
    res = client.get(ITEMS, params={"datetime": "../..", "name": "v2"})
    assert versions(res) == [(code, 2)]
    officer = real_client("town_officer")
    assert len(versions(officer.get(ITEMS, params={"datetime": "../.."}))) == 4
    retired = client.get(f"{ITEMS}/{code}")
    assert retired.status_code == 404


@pytest.mark.parametrize(("value", "fragment"), [
    ("yesterday", "格式无效"),
    ("2024-13-01", "格式无效"),
    ("2024-02-30T00:00:00Z", "格式无效"),
    ("2024-03-01/2024-02-01", "起点晚于终点"),
    ("2024-01-01/2024-02-01/2024-03-01", "格式无效"),
])
def test_malformed_datetime_is_400(client, value, fragment):
    assert_problem(client.get(ITEMS, params={"datetime": value}), 400, fragment)


def test_datetime_forms_accepted(client):
    for value in ("2024-03-01", "2024-03-01T08:00:00Z", "2024-03-01T08:00:00.5+08:00",
                  "2024-03-01T08:00", "2024-01-01/..", "../2024-01-01", "2024-01-01/"):
        assert client.get(ITEMS, params={"datetime": value}).status_code == 200, value
