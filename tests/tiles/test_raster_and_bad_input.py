"""Raster tiles from the registered COG, and bad input: always 4xx problem details."""

from __future__ import annotations

import numpy as np
import pytest
from rasterio.io import MemoryFile

from landgov.settings import get_settings
from landgov.tiles.grids import grid
from landgov.tiles.raster import sources

PROBLEM = "application/problem+json"
# Reading a PNG back with rasterio: it has no georeferencing, as a PNG tile should not.
pytestmark = pytest.mark.filterwarnings("ignore::rasterio.errors.NotGeoreferencedWarning")
# Over 袍江 / the old town: lit, inside the district outline.
LIT = (120.60, 30.03)


def png_pixels(body: bytes) -> np.ndarray:
    with MemoryFile(body) as memory, memory.open() as image:
        return image.read()


def test_the_demo_raster_is_registered_small_and_synthetic():
    raster = sources(get_settings().tile_raster_dir)["nightlight"]
    assert raster.path.is_file()
    assert raster.path.stat().st_size < 2 * 1024 * 1024
    assert "合成" in raster.title and "合成" in raster.attribution


@pytest.mark.parametrize("tms", ["WebMercatorQuad", "CGCS2000Quad", "TianDiTuCGCS2000"])
def test_raster_tile_is_a_png_with_light_and_transparency(tiles, as_role, tms):
    z = 11 if tms == "TianDiTuCGCS2000" else 10
    t = grid(tms).tms.tile(*LIT, z)
    res = as_role("investment").get(f"/tiles/raster/nightlight/{z}/{t.x}/{t.y}.png",
                                    params={"tms": tms})
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == "image/png"
    assert res.content.startswith(b"\x89PNG\r\n\x1a\n")
    bands = png_pixels(res.content)
    assert bands.shape == (4, 256, 256)  # RGBA
    alpha = bands[3]
    assert (alpha == 255).mean() > 0.3  # the district is drawn ...
    assert (alpha == 0).any()  # ... and outside its outline is transparent
    assert bands[0][alpha == 255].std() > 10  # not a flat colour
    again = as_role("viewer").get(f"/tiles/raster/nightlight/{z}/{t.x}/{t.y}.png",
                                  params={"tms": tms}, headers={"If-None-Match": res.headers["etag"]})
    assert again.status_code == 304


def test_raster_tilejson(tiles, as_role):
    doc = as_role("viewer").get("/tiles/raster/nightlight/tilejson.json").json()
    assert doc["tilejson"] == "3.0.0"
    assert doc["tiles"][0].endswith("/tiles/raster/nightlight/{z}/{x}/{y}.png")
    west, south, east, north = doc["bounds"]
    assert west < LIT[0] < east and south < LIT[1] < north


def assert_problem(res, status, fragment=""):
    assert res.status_code == status, res.text
    assert res.headers["content-type"].startswith(PROBLEM)
    body = res.json()
    assert body["status"] == status and body["title"]
    assert fragment in body["detail"], body
    return body


@pytest.mark.parametrize(("path", "params", "status", "fragment"), [
    ("/tiles/parcels/23/0/0.mvt", {}, 404, "缩放级别"),
    ("/tiles/parcels/-1/0/0.mvt", {}, 404, "缩放级别"),
    ("/tiles/parcels/2/4/0.mvt", {}, 404, "x 为 0–3"),
    ("/tiles/parcels/2/0/-1.mvt", {}, 404, "y 为 0–3"),
    ("/tiles/parcels/1/0/99999999999999999999999.mvt", {}, 404, "不存在"),
    ("/tiles/parcels/1/a/0.mvt", {}, 422, ""),
    ("/tiles/parcels/0/1/0.mvt", {"tms": "CGCS2000Quad"}, 200, None),
    ("/tiles/parcels/0/2/0.mvt", {"tms": "CGCS2000Quad"}, 404, "x 为 0–1"),
    ("/tiles/parcels/0/0/0.mvt", {"tms": "TianDiTuCGCS2000"}, 404, "缩放级别"),
    ("/tiles/parcels/1/0/0.mvt", {"tms": "EPSG:9999Quad"}, 422, "未知的瓦片矩阵集"),
    ("/tiles/parcels/tilejson.json", {"tms": "nope"}, 422, "可选"),
    ("/tiles/roads/1/0/0.mvt", {}, 404, "可用: parcels"),
    ("/tiles/roads/tilejson.json", {}, 404, "可用: parcels"),
    ("/tiles/tilematrixsets/nope", {}, 422, "未知的瓦片矩阵集"),
    ("/tiles/raster/nope/1/0/0.png", {}, 404, "未知的栅格图层"),
    ("/tiles/raster/nightlight/3/0/0.png", {}, 404, "不在栅格"),
    ("/tiles/raster/nightlight/30/0/0.png", {}, 404, "缩放级别"),
    ("/tiles/raster/nightlight/tilejson.json", {"tms": "x"}, 422, "未知的瓦片矩阵集"),
])
def test_bad_tile_requests_are_problems_never_500(tiles, as_role, path, params, status, fragment):
    res = as_role("land_editor").get(path, params=params)
    if fragment is None:
        assert res.status_code == status, res.text
    else:
        assert_problem(res, status, fragment)


def test_tiles_need_credentials(tiles, anon):
    assert_problem(anon.get("/tiles/parcels/1/0/0.mvt"), 401)
    assert_problem(anon.get("/tiles/raster/nightlight/1/0/0.png"), 401)
