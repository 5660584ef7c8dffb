"""Street grids and the parcels they are cut into, vectorised over whole zones.

Each industrial zone gets a street grid at its own angle: blocks of 180–550 m with roads
of 15–40 m between them (the gaps that later tell contiguous land from land across a
main road). A block is cut into a grid of rectangular parcels whose size follows the
block's grain (small-firm estates next to large plants), so that parcel areas are
lognormal-ish around 15 亩 and always within 3–300 亩. Cutting a block as a grid
makes every shared parcel edge run corner to corner, so neighbours share exact
vertices and stay non-overlapping after the transformation to EPSG:4490.

Everything is numpy over all blocks of a zone at once; only the dozen zones are looped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry.base import BaseGeometry

from landgov.demo.areas import Zones
from landgov.geo import SQM_PER_MU

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

MIN_MU, MAX_MU = 3.05, 299.0
GRAIN_MEDIAN_MU, GRAIN_SIGMA = 27.0, 0.7
BLOCK_M = (180.0, 550.0)
ROAD_M = (15.0, 40.0)
DEPTH_M = (45.0, 330.0)


@dataclass(frozen=True)
class Blocks:
    """Street blocks of all zones: grid position, the road to their east, completeness."""

    zone: I64
    gx: I64
    gy: I64
    east_road_m: F64
    complete: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Parcels:
    """Parcels of a frame in EPSG:4549: closed rectangles ``coords`` (n, 5, 2).

    ``fill`` orders development: a frame holding fewer parcels than it has room for
    takes the lowest ``fill`` first, which builds each zone out from where it began.
    """

    coords: F64
    area_mu: F64
    zone: I64
    block: I64
    fill: F64


@dataclass(frozen=True)
class _Grid:
    """One zone's blocks in its street-aligned local frame."""

    x0: F64
    y0: F64
    x1: F64
    y1: F64
    gx: I64
    gy: I64
    east_road_m: F64


def lay_out(zones: Zones, rng: np.random.Generator) -> tuple[Blocks, Parcels]:
    """Street grids and parcels for every zone, concatenated."""
    block_parts: list[Blocks] = []
    parcel_parts: list[Parcels] = []
    offset = 0
    for z in range(len(zones.geoms)):
        blocks, parcels = _zone(zones, z, rng)
        block_parts.append(blocks)
        parcel_parts.append(Parcels(parcels.coords, parcels.area_mu, parcels.zone,
                                    parcels.block + offset, parcels.fill))
        offset += len(blocks.zone)
    return _concat_blocks(block_parts), _concat_parcels(parcel_parts)


def _zone(zones: Zones, z: int, rng: np.random.Generator) -> tuple[Blocks, Parcels]:
    """Grid one zone, cut its blocks, keep the parcels lying wholly inside the zone."""
    seed = zones.seeds[z]
    angle = np.deg2rad(zones.angles_deg[z])
    local = _rotate(zones.geoms[z], seed, -angle)
    grid = _street_grid(local, rng)
    boxes = shapely.box(grid.x0, grid.y0, grid.x1, grid.y1)
    shapely.prepare(local)
    touched = shapely.intersects(local, boxes)
    grid = _Grid(*(np.asarray(a)[touched] for a in (grid.x0, grid.y0, grid.x1, grid.y1,
                                                     grid.gx, grid.gy, grid.east_road_m)))
    block, cx0, cy0, cx1, cy1 = _cut_blocks(grid, rng)
    inside = shapely.contains_properly(local, shapely.box(cx0, cy0, cx1, cy1))
    complete = np.bincount(block[~inside], minlength=len(grid.x0)) == 0
    corners = np.stack([np.column_stack(c) for c in (
        (cx0, cy0), (cx1, cy0), (cx1, cy1), (cx0, cy1), (cx0, cy0))], axis=1)[inside]
    coords = _rotate_xy(corners, seed, angle)
    area = (cx1 - cx0)[inside] * (cy1 - cy0)[inside] / SQM_PER_MU
    block = block[inside]
    fill = _fill_order(grid, block, seed, rng)
    n = len(block)
    return (Blocks(np.full(len(grid.x0), z), grid.gx, grid.gy, grid.east_road_m, complete),
            Parcels(coords, area, np.full(n, z), block, fill))


def _street_grid(local: BaseGeometry, rng: np.random.Generator) -> _Grid:
    """Blocks covering the zone's bounds: seeded block sizes with road gaps between."""
    minx, miny, maxx, maxy = shapely.bounds(local)
    xs, xw, xroad = _strips(minx, maxx, rng)
    ys, yw, _ = _strips(miny, maxy, rng)
    mx, my = np.meshgrid(np.arange(len(xs)), np.arange(len(ys)))
    gx, gy = mx.ravel(), my.ravel()
    return _Grid(xs[gx], ys[gy], xs[gx] + xw[gx], ys[gy] + yw[gy], gx.astype(np.int64),
                 gy.astype(np.int64), xroad[gx])


def _strips(lo: float, hi: float, rng: np.random.Generator) -> tuple[F64, F64, F64]:
    """Starts, widths and following road widths of block strips from ``lo`` past ``hi``."""
    n = int((hi - lo) / (BLOCK_M[0] + ROAD_M[0])) + 2
    width = rng.uniform(*BLOCK_M, n)
    road = rng.uniform(*ROAD_M, n)
    start = lo - rng.uniform(0, BLOCK_M[0]) + np.concatenate([[0.0], np.cumsum(width + road)[:-1]])
    return start, width, road


def _cut_blocks(grid: _Grid, rng: np.random.Generator) -> tuple[I64, F64, F64, F64, F64]:
    """Cut every block into a grid of rows and columns sized from the block's grain."""
    nb = len(grid.x0)
    height, width = grid.y1 - grid.y0, grid.x1 - grid.x0
    grain = SQM_PER_MU * np.clip(rng.lognormal(np.log(GRAIN_MEDIAN_MU), GRAIN_SIGMA, nb),
                                 4.0, 280.0)
    depth = np.clip(np.sqrt(grain) * rng.uniform(0.8, 1.25, nb), *DEPTH_M)
    # Rows of equal depth: parcels back onto each other along straight lines.
    n_rows = np.maximum(np.rint(height / depth), 1).astype(np.int64)
    depth = height / n_rows
    row_edges = depth[:, None] * np.arange(int(n_rows.max()) + 1)[None, :]
    d_min = d_max = depth
    w_lo = np.maximum.reduce([MIN_MU * SQM_PER_MU / d_min, 0.3 * depth, np.full(nb, 25.0)])
    w_hi = MAX_MU * SQM_PER_MU / d_max - w_lo
    k_cols = int(np.ceil(BLOCK_M[1] / 25.0)) + 2
    cols = (grain / depth)[:, None] * rng.lognormal(0.0, 0.45, (nb, k_cols))
    col_edges, n_cols = _cuts(width, cols, w_lo, w_hi)
    per_block = n_rows * n_cols
    block = np.repeat(np.arange(nb), per_block)
    j = np.arange(len(block)) - np.repeat(np.cumsum(per_block) - per_block, per_block)
    r, c = j // n_cols[block], j % n_cols[block]
    return (block, grid.x0[block] + col_edges[block, c], grid.y0[block] + row_edges[block, r],
            grid.x0[block] + col_edges[block, c + 1], grid.y0[block] + row_edges[block, r + 1])


def _cuts(length: F64, targets: F64, lo: F64, hi: F64) -> tuple[F64, I64]:
    """Cut each ``length`` into pieces near the target sizes, each within [lo, hi + lo].

    The pieces whose total comes closest to the length are stretched or shrunk to fit
    it exactly; where that would break the bounds, a remainder shorter than ``lo``
    joins the last piece instead. Returns the edges (row b runs 0 … length at index
    count[b]) and the number of pieces.
    """
    nb = len(length)
    pieces = np.clip(targets, lo[:, None], hi[:, None])
    ends = np.cumsum(pieces, axis=1)
    count = np.argmin(np.abs(ends - length[:, None]), axis=1) + 1
    scaled = pieces * (length / ends[np.arange(nb), count - 1])[:, None]
    used = np.arange(pieces.shape[1])[None, :] < count[:, None]
    fits = np.all(~used | ((scaled >= lo[:, None]) & (scaled <= (hi + lo)[:, None])), axis=1)
    full = (ends <= length[:, None]).sum(axis=1)
    last_end = np.where(full > 0, ends[np.arange(nb), np.maximum(full - 1, 0)], 0.0)
    kept = np.where(length - last_end >= lo, full + 1, np.maximum(full, 1))
    count = np.where(fits, count, kept)
    edges = np.concatenate([np.zeros((nb, 1)), np.where(fits[:, None], np.cumsum(scaled, axis=1),
                                                         ends)], axis=1)
    edges[np.arange(nb), count] = length
    return edges, count.astype(np.int64)


def _piece_range(edges: F64, count: I64) -> tuple[F64, F64]:
    """Smallest and largest piece of each row of cut ``edges``."""
    sizes = np.diff(edges, axis=1)
    valid = np.arange(sizes.shape[1])[None, :] < count[:, None]
    return (np.where(valid, sizes, np.inf).min(axis=1),
            np.where(valid, sizes, -np.inf).max(axis=1))


def _fill_order(grid: _Grid, block: I64, seed: F64, rng: np.random.Generator) -> F64:
    """Rank parcels by how early their block was built: nearest the zone's seed first.

    Returned as a fraction of the zone's parcels, so that taking the lowest fractions
    across zones fills every zone in proportion to its room.
    """
    cx, cy = (grid.x0 + grid.x1) / 2, (grid.y0 + grid.y1) / 2
    # ``seed`` is the rotation centre, so it is the origin of the local frame too.
    dist = np.hypot(cx - seed[0], cy - seed[1]) * rng.uniform(0.85, 1.15, len(cx))
    block_rank = np.argsort(np.argsort(dist, kind="stable"), kind="stable")
    order = np.lexsort((np.arange(len(block)), block_rank[block]))
    fill = np.empty(len(block))
    fill[order] = (np.arange(len(block)) + 0.5) / max(len(block), 1)
    return fill


def _rotate(geom: BaseGeometry, centre: F64, angle: float) -> BaseGeometry:
    """``geom`` turned by ``angle`` radians about ``centre``."""
    return shapely.transform(geom, lambda xy: _rotate_xy(xy, centre, angle))


def _rotate_xy(xy: F64, centre: F64, angle: float) -> F64:
    """Points (…, 2) turned by ``angle`` radians about ``centre``."""
    c, s = np.cos(angle), np.sin(angle)
    dx, dy = xy[..., 0] - centre[0], xy[..., 1] - centre[1]
    return np.stack([centre[0] + c * dx - s * dy, centre[1] + s * dx + c * dy], axis=-1)


def _concat_blocks(parts: list[Blocks]) -> Blocks:
    return Blocks(*(np.concatenate([getattr(p, f) for p in parts])
                    for f in ("zone", "gx", "gy", "east_road_m", "complete")))


def _concat_parcels(parts: list[Parcels]) -> Parcels:
    return Parcels(*(np.concatenate([getattr(p, f) for p in parts])
                     for f in ("coords", "area_mu", "zone", "block", "fill")))
