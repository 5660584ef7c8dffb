"""The local PostGIS bootstrap and the refusal of a server without PostGIS."""

import os
import subprocess
import sys
import uuid

import pytest
from sqlalchemy import text

from landgov import local_postgis
from landgov.db import check_postgis, database_urls, make_engine, with_database
from landgov.errors import SetupError
from landgov.settings import get_settings
from tests.conftest import ScratchDatabase, drop_database


def test_db_up_is_idempotent():
    settings = get_settings()
    if settings.database_url:
        pytest.skip("an external database is configured")
    first = local_postgis.read_state(settings)
    again = local_postgis.up(settings, lambda _msg: None)
    assert again == first  # same port, same credentials: nothing recreated


@pytest.fixture
def database_without_postgis():
    urls = database_urls(get_settings())
    name = f"landgov_nopostgis_{uuid.uuid4().hex[:8]}"
    admin = make_engine(with_database(urls.owner, "postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE template0"))
    admin.dispose()
    db = ScratchDatabase(name, with_database(urls.owner, name), with_database(urls.app, name))
    yield db
    drop_database(db)


def test_server_without_postgis_is_refused_with_a_reason(database_without_postgis):
    with pytest.raises(SetupError, match="PostGIS"):
        check_postgis(make_engine(database_without_postgis.owner_url))


def test_cli_exits_2_with_one_line_for_a_database_without_postgis(database_without_postgis):
    env = {**os.environ, "LANDGOV_DATABASE_URL": database_without_postgis.owner_url}
    proc = subprocess.run([sys.executable, "-m", "landgov", "db", "upgrade"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "PostGIS" in lines[0]


def test_cli_code_validation_exit_codes():
    ok = subprocess.run([sys.executable, "-m", "landgov", "codes", "validate", "91350100M000100Y43"],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0 and "有效" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "landgov", "codes", "validate",
                          "330602004012GQ00037W00000000"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2
    assert bad.stderr.strip().count("\n") == 0 and "宗地特征码" in bad.stderr


def test_unreachable_database_is_a_setup_error():
    engine = make_engine("postgresql+psycopg://nobody:x@127.0.0.1:1/none")
    with pytest.raises(SetupError, match="无法连接"):
        check_postgis(engine)
