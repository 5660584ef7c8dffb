"""DXF drawings (closed polylines and hatches, CRS by option) and multi-layer GeoPackages.

The DXF fixtures are written by hand as ASCII DXF (AC1015, GBK code page), the way
CAD programs save survey drawings: LWPOLYLINE, R12-style POLYLINE/VERTEX/SEQEND, a
HATCH with a polyline boundary, plus the clutter every drawing has (an open polyline,
a LINE, a TEXT label).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyogrio.raw
import pytest
import shapely
from sqlalchemy import text

from landgov.io.importing.archive import BadImportFile
from landgov.io.importing.report import ImportRefused
from tests.factories import X0, Y0
from tests.io.test_imports import do_import, gk_box, live

Points = list[tuple[float, float]]


def _box(x: float, y: float, w: float = 100, h: float = 100) -> Points:
    return [(X0 + x, Y0 + y), (X0 + x + w, Y0 + y), (X0 + x + w, Y0 + y + h), (X0 + x, Y0 + y + h)]


def lwpolyline(layer: str, pts: Points, closed: bool = True) -> list[str]:
    out = ["0", "LWPOLYLINE", "100", "AcDbEntity", "8", layer, "100", "AcDbPolyline",
           "90", str(len(pts)), "70", "1" if closed else "0"]
    for x, y in pts:
        out += ["10", f"{x}", "20", f"{y}"]
    return out


def polyline(layer: str, pts: Points) -> list[str]:
    out = ["0", "POLYLINE", "8", layer, "66", "1", "10", "0", "20", "0", "30", "0", "70", "1"]
    for x, y in pts:
        out += ["0", "VERTEX", "8", layer, "10", f"{x}", "20", f"{y}", "30", "0"]
    return [*out, "0", "SEQEND", "8", layer]


def hatch(layer: str, pts: Points) -> list[str]:
    out = ["0", "HATCH", "100", "AcDbEntity", "8", layer, "100", "AcDbHatch", "10", "0", "20",
           "0", "30", "0", "210", "0", "220", "0", "230", "1", "2", "SOLID", "70", "1", "71",
           "0", "91", "1", "92", "2", "72", "0", "73", "1", "93", str(len(pts))]
    for x, y in pts:
        out += ["10", f"{x}", "20", f"{y}"]
    return [*out, "97", "0", "75", "0", "76", "1", "98", "0"]


def clutter(layer: str) -> list[str]:
    line = ["0", "LINE", "8", layer, "10", f"{X0}", "20", f"{Y0}", "30", "0",
            "11", f"{X0 + 50}", "21", f"{Y0 + 50}", "31", "0"]
    label = ["0", "TEXT", "8", "注记", "10", f"{X0 + 10}", "20", f"{Y0 + 10}", "30", "0",
             "40", "2", "1", "宗地一"]
    return [*lwpolyline(layer, _box(700, 700), closed=False), *line, *label]


def write_dxf(path: Path, entities: list[str]) -> Path:
    body = ["0", "SECTION", "2", "HEADER", "9", "$ACADVER", "1", "AC1015", "9", "$DWGCODEPAGE",
            "3", "ANSI_936", "0", "ENDSEC", "0", "SECTION", "2", "ENTITIES", *entities,
            "0", "ENDSEC", "0", "EOF"]
    path.write_text("\n".join(body) + "\n", encoding="gbk")
    return path


def survey_drawing(tmp_path: Path) -> Path:
    """Three parcels on CAD layer 宗地 (one of them hatched over its own outline), a
    building outline on 建筑, and clutter."""
    return write_dxf(tmp_path / "宗地图.dxf", [
        *lwpolyline("宗地", _box(100, 100)),
        *hatch("宗地", _box(100, 100)),  # the same outline again: kept once
        *polyline("宗地", _box(300, 100)),
        *hatch("宗地", _box(500, 100, 200, 100)),
        *lwpolyline("建筑", _box(120, 120, 20, 20)),
        *clutter("道路"),
    ])


def test_dxf_closed_polylines_and_hatches_become_parcels(district, tmp_path):
    before = live(district)
    report = do_import(district, survey_drawing(tmp_path), crs="EPSG:4549", layer="宗地")
    assert report.written and report.created == 3 and report.format == "dxf"
    assert report.crs == "EPSG:4549"
    note = next(n for n in report.notes if n.startswith("DXF"))
    assert "3 个闭合多段线/填充" in note and "1 个重复轮廓" in note
    assert live(district) == before + 3
    # 100 m × 100 m = 15 亩; 200 m × 100 m = 30 亩
    new = district.execute(text(
        "SELECT round(area_mu::numeric, 2) FROM parcel WHERE valid_to IS NULL "
        "AND valid_from = now() ORDER BY area_mu")).scalars().all()
    assert [float(a) for a in new] == [15.0, 15.0, 30.0]


def test_dxf_without_layer_takes_every_layers_outlines(district, tmp_path):
    before = live(district)
    with pytest.raises(ImportRefused) as refused:  # the 建筑 outline lies inside parcel 1
        do_import(district, survey_drawing(tmp_path), crs="EPSG:4549")
    report = refused.value.report
    assert report.rows == 4  # 3 parcels + the building; clutter and the repeat skipped
    assert any("重叠" in p.reason for p in report.problems)
    assert live(district) == before


def test_dxf_needs_a_crs(district, tmp_path):
    before = live(district)
    with pytest.raises(BadImportFile, match="--crs"):
        do_import(district, survey_drawing(tmp_path))
    assert live(district) == before


def test_dxf_unknown_cad_layer_is_refused_listing_the_layers(district, tmp_path):
    with pytest.raises(BadImportFile, match="宗地") as refused:
        do_import(district, survey_drawing(tmp_path), crs="EPSG:4549", layer="界址")
    assert "建筑" in str(refused.value)


def test_dxf_without_closed_outlines_is_refused(district, tmp_path):
    path = write_dxf(tmp_path / "lines.dxf", clutter("道路"))
    before = live(district)
    with pytest.raises(BadImportFile, match="没有闭合多段线"):
        do_import(district, path, crs="EPSG:4549")
    assert live(district) == before


def write_gpkg(path: Path, layer: str, geoms: list, names: list[str], kind: str = "Polygon",
               append: bool = False) -> None:
    pyogrio.raw.write(path, shapely.to_wkb(np.array(geoms, dtype=object)),
                      [np.array(names, dtype=object)], ["宗地名称"], layer=layer, driver="GPKG",
                      geometry_type=kind, crs="EPSG:4549", append=append)


@pytest.fixture
def two_layers(tmp_path: Path) -> Path:
    path = tmp_path / "两个图层.gpkg"
    write_gpkg(path, "现状宗地", [gk_box(100, 100)], ["甲"])
    write_gpkg(path, "规划宗地", [gk_box(300, 100), gk_box(500, 100)], ["乙", "丙"], append=True)
    write_gpkg(path, "界址点", [shapely.Point(X0, Y0)], ["点"], kind="Point", append=True)
    return path


def test_gpkg_with_several_polygon_layers_is_refused_listing_them(district, two_layers):
    before = live(district)
    with pytest.raises(BadImportFile, match="--layer") as refused:
        do_import(district, two_layers)
    message = str(refused.value)
    assert "现状宗地" in message and "规划宗地" in message and "界址点" in message
    assert live(district) == before


def test_gpkg_layer_option_picks_the_layer(district, two_layers):
    report = do_import(district, two_layers, layer="规划宗地")
    assert report.written and report.created == 2
    names = district.execute(text("SELECT name FROM parcel WHERE valid_to IS NULL "
                                  "AND name IN ('甲', '乙', '丙') ORDER BY name")).scalars().all()
    assert sorted(names) == ["丙", "乙"]


def test_gpkg_unknown_layer_and_layer_on_a_shapefile_are_refused(district, two_layers, tmp_path):
    with pytest.raises(BadImportFile, match="没有图层"):
        do_import(district, two_layers, layer="不存在")
    geojson = tmp_path / "one.geojson"
    geojson.write_text('{"type": "FeatureCollection", "features": []}', encoding="utf-8")
    with pytest.raises(BadImportFile, match="只适用于 GeoPackage 和 DXF"):
        do_import(district, geojson, layer="a")


def test_parcels_crossing_the_county_frame_are_reported(district, tmp_path):
    """40 m × 100 m of the first lies outside the county (box 0–4000 m): a warning with
    the default policy; the second ends exactly on the frame: nothing."""
    path = tmp_path / "边界.gpkg"
    write_gpkg(path, "宗地", [gk_box(3900, 500, 140, 100), gk_box(3800, 700, 200, 100)],
               ["越界", "贴边"])
    report = do_import(district, path)
    outside = [p for p in report.problems if p.reason == "宗地超出区县边界"]
    assert [(p.row, p.level) for p in outside] == [(1, "warning")]
    assert report.written and report.created == 2
