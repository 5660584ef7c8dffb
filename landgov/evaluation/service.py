"""Evaluation use cases: run and persist, what-if without persisting, explain.

A run is validated before anything executes (rule set parsed, year has data), then
evaluated and stored in one statement inside one transaction, so it is all or nothing.
The same inputs and rule set give the same results: ranks break no ties arbitrarily
(tied firms share a rank and therefore a class).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from landgov.errors import FieldError, InvalidInput, NotFound
from landgov.evaluation import explain, indicator_upload, queries
from landgov.evaluation.indicator_upload import UploadReport
from landgov.evaluation.rules import RuleSet, load_rule_set, parse_rule_set
from landgov.evaluation.scoring_sql import INPUT_KEYS, evaluation_statement, value_keys


def _require_year(session: Session, year: int) -> None:
    if not queries.year_has_data(session, year):
        raise InvalidInput(f"{year} 年没有任何企业指标数据, 无法评价",
                           [FieldError("year", "no indicator data")])


def evaluate(session: Session, year: int, rules: RuleSet | None, actor: str) -> dict[str, Any]:
    """Evaluate every enterprise for ``year`` and keep the run; return its summary."""
    rules = rules or load_rule_set()
    _require_year(session, year)
    run_id = queries.insert_run(
        session, year=year, rule_ref=rules.ref, rule_checksum=rules.checksum,
        rules=rules.model_dump(mode="json"), value_keys=value_keys(rules),
        inputs=queries.inputs_checksum(session, year),
        actor=actor)
    queries.insert_results(session, run_id, evaluation_statement(rules, year))
    session.commit()
    return run_summary(session, run_id)


def run_summary(session: Session, run_id: int) -> dict[str, Any]:
    """A run's metadata with counts by status and class and the 两低两高 total."""
    run = queries.run_row(session, run_id)
    if run is None:
        raise NotFound(f"评价批次 {run_id} 不存在")
    by_status: dict[str, int] = {}
    by_class: dict[str, int] = {}
    tlth_firms, tlth_land = 0, 0.0
    for row in queries.summary(session, run_id):
        m = row._mapping
        by_status[m["status"]] = by_status.get(m["status"], 0) + m["firms"]
        if m["class"] is not None:
            by_class[m["class"]] = by_class.get(m["class"], 0) + m["firms"]
        if m["two_low_two_high"]:
            tlth_firms += m["firms"]
            tlth_land += float(m["land_mu"])
    return {"id": run.id, "year": run.year, "rule_ref": run.rule_ref,
            "rule_checksum": run.rule_checksum, "inputs_checksum": run.inputs_checksum,
            "created_at": run.created_at, "created_by": run.created_by,
            "enterprise_count": run.enterprise_count, "scored_count": run.scored_count,
            "by_status": by_status, "by_class": dict(sorted(by_class.items())),
            "two_low_two_high": {"firms": tlth_firms, "land_mu": round(tlth_land, 2)}}


def deep_merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    """``base`` with ``changes`` applied recursively (a what-if edits a few numbers).

    >>> deep_merge({"a": {"b": 1, "c": 2}}, {"a": {"c": 3}})
    {'a': {'b': 1, 'c': 3}}
    """
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def what_if(session: Session, year: int, against: int, base: str | None,
            changes: dict[str, Any]) -> dict[str, Any]:
    """Evaluate with a modified rule set, persist nothing, and diff against run ``against``."""
    run = queries.run_row(session, against)
    if run is None:
        raise NotFound(f"评价批次 {against} 不存在")
    if run.year != year:
        raise InvalidInput(f"对比批次 {against} 是 {run.year} 年的, 不是 {year} 年",
                           [FieldError("against", "different year")])
    start = load_rule_set(base).model_dump(mode="json") if base else run.rules
    rules = parse_rule_set(deep_merge(start, changes))
    _require_year(session, year)
    rows = queries.diff(session, against, evaluation_statement(rules, year))
    moves = [r._asdict() for r in rows]
    entering = [m for m in moves if m["tlth_after"] and not m["tlth_before"]]
    leaving = [m for m in moves if m["tlth_before"] and not m["tlth_after"]]
    changed_class = [m for m in moves if m["class_before"] != m["class_after"]]
    return {
        "year": year, "against": against, "rules": rules.model_dump(mode="json"),
        "class_changes": changed_class,
        "entering_two_low_two_high": entering,
        "leaving_two_low_two_high": leaving,
        "land_mu": {
            "class_changes": round(sum(float(m["land_mu"] or 0) for m in changed_class), 2),
            "entering": round(sum(float(m["land_mu"] or 0) for m in entering), 2),
            "leaving": round(sum(float(m["land_mu"] or 0) for m in leaving), 2),
        },
    }


def enterprise_page(session: Session, *, year: int | None, town: str | None, klass: str | None,
                    flag: str | None, limit: int, offset: int) -> dict[str, Any]:
    """A page of enterprises with the result of the year's latest run (or the latest run)."""
    run_id = queries.latest_run_id(session, year) if year else queries.latest_run_id_any(session)
    rows, total = queries.enterprises(session, run_id=run_id, town=town, klass=klass, flag=flag,
                                      limit=limit, offset=offset)
    return {"run_id": run_id, "number_matched": total, "items": [r._asdict() for r in rows]}


def upload_indicators(session: Session, report: UploadReport, year: int) -> int:
    """Write a checked upload in one statement (or refuse it whole); commit."""
    written = indicator_upload.apply(session, report, year)
    session.commit()
    return written


def _named(keys: Sequence[str], values: Sequence[float | None]) -> dict[str, Any]:
    """An array of a result as a mapping; +∞ (zero denominator) as the string "Infinity"."""
    return {k: "Infinity" if v is not None and math.isinf(v) else v
            for k, v in zip(keys, values, strict=True)}


def explain_result(session: Session, uscc: str, year: int, run_id: int | None) -> dict[str, Any]:
    """The numbers and rule lines behind a firm's status, class and flags."""
    run_id = run_id or queries.latest_run_id(session, year)
    if run_id is None:
        raise NotFound(f"{year} 年尚未评价")
    run = queries.run_row(session, run_id)
    row = queries.result_for(session, run_id, uscc)
    if run is None or row is None:
        raise NotFound(f"企业 {uscc} 不在评价批次 {run_id} 中")
    result = row._asdict()
    result["values"] = _named(run.value_keys, result["values"])
    result["inputs"] = _named(INPUT_KEYS, result["inputs"])
    rules = parse_rule_set(run.rules)
    status_zh, status_en = explain.STATUS_TEXT[result["status"]]
    out: dict[str, Any] = {
        "run_id": run_id, "year": run.year, "rule_ref": run.rule_ref,
        "uscc": uscc, "name": result["name"], "group": result["grp"],
        "land_mu": float(result["land_mu"]), "status": result["status"],
        "status_zh": status_zh, "status_en": status_en,
        "data_quality": explain.quality_messages(result["quality"]),
        "inputs": result["inputs"], "class": result["class"],
        "two_low_two_high": result["two_low_two_high"],
        "indicators": [], "flags": [], "class_explanation_zh": None,
    }
    if result["status"] == "scored":
        out["total"] = float(result["total"])
        out["indicators"] = explain.indicator_lines(result, rules)
        out["class_explanation_zh"] = explain.class_line(result, rules)
        out["flags"] = explain.flag_lines(result)
    return out
