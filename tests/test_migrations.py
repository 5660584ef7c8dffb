"""Migrations: one head, and a full round trip on a populated database of its own."""

from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov import schema
from landgov.db import make_engine
from landgov.parcels.schemas import ParcelCreate
from landgov.parcels.service import create_parcel
from tests.conftest import create_database, drop_database
from tests.factories import geojson, load_test_district, metres_box


def test_single_head():
    heads = ScriptDirectory.from_config(schema.alembic_config()).get_heads()
    assert len(heads) == 1


def test_upgrade_downgrade_upgrade_on_populated_database():
    db = create_database("landgov_migr")
    try:
        schema.upgrade(db.owner_url)
        engine = make_engine(db.app_url)
        with Session(engine) as s:
            load_test_district(s)
            s.commit()
            create_parcel(s, ParcelCreate(geometry=geojson(metres_box(100, 100, 100, 100))))
        engine.dispose()
        schema.downgrade(db.owner_url, "base")
        owner = make_engine(db.owner_url)
        with owner.connect() as conn:
            tables = conn.execute(text(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
                "AND tablename NOT IN ('spatial_ref_sys', 'alembic_version')")).scalar()
            assert tables == 0
        schema.upgrade(db.owner_url)
        with owner.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM parcel")).scalar() == 0
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        owner.dispose()
    finally:
        drop_database(db)
