"""Generate the demo raster: a synthetic night-light grid over 越城区.

``python -m landgov.tiles.raster_demo [OUT.tif]`` writes ``gis_data/nightlight_synthetic.tif``
(the default), a Cloud-Optimised GeoTIFF in EPSG:4490 at 0.0005° (~50 m), values 0–63
like the DMSP-OLS stable-lights product, 255 = no data outside the district outline.

It is **synthetic**, made to look plausible, not observed: brightness falls off from
the real towns' centres (古城, 袍江, 高新区, 滨海新区 …), brightens along straight
"roads" joining them, and carries seeded noise. It exists so the raster tile path
(COG → rio-tiler → PNG) is exercised end to end with a real-looking picture. The same
seed always gives the same values; the file is small (well under 2 MB).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import rasterio
from rasterio.features import geometry_mask
from rasterio.io import MemoryFile
from rasterio.shutil import copy as copy_dataset
from rasterio.transform import from_origin
from shapely.geometry import mapping, shape

GIS_DATA = Path(__file__).resolve().parents[2] / "gis_data"
DEFAULT_OUT = GIS_DATA / "nightlight_synthetic.tif"
RESOLUTION = 0.0005  # degrees, about 50 m
NODATA = 255
SEED = 20260
# (lon, lat, peak brightness 0–63, spread in degrees): town and platform centres.
CENTRES = [
    (120.582, 30.000, 63, 0.022),  # 古城 (塔山/府山/北海)
    (120.630, 30.070, 55, 0.025),  # 袍江经开区
    (120.550, 30.040, 50, 0.020),  # 高新区 / 灵芝
    (120.600, 29.975, 48, 0.018),  # 城南 / 稽山
    (120.610, 30.020, 52, 0.016),  # 迪荡
    (120.670, 30.020, 38, 0.016),  # 皋埠
    (120.710, 30.130, 45, 0.030),  # 滨海新区 / 马山
    (120.650, 30.105, 36, 0.016),  # 斗门
    (120.710, 30.070, 28, 0.014),  # 孙端
    (120.530, 30.030, 30, 0.012),  # 东浦
    (120.520, 29.985, 26, 0.014),  # 鉴湖
    (120.740, 30.020, 22, 0.012),  # 陶堰
    (120.790, 30.200, 30, 0.020),  # 沥海
    (120.700, 29.930, 14, 0.012),  # 富盛
]
ROADS = [(0, 1), (0, 2), (0, 3), (0, 4), (4, 5), (1, 6), (1, 7), (7, 6), (5, 11), (1, 8),
         (2, 9), (3, 10), (6, 12), (5, 13), (8, 6)]


def _boundary() -> dict[str, object]:
    data = json.loads((GIS_DATA / "yuecheng_boundary.geojson").read_text(encoding="utf-8"))
    return dict(mapping(shape(data["features"][0]["geometry"])))


def _segment_distance(lon: np.ndarray, lat: np.ndarray, a: tuple[float, float],
                      b: tuple[float, float]) -> np.ndarray:
    ax, ay = a
    dx, dy = b[0] - ax, b[1] - ay
    t = np.clip(((lon - ax) * dx + (lat - ay) * dy) / (dx * dx + dy * dy), 0, 1)
    return np.asarray(np.hypot(lon - (ax + t * dx), lat - (ay + t * dy)))


def brightness(lon: np.ndarray, lat: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Synthetic stable-light values (0–63) at the grid's cell centres."""
    light = np.zeros_like(lon)
    for cx, cy, peak, spread in CENTRES:
        light += peak * np.exp(-((lon - cx) ** 2 + (lat - cy) ** 2) / (2 * spread**2))
    for i, j in ROADS:
        (ax, ay, *_), (bx, by, *_) = CENTRES[i], CENTRES[j]
        light += 14 * np.exp(-(_segment_distance(lon, lat, (ax, ay), (bx, by)) / 0.0015) ** 2)
    light *= rng.gamma(shape=12, scale=1 / 12, size=light.shape)  # speckle around 1
    light += rng.exponential(1.2, size=light.shape)  # faint rural background
    return np.clip(np.round(light), 0, 63)


def generate(out: Path = DEFAULT_OUT) -> Path:
    """Write the synthetic night-light COG to ``out``."""
    outline = _boundary()
    west, south, east, north = shape(outline).bounds
    west, south = west - 0.01, south - 0.01
    width = int(np.ceil((east + 0.01 - west) / RESOLUTION))
    height = int(np.ceil((north + 0.01 - south) / RESOLUTION))
    transform = from_origin(west, south + height * RESOLUTION, RESOLUTION, RESOLUTION)
    cols, rows = np.meshgrid(np.arange(width) + 0.5, np.arange(height) + 0.5)
    lon, lat = west + cols * RESOLUTION, south + height * RESOLUTION - rows * RESOLUTION
    values = brightness(lon, lat, np.random.default_rng(SEED)).astype(np.uint8)
    outside = geometry_mask([outline], out_shape=(height, width), transform=transform)
    values[outside] = NODATA
    profile = {"driver": "GTiff", "width": width, "height": height, "count": 1,
               "dtype": "uint8", "crs": "EPSG:4490", "transform": transform, "nodata": NODATA}
    with MemoryFile() as memory:
        with memory.open(**profile) as dataset:
            dataset.write(values, 1)
            dataset.update_tags(1, DESCRIPTION="synthetic night lights (DN 0-63), not observed")
        with memory.open() as dataset:
            copy_dataset(dataset, str(out), driver="COG", compress="DEFLATE", predictor="2",
                         blocksize=256, overview_resampling="average")
    return out


if __name__ == "__main__":
    target = generate(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT)
    with rasterio.open(target) as written:
        print(f"{target}: {written.width}×{written.height}, {target.stat().st_size:,} bytes")
