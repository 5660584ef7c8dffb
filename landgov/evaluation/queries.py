"""Evaluation statements: persist a run, read results, diff a what-if. Never commits."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from landgov.evaluation.scoring_sql import Statement

RESULT_COLUMNS = ("enterprise_id, grp, land_mu, status, quality, inputs, \"values\", scores, "
                  "total, group_rank, group_size, share_above, class, flags, two_low_two_high")


def year_has_data(session: Session, year: int) -> bool:
    """Whether any enterprise reported indicators for ``year``."""
    found = session.execute(text("SELECT 1 FROM indicator WHERE year = :y LIMIT 1"), {"y": year})
    return found.first() is not None


def inputs_checksum(session: Session, year: int) -> str:
    """MD5 over everything an evaluation of ``year`` reads, in a fixed order."""
    return str(session.execute(text("""
        SELECT md5(string_agg(t, '|' ORDER BY k, t)) FROM (
            SELECT 1 AS k, i::text AS t FROM indicator i WHERE i.year = :y
            UNION ALL SELECT 2, concat_ws('/', o.enterprise_id, o.unit_code, o.share, o.tenure)
                FROM occupancy o WHERE o.end_date IS NULL
            UNION ALL SELECT 3, concat_ws('/', p.unit_code, p.area_mu)
                FROM parcel p WHERE p.valid_to IS NULL
            UNION ALL SELECT 4, concat_ws('/', e.id, e.uscc, e.industry_code, e.production_start_on)
                FROM enterprise e
        ) inputs
    """), {"y": year}).scalar_one())


def insert_run(session: Session, *, year: int, rule_ref: str, rule_checksum: str,
               rules: dict[str, Any], value_keys: list[str], inputs: str, actor: str) -> int:
    """A run row (counts filled in after its results)."""
    return int(session.execute(text("""
        INSERT INTO evaluation_run (year, rule_ref, rule_checksum, rules, value_keys,
                                    inputs_checksum, created_by, enterprise_count, scored_count)
        VALUES (:y, :ref, :sum, CAST(:rules AS jsonb), :keys, :inputs, :actor, 0, 0)
        RETURNING id
    """), {"y": year, "ref": rule_ref, "sum": rule_checksum, "rules": json.dumps(rules),
           "keys": value_keys, "inputs": inputs, "actor": actor}).scalar_one())


def insert_results(session: Session, run_id: int, statement: Statement) -> tuple[int, int]:
    """Evaluate and store every enterprise's result in one statement; return the counts."""
    session.execute(
        text(f"INSERT INTO evaluation_result (run_id, {RESULT_COLUMNS}) "
             f"SELECT :run_id, {RESULT_COLUMNS} FROM ({statement.sql}) q"),
        {**statement.params, "run_id": run_id},
    )
    counts = session.execute(text("""
        UPDATE evaluation_run r SET enterprise_count = c.n, scored_count = c.scored
        FROM (SELECT count(*) AS n, count(*) FILTER (WHERE status = 'scored') AS scored
              FROM evaluation_result WHERE run_id = :run_id) c
        WHERE r.id = :run_id RETURNING r.enterprise_count, r.scored_count
    """), {"run_id": run_id}).one()
    return int(counts.enterprise_count), int(counts.scored_count)


def run_row(session: Session, run_id: int) -> Row[Any] | None:
    """A run's metadata."""
    return session.execute(text("SELECT * FROM evaluation_run WHERE id = :id"),
                           {"id": run_id}).first()


def runs(session: Session, year: int | None) -> list[Row[Any]]:
    """Runs, newest first."""
    return list(session.execute(text(
        "SELECT id, year, rule_ref, inputs_checksum, created_at, created_by, enterprise_count, "
        "scored_count FROM evaluation_run WHERE CAST(:y AS int) IS NULL OR year = :y "
        "ORDER BY id DESC LIMIT 200"), {"y": year}).all())


def latest_run_id(session: Session, year: int) -> int | None:
    """The most recent run for ``year``."""
    found = session.execute(text("SELECT max(id) FROM evaluation_run WHERE year = :y"), {"y": year})
    value = found.scalar()
    return int(value) if value is not None else None


def latest_run_id_any(session: Session) -> int | None:
    """The most recent run of any year."""
    value = session.execute(text("SELECT max(id) FROM evaluation_run")).scalar()
    return int(value) if value is not None else None


def summary(session: Session, run_id: int) -> list[Row[Any]]:
    """Counts and land per status and class, and of 两低两高 firms."""
    return list(session.execute(text("""
        SELECT status, class, two_low_two_high, count(*) AS firms, sum(land_mu) AS land_mu
        FROM evaluation_result WHERE run_id = :run
        GROUP BY status, class, two_low_two_high ORDER BY status, class, two_low_two_high
    """), {"run": run_id}).all())


def result_for(session: Session, run_id: int, uscc: str) -> Row[Any] | None:
    """One enterprise's stored result, with its identity."""
    return session.execute(text(f"""
        SELECT e.uscc, e.name, e.industry_code, e.production_start_on, {RESULT_COLUMNS}
        FROM evaluation_result r JOIN enterprise e ON e.id = r.enterprise_id
        WHERE r.run_id = :run AND e.uscc = :uscc
    """), {"run": run_id, "uscc": uscc}).first()


def diff(session: Session, run_id: int, statement: Statement) -> list[Row[Any]]:
    """Enterprises whose class or 两低两高 standing differs between a run and a what-if."""
    return list(session.execute(text(f"""
        SELECT e.uscc, e.name, s.class AS class_before, w.class AS class_after,
               s.two_low_two_high AS tlth_before, w.two_low_two_high AS tlth_after,
               s.status AS status_before, w.status AS status_after,
               COALESCE(w.land_mu, s.land_mu) AS land_mu
        FROM (SELECT * FROM evaluation_result WHERE run_id = :run) s
        FULL JOIN ({statement.sql}) w ON w.enterprise_id = s.enterprise_id
        JOIN enterprise e ON e.id = COALESCE(s.enterprise_id, w.enterprise_id)
        WHERE (s.class IS DISTINCT FROM w.class
               OR s.two_low_two_high IS DISTINCT FROM w.two_low_two_high
               OR s.status IS DISTINCT FROM w.status)
        ORDER BY e.uscc
    """), {**statement.params, "run": run_id}).all())


def enterprises(session: Session, *, run_id: int | None, town: str | None, klass: str | None,
                flag: str | None, limit: int, offset: int) -> tuple[list[Row[Any]], int]:
    """Enterprises with their main town and their result in ``run_id``, filtered, paged."""
    params = {"run": run_id, "town": town, "class": klass, "flag": flag, "limit": limit,
              "offset": offset}
    body = """
        FROM enterprise e
        LEFT JOIN LATERAL (
            SELECT t.code AS town_code, t.name AS town_name, sum(p.area_mu * o.share) AS land_mu
            FROM occupancy o
            JOIN parcel p ON p.unit_code = o.unit_code AND p.valid_to IS NULL
            LEFT JOIN town t ON t.id = p.town_id
            WHERE o.enterprise_id = e.id AND o.end_date IS NULL
            GROUP BY t.code, t.name ORDER BY land_mu DESC LIMIT 1
        ) home ON true
        LEFT JOIN evaluation_result r ON r.enterprise_id = e.id AND r.run_id = :run
        WHERE (CAST(:town AS text) IS NULL OR home.town_code = :town)
          AND (CAST(:class AS text) IS NULL OR r.class = :class)
          AND (CAST(:flag AS text) IS NULL
               OR (:flag = 'two_low_two_high' AND r.two_low_two_high)
               OR COALESCE((r.flags -> CAST(:flag AS text) ->> 'fired')::boolean, false))
    """
    rows = list(session.execute(text(
        "SELECT e.uscc, e.name, e.industry_code, e.industry_name, e.chain, e.chain_link, "
        "e.founded_on, e.production_start_on, home.town_code, home.town_name, "
        "r.status AS evaluation_status, r.class, r.two_low_two_high, r.land_mu " + body +
        " ORDER BY e.uscc LIMIT :limit OFFSET :offset"), params).all())
    total = session.execute(text("SELECT count(*) " + body), params).scalar_one()
    return rows, int(total)
