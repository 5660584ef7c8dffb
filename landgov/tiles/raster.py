"""Raster tiles from the GeoTIFF / COG files registered in ``gis_data/rasters.json``.

Registering a raster is data, not code: an entry names the file beside the manifest,
its title, the value range to stretch and a rio-tiler colour map. rio-tiler reads only
the blocks (or overview) a tile needs and reprojects them to the requested tile matrix
set, so a Cloud-Optimised GeoTIFF of any size serves tiles without a tile pyramid on
disk. Files do not change while the app runs, so rendered PNGs are kept in a small LRU.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from rio_tiler.colormap import cmap
from rio_tiler.errors import TileOutsideBounds
from rio_tiler.io import Reader

from landgov.errors import FieldError, NotFound, SetupError
from landgov.settings import get_settings
from landgov.tiles.grids import Box, grid

MANIFEST = "rasters.json"


@dataclass(frozen=True)
class RasterSource:
    """One registered raster: file, title, stretch and colour map."""

    name: str
    path: Path
    title: str
    rescale: tuple[float, float]
    colormap: str | None
    attribution: str


@cache
def sources(directory: Path) -> dict[str, RasterSource]:
    """The rasters registered in ``directory``'s manifest (none if it has no manifest)."""
    manifest = directory / MANIFEST
    if not manifest.is_file():
        return {}
    try:
        entries = json.loads(manifest.read_text(encoding="utf-8"))
        return {name: RasterSource(name, directory / e["file"], e["title"],
                                   (float(e["rescale"][0]), float(e["rescale"][1])),
                                   e.get("colormap"), e.get("attribution", ""))
                for name, e in entries.items()}
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise SetupError(f"{manifest} 格式错误: {exc}") from exc


def source(name: str) -> RasterSource:
    """The registered raster ``name``, or a 404 naming those there are."""
    found = sources(get_settings().tile_raster_dir).get(name)
    if found is None:
        known = ", ".join(sources(get_settings().tile_raster_dir)) or "无"
        raise NotFound(f"未知的栅格图层 {name!r}; 可用: {known}",
                       [FieldError("name", "unknown raster")])
    return found


@lru_cache(maxsize=2048)
def render_png(name: str, tms_id: str, z: int, x: int, y: int) -> bytes:
    """A 256-pixel PNG of the raster at tile z/x/y (transparent where it has no data)."""
    raster, g = source(name), grid(tms_id)
    g.check(z, x, y, 0, 24)
    try:
        with Reader(str(raster.path), tms=g.tms) as reader:
            image = reader.tile(x, y, z, tilesize=256)
    except TileOutsideBounds as exc:
        raise NotFound(f"瓦片 {z}/{x}/{y} 不在栅格 {name} 的范围内",
                       [FieldError("x/y", "outside the raster")]) from exc
    image.rescale(in_range=(raster.rescale,))
    colormap = cmap.get(raster.colormap) if raster.colormap else None
    return bytes(image.render(img_format="PNG", colormap=colormap))


def bounds(name: str) -> Box:
    """The raster's extent in lon/lat."""
    with Reader(str(source(name).path)) as reader:
        west, south, east, north = reader.get_geographic_bounds(reader.tms.rasterio_geographic_crs)
    return float(west), float(south), float(east), float(north)


def zoom_range(name: str) -> tuple[int, int]:
    """Zooms (WebMercatorQuad) from an overview of the whole raster to its full detail."""
    with Reader(str(source(name).path)) as reader:
        return int(reader.minzoom), int(reader.maxzoom)
