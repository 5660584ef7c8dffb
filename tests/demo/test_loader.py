"""Loading the demo into PostGIS: codes, towns, counters, contiguity, idempotence.

Runs in the rolled-back ``db`` session (app role) of a fresh test database: the loader
writes on the session's own connection, so nothing outlives the test.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from psycopg import errors as pg_errors
from sqlalchemy import text

from landgov.coding.unit_code import validate_unit_code
from landgov.demo import loader
from landgov.demo.dataset import generate
from landgov.demo.loader import has_parcels, load
from landgov.demo.rows import Table
from landgov.errors import Conflict, InvalidInput, SetupError

LOW_EFFICIENCY_CLUSTERS = """
WITH land AS (
    SELECT o.enterprise_id, sum(o.share * p.area_mu) AS mu
    FROM occupancy o JOIN parcel p ON p.unit_code = o.unit_code AND p.valid_to IS NULL
    GROUP BY o.enterprise_id
), firm AS (
    SELECT i.enterprise_id, i.tax_wan / l.mu AS tax_per_mu, i.revenue_wan / l.mu AS rev_per_mu
    FROM indicator i JOIN land l USING (enterprise_id)
    WHERE i.year = 2025
), low AS (  -- parcels used only by firms with low tax and output per 亩
    SELECT p.geom, p.area_mu FROM parcel p
    WHERE p.valid_to IS NULL
      AND EXISTS (SELECT 1 FROM occupancy o WHERE o.unit_code = p.unit_code)
      AND NOT EXISTS (
          SELECT 1 FROM occupancy o LEFT JOIN firm f USING (enterprise_id)
          WHERE o.unit_code = p.unit_code
            AND NOT coalesce(f.tax_per_mu < 5 AND f.rev_per_mu < 150, false))
), clustered AS (
    SELECT area_mu,
           ST_ClusterDBSCAN(ST_Transform(geom, 4549), eps := 30, minpoints := 1) OVER () AS c
    FROM low
)
SELECT sum(area_mu) AS mu FROM clustered GROUP BY c HAVING sum(area_mu) >= 100
"""


def scalar(db, sql: str) -> object:
    return db.execute(text(sql)).scalar()


@pytest.fixture
def loaded(db):
    data = generate(42, 1_500)
    result = load(db.connection(), data)
    return db, data, result


def test_load_writes_every_table(loaded):
    db, data, result = loaded
    assert result.loaded
    expected = {"county": 1, "town": 17, "platform": 4, "parcel": 1_500,
                "enterprise": data.use.n_firms, "occupancy": len(data.use.occ_firm),
                "indicator": len(data.indicators.firm),
                "cadastral_subdistrict": len(data.district.frame.subdistricts.geoms)}
    assert result.counts == expected
    for table, n in expected.items():
        assert scalar(db, f"SELECT count(*) FROM {table}") == n, table
    assert scalar(db, "SELECT count(*) FROM land_unit") == 1_500
    assert scalar(db, "SELECT count(*) FROM parcel WHERE valid_to IS NULL AND version = 1") == 1_500


def test_codes_validate_and_follow_the_sub_district(loaded):
    db, _, _ = loaded
    rows = db.execute(text(
        "SELECT l.unit_code, s.county_code || s.district || s.subdistrict "
        "FROM land_unit l JOIN cadastral_subdistrict s ON s.id = l.subdistrict_id")).all()
    assert all(validate_unit_code(code) == [] for code, _ in rows)
    assert all(code.startswith(prefix + "GB") and code.endswith("W00000000")
               for code, prefix in rows)
    assert {code[:6] for code, _ in rows} == {"330602"}


def test_every_parcel_got_its_town_and_sub_district_agrees(loaded):
    db, _, _ = loaded
    assert scalar(db, "SELECT count(*) FROM parcel WHERE town_id IS NULL") == 0
    assert scalar(db, """
        SELECT count(*) FROM parcel p JOIN town t ON t.id = p.town_id
        WHERE substr(p.unit_code, 1, 9) <> t.county_code || t.cadastral_district""") == 0
    assert scalar(db, "SELECT min(area_mu) FROM parcel") >= 3.0
    assert scalar(db, "SELECT max(area_mu) FROM parcel") <= 300.0


def test_sequences_match_the_sub_district_counters(loaded):
    db, _, _ = loaded
    assert scalar(db, """
        SELECT count(*) FROM cadastral_subdistrict s
        LEFT JOIN (SELECT subdistrict_id, count(*) AS n,
                          max(substr(unit_code, 15, 5)::int) AS top,
                          min(substr(unit_code, 15, 5)::int) AS bottom
                   FROM land_unit GROUP BY subdistrict_id) l ON l.subdistrict_id = s.id
        WHERE s.last_sequence <> coalesce(l.top, 0)
           OR coalesce(l.n, 0) <> s.last_sequence
           OR coalesce(l.bottom, 1) <> 1""") == 0
    assert scalar(db, "SELECT sum(last_sequence) FROM cadastral_subdistrict") == 1_500


def test_contiguous_low_efficiency_land_over_100_mu(loaded):
    db, _, _ = loaded
    sizes = db.execute(text(LOW_EFFICIENCY_CLUSTERS)).scalars().all()
    assert len(sizes) >= 5, sizes


def test_occupancy_shares_and_platform_membership(loaded):
    db, _, _ = loaded
    assert scalar(db, "SELECT max(s) FROM (SELECT sum(share) AS s FROM occupancy "
                      "GROUP BY unit_code) x") <= 1
    assert scalar(db, """
        SELECT count(DISTINCT p.id) FROM parcel p JOIN platform f
        ON ST_Intersects(f.geom, ST_PointOnSurface(p.geom)) WHERE f.name = '滨海新区'""") > 300


def test_second_load_writes_nothing(loaded):
    db, data, _ = loaded
    assert has_parcels(db.connection())
    again = load(db.connection(), data)
    assert not again.loaded
    assert scalar(db, "SELECT count(*) FROM parcel") == 1_500
    assert scalar(db, "SELECT count(*) FROM enterprise") == data.use.n_firms


def test_replace_needs_the_owner_role(loaded):
    db, data, _ = loaded
    with pytest.raises(SetupError, match="属主"):
        load(db.connection(), data, replace=True)


def test_synthetic_counties_load_with_their_own_codes(db):
    data = generate(42, 7_001)
    load(db.connection(), data)
    assert db.execute(text("SELECT code, name FROM county ORDER BY code")).all() == [
        ("330602", "越城区"), ("339001", "合成县01")]
    assert scalar(db, "SELECT count(*) FROM town WHERE county_code = '339001'") == 17
    assert scalar(db, "SELECT count(*) FROM parcel WHERE unit_code LIKE '339001%'") == 3_500
    assert scalar(db, """
        SELECT count(*) FROM parcel p JOIN town t ON t.id = p.town_id
        WHERE t.county_code <> substr(p.unit_code, 1, 6)""") == 0
    assert scalar(db, "SELECT count(*) FROM platform WHERE code LIKE '%-339001'") == 4


@pytest.mark.parametrize("count", ["0", "-1", "2000001"])
def test_cli_refuses_bad_counts_with_exit_code_2(count):
    proc = subprocess.run(
        [sys.executable, "-c", "from landgov.cli import main; main()", "demo", "load",
         "--parcels", count], capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "宗地数量" in proc.stderr


def test_regions_without_parcels_are_left_alone(db):
    db.execute(text("INSERT INTO county (code, name, geom) VALUES ('330602', '越城区', "
                    "ST_GeomFromText('MULTIPOLYGON(((120.5 30, 120.6 30, 120.6 30.1, "
                    "120.5 30)))', 4490))"))
    with pytest.raises(Conflict, match="--replace"):
        load(db.connection(), generate(42, 50))


def test_a_failure_leaves_nothing_behind(engine, owner_engine, monkeypatch):
    real = loader.indicator_table

    def broken(data):
        table = real(data)
        first = (table.rows[0][0], 1800, *table.rows[0][2:])  # year outside 1990–2100
        return Table(table.name, table.columns, [first, *table.rows[1:]])

    monkeypatch.setattr(loader, "indicator_table", broken)
    tables = ("county", "town", "cadastral_subdistrict", "parcel", "land_unit", "enterprise",
              "occupancy", "indicator")
    try:
        with pytest.raises(pg_errors.CheckViolation), engine.begin() as conn:
            load(conn, generate(42, 1_500))
        with engine.connect() as conn:
            for table in tables:
                assert conn.execute(text(f"SELECT count(*) FROM {table}")).scalar() == 0, table
    finally:
        with owner_engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {', '.join(loader.DATA_TABLES)} "
                              "RESTART IDENTITY CASCADE"))


def test_negative_seed_is_refused():
    with pytest.raises(InvalidInput, match="种子"):
        generate(-1, 100)


def test_the_evaluation_meets_every_situation_on_demo_data(loaded):
    from landgov.evaluation.service import evaluate

    db, _, _ = loaded
    summary = evaluate(db, 2025, None, "tests/demo")
    assert set(summary["by_class"]) == set("ABCD")
    statuses = summary["by_status"]
    assert {"scored", "exempt_new", "below_min_land", "data_quality"} <= set(statuses)
    assert statuses["data_quality"] < 0.05 * summary["enterprise_count"], statuses
    assert summary["two_low_two_high"]["firms"] > 0
