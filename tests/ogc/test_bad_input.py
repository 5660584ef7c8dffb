"""Bad input anywhere in the OGC API is a 4xx problem, nothing is written, never a 500."""

import pytest
from sqlalchemy import text

from tests.ogc.conftest import ITEMS, assert_problem, epsg

CODE = "330602001001GB00001W00000000"
BAD_READS = [
    ("/ogc/collections/nosuchlayer/items", 404),
    ("/ogc/collections/nosuchlayer", 404),
    (f"{ITEMS}?bbox=120.7,30.0,120.6,30.1", 400),
    (f"{ITEMS}?bbox=560000,30000000,564000,30000001&bbox-crs={epsg(3857)}", 400),
    (f"{ITEMS}?bbox=1e999,0,1,1", 400),
    (f"{ITEMS}?bbox=,,,", 400),
    (f"{ITEMS}?crs=EPSG:4326:x", 400),
    (f"{ITEMS}?bbox-crs=urn:nothing", 400),
    (f"{ITEMS}?datetime=2024-01-01T25:00:00Z", 400),
    (f"{ITEMS}?datetime=2024-01-01T00:00:00+25:00", 400),
    (f"{ITEMS}?datetime=٢٠٢٤-٠١-٠١", 400),  # Arabic-Indic digits are not RFC 3339
    (f"{ITEMS}?town_name%00=x", 400),
    (f"{ITEMS}?filter=status='x'", 400),  # CQL is not offered
    (f"{ITEMS}?offset=-1", 422),
    (f"{ITEMS}/%00", 404),
    (f"{ITEMS}?status=%00", 400),
    ("/ogc/collections/%00/items", 404),
    (f"{ITEMS}/{CODE}?crs=EPSG:1", 400),
]


@pytest.mark.parametrize(("path", "status"), BAD_READS, ids=[p for p, _ in BAD_READS])
def test_bad_reads(client, parcels, path, status):
    assert_problem(client.get(path), status)


def test_bad_writes_write_nothing(client, district, parcels):
    before = district.execute(text("SELECT count(*) FROM parcel")).scalar_one()
    code = parcels["A"]
    for res in (
        client.post(ITEMS, content=b"not json", headers={"Content-Type": "application/geo+json"}),
        client.post(ITEMS, json=[1, 2]),
        client.post(ITEMS, json={"type": "Feature", "geometry": None}),
        client.post(ITEMS, headers={"Content-Crs": "<EPSG:9999>"},
                    json={"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}}),
        client.put(f"{ITEMS}/{code}", headers={"If-Match": '"7"'},
                   json={"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}}),
        client.put(f"{ITEMS}/bad-code", headers={"If-Match": '"1"'},
                   json={"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}}),
        client.patch(f"{ITEMS}/{code}", headers={"If-Match": '"1"'},
                     json={"properties": {"area_mu": 1e9}}),  # read-only: nothing to change
        client.patch(f"{ITEMS}/{code}", headers={"If-Match": '"1"'},
                     json={"properties": {"name": "a\x00b"}}),
        client.patch(f"{ITEMS}/{code}", headers={"If-Match": '"1"'},
                     json={"properties": {"right_start_date": "2020-01-01",
                                          "right_end_date": "2019-01-01"}}),
        client.delete(f"{ITEMS}/{code}", headers={"If-Match": '"2"'}),
    ):
        assert 400 <= res.status_code < 500, res.text
        assert res.headers["content-type"].startswith("application/problem+json")
    assert district.execute(text("SELECT count(*) FROM parcel")).scalar_one() == before
