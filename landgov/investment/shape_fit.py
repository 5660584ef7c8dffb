"""Whether a usable rectangle of the needed area fits inside a plot (shape, not area).

An investor's 150 亩 plant needs a buildable rectangle, not 150 亩 of any outline: an
L-shaped plot or a long sliver can hold the area and still not the factory. The test,
in EPSG:4549 metres:

* the rectangle has the needed area ``A`` and an aspect ratio ``r`` between 1:1 and 1:3
  (tried at 1, 1.25, 1.5, 2, 2.5 and 3; sides ``sqrt(A·r)`` × ``sqrt(A/r)``), less a
  0.5 m tolerance per side so a plot that *is* exactly the rectangle still fits;
* orientations: the plot's own (the edges of its minimum rotated rectangle and its four
  longest edges, since plots follow streets) plus every 15° — each with the rectangle
  lying either way;
* for one orientation the plot is rotated so the rectangle is axis-aligned, and the set
  of centres where the rectangle fits is computed exactly: it is the plot minus the
  Minkowski sum of its boundary with the rectangle (a rectangle centred at ``c`` lies
  inside the plot iff ``c`` is inside and the rectangle meets no boundary edge; the sum
  of one edge with the rectangle is the convex hull of the rectangle at both ends). A
  non-empty remainder means it fits.

Holes count as boundary, so a courtyard or a kept building inside the plot is respected.
This is a Python check over the short list of candidates (matching.py); the candidate
filter before it is set-based SQL.

>>> from shapely.geometry import Polygon, box
>>> fits_rectangle(box(0, 0, 300, 300), 300 * 300).fits
True
>>> ell = Polygon([(0, 0), (400, 0), (400, 100), (100, 100), (100, 400), (0, 400)])
>>> round(ell.area) >= 60000, fits_rectangle(ell, 60000).fits
(True, False)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import affinity
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

RATIOS: tuple[float, ...] = (1.0, 1.25, 1.5, 2.0, 2.5, 3.0)
ANGLE_STEP_DEG = 15
TOLERANCE_M = 0.5


@dataclass(frozen=True)
class ShapeFit:
    """The outcome: whether it fits, and the first rectangle found (sides in metres)."""

    fits: bool
    width_m: float = 0.0
    height_m: float = 0.0
    angle_deg: float = 0.0
    tested: int = 0

    @property
    def ratio(self) -> float:
        """Long side over short side of the rectangle found (0 when none)."""
        short = min(self.width_m, self.height_m)
        return max(self.width_m, self.height_m) / short if short else 0.0


def _angles(geom: BaseGeometry) -> list[float]:
    """Candidate orientations in [0, 90): the plot's own first, then every 15°."""
    own: list[float] = []
    rect = geom.minimum_rotated_rectangle
    if isinstance(rect, Polygon):
        own.extend(_edge_angles(np.asarray(rect.exterior.coords))[:2])
    for poly in _polygons(geom):
        coords = np.asarray(poly.exterior.coords)
        lengths = np.hypot(*np.diff(coords, axis=0).T)
        longest = np.argsort(-lengths)[:4]
        own.extend(float(a) for a in _edge_angles(coords)[longest])
    grid = [float(a) for a in range(0, 90, ANGLE_STEP_DEG)]
    out: list[float] = []
    for angle in own + grid:
        a = round(float(angle) % 90.0, 3)
        if all(abs(a - b) > 0.5 for b in out):
            out.append(a)
    return out


def _edge_angles(coords: np.ndarray) -> np.ndarray:
    d = np.diff(coords, axis=0)
    return np.degrees(np.arctan2(d[:, 1], d[:, 0])) % 180.0


def _polygons(geom: BaseGeometry) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return []


def _edges(geom: BaseGeometry) -> np.ndarray:
    """Every boundary edge (exterior and holes) as an (n, 2, 2) array."""
    parts = []
    for poly in _polygons(geom):
        for ring in (poly.exterior, *poly.interiors):
            c = np.asarray(ring.coords)[:, :2]
            parts.append(np.stack([c[:-1], c[1:]], axis=1))
    return np.concatenate(parts) if parts else np.zeros((0, 2, 2))


def _fits_axis_aligned(geom: BaseGeometry, w: float, h: float) -> bool:
    """Whether a w × h axis-aligned rectangle fits inside ``geom`` (exact, see module)."""
    minx, miny, maxx, maxy = geom.bounds
    if maxx - minx < w or maxy - miny < h:
        return False
    edges = _edges(geom)
    corners = np.array([[-w / 2, -h / 2], [w / 2, -h / 2], [w / 2, h / 2], [-w / 2, h / 2]])
    points = (edges[:, :, None, :] + corners[None, None, :, :]).reshape(len(edges), 8, 2)
    hulls = shapely.convex_hull(shapely.multipoints(points))
    blocked = shapely.union_all(hulls)
    centres = geom.difference(blocked)
    return bool(not centres.is_empty and centres.area > 0)


def fits_rectangle(geom: BaseGeometry, area_m2: float,
                   ratios: tuple[float, ...] = RATIOS) -> ShapeFit:
    """Whether a rectangle of ``area_m2`` (aspect within ``ratios``) fits inside ``geom``.

    ``geom`` is in metres (EPSG:4549). Returns the first rectangle found.
    """
    if geom.is_empty or area_m2 <= 0 or geom.area < area_m2:
        return ShapeFit(False)
    centre = geom.centroid
    tested = 0
    for angle in _angles(geom):
        turned = affinity.rotate(geom, -angle, origin=centre)
        for r in ratios:
            long_side = math.sqrt(area_m2 * r) - TOLERANCE_M
            short_side = math.sqrt(area_m2 / r) - TOLERANCE_M
            for w, h in ((long_side, short_side), (short_side, long_side)):
                tested += 1
                if _fits_axis_aligned(turned, w, h):
                    return ShapeFit(True, w + TOLERANCE_M, h + TOLERANCE_M, angle, tested)
                if r == 1.0:
                    break
    return ShapeFit(False, tested=tested)


def largest_fitting_share(geom: BaseGeometry, area_m2: float,
                          shares: tuple[float, ...] = (1.0, 0.8, 0.6)) -> tuple[float, ShapeFit]:
    """The largest share of ``area_m2`` whose rectangle fits (0.0 when none does)."""
    for share in shares:
        fit = fits_rectangle(geom, area_m2 * share)
        if fit.fits:
            return share, fit
    return 0.0, ShapeFit(False)
