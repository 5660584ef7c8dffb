"""Investment projects and plots' own 标准地 indicators (migration 0012).

The derived tables ``available_plot`` and ``chain_site`` are written by database
triggers only and read with SQL (``queries.py``), so they have no mapped class.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CHAR, BigInteger, Date, DateTime, Float, Integer, Numeric, String, Text, func
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from landgov.db import Base


class InvestmentProject(Base):
    """A 招商项目: its chain link, land demand, 标准地 figures, platforms and status."""

    __tablename__ = "investment_project"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(200))
    chain: Mapped[str] = mapped_column(String(40))
    link: Mapped[str] = mapped_column(String(40))
    min_area_mu: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    max_area_mu: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    investment_intensity_wan_per_mu: Mapped[float | None] = mapped_column(Float)
    floor_area_ratio: Mapped[float | None] = mapped_column(Float)
    tax_per_mu_wan: Mapped[float | None] = mapped_column(Float)
    energy_tce_per_wan: Mapped[float | None] = mapped_column(Float)
    emission_kg_per_wan: Mapped[float | None] = mapped_column(Float)
    preferred_platforms: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    land_needed_by: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="negotiating")
    contact: Mapped[str | None] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_by: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())


class PlotStandard(Base):
    """A plot's own 标准地 control indicators (else its platform's defaults)."""

    __tablename__ = "plot_standard"
    unit_code: Mapped[str] = mapped_column(CHAR(28), primary_key=True)
    investment_intensity_wan_per_mu: Mapped[float | None] = mapped_column(Float)
    floor_area_ratio_min: Mapped[float | None] = mapped_column(Float)
    tax_per_mu_wan: Mapped[float | None] = mapped_column(Float)
    energy_tce_per_wan_max: Mapped[float | None] = mapped_column(Float)
    emission_kg_per_wan_max: Mapped[float | None] = mapped_column(Float)
    building_coverage_min_pct: Mapped[float | None] = mapped_column(Float)
    admin_share_max_pct: Mapped[float | None] = mapped_column(Float)
    deliverable_on: Mapped[date | None] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(Text)
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
