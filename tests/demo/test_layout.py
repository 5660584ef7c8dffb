"""The district layout: parcel sizes, containment, no overlaps, roads, determinism."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from landgov.demo import layout
from landgov.demo.areas import district_outline
from landgov.demo.catalogue import PLATFORMS
from landgov.errors import InvalidInput
from landgov.geo import AREA_SRID, SQM_PER_MU, STORAGE_SRID, ZHEJIANG_BOUNDS, transformer

DOMAIN_TOWNS = ["塔山街道", "府山街道", "北海街道", "城南街道", "稽山街道", "迪荡街道", "灵芝街道",
                "皋埠街道", "陶堰街道", "马山街道", "孙端街道", "东湖街道", "东浦街道", "鉴湖街道",
                "斗门街道", "沥海街道", "富盛镇"]


@pytest.fixture(scope="module")
def frame() -> layout.Frame:
    return layout.frame(42)


@pytest.fixture(scope="module")
def polygons(frame: layout.Frame) -> np.ndarray:
    return shapely.polygons(frame.parcels.coords)


def test_parcel_areas_are_3_to_300_mu_in_epsg_4549(frame, polygons):
    area = shapely.area(polygons) / SQM_PER_MU
    assert area.min() >= 3.0
    assert area.max() <= 300.0
    np.testing.assert_allclose(area, frame.parcels.area_mu, rtol=1e-9)
    assert 10.0 <= np.median(area) <= 20.0, "median parcel should be around 15 亩"
    assert (area > 100).any() and (area < 5).any(), "sizes should spread, not be uniform"


def test_parcels_are_valid_and_inside_the_district(frame, polygons):
    assert shapely.is_valid(polygons).all()
    outline = district_outline()
    shapely.prepare(outline)
    assert shapely.within(polygons, outline).all()


def test_parcels_do_not_overlap(polygons):
    pairs = shapely.STRtree(polygons).query(polygons, predicate="overlaps")
    assert pairs.shape[1] == 0
    # Shared edges run corner to corner: the union loses no area either.
    assert shapely.area(polygons).sum() == pytest.approx(shapely.union_all(polygons).area,
                                                         abs=1.0)


def test_blocks_are_separated_by_road_gaps(frame, polygons):
    tree = shapely.STRtree(polygons)
    near_a, near_b = tree.query(polygons, predicate="dwithin", distance=14.9)
    block = frame.parcels.block
    assert (block[near_a] == block[near_b]).all(), "parcels of different blocks < 15 m apart"
    a, b = tree.query(polygons, predicate="dwithin", distance=40.1)
    across = block[a] != block[b]
    gaps = shapely.distance(polygons[a[across]], polygons[b[across]])
    assert len(gaps) > 100
    assert gaps.min() >= 14.9
    assert ((gaps >= 15) & (gaps <= 30)).any(), "some roads are narrow enough to join blocks"
    assert (gaps > 30).any(), "some roads are wide enough to split them"


def test_towns_cover_the_district_and_sub_districts_cover_the_towns(frame):
    outline = district_outline()
    assert len(frame.towns) == 17
    assert shapely.area(frame.towns).sum() == pytest.approx(outline.area, rel=1e-6)
    assert shapely.area(shapely.union_all(frame.towns)) == pytest.approx(outline.area, rel=1e-6)
    subs = frame.subdistricts
    per_town = np.bincount(subs.town, weights=shapely.area(subs.geoms), minlength=17)
    np.testing.assert_allclose(per_town, shapely.area(frame.towns), rtol=1e-6)
    assert np.bincount(subs.town).min() >= 2, "each town is split into several sub-districts"
    for t in range(17):
        numbers = np.sort(subs.number[subs.town == t])
        assert numbers.tolist() == list(range(1, len(numbers) + 1))


def test_town_names_are_the_seventeen_of_the_domain():
    from landgov.demo.catalogue import TOWNS

    assert [t[0] for t in TOWNS] == DOMAIN_TOWNS


def test_binhai_reaches_beyond_the_district(frame):
    outline = district_outline()
    binhai = frame.platforms[[p.name for p in PLATFORMS].index("滨海新区")]
    assert shapely.area(shapely.difference(binhai, outline)) > 10e6
    bounds = shapely.bounds(binhai)
    assert bounds[1] > shapely.bounds(outline)[1] + 0.5 * (shapely.bounds(outline)[3]
                                                           - shapely.bounds(outline)[1])


def test_most_parcels_lie_in_platforms(frame, polygons):
    platform_area = shapely.union_all(frame.platforms)
    centre = shapely.point_on_surface(polygons)
    assert shapely.within(centre, platform_area).mean() > 0.7


def test_same_seed_same_layout_other_seed_other_layout():
    first = layout.plan(42, 3_000).coords()
    layout.frame.cache_clear()
    again = layout.plan(42, 3_000).coords()
    np.testing.assert_array_equal(first, again)
    other = layout.plan(7, 3_000).coords()
    assert other.shape != first.shape or not np.array_equal(other, first)


def test_small_request_fills_every_zone_from_its_core():
    district = layout.plan(42, 1_500)
    zones = district.frame.parcels.zone[district.parcel]
    with_room = np.flatnonzero(np.bincount(district.frame.parcels.zone) > 0)
    assert np.unique(zones).tolist() == with_room.tolist()
    assert len(district.parcel) == 1_500 and len(district.counties) == 1


def test_large_request_adds_synthetic_counties_inside_zhejiang():
    district = layout.plan(42, 20_000)
    assert [c.code for c in district.counties] == ["330602", "339001", "339002"]
    assert [c.name for c in district.counties] == ["越城区", "合成县01", "合成县02"]
    assert np.bincount(district.county).tolist() == [6_667, 6_667, 6_666]
    coords = district.coords()
    lon, lat = transformer(AREA_SRID, STORAGE_SRID).transform(coords[..., 0], coords[..., 1])
    west, south, east, north = ZHEJIANG_BOUNDS
    assert lon.min() > west and lon.max() < east and lat.min() > south and lat.max() < north
    boxes = [shapely.box(*shapely.total_bounds(shapely.polygons(coords[district.county == k])))
             for k in range(3)]
    assert not any(boxes[i].intersects(boxes[j]) for i in range(3) for j in range(i + 1, 3))


def test_the_largest_request_fits_inside_zhejiang():
    district = layout.plan(42, layout.MAX_PARCELS)
    assert len(district.parcel) == layout.MAX_PARCELS
    assert len({c.code for c in district.counties}) == len(district.counties)


@pytest.mark.parametrize("n", [0, -5, layout.MAX_PARCELS + 1])
def test_out_of_range_counts_are_refused(n):
    with pytest.raises(InvalidInput, match="宗地数量"):
        layout.plan(42, n)


def test_parcels_are_stored_as_multipolygons_in_4490():
    district = layout.plan(42, 50)
    geoms = shapely.from_wkb(layout.parcel_hex(district))
    assert set(shapely.get_type_id(geoms).tolist()) == {6}
    assert set(shapely.get_srid(geoms).tolist()) == {STORAGE_SRID}
    lon_lat = shapely.get_coordinates(geoms)
    assert lon_lat[:, 0].min() > 120.4 and lon_lat[:, 0].max() < 120.9
    assert lon_lat[:, 1].min() > 29.8 and lon_lat[:, 1].max() < 30.3
