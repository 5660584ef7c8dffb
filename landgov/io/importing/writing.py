"""The database half of an import: COPY into a temp table, check and write set-based.

Rows are staged with COPY (as ``demo/loader.py`` does), the checks only the database can
make run as one statement over all rows (``sql/problems.sql``), and the writes are one
UPDATE for changed parcels and one INSERT … SELECT that issues codes for new ones
(parcels/sql/issue_bulk.sql, shared with the demo loader). The parcel and audit
triggers keep history and the audit trail exactly as for an edit through
``parcels/service.py``; nothing here commits.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any

import numpy as np
import shapely
from psycopg import Cursor
from sqlalchemy.orm import Session

from landgov.coding.unit_code import LAND_ONLY
from landgov.io.importing.report import ImportReport
from landgov.io.importing.rows import Staged
from landgov.parcels.queries import EDITABLE, bulk_issue_statement
from landgov.parcels.service import OVERLAP_TOLERANCE_SQM
from landgov.settings import get_settings

COLUMNS = ("k", "unit_code", "geom", *EDITABLE)
MOVED_METRES = 0.01  # a geometry within 1 cm of the stored one is the same geometry
FEATURE = "GB"  # 宗地特征码 of new parcels: state-owned construction land (DOMAIN.md)


@cache
def sql(name: str) -> str:
    """A statement from ``io/importing/sql``."""
    return files("landgov.io.importing").joinpath("sql", name).read_text(encoding="utf-8")


def cursor(session: Session) -> Cursor[Any]:
    """A psycopg cursor in the session's own transaction (COPY needs psycopg's API)."""
    raw: Any = session.connection().connection.driver_connection
    cur: Cursor[Any] = raw.cursor()
    return cur


def stage(session: Session, staged: Staged) -> None:
    """COPY every row (geometry as hex EWKB; refused geometries as NULL), then place them.

    ``sql/place.sql`` builds ``import_row`` with each new parcel's 地籍子区 and indexes it.
    """
    cur = cursor(session)
    cur.execute(sql("stage.sql"))
    wkb = shapely.to_wkb(staged.geometries, hex=True, include_srid=True)  # SRID set by rows
    values = staged.values
    columns = [[row.get(c) for row in values] for c in ("unit_code", *EDITABLE)]
    with cur.copy(f"COPY import_raw ({', '.join(COLUMNS)}) FROM STDIN") as copy:
        for row in zip(range(1, len(values) + 1), columns[0], wkb, *columns[1:], strict=True):
            copy.write_row(row)
    for statement in sql("place.sql").split(";\n\n"):
        cur.execute(statement)


def check(session: Session, staged: Staged, report: ImportReport) -> None:
    """Match rows to live parcels, then add the database's row problems to the report."""
    cur = cursor(session)
    for statement in sql("match.sql").split(";\n\n"):
        cur.execute(statement.replace(":moved_m", "%(moved_m)s"), {"moved_m": MOVED_METRES})
    level = "error" if get_settings().district_area_policy == "refuse" else "warning"
    cur.execute(sql("problems.sql").replace(":tol", "%(tol)s")
                .replace(":outside_level", "%(level)s"),
                {"tol": OVERLAP_TOLERANCE_SQM, "level": level})
    for k, field_name, reason, row_level in cur.fetchall():
        report.add(int(k), field_name, reason, row_level)
    _mark_changed(cur, staged)
    cur.execute("SELECT count(*) FILTER (WHERE unit_code IS NULL), "
                "count(*) FILTER (WHERE current_id IS NOT NULL AND changed), "
                "count(*) FILTER (WHERE current_id IS NOT NULL AND NOT changed) FROM import_row")
    counts = cur.fetchone()
    assert counts is not None
    report.created, report.updated, report.unchanged = (int(c) for c in counts)


def _updated_columns(staged: Staged) -> list[str]:
    # Only the attributes the file carries are compared and written; names come from
    # parcels.queries.EDITABLE, never from the file.
    return [c for c in EDITABLE if c in staged.present]


def _mark_changed(cur: Cursor[Any], staged: Staged) -> None:
    differs = [f"p.{c} IS DISTINCT FROM s.{c}" for c in _updated_columns(staged)]
    cur.execute("UPDATE import_row s SET changed = s.moved"
                + "".join(f" OR {d}" for d in differs)
                + " FROM parcel p WHERE p.id = s.current_id")


def apply(session: Session, staged: Staged, report: ImportReport) -> None:
    """Write: one UPDATE for changed parcels (a new version each), one INSERT for new ones."""
    cur = cursor(session)
    sets = [f"{c} = s.{c}" for c in _updated_columns(staged)]
    sets.append("geom = CASE WHEN s.moved THEN s.geom ELSE p.geom END")
    cur.execute(f"UPDATE parcel p SET {', '.join(sets)} FROM import_row s "
                "WHERE p.id = s.current_id AND s.changed AND p.valid_to IS NULL")
    if report.created:
        cur.execute("SELECT id FROM cadastral_subdistrict WHERE id IN "
                    "(SELECT subdistrict_id FROM import_row WHERE unit_code IS NULL) "
                    "ORDER BY id FOR UPDATE")
        cur.execute(bulk_issue_statement("import_row", "import_code", "s.unit_code IS NULL"),
                    {"feature": FEATURE, "fixture": LAND_ONLY})
        cur.execute("SELECT k, unit_code FROM import_code ORDER BY k LIMIT 1000")
        report.new_codes = {int(k): str(code) for k, code in cur.fetchall()}


def with_geometries(staged: Staged, geoms: np.ndarray[Any, Any]) -> Staged:
    """``staged`` with its storage geometries set."""
    return Staged(geoms, staged.values, staged.present)
