"""The demo district's layout: one district frame, repeated as synthetic counties.

A *frame* is everything geometric about 越城区 the generator needs: the real outline,
17 towns, the platforms, the industrial zones with their street grids, the 地籍子区, and
room for about 15,000 parcels of realistic size. One district of about 970,000 亩 holds
a realistic ~7,000 industrial parcels (a tenth of its land), so a larger request lays
the same frame out again, side by side, as neighbouring synthetic counties with county
codes ``339001``, ``339002`` … (合成县01, 合成县02 …): each a shifted copy with its own
towns, platforms and sub-districts, the shape a province-wide deployment has. The copies
stay inside the lon/lat envelope of 浙江 (:data:`landgov.geo.ZHEJIANG_BOUNDS`); beyond
the ~150 frames that fit (about 1,060,000 parcels) the frames fill more densely than
is realistic, up to 2,000,000.

Same seed, same number of parcels: the same district, parcel for parcel.

>>> district = plan(42, 10_000)
>>> [(c.code, c.name) for c in district.counties]
[('330602', '越城区'), ('339001', '合成县01')]
>>> len(district.parcel), bool(3 <= district.area_mu().min() <= district.area_mu().max() <= 300)
(10000, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from landgov.demo.areas import (
    Geoms,
    Subdistricts,
    Zones,
    as_multipolygons,
    district_outline,
    industrial_zones,
    platform_outlines,
    subdistricts,
    towns,
)
from landgov.demo.blocks import Blocks, Parcels, lay_out
from landgov.errors import FieldError, InvalidInput
from landgov.geo import AREA_SRID, STORAGE_SRID, ZHEJIANG_BOUNDS, transformer

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

REAL_COUNTY = ("330602", "越城区")
PARCELS_PER_FRAME = 7_000
MAX_PARCELS = 2_000_000
FRAME_GAP_M = 1_000.0
SLOT_RANGE = 20


@dataclass(frozen=True)
class Frame:
    """One district frame in EPSG:4549 (independent of how many parcels are wanted)."""

    outline: BaseGeometry
    towns: Geoms
    platforms: Geoms
    zones: Zones
    subdistricts: Subdistricts
    blocks: Blocks
    parcels: Parcels
    slots: F64


@lru_cache(maxsize=4)
def frame(seed: int) -> Frame:
    """The frame for ``seed``: the layout never depends on the number of parcels."""
    areas_rng, blocks_rng = (np.random.default_rng(s)
                             for s in np.random.SeedSequence([seed, 1]).spawn(2))
    outline = district_outline()
    town_geoms = towns(outline, areas_rng)
    zones = industrial_zones(outline, areas_rng)
    subs = subdistricts(town_geoms, areas_rng)
    blocks, parcels = lay_out(zones, blocks_rng)
    platforms = as_multipolygons(platform_outlines())
    return Frame(outline, town_geoms, platforms, zones, subs, blocks, parcels,
                 _slots(outline, platforms))


def _slots(outline: BaseGeometry, platforms: Geoms) -> F64:
    """Offsets (m) at which copies of the frame fit inside 浙江's envelope, nearest first.

    Copies are spaced by the outline's extent plus a gap; platforms may reach into the
    neighbouring copy, as 滨海新区 reaches into 柯桥 and 上虞.
    """
    minx, miny, maxx, maxy = shapely.bounds(outline)
    step = np.array([maxx - minx + FRAME_GAP_M, maxy - miny + FRAME_GAP_M])
    extent = shapely.segmentize(shapely.box(*shapely.total_bounds(
        np.concatenate([[outline], platforms]))).exterior, 2_000.0)
    ring = shapely.get_coordinates(extent)
    i, j = np.meshgrid(np.arange(-SLOT_RANGE, SLOT_RANGE + 1),
                       np.arange(-SLOT_RANGE, SLOT_RANGE + 1))
    offsets = np.column_stack([i.ravel(), j.ravel()]) * step
    pts = ring[None, :, :] + offsets[:, None, :]
    lon, lat = transformer(AREA_SRID, STORAGE_SRID).transform(pts[..., 0], pts[..., 1])
    west, south, east, north = ZHEJIANG_BOUNDS
    fits = ((lon > west) & (lon < east) & (lat > south) & (lat < north)).all(axis=1)
    offsets = offsets[fits]
    order = np.lexsort((offsets[:, 0], offsets[:, 1], np.hypot(*(offsets / step).T)))
    return np.asarray(offsets[order], dtype=np.float64)


@dataclass(frozen=True)
class County:
    """A county frame: the real district first, then synthetic neighbours."""

    code: str
    name: str
    offset: tuple[float, float]


@dataclass(frozen=True)
class District:
    """What to generate: the frame, the counties, and which frame parcels each holds.

    Parcels are ordered county by county and, within a county, zone by zone and block
    by block, so their 宗地顺序号 run through a sub-district street by street.
    """

    seed: int
    frame: Frame
    counties: tuple[County, ...]
    county: I64
    parcel: I64

    @property
    def synthetic(self) -> bool:
        """Whether the request overflowed 越城区 into synthetic counties."""
        return len(self.counties) > 1

    def area_mu(self) -> F64:
        """Each parcel's area in 亩 (EPSG:4549)."""
        return self.frame.parcels.area_mu[self.parcel]

    def coords(self) -> F64:
        """Each parcel's closed rectangle (n, 5, 2) in EPSG:4549, shifted to its county."""
        offsets = np.array([c.offset for c in self.counties], dtype=np.float64)
        moved: F64 = self.frame.parcels.coords[self.parcel] + offsets[self.county][:, None, :]
        return moved


def check_request(n: int, seed: int = 0) -> None:
    """Refuse a parcel count the generator cannot lay out, or a negative seed."""
    if not 1 <= n <= MAX_PARCELS:
        raise InvalidInput(f"宗地数量应在 1 到 {MAX_PARCELS:,} 之间, 收到 {n:,}",
                           [FieldError("parcels", "out of range")])
    if seed < 0:
        raise InvalidInput(f"随机种子应为非负整数, 收到 {seed}", [FieldError("seed", "negative")])


def plan(seed: int, n: int) -> District:
    """Lay out ``n`` parcels: 越城区 first, synthetic counties once it is full."""
    check_request(n, seed)
    fr = frame(seed)
    capacity = len(fr.parcels.fill)
    n_frames = min(-(-n // PARCELS_PER_FRAME), len(fr.slots))
    per_frame = -(-n // n_frames)
    if per_frame > capacity:
        raise InvalidInput(f"{n:,} 宗超出 {n_frames} 个区县框架的容量 ({capacity:,} 宗/框架)",
                           [FieldError("parcels", "too many")])
    sizes = np.full(n_frames, n // n_frames)
    sizes[: n % n_frames] += 1
    by_fill = np.argsort(fr.parcels.fill, kind="stable")
    picks = [np.sort(by_fill[:size]) for size in sizes]
    counties = tuple(_county(k, fr.slots[k]) for k in range(n_frames))
    return District(seed, fr, counties, np.repeat(np.arange(n_frames), sizes),
                    np.concatenate(picks).astype(np.int64))


def _county(k: int, offset: F64) -> County:
    if k == 0:
        return County(*REAL_COUNTY, (0.0, 0.0))
    return County(f"339{k:03d}", f"合成县{k:02d}", (float(offset[0]), float(offset[1])))


def shifted(geoms: Geoms, district: District) -> tuple[I64, Geoms]:
    """Frame geometries copied into every county: (county index, geometry)."""
    county = np.repeat(np.arange(len(district.counties)), len(geoms))
    offsets = np.array([c.offset for c in district.counties])[county]
    copies = np.tile(geoms, len(district.counties))
    moved = shapely.transform(copies, lambda xy: xy + np.repeat(
        offsets, shapely.get_num_coordinates(copies), axis=0))
    return county, np.asarray(moved, dtype=object)


def storage_hex(geoms: Geoms) -> npt.NDArray[np.str_]:
    """EPSG:4549 geometries as hex EWKB in the storage CRS (what COPY feeds PostGIS)."""
    to_storage = transformer(AREA_SRID, STORAGE_SRID)

    def project(xy: F64) -> F64:
        x, y = to_storage.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    stored = shapely.set_srid(shapely.transform(geoms, project), STORAGE_SRID)
    return np.asarray(shapely.to_wkb(stored, hex=True, include_srid=True), dtype=str)


def parcel_hex(district: District) -> npt.NDArray[np.str_]:
    """Every parcel as a one-part MultiPolygon, hex EWKB in EPSG:4490."""
    coords = district.coords()
    lon, lat = transformer(AREA_SRID, STORAGE_SRID).transform(coords[..., 0], coords[..., 1])
    rings = shapely.polygons(np.stack([lon, lat], axis=-1))
    multi = shapely.multipolygons(rings, indices=np.arange(len(rings)))
    stored = shapely.set_srid(multi, STORAGE_SRID)
    return np.asarray(shapely.to_wkb(stored, hex=True, include_srid=True), dtype=str)
