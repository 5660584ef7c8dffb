"""Parcels (宗地) and the firms that use them.

A parcel's record is versioned in place: the row whose ``valid_to`` is null is the
current one; an update to it makes the database copy the old values into a closed
history row (see the migration's ``parcel_versioning`` trigger), so every write path,
raw SQL included, keeps history. ``land_unit`` is the registry of issued codes: a code
is issued once, survives edits, is retired with its parcel, and is never reused.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CHAR,
    BigInteger,
    Boolean,
    Computed,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from landgov.db import Base
from landgov.regions.models import AREA_MU_SQL, MULTIPOLYGON


class LandUnit(Base):
    """The registry of issued 不动产单元代码 and their stable integer feature ids."""

    __tablename__ = "land_unit"
    fid: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    unit_code: Mapped[str] = mapped_column(CHAR(28), unique=True)
    subdistrict_id: Mapped[int] = mapped_column(ForeignKey("cadastral_subdistrict.id"))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Parcel(Base):
    """One version of a parcel; the current version has ``valid_to`` null."""

    __tablename__ = "parcel"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    unit_code: Mapped[str] = mapped_column(CHAR(28), ForeignKey("land_unit.unit_code"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    geom = mapped_column(MULTIPOLYGON, nullable=False)
    area_mu: Mapped[float] = mapped_column(Float, Computed(AREA_MU_SQL, persisted=True))
    town_id: Mapped[int | None] = mapped_column(SmallInteger, ForeignKey("town.id"))
    name: Mapped[str | None] = mapped_column(String(120))
    land_use_code: Mapped[str] = mapped_column(String(8))
    land_use_vintage: Mapped[str] = mapped_column(String(16))
    land_right_type: Mapped[str | None] = mapped_column(String(16))
    right_start_date: Mapped[date | None] = mapped_column(Date)
    right_end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ParcelLineage(Base):
    """Parent → child codes of a split or merge."""

    __tablename__ = "parcel_lineage"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    parent_code: Mapped[str] = mapped_column(CHAR(28), ForeignKey("land_unit.unit_code"))
    child_code: Mapped[str] = mapped_column(CHAR(28), ForeignKey("land_unit.unit_code"))
    kind: Mapped[str] = mapped_column(String(8))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Enterprise(Base):
    """An enterprise, keyed by its 统一社会信用代码."""

    __tablename__ = "enterprise"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    uscc: Mapped[str] = mapped_column(CHAR(18), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    industry_code: Mapped[str | None] = mapped_column(String(8))
    industry_name: Mapped[str | None] = mapped_column(String(60))
    chain: Mapped[str | None] = mapped_column(String(40))
    chain_link: Mapped[str | None] = mapped_column(String(40))
    founded_on: Mapped[date | None] = mapped_column(Date)
    production_start_on: Mapped[date | None] = mapped_column(Date)


class Occupancy(Base):
    """Which firm uses which parcel, and what share of its land (owned or leased)."""

    __tablename__ = "occupancy"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    unit_code: Mapped[str] = mapped_column(CHAR(28), ForeignKey("land_unit.unit_code"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"))
    share: Mapped[float] = mapped_column(Numeric(5, 4))
    tenure: Mapped[str] = mapped_column(String(8))
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)


class Indicator(Base):
    """One firm's reported figures for one year; each unit is in the column name."""

    __tablename__ = "indicator"
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprise.id"), primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    above_scale: Mapped[bool] = mapped_column(Boolean)
    tax_wan: Mapped[float | None] = mapped_column(Float)
    revenue_wan: Mapped[float | None] = mapped_column(Float)
    value_added_wan: Mapped[float | None] = mapped_column(Float)
    energy_tce: Mapped[float | None] = mapped_column(Float)
    electricity_kwh: Mapped[float | None] = mapped_column(Float)
    water_m3: Mapped[float | None] = mapped_column(Float)
    cod_t: Mapped[float | None] = mapped_column(Float)
    ammonia_n_t: Mapped[float | None] = mapped_column(Float)
    so2_t: Mapped[float | None] = mapped_column(Float)
    nox_t: Mapped[float | None] = mapped_column(Float)
    rd_wan: Mapped[float | None] = mapped_column(Float)
    employees: Mapped[int | None] = mapped_column(Integer)
    reported_land_mu: Mapped[float | None] = mapped_column(Float)
