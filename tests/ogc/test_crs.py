"""Part 2 CRS: every offered CRS with its axis order, Content-Crs, and round trips."""

import pytest
from pyproj import CRS, Transformer

from landgov.ogc.crs import offered, parse_crs
from tests.factories import X0, Y0
from tests.ogc.conftest import CRS84, ITEMS, assert_problem, epsg

# A 200 m x 200 m square in EPSG:4549, written northing, easting (the CRS's axis order).
SQUARE_GK = [[Y0 + 500, X0 + 500], [Y0 + 500, X0 + 700], [Y0 + 700, X0 + 700],
             [Y0 + 700, X0 + 500], [Y0 + 500, X0 + 500]]


def gk_to(code):
    return Transformer.from_crs(4549, code, always_xy=True)


def ring(feature):
    return feature["geometry"]["coordinates"][0][0]


def same_ring(got, expected, tolerance):
    """Same vertices (in any start order), each coordinate within ``tolerance``."""
    flat_got = [v for point in sorted(map(tuple, got)) for v in point]
    flat_expected = [v for point in sorted(map(tuple, expected)) for v in point]
    assert flat_got == pytest.approx(flat_expected, abs=tolerance)


def post(client, coordinates, crs=None):
    headers = {"Content-Crs": f"<{crs}>"} if crs else {}
    res = client.post(ITEMS, headers=headers, json={
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [coordinates]},
        "properties": {}})
    assert res.status_code == 201, res.text
    return res.headers["location"].rsplit("/", 1)[1]


def test_axis_order_comes_from_proj():
    order = {c.uri: c.north_first for c in offered()}
    assert order == {CRS84: False, epsg(4490): True, epsg(4326): True, epsg(3857): False,
                     epsg(4549): True}
    for code in (4490, 4326, 4549):
        assert CRS.from_epsg(code).axis_info[0].direction == "north"
    assert CRS.from_epsg(3857).axis_info[0].direction == "east"


def test_4549_round_trip_comes_back_where_it_went_in(client):
    code = post(client, SQUARE_GK, epsg(4549))
    res = client.get(f"{ITEMS}/{code}", params={"crs": epsg(4549)})
    assert res.headers["content-crs"] == f"<{epsg(4549)}>"
    back = ring(res.json())
    same_ring(back, SQUARE_GK, 1e-3)
    assert res.json()["properties"]["area_mu"] == pytest.approx(60.0, abs=1e-3)


@pytest.mark.parametrize("code", [4490, 4326, 3857])
def test_each_crs_reads_the_same_square_in_its_axis_order(client, code):
    parcel = post(client, SQUARE_GK, epsg(4549))
    res = client.get(f"{ITEMS}/{parcel}", params={"crs": epsg(code)})
    assert res.headers["content-crs"] == f"<{epsg(code)}>"
    xs, ys = gk_to(code).transform([p[1] for p in SQUARE_GK], [p[0] for p in SQUARE_GK])
    expected = list(zip(ys, xs, strict=True)) if code in (4490, 4326) else list(zip(xs, ys, strict=True))
    tolerance = 1e-8 if code != 3857 else 1e-3
    same_ring(ring(res.json()), expected, tolerance)
    if code in (4490, 4326):
        lat, lon = ring(res.json())[0]
        assert 29 < lat < 31 and 120 < lon < 121  # latitude first


def test_crs84_is_the_default_and_lon_lat(client):
    parcel = post(client, SQUARE_GK, epsg(4549))
    res = client.get(f"{ITEMS}/{parcel}")
    assert res.headers["content-crs"] == f"<{CRS84}>"
    lon, lat = ring(res.json())[0]
    assert 120 < lon < 121 and 29 < lat < 31
    listing = client.get(ITEMS, params={"crs": CRS84})
    assert listing.headers["content-crs"] == f"<{CRS84}>"


@pytest.mark.parametrize("code", [4490, 4326, 3857])
def test_round_trip_through_each_crs(client, code):
    xs, ys = gk_to(code).transform([p[1] for p in SQUARE_GK], [p[0] for p in SQUARE_GK])
    sent = ([[y, x] for x, y in zip(xs, ys, strict=True)] if code in (4490, 4326)
            else [[x, y] for x, y in zip(xs, ys, strict=True)])
    parcel = post(client, sent, epsg(code))
    back = ring(client.get(f"{ITEMS}/{parcel}", params={"crs": epsg(code)}).json())
    tolerance = 1e-8 if code != 3857 else 1e-3
    same_ring(back, sent, tolerance)
    gk = ring(client.get(f"{ITEMS}/{parcel}", params={"crs": epsg(4549)}).json())
    same_ring(gk, SQUARE_GK, 1e-3)


def test_body_crs_from_the_crs_parameter_and_conflicts(client):
    res = client.post(ITEMS, params={"crs": epsg(4549)}, json={
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [SQUARE_GK]}})
    assert res.status_code == 201, res.text
    clash = client.post(ITEMS, params={"crs": epsg(3857)}, headers={"Content-Crs": epsg(4549)},
                        json={"type": "Feature",
                              "geometry": {"type": "Polygon", "coordinates": [SQUARE_GK]}})
    assert_problem(clash, 400, "不一致")


def test_wrong_axis_order_in_a_body_is_refused_not_misplaced(client):
    swapped = [[e, n] for n, e in SQUARE_GK]  # easting first, but declared EPSG:4549
    res = client.post(ITEMS, headers={"Content-Crs": epsg(4549)}, json={
        "type": "Feature", "geometry": {"type": "Polygon", "coordinates": [swapped]}})
    assert_problem(res, 422, "浙江")


@pytest.mark.parametrize("value", ["EPSG:2385", "http://www.opengis.net/def/crs/EPSG/0/9999",
                                   "urn:ogc:def:crs:EPSG::4549x", "nonsense", "4549"])
def test_unknown_crs_is_400(client, value):
    assert_problem(client.get(ITEMS, params={"crs": value}), 400, "不支持的坐标参考系")
    assert_problem(client.get(f"{ITEMS}/330602001001GB00001W00000000", params={"crs": value}),
                   400)


def test_crs_spellings():
    assert parse_crs("<http://www.opengis.net/def/crs/EPSG/0/4549>").srid == 4549
    assert parse_crs("[EPSG:3857]").srid == 3857
    assert parse_crs("https://www.opengis.net/def/crs/OGC/1.3/CRS84").uri == CRS84
    assert parse_crs(None).uri == CRS84
