"""Exports read back by pyogrio and by GDAL's own ogrinfo: counts, CRS, Chinese text in
GBK and UTF-8, the 10-byte field names and their dictionary, long text, filters,
permissions and bad input (issue 6, export half)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pyogrio
import pytest
from openpyxl import load_workbook
from sqlalchemy import text

from landgov.errors import InvalidInput
from landgov.evaluation import service as evaluation
from landgov.io.field_names import plan
from landgov.io.options import parse_options
from landgov.parcels.export import PARCEL_FIELDS
from landgov.tables import Field
from tests.evaluation.conftest import YEAR, World
from tests.evaluation.test_evaluate import rules

URL = "/api/v1/exports/parcels"
NOTE = "该宗地位于袍江经开区东侧，" * 20  # 280 characters, 560 bytes in GBK, 840 in UTF-8


@pytest.fixture
def parcels(district):
    """Six parcels over both towns; the first shared by two firms and carrying a long note."""
    w = World(district)
    codes = [w.parcel(400) for _ in range(6)]
    w.firm(land=[(codes[0], 0.6)])
    w.firm(land=[(codes[0], 0.4), (codes[1], 1)])
    district.execute(text("UPDATE parcel SET note = :n, name = '越城工业地块一', "
                          "right_start_date = '2010-05-01' WHERE unit_code = :c "
                          "AND valid_to IS NULL"), {"n": NOTE, "c": codes[0]})
    district.execute(text("UPDATE parcel SET status = 'idle' WHERE unit_code = :c "
                          "AND valid_to IS NULL"), {"c": codes[5]})
    return codes


def unzip(content: bytes, into: Path) -> Path:
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        zf.extractall(into)
    return into / "parcels.shp"


def ogrinfo(path: Path, *args: str) -> str:
    """``ogrinfo -ro [options] PATH [layer]``: a trailing bare word is the layer name."""
    opts, layer = (args[:-1], [args[-1]]) if args and not args[-1].startswith("-") else (args, [])
    res = subprocess.run(["ogrinfo", "-ro", *opts, str(path), *layer], capture_output=True,
                         check=True)
    return res.stdout.decode("utf-8")


def read(path: Path, **kw):
    meta, _fids, geoms, data = pyogrio.raw.read(path, **kw)
    return meta, geoms, dict(zip(meta["fields"], data, strict=True))


def leftover() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("landgov-export-*")}


def test_shapefile_gbk_by_default_reads_back_everywhere(parcels, client, tmp_path):
    res = client.get(URL)
    assert res.status_code == 200, res.text
    assert res.headers["content-type"] == "application/zip"
    names = set(zipfile.ZipFile(io.BytesIO(res.content)).namelist())
    assert names == {f"parcels.{s}" for s in ("shp", "shx", "dbf", "prj", "cpg")} | {"字段说明.csv"}
    shp = unzip(res.content, tmp_path)
    assert (tmp_path / "parcels.cpg").read_text() == "GBK"
    meta, geoms, data = read(shp)
    assert meta["crs"] == "EPSG:4490" and len(geoms) == 6
    assert all(len(n.encode("gbk")) <= 10 for n in meta["fields"])
    first = list(data["单元码"]).index(parcels[0])
    assert data["企业名1"][first] == "测试企业1、测试企业2"
    assert data["镇街"][first] == "塔山街道"
    assert data["起始日"][first] == "2010-05-01"  # dates as text
    assert data["两低高"][first] in ("是", "否", None)
    assert data["面积亩"][first] == pytest.approx(60, abs=0.01)
    info = ogrinfo(shp, "-so", "parcels")
    assert 'ID["EPSG",4490]' in info and "Feature Count: 6" in info
    assert "测试企业1、测试企业2" in ogrinfo(shp, "-al", "-q")


def test_shapefile_utf8_in_gauss_kruger(parcels, client, tmp_path):
    res = client.get(URL, params={"encoding": "utf-8", "crs": "EPSG:4549"})
    shp = unzip(res.content, tmp_path)
    assert (tmp_path / "parcels.cpg").read_text() == "UTF-8"
    meta, geoms, data = read(shp)
    assert meta["crs"] == "EPSG:4549" and len(geoms) == 6
    assert all(len(n.encode("utf-8")) <= 10 for n in meta["fields"])
    assert 'ID["EPSG",4549]' in ogrinfo(shp, "-so", "parcels")
    assert meta["fields"][:3].tolist() == ["单元码", "面积亩", "镇街码"]
    assert "测试企业2" in set(data["企业名1"])
    xmin, ymin, _xmax, _ymax = pyogrio.read_info(shp)["total_bounds"]
    assert 560_000 <= xmin < 564_000 and 3_320_000 <= ymin < 3_322_000  # metres, not degrees


def test_long_text_is_split_over_numbered_fields_never_cut(parcels, client, tmp_path):
    shp = unzip(client.get(URL).content, tmp_path)
    _meta, _g, data = read(shp)
    first = list(data["单元码"]).index(parcels[0])
    pieces = [data[f"备注{i}"][first] or "" for i in range(1, 5)]
    assert all(len(p.encode("gbk")) <= 254 for p in pieces)
    assert "".join(pieces) == NOTE and pieces[2]  # 560 bytes: three fields


def test_text_too_long_for_any_split_is_refused_and_nothing_left(parcels, client, district):
    before = leftover()
    district.execute(text("UPDATE parcel SET note = :n WHERE unit_code = :c AND valid_to IS NULL"),
                     {"n": "长" * 600, "c": parcels[1]})
    res = client.get(URL)
    assert res.status_code == 422
    assert res.headers["content-type"].startswith("application/problem+json")
    assert "备注" in res.json()["detail"] and parcels[1] in res.json()["detail"]
    assert "gpkg" in res.json()["detail"]
    assert leftover() == before
    assert client.get(URL, params={"format": "gpkg"}).status_code == 200  # full text kept


def test_field_dictionary_beside_the_shapefile(parcels, client):
    zf = zipfile.ZipFile(io.BytesIO(client.get(URL).content))
    rows = list(csv.reader(zf.read("字段说明.csv").decode("utf-8-sig").splitlines()))
    assert rows[0] == ["字段名", "完整名称", "含义"]
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["单元码"][1] == "不动产单元代码"
    assert by_name["信用码1"][1] == "用地企业统一社会信用代码 (第 1 段)"
    assert "EPSG:4549" in by_name["面积亩"][2]


def test_field_name_rule_is_stable_and_unique():
    gbk = [c.name for c in plan(PARCEL_FIELDS, "GBK")]
    assert gbk == [c.name for c in plan(PARCEL_FIELDS, "UTF-8")]  # shorts fit both
    assert len({n.upper() for n in gbk}) == len(gbk)
    long_names = (Field("a", "统一社会信用代码", ""), Field("b", "统一社会信用代码甲", ""))
    assert [c.name for c in plan(long_names, "GBK")] == ["统一社会信", "统一社会2"]
    assert [c.name for c in plan(long_names, "UTF-8")] == ["统一社", "统一社2"]


def test_geopackage_keeps_full_names_and_types(parcels, client, tmp_path):
    res = client.get(URL, params={"format": "gpkg", "crs": "EPSG:4549"})
    path = tmp_path / "p.gpkg"
    path.write_bytes(res.content)
    info = pyogrio.read_info(path, layer="parcels")
    assert info["crs"] == "EPSG:4549" and info["features"] == 6
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    assert types["用地企业统一社会信用代码"] == "OFTString"
    assert types["权利起始日期"] == "OFTDate" and types["宗地面积(亩)"] == "OFTReal"
    assert types["版本号"] in ("OFTInteger", "OFTInteger64")
    _meta, _g, data = read(path)
    first = list(data["不动产单元代码"]).index(parcels[0])
    assert data["备注"][first] == NOTE
    out = ogrinfo(path, "-so", "parcels")
    assert 'ID["EPSG",4549]' in out and "Feature Count: 6" in out


def test_geojson_is_rfc7946(parcels, client, tmp_path):
    res = client.get(URL, params={"format": "geojson"})
    body = json.loads(res.content)
    assert body["type"] == "FeatureCollection" and "crs" not in body
    assert len(body["features"]) == 6
    props = {f["properties"]["不动产单元代码"]: f["properties"] for f in body["features"]}
    assert props[parcels[0]]["用地企业名称"] == "测试企业1、测试企业2"
    lon, lat = body["features"][0]["geometry"]["coordinates"][0][0][0]
    assert 120 < lon < 121 and 29 < lat < 31
    path = tmp_path / "p.geojson"
    path.write_bytes(res.content)
    assert "Feature Count: 6" in ogrinfo(path, "-so", "parcels")
    assert pyogrio.read_info(path)["crs"] in ("EPSG:4326", "OGC:CRS84")  # no crs member
    refused = client.get(URL, params={"format": "geojson", "crs": "EPSG:4549"})
    assert refused.status_code == 422 and "RFC 7946" in refused.json()["detail"]


def test_csv_and_xlsx_of_parcels(parcels, client):
    res = client.get(URL, params={"format": "csv"})
    assert res.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(res.content.decode("utf-8-sig").splitlines()))
    assert rows[0][:2] == ["不动产单元代码", "宗地面积(亩)"] and rows[0][-1] == "WKT"
    assert len(rows) == 7 and rows[1][-1].startswith("MULTIPOLYGON")
    ws = load_workbook(io.BytesIO(client.get(URL, params={"format": "xlsx"}).content)).active
    assert ws["A1"].value == "宗地" and ws["A3"].value == "不动产单元代码"


def test_filters_town_status_bbox(parcels, client):
    def count(**params):
        res = client.get(URL, params={"format": "geojson", **params})
        assert res.status_code == 200, res.text
        return len(json.loads(res.content)["features"])

    assert count(town="330602001") + count(town="330602002") == 6
    assert 0 < count(town="330602002") < 6
    assert count(status="idle") == 1
    assert count(bbox="0,0,1,1") == 0
    assert client.get(URL, params={"status": "sold"}).status_code == 422


def test_permissions(parcels, as_role):
    assert as_role("planner").get(URL, params={"format": "csv"}).status_code == 200
    for role in ("viewer", "investment"):
        res = as_role(role).get(URL)
        assert res.status_code == 403 and "exports:read" in res.json()["detail"]
    res = as_role("town_officer").get(URL, params={"format": "geojson", "town": "330602002"})
    towns = {f["properties"]["镇街代码"] for f in json.loads(res.content)["features"]}
    assert towns == {"330602001"}  # scoped to its own town whatever it asks


@pytest.mark.parametrize(("params", "field"), [
    ({"format": "pdf"}, "format"), ({"crs": "EPSG:3857"}, "crs"),
    ({"encoding": "big5"}, "encoding"), ({"bbox": "1,2,3"}, "bbox")])
def test_bad_input_is_a_problem(parcels, client, params, field):
    before = leftover()
    res = client.get(URL, params=params)
    assert res.status_code == 422
    assert res.headers["content-type"].startswith("application/problem+json")
    assert any(field in e["field"] for e in res.json()["errors"])
    assert leftover() == before


def test_options_refuse_unknowns():
    with pytest.raises(InvalidInput, match="big5"):
        parse_options("shp", "EPSG:4490", "big5")


@pytest.fixture
def evaluated(parcels, district):
    evaluation.evaluate(district, YEAR, rules(), "test")
    return parcels


def test_baseline_list_as_shapefile_has_parcel_geometry(evaluated, as_role, tmp_path):
    res = as_role("planner").get("/api/v1/exports/baseline_list",
                                 params={"year": YEAR, "format": "shp", "encoding": "utf-8"})
    assert res.status_code == 200, res.text
    with zipfile.ZipFile(io.BytesIO(res.content)) as zf:
        zf.extractall(tmp_path)
    meta, geoms, data = read(tmp_path / "baseline_list.shp")
    assert len(geoms) == 7  # six parcels, the shared one twice
    assert meta["crs"] == "EPSG:4490" and all(g is not None for g in geoms)
    assert "测试企业1" in set(data["企业名"])
    assert "Feature Count: 7" in ogrinfo(tmp_path / "baseline_list.shp", "-so", "baseline_list")


def test_governance_list_is_tabular_only(evaluated, as_role):
    res = as_role("planner").get("/api/v1/exports/governance_list",
                                 params={"year": YEAR, "format": "gpkg"})
    assert res.status_code == 422 and "xlsx" in res.json()["detail"]


def test_cli_refuses_bad_input_with_exit_code_2():
    res = subprocess.run([".venv/bin/landgov", "export", "parcels", "--format", "pdf",
                          "--out", "/tmp/x.zip"], capture_output=True, text=True)
    assert res.returncode == 2 and "pdf" in res.stderr


REIMPORT_MAPPING = """columns:
  单元码: unit_code
  宗地名: name
  地类码: land_use_code
  地类版: land_use_vintage
  权利类: land_right_type
  起始日: right_start_date
  终止日: right_end_date
  状态码: status
  状态: null
"""


def test_our_shapefile_zip_imports_back_unchanged(parcels, client, district, tmp_path):
    """The zip as downloaded (with 字段说明.csv beside the parts) is one dataset; mapped
    back by its abbreviated names it matches every parcel and writes nothing."""
    from landgov.db import act_as
    from landgov.io.importing.mapping import Mapping
    from landgov.io.importing.service import ImportOptions, run_import

    res = client.get(URL, params={"encoding": "gbk"})
    archive = tmp_path / "导出.zip"
    archive.write_bytes(res.content)
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(REIMPORT_MAPPING, encoding="utf-8")
    district.commit()
    act_as(district, "test:importer", None)
    report = run_import(district, archive, ImportOptions(mapping=Mapping.load(mapping)))
    assert report.rows == 6 and report.format == "shapefile" and report.encoding == "gbk"
    assert report.created == 0 and report.updated == 0 and report.error_count == 0
