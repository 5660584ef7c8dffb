"""A client nobody here wrote: GDAL's OAPIF driver (``ogrinfo``) against a real server.

The server is ``landgov serve`` on a database of this module's own (see conftest); parcels are created through the
OGC transactions over HTTP, firms by SQL. The API key goes in ``GDAL_HTTP_HEADERS`` as
DESIGN's Rulings prescribe for desktop clients. (QGIS cannot run here; it uses the same
landing page, collections and items documents; see docs/ogc.md.)
"""

import os
import re
import shutil
import subprocess

import httpx
import pytest
from sqlalchemy.orm import Session

from landgov.auth.service import create_key
from tests.factories import geojson, metres_box
from tests.ogc.conftest import add_firm
from tests.reliability.conftest import live_server

OGRINFO = shutil.which("ogrinfo")
pytestmark = [
    pytest.mark.commits,
    pytest.mark.skipif(OGRINFO is None and not os.environ.get("CI"),
                       reason="gdal-bin not installed (`make system`); required when CI is set"),
]
PARCELS = 12  # more than GDAL's page of 10, so it must follow the next links


def ogrinfo(key, *args):
    config = ["--config", "GDAL_HTTP_HEADERS", f"X-API-Key: {key}"] if key else []
    env = {**os.environ, "CPL_DEBUG": "ON", "GDAL_HTTP_TIMEOUT": "30"}
    return subprocess.run([OGRINFO or "ogrinfo", *config, "-ro", *args], capture_output=True,
                          text=True, timeout=120, env=env, check=False)


def test_ogrinfo_lists_and_reads_the_collections(own_committing, own_database):
    with Session(own_committing) as s:
        key = create_key(s, "GDAL 测试", "land_editor")
    with live_server(own_database.app_url) as base:
        codes = []
        for i in range(PARCELS):
            res = httpx.post(f"{base}/ogc/collections/parcels/items", timeout=30,
                             headers={"X-API-Key": key, "Content-Type": "application/geo+json"},
                             json={"type": "Feature",
                                   "geometry": geojson(metres_box(100 + 150 * i, 100, 100, 100)),
                                   "properties": {"status": "producing" if i % 2 else "idle"}})
            assert res.status_code == 201, res.text
            codes.append(res.json()["unit_codes"][0])
        with Session(own_committing) as s:
            add_firm(s, 1, "越城化工有限公司", "新材料", [(codes[0], 1.0)])
            add_firm(s, 2, "绍兴芯片有限公司", "集成电路", [(codes[1], 0.5)])
            s.commit()
        root = f"OAPIF:{base}/ogc"

        listing = ogrinfo(key, root)
        assert listing.returncode == 0, listing.stderr
        assert re.search(r"^1: parcels .*\(Multi Polygon\)$", listing.stdout, re.M), listing.stdout
        assert re.search(r"^2: enterprises", listing.stdout, re.M), listing.stdout

        summary = ogrinfo(key, "-al", "-so", root, "parcels")
        assert summary.returncode == 0, summary.stderr
        out = summary.stdout
        assert f"Feature Count: {PARCELS}" in out, out
        for field in ("unit_code: String", "area_mu: Real", "town_name: String",
                      "status: String", "version: Integer", "valid_from: DateTime"):
            assert field in out, out
        assert "Extent: (120.6" in out, out

        everything = ogrinfo(key, "-al", "-q", root, "parcels")
        assert everything.returncode == 0, everything.stderr
        assert everything.stdout.count("OGRFeature(parcels)") == PARCELS  # followed next links
        assert all(code in everything.stdout for code in codes)

        filtered = ogrinfo(key, "-al", "-q", "-where", "status = 'producing'", root, "parcels")
        assert filtered.stdout.count("OGRFeature(parcels)") == PARCELS // 2
        assert "status=producing" in filtered.stderr  # sent to the server (CPL_DEBUG trace)

        firms = ogrinfo(key, "-al", "-so", root, "enterprises")
        assert firms.returncode == 0, firms.stderr
        assert "Feature Count: 2" in firms.stdout and "uscc: String" in firms.stdout
        assert "land_mu: Real" in firms.stdout

        refused = ogrinfo(None, root)
        assert refused.returncode != 0
        assert "401" in refused.stderr or "未登录" in refused.stderr
