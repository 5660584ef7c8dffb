"""Every write path meets the control line at a real COMMIT, in a database of its own.

Here nothing is forced immediate: the constraint triggers fire when each transaction
commits, as in production: raw SQL (refused at COMMIT, after the UPDATE itself went
through), the parcel API, the OGC transaction route, the importer; and 先补后占 across
two transactions, with the area of the line's industrial land as of each moment.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
import pytest
import shapely
from fastapi.testclient import TestClient
from shapely.geometry import box
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from landgov.controlline import service
from landgov.db import act_as, get_session, make_engine, translate_errors
from landgov.errors import InvalidInput
from landgov.scratch import ScratchDatabase
from tests.conftest import district_committed, migrated_database
from tests.controlline.helpers import addition_body, import_line, parcel
from tests.factories import X0, Y0

LEDGER_TABLES = "control_line_offset, control_line_conversion, control_line_addition, control_line"
TO_LOGISTICS = {"land_use_code": "0508", "land_use_vintage": "gbt21010_2017"}


@pytest.fixture(scope="module")
def own_database() -> Iterator[ScratchDatabase]:
    with migrated_database("landgov_controlline") as db:
        yield db


@pytest.fixture
def world(own_database: ScratchDatabase) -> Iterator[dict[str, Any]]:
    """The district, the 1500 亩 line and two industrial parcels inside it, committed."""
    engine, owner = make_engine(own_database.app_url), make_engine(own_database.owner_url)
    factory = sessionmaker(engine, expire_on_commit=False)
    with district_committed(engine, owner):
        with factory() as s:
            import_line(s)
            codes = [parcel(s, 100, 100), parcel(s, 100, 400)]
        yield {"engine": engine, "factory": factory, "codes": codes}
        with owner.begin() as conn:
            conn.execute(text(f"TRUNCATE {LEDGER_TABLES} RESTART IDENTITY CASCADE; "
                              "UPDATE control_line_total SET line_mu = 0"))
    engine.dispose()
    owner.dispose()


@pytest.fixture
def api(world: dict[str, Any]) -> Iterator[TestClient]:
    """A land_editor client whose requests commit on their own connections."""
    from landgov.app import create_app
    from landgov.auth.service import create_key

    factory = world["factory"]

    def session() -> Iterator[Session]:
        with factory() as s, translate_errors():
            yield s

    app = create_app()
    app.dependency_overrides[get_session] = session
    with factory() as s:
        key = create_key(s, "控制线 测试", "land_editor", None)
    with TestClient(app, headers={"X-API-Key": key}) as c:
        yield c


def state(engine: Engine, code: str) -> tuple[str, int]:
    with engine.connect() as conn:
        row = conn.execute(text("SELECT land_use_code, version FROM parcel WHERE unit_code = :c "
                                "AND valid_to IS NULL"), {"c": code}).one()
    return str(row[0]), int(row[1])


def test_raw_sql_update_is_refused_at_commit(world):
    code = world["codes"][0]
    with world["engine"].connect() as conn:
        conn.execute(text("UPDATE parcel SET land_use_code = '0701' WHERE unit_code = :c "
                          "AND valid_to IS NULL"), {"c": code})  # accepted for now…
        with pytest.raises(DBAPIError, match=r"缺少 30\.00 亩") as caught:
            conn.commit()  # …refused at COMMIT
    assert isinstance(translate_error(caught.value), InvalidInput)
    assert state(world["engine"], code) == ("0601", 1)


def translate_error(exc: DBAPIError) -> Any:
    from landgov.db import translate

    return translate(exc)


def test_parcel_patch_is_refused_and_writes_nothing(api, world):
    code = world["codes"][0]
    res = api.patch(f"/api/v1/parcels/{code}", json=TO_LOGISTICS, headers={"If-Match": '"1"'})
    assert res.status_code == 422, res.text
    assert code in res.json()["detail"] and "缺少 30.00 亩" in res.json()["detail"]
    assert state(world["engine"], code) == ("0601", 1)


def test_ogc_patch_is_refused(api, world):
    code = world["codes"][0]
    res = api.patch(f"/ogc/collections/parcels/items/{code}",
                    json={"properties": TO_LOGISTICS},
                    headers={"If-Match": '"1"', "Content-Type": "application/merge-patch+json"})
    assert res.status_code == 422, res.text
    assert "控制线" in res.json()["detail"]
    assert state(world["engine"], code) == ("0601", 1)


def test_parcel_retirement_is_refused(api, world):
    code = world["codes"][1]
    res = api.delete(f"/api/v1/parcels/{code}", headers={"If-Match": '"1"'})
    assert res.status_code == 422, res.text
    assert state(world["engine"], code) == ("0601", 1)


def test_reimport_with_changed_use_is_refused(world, tmp_path: Path):
    from landgov.io.importing.service import ImportOptions, run_import

    code = world["codes"][0]
    path = tmp_path / "parcels.gpkg"
    geom = box(X0 + 100, Y0 + 100, X0 + 300, Y0 + 200)  # the stored parcel, in EPSG:4549
    pyogrio.raw.write(path, shapely.to_wkb(np.array([geom], dtype=object)),
                      [np.array([code], dtype=object), np.array(["0508"], dtype=object),
                       np.array(["gbt21010_2017"], dtype=object)],
                      ["不动产单元代码", "用地分类代码", "分类标准"], geometry_type="Polygon",
                      crs="EPSG:4549")
    with world["factory"]() as s:
        act_as(s, "test:importer", None)
        with pytest.raises(DBAPIError, match=f"宗地 {code} .*缺少 30.00 亩"):
            run_import(s, path, ImportOptions())
    assert state(world["engine"], code) == ("0601", 1)


def test_shrinking_the_line_is_refused_at_commit(world):
    with world["engine"].connect() as conn:
        conn.execute(text("UPDATE control_line SET valid_to = now()"))
        with pytest.raises(DBAPIError, match="总量不得减少"):
            conn.commit()
    with world["factory"]() as s, pytest.raises(DBAPIError, match=r"1500\.00 亩减少到 750\.00 亩"):
        import_line(s, (0, 0, 500, 1000), replace=True)
    with world["factory"]() as s:
        assert service.ledger(s).line_total_mu == 1500.0


def test_first_addition_then_conversion_with_history(api, world):
    """先补后占 in two transactions; the area as of each moment comes from history."""
    code = world["codes"][0]
    before = now(world)
    res = api.post("/api/v1/control-line/additions", json=addition_body(1200, 1200))
    assert res.status_code == 201, res.text
    between = now(world)
    res = api.post("/api/v1/control-line/conversions",
                   json={"unit_code": code, **TO_LOGISTICS, "addition_ids": [res.json()["id"]],
                         "version": 1})
    assert res.status_code == 201, res.text
    assert state(world["engine"], code) == ("0508", 2)
    after = now(world)
    with world["factory"]() as s:
        assert service.area_at(s, before) == (1500.0, 60.0, 2)
        assert service.area_at(s, between) == (1530.0, 60.0, 2)
        assert service.area_at(s, after) == (1530.0, 30.0, 1)
    # the same addition cannot be drawn on again
    res = api.post("/api/v1/control-line/conversions",
                   json={"unit_code": world["codes"][1], **TO_LOGISTICS, "addition_ids": [1]})
    assert res.status_code == 422 and "已用完" in res.json()["detail"]
    assert api.get("/api/v1/control-line/area").json()["industrial_mu"] == 30.0


def now(world: dict[str, Any]) -> datetime:
    with world["engine"].connect() as conn:
        return conn.execute(text("SELECT clock_timestamp()")).scalar_one()  # type: ignore[no-any-return]


def test_cli_import_of_a_shapefile(world, tmp_path: Path):
    path = tmp_path / "line.shp"
    geom = box(X0 + 1000, Y0, X0 + 1500, Y0 + 1000)  # 500 m x 1000 m = 750 亩, EPSG:4549
    pyogrio.raw.write(path, shapely.to_wkb(np.array([geom], dtype=object)),
                      [np.array(["东区"], dtype=object)], ["名称"], geometry_type="Polygon",
                      crs="EPSG:4549")
    with world["factory"]() as s:
        result = service.import_file(s, path)
    assert result.crs == "EPSG:4549" and result.line_total_mu == 2250.0
    path.with_suffix(".prj").unlink()
    with world["factory"]() as s, pytest.raises(InvalidInput, match="坐标参考系"):
        service.import_file(s, path)


def _convert_raw(conn: Any, code: str, addition_id: int) -> None:
    """A conversion of ``code`` drawing its whole area on ``addition_id``, by raw SQL."""
    conv = conn.execute(text("INSERT INTO control_line_conversion (unit_code, parcel_version, "
                             "to_use_code, to_use_vintage, converted_on) VALUES (:c, 1, '0508', "
                             "'gbt21010_2017', current_date) RETURNING id"), {"c": code}).scalar()
    conn.execute(text("INSERT INTO control_line_offset SELECT id, :a, area_mu "
                      "FROM control_line_conversion WHERE id = :c"), {"c": conv, "a": addition_id})
    conn.execute(text("UPDATE parcel SET land_use_code = '0508' WHERE unit_code = :c "
                      "AND valid_to IS NULL"), {"c": code})


def test_two_writers_cannot_both_draw_on_one_addition(api, world):
    """Two connections each draw the same 30 亩 addition: the second waits, then fails."""
    import threading

    add = api.post("/api/v1/control-line/additions", json=addition_body(1200, 1200)).json()
    first, second = world["codes"]
    outcome: dict[str, Any] = {}
    with world["engine"].connect() as a, world["engine"].connect() as b:
        _convert_raw(a, first, add["id"])

        def other() -> None:
            try:
                _convert_raw(b, second, add["id"])  # blocks on the addition's row lock
                b.commit()
                outcome["b"] = "committed"
            except DBAPIError as exc:
                outcome["b"] = str(exc.orig)
                b.rollback()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the first writer
        a.commit()
        thread.join(10)
    assert "已被占用 60.00 亩" in outcome["b"]
    assert state(world["engine"], first) == ("0508", 2)
    assert state(world["engine"], second) == ("0601", 1)


def test_app_role_cannot_lower_the_mark(world):
    with world["engine"].connect() as conn, pytest.raises(DBAPIError, match="permission"):
        conn.execute(text("UPDATE control_line_total SET line_mu = 0"))
