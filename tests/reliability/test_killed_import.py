"""An import killed half-way leaves nothing behind: the bulk load (`landgov demo load`,
the only bulk writer so far) runs in one transaction, so SIGKILL mid-COPY rolls it back."""

import os
import signal
import subprocess
import sys
import time

from sqlalchemy import text

from landgov import schema, scratch
from landgov.db import make_engine
from tests.reliability.conftest import wait_until

TABLES = ("county", "town", "platform", "cadastral_subdistrict", "land_unit", "parcel",
          "enterprise", "occupancy", "indicator", "audit_event")


def test_sigkill_during_load_writes_nothing():
    db = scratch.create("landgov_kill")
    try:
        schema.upgrade(db.owner_url)
        engine = make_engine(db.owner_url)
        with engine.connect() as conn:  # the migrations' own seeds (audited catalogues)
            before = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}
        env = {**os.environ, "LANDGOV_DATABASE_URL": db.app_url}
        proc = subprocess.Popen([sys.executable, "-m", "landgov", "demo", "load", "--parcels", "60000"],
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def writing() -> bool:
            with engine.connect() as conn:
                return bool(conn.execute(text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = :d AND state = 'active' "
                    "AND query ~* '^(COPY|INSERT)'"), {"d": db.name}).scalar())

        wait_until(writing, 60, proc)
        time.sleep(0.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        # the server notices the dead client and rolls its transaction back
        wait_until(lambda: not writing(), 30)
        with engine.connect() as conn:
            counts = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in TABLES}
        engine.dispose()
        assert counts == before
    finally:
        scratch.drop(db)
