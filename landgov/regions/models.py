"""Areas parcels fall in: county frames, towns (镇街), platforms, cadastral sub-districts.

Membership is always by geometry: a parcel's town is assigned by the database from
where it lies, and platforms (袍江经开区, 滨海新区 …) overlap towns and county lines,
so they are polygons of their own, never a column of the parcel.
"""

from __future__ import annotations

from geoalchemy2 import Geometry
from sqlalchemy import CHAR, Computed, Float, ForeignKey, Integer, SmallInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from landgov.db import Base

MULTIPOLYGON = Geometry("MULTIPOLYGON", srid=4490, spatial_index=False)
AREA_MU_SQL = "ST_Area(ST_Transform(geom, 4549)) / (10000.0 / 15)"


class County(Base):
    """A county-level frame (区县): 越城区, or a synthetic neighbour in benchmarks."""

    __tablename__ = "county"
    code: Mapped[str] = mapped_column(CHAR(6), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    geom = mapped_column(MULTIPOLYGON, nullable=False)


class Town(Base):
    """A town or street (镇街): the unit of responsibility; also its 地籍区."""

    __tablename__ = "town"
    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    county_code: Mapped[str] = mapped_column(CHAR(6), ForeignKey("county.code"))
    cadastral_district: Mapped[str] = mapped_column(CHAR(3))
    geom = mapped_column(MULTIPOLYGON, nullable=False)
    area_mu: Mapped[float] = mapped_column(Float, Computed(AREA_MU_SQL, persisted=True))


class Platform(Base):
    """A development platform (功能区 / 开发区) polygon."""

    __tablename__ = "platform"
    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    geom = mapped_column(MULTIPOLYGON, nullable=False)
    area_mu: Mapped[float] = mapped_column(Float, Computed(AREA_MU_SQL, persisted=True))


class CadastralSubdistrict(Base):
    """A 地籍子区: it owns the counter from which 宗地顺序号 are issued."""

    __tablename__ = "cadastral_subdistrict"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    county_code: Mapped[str] = mapped_column(CHAR(6), ForeignKey("county.code"))
    district: Mapped[str] = mapped_column(CHAR(3))
    subdistrict: Mapped[str] = mapped_column(CHAR(3))
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    geom = mapped_column(MULTIPOLYGON, nullable=False)
