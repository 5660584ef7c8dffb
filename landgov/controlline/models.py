"""The control line and its 占补 ledger as mapped classes (the schema is migration 0009).

The statements that matter are SQL in ``queries.py``/``sql/``; these classes document
the tables for readers and ad-hoc scripts. Areas are generated or set by the database,
never written by a client.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CHAR,
    BigInteger,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from landgov.db import Base
from landgov.regions.models import AREA_MU_SQL, MULTIPOLYGON


class ControlLine(Base):
    """A polygon of the line, versioned by transaction time (current: ``valid_to`` null)."""

    __tablename__ = "control_line"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    geom = mapped_column(MULTIPOLYGON, nullable=False)
    area_mu: Mapped[float] = mapped_column(Float, Computed(AREA_MU_SQL, persisted=True))
    source: Mapped[str] = mapped_column(String(12))
    note: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Addition(Base):
    """补: a line polygon recorded as compensation; its area is the polygon's."""

    __tablename__ = "control_line_addition"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    line_id: Mapped[int] = mapped_column(ForeignKey("control_line.id"), unique=True)
    added_on: Mapped[date] = mapped_column(Date)
    area_mu: Mapped[float] = mapped_column(Float)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Conversion(Base):
    """占: a parcel version inside the line taken out of industrial use."""

    __tablename__ = "control_line_conversion"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    unit_code: Mapped[str] = mapped_column(CHAR(28), ForeignKey("land_unit.unit_code"))
    parcel_version: Mapped[int] = mapped_column(Integer)
    from_use_code: Mapped[str | None] = mapped_column(String(8))
    from_use_vintage: Mapped[str | None] = mapped_column(String(16))
    to_use_code: Mapped[str | None] = mapped_column(String(8))
    to_use_vintage: Mapped[str | None] = mapped_column(String(16))
    area_mu: Mapped[float] = mapped_column(Float)
    converted_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Offset(Base):
    """The part of a conversion one addition covers (a pair of the ledger)."""

    __tablename__ = "control_line_offset"
    conversion_id: Mapped[int] = mapped_column(ForeignKey("control_line_conversion.id"),
                                               primary_key=True)
    addition_id: Mapped[int] = mapped_column(ForeignKey("control_line_addition.id"),
                                             primary_key=True)
    area_mu: Mapped[float] = mapped_column(Float)
