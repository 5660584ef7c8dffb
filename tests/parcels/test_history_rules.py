"""History, retirement and code rules are enforced by the database itself, so a raw
SQL write cannot escape them."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from landgov.parcels import queries
from tests.factories import metres_box, multi

SQUARE = f"SRID=4490;{multi(metres_box(100, 100, 200, 200)).wkt}"


def new_parcel(db, wkt=SQUARE):
    sub = queries.subdistrict_at(db, SQUARE)
    code = queries.issue_code(db, sub.id, "GB", "W00000000")
    queries.insert_parcel(db, code, wkt, {k: None for k in queries.EDITABLE} | {
        "land_use_code": "0601", "land_use_vintage": "gbt21010_2017", "status": "producing"})
    return code


def versions(db, code):
    return db.execute(text("SELECT version, valid_to IS NULL AS current, name FROM parcel "
                           "WHERE unit_code = :c ORDER BY version"), {"c": code}).all()


def test_raw_sql_update_is_versioned_by_the_database(district):
    code = new_parcel(district)
    district.execute(text("UPDATE parcel SET name = '改名' WHERE unit_code = :c AND valid_to IS NULL"),
                     {"c": code})
    district.execute(text("UPDATE parcel SET status = 'idle' WHERE unit_code = :c AND valid_to IS NULL"),
                     {"c": code})
    rows = versions(district, code)
    assert [(r.version, r.current, r.name) for r in rows] == [
        (1, False, None), (2, False, "改名"), (3, True, "改名")]


def test_area_is_computed_by_the_database_not_the_client(district):
    code = new_parcel(district)
    area = district.execute(text("SELECT area_mu FROM parcel WHERE unit_code = :c"), {"c": code}).scalar()
    assert area == pytest.approx(60.0, abs=1e-6)
    with pytest.raises(DBAPIError):
        with district.begin_nested():
            district.execute(text("UPDATE parcel SET area_mu = 1 WHERE unit_code = :c"), {"c": code})


@pytest.mark.parametrize("statement", [
    "UPDATE parcel SET name = 'x' WHERE unit_code = :c AND valid_to IS NOT NULL",
    "DELETE FROM parcel WHERE unit_code = :c",
    "DELETE FROM land_unit WHERE unit_code = :c",
    "UPDATE land_unit SET unit_code = '330602001001GB09999W00000000' WHERE unit_code = :c",
])
def test_history_and_codes_cannot_be_rewritten(district, statement):
    code = new_parcel(district)
    district.execute(text("UPDATE parcel SET name = 'v2' WHERE unit_code = :c AND valid_to IS NULL"),
                     {"c": code})
    with pytest.raises(DBAPIError) as exc:
        with district.begin_nested():
            district.execute(text(statement), {"c": code})
    assert "不可" in str(exc.value.orig)


def test_history_rows_cannot_be_inserted_directly(district):
    code = new_parcel(district)
    with pytest.raises(DBAPIError, match="历史记录由数据库生成"):
        with district.begin_nested():
            district.execute(text(
                "INSERT INTO parcel (unit_code, geom, land_use_code, land_use_vintage, status, valid_to) "
                "SELECT unit_code, geom, land_use_code, land_use_vintage, status, now() FROM parcel "
                "WHERE unit_code = :c"), {"c": code})


def test_retired_code_cannot_be_used_again(district):
    code = new_parcel(district)
    district.execute(text("UPDATE parcel SET valid_to = now() WHERE unit_code = :c AND valid_to IS NULL"),
                     {"c": code})
    assert district.execute(text("SELECT retired_at IS NOT NULL FROM land_unit WHERE unit_code = :c"),
                            {"c": code}).scalar()
    with pytest.raises(DBAPIError, match="已注销"):
        with district.begin_nested():
            queries.insert_parcel(district, code, SQUARE, {k: None for k in queries.EDITABLE} | {
                "land_use_code": "0601", "land_use_vintage": "gbt21010_2017", "status": "idle"})


def test_invalid_geometry_is_refused_by_the_database(district):
    x0, y0, x1, y1 = metres_box(100, 100, 200, 200).bounds
    bowtie = f"SRID=4490;MULTIPOLYGON((({x0} {y0},{x1} {y1},{x1} {y0},{x0} {y1},{x0} {y0})))"
    with pytest.raises(DBAPIError, match="parcel_geom_valid"):
        with district.begin_nested():
            new_parcel(district, bowtie)


def test_sequence_exhaustion_is_refused(district):
    district.execute(text("UPDATE cadastral_subdistrict SET last_sequence = 99999 WHERE district = '001' "
                          "AND subdistrict = '001'"))
    with pytest.raises(DBAPIError, match="sequence_exhausted"):
        with district.begin_nested():
            new_parcel(district)
