"""The list statements (底数清单, 治理清单) and officers' decisions. Never commits."""

from __future__ import annotations

from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from landgov.governance.actions import ActionRules
from landgov.parcels.vocabulary import INDUSTRIAL_CODES


@cache
def _sql(name: str) -> str:
    return resources.files("landgov.governance").joinpath("sql", f"{name}.sql").read_text("utf-8")


def _proposal(rules: ActionRules, params: dict[str, Any]) -> str:
    """CASE expressions for the proposed action and its reason (first matching rule)."""
    whens = []
    for i, rule in enumerate(rules.rules):
        c = rule.when
        parts = ["true"]
        if c.classes is not None:
            params[f"classes_{i}"] = list(c.classes)
            parts.append(f"l.class = ANY(:classes_{i})")
        if c.any_flag is not None:
            fired = " OR ".join(f"COALESCE((l.flags -> '{f}' ->> 'fired')::boolean, false)"
                                for f in c.any_flag)
            parts.append(f"({fired})")
        if c.two_low_two_high is not None:
            params[f"tlth_{i}"] = c.two_low_two_high
            parts.append(f"l.two_low_two_high = :tlth_{i}")
        if c.min_cluster_mu is not None:
            params[f"min_cluster_{i}"] = c.min_cluster_mu
            parts.append(f"COALESCE(f.cluster_mu, 0) >= :min_cluster_{i}")
        if c.max_land_mu is not None:
            params[f"max_land_{i}"] = c.max_land_mu
            parts.append(f"l.land_mu <= :max_land_{i}")
        params[f"action_{i}"], params[f"reason_{i}"] = rule.action, rule.reason
        whens.append((" AND ".join(parts), f":action_{i}", f":reason_{i}"))
    action = " ".join(f"WHEN {cond} THEN {a}" for cond, a, _ in whens)
    reason = " ".join(f"WHEN {cond} THEN {r}" for cond, _, r in whens)
    return (f"CAST(CASE {action} END AS text) AS proposed_action, "
            f"CAST(CASE {reason} END AS text) AS proposed_reason")


def baseline(session: Session, year: int, town: str | None) -> list[Row[Any]]:
    """底数清单 rows."""
    return list(session.execute(text(_sql("baseline")), {
        "year": year, "town": town, "industrial": sorted(INDUSTRIAL_CODES)}).all())


def governance(session: Session, year: int, town: str | None,
               rules: ActionRules) -> list[Row[Any]]:
    """治理清单 rows."""
    params: dict[str, Any] = {"year": year, "town": town, "list_classes": list(rules.list_classes),
                              "list_tlth": rules.list_two_low_two_high,
                              "tolerance": rules.cluster_tolerance_m}
    sql = _sql("governance").format(proposal=_proposal(rules, params))
    return list(session.execute(text(sql), params).all())


def enterprise_id(session: Session, uscc: str) -> int | None:
    """The id of the enterprise with this USCC."""
    found = session.execute(text("SELECT id FROM enterprise WHERE uscc = :u"), {"u": uscc})
    value = found.scalar()
    return int(value) if value is not None else None


def upsert_decision(session: Session, year: int, enterprise: int, action: str, reason: str,
                    actor: str) -> datetime:
    """Record (or replace) an officer's decision for a firm's action; return its time."""
    decided: datetime = session.execute(text("""
        INSERT INTO governance_decision (year, enterprise_id, action, reason, decided_by)
        VALUES (:y, :e, :a, :r, :by)
        ON CONFLICT (year, enterprise_id) DO UPDATE
        SET action = EXCLUDED.action, reason = EXCLUDED.reason,
            decided_by = EXCLUDED.decided_by, decided_at = now()
        RETURNING decided_at
    """), {"y": year, "e": enterprise, "a": action, "r": reason, "by": actor}).scalar_one()
    return decided
