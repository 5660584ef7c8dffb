"""Governance cases, their transition events and evidence files (tables of migration 0008).

The writes that matter go through ``queries.py`` (set-based SQL); these mapped classes
document the tables and serve simple reads.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CHAR, BigInteger, Date, DateTime, ForeignKey, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from landgov.db import Base


class GovernanceCase(Base):
    """One firm and parcel being worked on: state, 四个一批 action, town, deadline."""

    __tablename__ = "governance_case"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    state: Mapped[str] = mapped_column(Text)
    unit_code: Mapped[str | None] = mapped_column(CHAR(28), ForeignKey("land_unit.unit_code"))
    enterprise_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("enterprise.id"))
    town_id: Mapped[int | None] = mapped_column(SmallInteger, ForeignKey("town.id"))
    action: Mapped[str | None] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    exit_reason: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(Text)
    opened_by: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GovernanceCaseEvent(Base):
    """One transition: from, to, its legal date, who recorded it and why."""

    __tablename__ = "governance_case_event"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("governance_case.id"))
    from_state: Mapped[str | None] = mapped_column(Text)
    to_state: Mapped[str] = mapped_column(Text)
    event_date: Mapped[date] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class GovernanceCaseEvidence(Base):
    """A file attached to an event, stored on disk under its SHA-256."""

    __tablename__ = "governance_case_evidence"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    case_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("governance_case.id"))
    event_id: Mapped[int | None] = mapped_column(BigInteger,
                                                 ForeignKey("governance_case_event.id"))
    sha256: Mapped[str] = mapped_column(CHAR(64))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    original_name: Mapped[str] = mapped_column(Text)
    media_type: Mapped[str] = mapped_column(Text)
    uploaded_by: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
