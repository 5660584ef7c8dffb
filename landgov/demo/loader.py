"""Writing the demo data: COPY into staging, then a few set-based statements.

Everything happens on the caller's connection and inside the caller's transaction
(the CLI commits; tests roll back), so a failure at any point leaves nothing behind.
Regions are copied straight into their tables; parcels are copied into a staging
table and registered by one INSERT … SELECT that places each in its 地籍子区, issues
its 不动产单元代码 and advances the sub-district counters (parcels/sql/issue_bulk.sql);
firms, occupancy and figures follow the same way. No statement runs per parcel.

A second load finds the parcels and writes nothing, so ``make run`` can always call
``landgov demo load``. ``replace`` empties the data tables first, which needs the
owner role (TRUNCATE); it happens in the same transaction as the new load.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from typing import Any, Protocol

from psycopg import Cursor
from psycopg import errors as pg_errors
from sqlalchemy import Connection

from landgov.coding.unit_code import LAND_ONLY
from landgov.demo.dataset import DemoData
from landgov.demo.rows import (
    Table,
    chunks,
    firm_table,
    indicator_table,
    occupancy_table,
    parcel_table,
    region_tables,
)
from landgov.errors import Conflict, SetupError
from landgov.parcels.queries import bulk_issue_statement

DATA_TABLES = ("indicator", "occupancy", "enterprise", "parcel_lineage", "parcel",
               "land_unit", "cadastral_subdistrict", "platform", "town", "county")
LOCK = "SELECT pg_advisory_xact_lock(hashtext('landgov.demo.load'))"
# Who the audit trail names for these writes (transaction-local, like the app's own).
ACTOR = "SELECT set_config('landgov.actor', 'landgov demo load', true)"
CHUNK = 5_000
STAGE_NAMES = {
    "county": "区县", "town": "镇街", "platform": "平台", "cadastral_subdistrict": "地籍子区",
    "demo_parcel": "宗地", "demo_firm": "企业", "demo_occupancy": "用地关系",
    "demo_indicator": "年度指标",
}


class Progress(Protocol):
    """Where a load reports its stages (the CLI shows them as Rich progress bars)."""

    def stage(self, description: str, total: int) -> Callable[[int], None]:
        """Start a stage of ``total`` steps; the returned function advances it."""
        ...


class Silent:
    """A :class:`Progress` that reports nothing (tests, scripts)."""

    def stage(self, description: str, total: int) -> Callable[[int], None]:
        """Ignore the stage."""
        return lambda _steps: None


@dataclass(frozen=True)
class LoadResult:
    """Whether anything was written, and how many rows went into each table."""

    loaded: bool
    counts: dict[str, int] = field(default_factory=dict)


def sql(name: str) -> str:
    """A statement from ``landgov/demo/sql``."""
    return files("landgov.demo").joinpath("sql", name).read_text(encoding="utf-8")


def has_parcels(conn: Connection) -> bool:
    """Whether any parcel is registered (the demo, or real data, is already loaded)."""
    cur = _cursor(conn)
    cur.execute("SELECT EXISTS (SELECT 1 FROM parcel)")
    row = cur.fetchone()
    return bool(row and row[0])


def load(conn: Connection, data: DemoData, *, replace: bool = False,
         progress: Progress | None = None) -> LoadResult:
    """Write ``data`` on ``conn`` (the caller owns the transaction)."""
    report = progress or Silent()
    cur = _cursor(conn)
    cur.execute(LOCK)
    cur.execute(ACTOR)
    if replace:
        _truncate(cur)
    elif has_parcels(conn):
        return LoadResult(loaded=False)
    else:
        _refuse_orphan_regions(cur, data)
    counts = {t.name: _copy(cur, t, report) for t in region_tables(data.district)}
    cur.execute(sql("stage.sql"))
    counts["parcel"] = _register_parcels(cur, data, report)
    counts.update(_register_firms(cur, data, report))
    return LoadResult(loaded=True, counts=counts)


def _cursor(conn: Connection) -> Cursor[Any]:
    """A psycopg cursor on the SQLAlchemy connection's own DBAPI connection.

    Same connection, same transaction: COPY needs psycopg's own API.
    """
    raw: Any = conn.connection.driver_connection
    cursor: Cursor[Any] = raw.cursor()
    return cursor


def _truncate(cur: Cursor[Any]) -> None:
    try:
        cur.execute(f"TRUNCATE {', '.join(DATA_TABLES)} RESTART IDENTITY CASCADE")
    except pg_errors.InsufficientPrivilege as exc:
        raise SetupError("--replace 需要数据库属主角色 (TRUNCATE 权限): "
                         + str(exc).splitlines()[0]) from exc


def _refuse_orphan_regions(cur: Cursor[Any], data: DemoData) -> None:
    """Regions without parcels mean someone else's data: never write beside it."""
    codes = [c.code for c in data.district.counties]
    cur.execute("SELECT code FROM county WHERE code = ANY(%s) ORDER BY code LIMIT 1", (codes,))
    row = cur.fetchone()
    if row:
        raise Conflict(f"区县 {row[0]} 的区划数据已存在但没有宗地; 使用 --replace 重新生成")


def _copy(cur: Cursor[Any], table: Table, report: Progress) -> int:
    """Stream ``table`` with COPY, advancing its progress bar per chunk."""
    advance = report.stage(f"写入{STAGE_NAMES.get(table.name, table.name)}", len(table.rows))
    with cur.copy(table.copy_sql()) as copy:
        for part in chunks(table.rows, CHUNK):
            for row in part:
                copy.write_row(row)
            advance(len(part))
    return len(table.rows)


def _register_parcels(cur: Cursor[Any], data: DemoData, report: Progress) -> int:
    """Stage the parcels, then issue codes and register them in one statement."""
    staged = _copy(cur, parcel_table(data), report)
    cur.execute("ANALYZE demo_parcel")
    advance = report.stage("赋码登记宗地", 1)
    cur.execute(sql("issue_parcels.sql"))
    cur.execute("SELECT id FROM cadastral_subdistrict ORDER BY id FOR UPDATE")
    cur.execute(bulk_issue_statement("demo_parcel", "demo_code",
                                     "s.subdistrict_id IS NOT NULL"),
                {"feature": "GB", "fixture": LAND_ONLY})
    advance(1)
    cur.execute("SELECT count(*) FROM demo_code")
    row = cur.fetchone()
    issued = int(row[0]) if row else 0
    if issued != staged:
        raise RuntimeError(f"{staged - issued} 宗演示宗地不在任何地籍子区内 (生成器错误)")
    return issued


def _register_firms(cur: Cursor[Any], data: DemoData, report: Progress) -> dict[str, int]:
    """Enterprises, then occupancy and yearly figures keyed by the new ids."""
    counts = {"enterprise": _copy(cur, firm_table(data), report)}
    cur.execute("ANALYZE demo_firm")
    _run(cur, "insert_enterprises.sql", "登记企业", report)
    counts["occupancy"] = _copy(cur, occupancy_table(data), report)
    _run(cur, "insert_occupancy.sql", "登记用地关系", report)
    counts["indicator"] = _copy(cur, indicator_table(data), report)
    _run(cur, "insert_indicators.sql", "登记年度指标", report)
    return counts


def _run(cur: Cursor[Any], name: str, description: str, report: Progress) -> None:
    """One set-based statement from ``sql/``, shown as a one-step stage."""
    advance = report.stage(description, 1)
    cur.execute(sql(name))
    advance(1)
