"""The statements behind the maps and the 推介单. Bound parameters only; never commits.

Every map statement simplifies geometry in PostGIS (``ST_SimplifyPreserveTopology``,
6 decimals ≈ 0.1 m) and reads at most ``max_features + 1`` rows, so an oversized page
is refused by its caller instead of rendered.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

BBox = tuple[float, float, float, float]
DEGREES_PER_METRE = 1 / 111_000  # simplification tolerance: metres → degrees (EPSG:4490)


@cache
def sql(name: str) -> str:
    """A statement from ``maps/sql/<name>.sql``."""
    return resources.files("landgov.maps").joinpath("sql", f"{name}.sql").read_text("utf-8")


def _area(town: str | None, bbox: BBox | None, simplify_m: float) -> dict[str, Any]:
    minx, miny, maxx, maxy = bbox if bbox is not None else (None, None, None, None)
    return {"town": town, "minx": minx, "miny": miny, "maxx": maxx, "maxy": maxy,
            "tolerance": simplify_m * DEGREES_PER_METRE}


def evaluation_parcels(session: Session, *, town: str | None, bbox: BBox | None,
                       simplify_m: float, max_features: int) -> list[Row[Any]]:
    """Current parcels with their 一码 colour (at most ``max_features + 1`` rows)."""
    params = _area(town, bbox, simplify_m) | {"max_features": max_features}
    return list(session.execute(text(sql("evaluation_parcels")), params))


def zones(session: Session, *, town: str | None, bbox: BBox | None, simplify_m: float,
          max_features: int, member_list: int = 12, chain_radius_m: float = 1000.0
          ) -> list[Row[Any]]:
    """Zones of the latest build with members and suggested chains."""
    params = _area(town, bbox, simplify_m) | {"max_features": max_features,
                                               "member_list": member_list,
                                               "chain_radius_m": chain_radius_m}
    return list(session.execute(text(sql("zones")), params))


def outline(session: Session, *, town: str | None, simplify_m: float) -> Row[Any] | None:
    """The district (or one town) outline, its towns and bounds; None without a county."""
    params = {"town": town, "tolerance": simplify_m * DEGREES_PER_METRE}
    return session.execute(text(sql("outline")), params).first()


def town_exists(session: Session, code: str) -> bool:
    """Whether a town with this code exists."""
    found = session.execute(text("SELECT 1 FROM town WHERE code = :c"), {"c": code}).first()
    return found is not None


def plot(session: Session, code: str) -> Row[Any] | None:
    """One current parcel's facts for its 推介单."""
    return session.execute(text(sql("plot")), {"code": code}).first()


def surroundings(session: Session, *, subject_codes: list[str], zone_code: str | None,
                 radius_m: float) -> list[Row[Any]]:
    """The subject and the current parcels around it, as EPSG:4549 WKB."""
    params = {"subject_codes": subject_codes, "zone_code": zone_code, "radius_m": radius_m}
    return list(session.execute(text(sql("surroundings")), params))


def zone_outline(session: Session, code: str) -> bytes | None:
    """A zone's outline in EPSG:4549 (WKB)."""
    value = session.execute(text("SELECT ST_AsBinary(ST_Transform(geom, 4549)) FROM zone "
                                 "WHERE code = :c"), {"c": code}).scalar()
    return bytes(value) if value is not None else None


def chain_firms(session: Session, *, subject_codes: list[str], zone_code: str | None,
                radius_m: float, limit: int) -> list[Row[Any]]:
    """The nearest firms of an industry chain around the subject."""
    params = {"subject_codes": subject_codes, "zone_code": zone_code, "radius_m": radius_m,
              "limit": limit}
    return list(session.execute(text(sql("chain_firms")), params))


def latest_evaluation_year(session: Session) -> int | None:
    """The year of the latest evaluation run (the one the colours come from)."""
    value = session.execute(text("SELECT year FROM evaluation_run ORDER BY id DESC LIMIT 1")
                            ).scalar()
    return int(value) if value is not None else None


def latest_zone_build(session: Session) -> Row[Any] | None:
    """The latest zone build's id, year and date."""
    return session.execute(text("SELECT id, year, built_at FROM zone_build "
                                "ORDER BY id DESC LIMIT 1")).first()


def chain_sites(session: Session, *, chain: str, town: str | None, limit: int) -> list[Row[Any]]:
    """Current sites of a chain's firms (investment domain's ``chain_site``), lon/lat."""
    return list(session.execute(text("""
        SELECT s.unit_code, s.name, s.link,
               ST_AsGeoJSON(ST_Transform(s.geom, 4490), 6, 0) AS geometry
        FROM chain_site s
        JOIN parcel p ON p.unit_code = s.unit_code AND p.valid_to IS NULL
        LEFT JOIN town t ON t.id = p.town_id
        WHERE s.chain = :chain AND (CAST(:town AS text) IS NULL OR t.code = CAST(:town AS text))
        ORDER BY s.name, s.unit_code
        LIMIT :limit"""), {"chain": chain, "town": town, "limit": limit}))


def platform_standard(session: Session, platform_codes: list[str]) -> dict[str, Any] | None:
    """The 标准地 defaults a zone's plots would get (investment's ``standard_default``).

    The first of its platforms that has its own, else the district's (``'*'``).
    """
    row = session.execute(text("""
        SELECT to_jsonb(s) - 'platform_code' || jsonb_build_object(
                   'source', CASE WHEN s.platform_code = '*' THEN 'district'
                                  ELSE 'platform' END) AS standard
        FROM standard_default s
        WHERE s.platform_code = '*' OR s.platform_code = ANY(:codes)
        ORDER BY s.platform_code = '*', array_position(:codes, s.platform_code::text)
        LIMIT 1"""), {"codes": platform_codes}).first()
    return dict(row.standard) if row is not None else None
