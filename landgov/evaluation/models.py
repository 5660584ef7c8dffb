"""Evaluation runs and their per-enterprise results (kept; a run is never rewritten)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from landgov.db import Base


class EvaluationRun(Base):
    """One evaluation: a year, a rule set version, and the checksum of its inputs."""

    __tablename__ = "evaluation_run"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    rule_ref: Mapped[str] = mapped_column(String(60))
    rule_checksum: Mapped[str] = mapped_column(CHAR(64))
    rules: Mapped[dict[str, Any]] = mapped_column(JSONB)
    value_keys: Mapped[list[str]] = mapped_column(ARRAY(Text))
    inputs_checksum: Mapped[str] = mapped_column(CHAR(32))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(Text)
    enterprise_count: Mapped[int] = mapped_column(Integer)
    scored_count: Mapped[int] = mapped_column(Integer)


class EvaluationResult(Base):
    """One enterprise's result in a run: values, scores, class, flags, or the exemption."""

    __tablename__ = "evaluation_result"
    run_id: Mapped[int] = mapped_column(ForeignKey("evaluation_run.id"), primary_key=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True)
    grp: Mapped[str] = mapped_column(String(12))
    land_mu: Mapped[Decimal] = mapped_column(Numeric)
    status: Mapped[str] = mapped_column(String(16))
    quality: Mapped[list[str]] = mapped_column(ARRAY(Text))
    inputs: Mapped[list[float]] = mapped_column(ARRAY(Float))
    values: Mapped[list[float]] = mapped_column("values", ARRAY(Float))
    scores: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    total: Mapped[Decimal | None] = mapped_column(Numeric)
    group_rank: Mapped[int | None] = mapped_column(Integer)
    group_size: Mapped[int | None] = mapped_column(Integer)
    share_above: Mapped[Decimal | None] = mapped_column(Numeric)
    klass: Mapped[str | None] = mapped_column("class", CHAR(1))
    flags: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    two_low_two_high: Mapped[bool] = mapped_column(Boolean)
