"""Importing parcels: encodings, CRSs, GCJ-02, mapping, all-or-nothing, bad input, jobs.

Every fixture file is written here into tmp_path with pyogrio/zipfile, with the traps
Chinese desktop-GIS data carries.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import Point, box, mapping, shape
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from landgov.db import act_as, get_session
from landgov.geo import AREA_SRID, to_storage
from landgov.io.importing import gcj02
from landgov.io.importing.archive import BadImportFile
from landgov.io.importing.mapping import Mapping
from landgov.io.importing.report import ImportRefused
from landgov.io.importing.service import ImportOptions, run_import
from landgov.settings import get_settings
from tests.factories import X0, Y0

ESRI_CGCS2000_GK_120E = (
    'PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",'
    'DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],'
    'UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],'
    'PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],'
    'PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],'
    'PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]')


def gk_box(x: float, y: float, w: float = 100, h: float = 100, prefix: bool = False) -> Any:
    """A rectangle in EPSG:4549 metres from the test district's corner (optionally 4528)."""
    east = X0 + x + (40_000_000 if prefix else 0)
    return box(east, Y0 + y, east + w, Y0 + y + h)


def write_shp(folder: Path, geoms: list[Any], fields: dict[str, list[Any]], *,
              encoding: str = "UTF-8", cpg: bool = True, prj: str | None = None,
              name: str = "parcels") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.shp"
    pyogrio.raw.write(path, shapely.to_wkb(np.array(geoms, dtype=object)),
                      [np.array(v, dtype=object) for v in fields.values()], list(fields),
                      geometry_type="Polygon", encoding=encoding)
    if not cpg:
        path.with_suffix(".cpg").unlink(missing_ok=True)
    if prj is not None:
        path.with_suffix(".prj").write_text(prj)
    return path


def zip_dir(folder: Path, target: Path) -> Path:
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for f in sorted(folder.iterdir()):
            zf.write(f, f.name)
    return target


def do_import(session: Session, path: Path, **options: Any) -> Any:
    session.commit()  # the district becomes the outer state; an import's rollback keeps it
    act_as(session, "test:importer", None)
    mapping = options.pop("mapping", None)
    return run_import(session, path, ImportOptions(**options, mapping=mapping))


def count(session: Session, sql: str, **params: Any) -> int:
    return int(session.execute(text(sql), params).scalar_one())


def live(session: Session) -> int:
    return count(session, "SELECT count(*) FROM parcel WHERE valid_to IS NULL")


# --- encodings -------------------------------------------------------------------------


def test_gbk_without_cpg_is_detected_by_trial(district, tmp_path):
    path = write_shp(tmp_path, [gk_box(100, 100), gk_box(300, 100)],
                     {"宗地名称": ["绍兴黄酒厂地块", "袍江印染二厂"], "用地分类": ["0601", "0601"],
                      "权利类型": ["出让", "划拨"]}, encoding="GBK", cpg=False)
    report = do_import(district, path)
    assert report.encoding == "gbk" and "GBK" in report.encoding_reason
    assert report.created == 2 and report.written
    names = district.execute(text("SELECT name, land_right_type FROM parcel "
                                  "WHERE valid_to IS NULL ORDER BY unit_code")).all()
    assert [tuple(r) for r in names] == [("绍兴黄酒厂地块", "transfer"), ("袍江印染二厂", "allocation")]


def test_dbf_language_byte_names_gbk(district, tmp_path):
    path = write_shp(tmp_path, [gk_box(100, 100)], {"宗地名称": ["越城区测试"]},
                     encoding="GBK", cpg=False)
    dbf = path.with_suffix(".dbf")
    data = bytearray(dbf.read_bytes())
    data[29] = 0x4D
    dbf.write_bytes(bytes(data))
    report = do_import(district, path, dry_run=True)
    assert report.encoding == "gbk" and "0x4D" in report.encoding_reason


def test_utf8_with_cpg(district, tmp_path):
    path = write_shp(tmp_path, [gk_box(100, 100)], {"宗地名称": ["迪荡新城地块"]})
    report = do_import(district, path)
    assert report.encoding == "utf-8" and ".cpg" in report.encoding_reason
    assert count(district, "SELECT count(*) FROM parcel WHERE name = '迪荡新城地块'") == 1


def test_unknown_encoding_is_refused(district, tmp_path):
    path = write_shp(tmp_path, [gk_box(100, 100)], {"名称": ["abc"]}, cpg=False)
    dbf = path.with_suffix(".dbf")
    data = dbf.read_bytes().replace(b"abc", b"\xff\xfe\xff")
    dbf.write_bytes(data)
    with pytest.raises(BadImportFile, match="--encoding"):
        do_import(district, path)


# --- coordinate reference systems ------------------------------------------------------


def test_esri_prj_for_cgcs2000_gk_120e_is_4549(district, tmp_path):
    path = write_shp(tmp_path, [gk_box(100, 100)], {"宗地名称": ["a"]},
                     prj=ESRI_CGCS2000_GK_120E)
    report = do_import(district, path, dry_run=True)
    assert report.crs == "EPSG:4549" and ".prj" in report.crs_reason
    assert "assumed" not in report.crs_reason


def test_zone_prefix_without_prj_is_4528_and_assumed_cgcs2000(district, tmp_path):
    path = write_shp(tmp_path, [gk_box(100, 100, prefix=True)], {"宗地名称": ["a"]})
    path.with_suffix(".prj").unlink(missing_ok=True)
    report = do_import(district, path)
    assert report.crs == "EPSG:4528"
    assert "assumed CGCS2000" in report.crs_reason
    stored = district.execute(text("SELECT ST_AsText(ST_Transform(geom, 4549)) FROM parcel")).scalar()
    assert shapely.from_wkt(stored).symmetric_difference(gk_box(100, 100)).area < 0.01


def test_csv_with_survey_axes_is_swapped(district, tmp_path):
    # Chinese tables: X is the northing, Y the easting; GBK without BOM.
    g = gk_box(100, 100)
    swapped = shapely.transform(g, lambda xy: xy[:, ::-1])
    csv = tmp_path / "宗地.csv"
    csv.write_bytes(f"宗地名称,WKT\n城南地块,\"{swapped.wkt}\"\n".encode("gbk"))
    report = do_import(district, csv)
    assert report.encoding == "gbk" and report.crs == "EPSG:4549"
    assert "交换坐标轴" in report.crs_reason


def test_ambiguous_coordinates_are_refused_with_advice(district, tmp_path):
    csv = tmp_path / "web.csv"
    csv.write_text("name,WKT\nx,\"POLYGON ((13400000 3500000, 13400100 3500000, "
                   "13400100 3500100, 13400000 3500000))\"\n")
    with pytest.raises(BadImportFile, match="--crs"):
        do_import(district, csv)


def test_known_gcj02_pair():
    lon, lat = gcj02.wgs84_to_gcj02(np.array([116.404]), np.array([39.915]))
    assert (round(float(lon[0]), 9), round(float(lat[0]), 9)) == (116.410244499, 39.916404282)
    back = gcj02.gcj02_to_wgs84(lon, lat)
    assert abs(back[0][0] - 116.404) < 1e-9 and abs(back[1][0] - 39.915) < 1e-9
    bd_lon, bd_lat = 116.41036949371029, 39.92133699351021  # gcj02tobd09(116.404, 39.915)
    g = gcj02.bd09_to_gcj02(np.array([bd_lon]), np.array([bd_lat]))
    assert abs(g[0][0] - 116.404) < 2e-6 and abs(g[1][0] - 39.915) < 2e-6


def test_gcj02_geojson_is_converted_to_within_a_centimetre(district, tmp_path):
    truth = to_storage(gk_box(500, 300), AREA_SRID)
    shifted = shapely.transform(truth, lambda xy: np.column_stack(
        gcj02.wgs84_to_gcj02(xy[:, 0], xy[:, 1])))
    path = tmp_path / "gaode.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"宗地名称": "高德地块"}, "geometry": mapping(shifted)}]},
        ensure_ascii=False))
    report = do_import(district, path, convert_from="gcj02")
    assert report.conversion and report.crs == "EPSG:4490"
    hausdorff = district.execute(text(
        "SELECT ST_HausdorffDistance(ST_Transform(geom, 4549), ST_Transform(ST_GeomFromText(:g, 4490), 4549)) "
        "FROM parcel"), {"g": truth.wkt}).scalar()
    assert hausdorff < 0.01


# --- mapping, validation, all-or-nothing, idempotence ------------------------------------


def test_mapping_file_and_area_comparison(district, tmp_path):
    path = write_shp(tmp_path, [gk_box(100, 100), gk_box(300, 100)],
                     {"DKMC": ["甲", "乙"], "YDMJ": ["15.0", "20"]})
    mapfile = tmp_path / "map.yaml"
    mapfile.write_text("columns: {DKMC: name}\ndefaults: {status: producing}\n", "utf-8")
    report = do_import(district, path, mapping=Mapping.load(mapfile))
    assert report.columns == {"DKMC": "name", "YDMJ": "reported_area"}
    warnings = [p for p in report.problems if p.level == "warning"]
    assert [w.row for w in warnings] == [2]  # 100 m x 100 m = 15.00 亩; 20 亩 is off
    assert count(district, "SELECT count(*) FROM parcel WHERE status = 'producing'") == 2


def test_one_bad_row_writes_nothing(district, tmp_path):
    bowtie = shapely.Polygon([(X0 + 500, Y0 + 500), (X0 + 600, Y0 + 600),
                              (X0 + 600, Y0 + 500), (X0 + 500, Y0 + 600)])
    path = write_shp(tmp_path, [gk_box(100, 100), bowtie, gk_box(300, 100)],
                     {"宗地名称": ["a", "b", "c"], "用地分类": ["0601", "0601", "9999"],
                      "宗地代码": ["", "", "330602001001GB00001W0000000X"]})
    before = (live(district), count(district, "SELECT count(*) FROM audit_event"))
    with pytest.raises(ImportRefused) as caught:
        do_import(district, path)
    report = caught.value.report
    rows = {(p.row, p.field) for p in report.problems}
    assert (2, "geometry") in rows and (3, "land_use_code") in rows and (3, "unit_code") in rows
    assert "Self-intersection" in next(p.reason for p in report.problems if p.row == 2)
    assert (live(district), count(district, "SELECT count(*) FROM audit_event")) == before


def test_overlap_with_live_parcels_and_within_file(district, tmp_path):
    do_import(district, write_shp(tmp_path / "a", [gk_box(100, 100)], {"宗地名称": ["old"]}))
    path = write_shp(tmp_path / "b", [gk_box(150, 100), gk_box(700, 100), gk_box(750, 100)],
                     {"宗地名称": ["x", "y", "z"]})
    with pytest.raises(ImportRefused) as caught:
        do_import(district, path)
    reasons = {p.row: p.reason for p in caught.value.report.problems}
    assert "现有宗地" in reasons[1] and "第 2 行" in reasons[3]


def test_reimport_is_idempotent_and_changes_make_versions(district, tmp_path):
    first = do_import(district, write_shp(tmp_path / "a", [gk_box(100, 100), gk_box(300, 100)],
                                          {"宗地名称": ["甲", "乙"]}))
    codes = [first.new_codes[1], first.new_codes[2]]
    again = write_shp(tmp_path / "b", [gk_box(100, 100), gk_box(300, 100)],
                      {"不动产单元代码": codes, "宗地名称": ["甲", "乙"]}, encoding="GBK", cpg=False)
    audits = count(district, "SELECT count(*) FROM audit_event")
    report = do_import(district, again)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert count(district, "SELECT count(*) FROM audit_event") == audits
    changed = write_shp(tmp_path / "c", [gk_box(100, 100), gk_box(300, 100, w=120)],
                        {"不动产单元代码": codes, "宗地名称": ["甲改", "乙"]})
    report = do_import(district, changed)
    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    versions = district.execute(text("SELECT unit_code, version FROM parcel "
                                     "WHERE valid_to IS NULL ORDER BY unit_code")).all()
    assert [v for _, v in versions] == [2, 2]
    assert count(district, "SELECT count(*) FROM parcel WHERE valid_to IS NOT NULL") == 2


def test_dry_run_reports_and_writes_nothing(district, tmp_path):
    path = write_shp(tmp_path, [gk_box(100, 100)], {"宗地名称": ["a"]})
    report = do_import(district, path, dry_run=True)
    assert report.created == 1 and not report.written and live(district) == 0


# --- bad input -------------------------------------------------------------------------


def leftovers() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("landgov-import-*")}


def test_zip_with_climbing_member_is_refused(district, tmp_path):
    target = tmp_path / "evil.zip"
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr("../../evil.shp", b"x")
    before = leftovers()
    with pytest.raises(BadImportFile, match="不安全"):
        do_import(district, target)
    assert leftovers() == before


def test_zip_bomb_is_refused(district, tmp_path):
    target = tmp_path / "bomb.zip"
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("a.geojson", b" " * 50_000_000)
    with pytest.raises(BadImportFile, match="压缩炸弹"):
        do_import(district, target)


def test_missing_dbf_and_missing_shp(district, tmp_path):
    path = write_shp(tmp_path / "s", [gk_box(100, 100)], {"n": ["a"]})
    path.with_suffix(".dbf").unlink()
    with pytest.raises(BadImportFile, match=r"缺少 \.dbf"):
        do_import(district, path)
    folder = tmp_path / "z"
    write_shp(folder, [gk_box(100, 100)], {"n": ["a"]}).unlink()
    with pytest.raises(BadImportFile, match=r"缺少 \.shp"):
        do_import(district, zip_dir(folder, tmp_path / "noshp.zip"))


def test_truncated_shapefile_is_refused(district, tmp_path):
    path = write_shp(tmp_path, [gk_box(100, 100), gk_box(300, 100)], {"n": ["a", "b"]})
    path.write_bytes(path.read_bytes()[:150])
    with pytest.raises(BadImportFile):
        do_import(district, path)
    assert live(district) == 0


def test_mixed_geometry_types_are_refused(district, tmp_path):
    poly = to_storage(gk_box(100, 100), AREA_SRID)
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": mapping(poly)},
        {"type": "Feature", "properties": {}, "geometry": mapping(Point(120.6, 30.0))}]}))
    with pytest.raises(BadImportFile, match="非面几何"):
        do_import(district, path)


def test_oversized_file_is_refused(district, tmp_path, monkeypatch):
    path = write_shp(tmp_path, [gk_box(100, 100)], {"n": ["a"]})
    zipped = zip_dir(tmp_path, tmp_path.parent / "big.zip")
    monkeypatch.setenv("LANDGOV_MAX_IMPORT_BYTES", "100")
    get_settings.cache_clear()
    try:
        with pytest.raises(BadImportFile, match="LANDGOV_MAX_IMPORT_BYTES"):
            do_import(district, zipped)
        with pytest.raises(BadImportFile, match="LANDGOV_MAX_IMPORT_BYTES"):
            do_import(district, path.with_suffix(".dbf").rename(tmp_path / "x.csv"))
    finally:
        monkeypatch.delenv("LANDGOV_MAX_IMPORT_BYTES")
        get_settings.cache_clear()


def test_cli_exits_2_with_one_line_on_bad_input(test_database, tmp_path):
    target = tmp_path / "evil.zip"
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr("/etc/evil.shp", b"x")
    env = {**os.environ, "LANDGOV_DATABASE_URL": test_database.app_url}
    proc = subprocess.run([sys.executable, "-m", "landgov", "import", str(target), "--dry-run"],
                          env=env, capture_output=True, text=True, check=False, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert "不安全" in proc.stderr.strip().splitlines()[-1]


# --- round trip and the upload job -----------------------------------------------------


def test_round_trip_through_our_geojson_api(district, client, tmp_path):
    do_import(district, write_shp(tmp_path / "a", [gk_box(100, 100, 137.3, 91.7),
                                                   gk_box(2300, 400, 250, 300)],
                                  {"宗地名称": ["甲地块", "乙地块"], "权利类型": ["出让", "租赁"],
                                   "用地分类": ["100102", "0601"]}))
    features = client.get("/api/v1/parcels").json()["features"]
    props = [f["properties"] for f in features]
    keep = ("unit_code", "name", "land_use_code", "land_use_vintage", "land_right_type", "status")
    out = tmp_path / "export"
    out.mkdir()
    pyogrio.raw.write(out / "parcels.shp",
                      shapely.to_wkb(np.array([shape(f["geometry"]) for f in features])),
                      [np.array([p[k] for p in props], dtype=object) for k in keep], list(keep),
                      geometry_type="MultiPolygon", crs="EPSG:4490", encoding="GBK")
    report = do_import(district, zip_dir(out, tmp_path / "roundtrip.zip"))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    for f, p in zip(features, props, strict=True):
        row = district.execute(text(
            "SELECT name, land_use_code, land_right_type, area_mu, ST_HausdorffDistance("
            "ST_Transform(geom, 4549), ST_Transform(ST_GeomFromGeoJSON(:g), 4549)) AS d "
            "FROM parcel WHERE unit_code = :c AND valid_to IS NULL"),
            {"g": json.dumps(f["geometry"]), "c": p["unit_code"]}).one()
        assert (row.name, row.land_use_code, row.land_right_type) == (
            p["name"], p["land_use_code"], p["land_right_type"])
        assert row.d < 0.01 and abs(float(row.area_mu) - p["area_mu"]) < 0.01


@pytest.fixture(scope="module")
def job_database() -> Any:
    """A database of this module's own: committed imports leave append-only audit events
    whose codes (restarted after truncation) would show in other tests' histories."""
    from tests.conftest import migrated_database

    with migrated_database("landgov_import") as db:
        yield db


@pytest.fixture
def job_client(job_database: Any) -> Any:
    """A land_editor client whose requests and import jobs commit on real connections."""
    from landgov.app import create_app
    from landgov.auth.service import create_key
    from landgov.db import make_engine
    from landgov.io.importing.router import import_sessions
    from tests.conftest import DATA_TABLES
    from tests.factories import load_test_district

    engine = make_engine(job_database.app_url)
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as s:
        load_test_district(s)
        key = create_key(s, "测试 导入", "land_editor", None)
        s.commit()

    def session() -> Any:
        with factory() as s:
            yield s

    app = create_app()
    app.dependency_overrides[get_session] = session
    app.dependency_overrides[import_sessions] = lambda: factory
    with TestClient(app, headers={"X-API-Key": key}) as c:
        yield c, factory
    engine.dispose()
    owner = make_engine(job_database.owner_url)
    with owner.begin() as conn:
        conn.execute(text(f"TRUNCATE import_job, {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE"))
    owner.dispose()


def wait_for(c: TestClient, location: str) -> dict[str, Any]:
    for _ in range(200):
        job = c.get(location).json()
        if job["state"] in ("succeeded", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(job)


@pytest.mark.commits
def test_upload_job_flow(job_client, tmp_path):
    c, factory = job_client
    write_shp(tmp_path / "ok", [gk_box(100, 100), gk_box(300, 100)],
              {"宗地名称": ["甲", "乙"]}, encoding="GBK", cpg=False)
    with zip_dir(tmp_path / "ok", tmp_path / "ok.zip").open("rb") as f:
        res = c.post("/api/v1/imports", files={"file": ("宗地.zip", f, "application/zip")})
    assert res.status_code == 202, res.text
    job = wait_for(c, res.headers["location"])
    assert job["state"] == "succeeded" and job["progress"] == 1.0, job
    assert job["report"]["created"] == 2 and job["report"]["encoding"] == "gbk"
    with factory() as s:
        actors = s.execute(text("SELECT DISTINCT actor FROM audit_event WHERE entity = 'parcel'")).scalars().all()
    assert len(actors) == 1 and actors[0].startswith("api_key:") and "测试 导入" in actors[0]
    with (tmp_path / "ok.zip").open("rb") as f:  # no codes: the same parcels again overlap
        res = c.post("/api/v1/imports", files={"file": ("宗地.zip", f, "application/zip")})
    job = wait_for(c, res.headers["location"])
    assert job["state"] == "failed" and "重叠" in job["report"]["detail"]
    assert job["report"]["error_count"] == 2 and not job["report"]["written"]


@pytest.mark.commits
def test_upload_job_reports_failure_and_writes_nothing(job_client, tmp_path):
    c, factory = job_client
    bad = tmp_path / "bad.csv"
    bad.write_text("name,WKT\nx,\"POLYGON ((1 1, 2 2, 1 1))\"\n")
    with bad.open("rb") as f:
        res = c.post("/api/v1/imports", files={"file": ("bad.csv", f, "text/csv")},
                     data={"dry_run": "false"})
    job = wait_for(c, res.headers["location"])
    assert job["state"] == "failed" and job["report"]["detail"]
    res = c.post("/api/v1/imports", files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert res.status_code == 422 and res.headers["content-type"].startswith("application/problem")
    with factory() as s:
        assert s.execute(text("SELECT count(*) FROM parcel")).scalar() == 0


@pytest.mark.commits
def test_a_job_whose_worker_died_is_reported_failed(job_client):
    """A worker holds its job's advisory lock; a "running" job nobody holds was interrupted."""
    from landgov.io.importing.jobs import LOCK_CLASS

    c, factory = job_client
    with factory() as s:
        actor = c.get("/api/v1/auth/me").json()
        who = f"{actor['kind']}:{actor['name']}"
        ids = s.execute(text(
            "INSERT INTO import_job (created_by, filename, options, state, progress) VALUES "
            "(:a, 'dead.zip', '{}', 'running', 0.4), (:a, 'alive.zip', '{}', 'running', 0.4), "
            "(:a, 'fresh.zip', '{}', 'queued', 0) RETURNING id"), {"a": who}).scalars().all()
        s.commit()
    dead, alive, fresh = ids
    with factory() as holder:  # a live worker holds alive's lock
        holder.execute(text("SELECT pg_advisory_lock(:c, :id)"), {"c": LOCK_CLASS, "id": alive})
        try:
            gone = c.get(f"/api/v1/imports/{dead}").json()
            assert gone["state"] == "failed" and "中断" in gone["report"]["detail"]
            assert c.get(f"/api/v1/imports/{alive}").json()["state"] == "running"
            assert c.get(f"/api/v1/imports/{fresh}").json()["state"] == "queued"  # within grace
        finally:
            holder.execute(text("SELECT pg_advisory_unlock(:c, :id)"), {"c": LOCK_CLASS, "id": alive})
