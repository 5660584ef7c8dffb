"""The OGC statements: one generic items query over each collection's SQL source.

A source (``ogc/sql/<name>.sql``) is a SELECT whose columns follow one contract:
``row_id`` (unique per row), ``id`` (the featureId), ``geom`` (EPSG:4490 or NULL),
``version`` (the ETag, or NULL), ``valid_from`` / ``valid_to`` (transaction time, or
NULL), ``properties`` (json), plus the columns its queryables and town scope name.
Here it is wrapped as ``s`` and given the WHERE, order, page and output CRS, so every
collection answers every parameter the same way. Geometry is transformed by PostGIS
(``ST_Transform``, then ``ST_FlipCoordinates`` for a north-first CRS). Bound parameters
only: the SQL pieces joined here come from this package, never from a request. Never
commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.orm import Session

from landgov.geo import ACCEPTED_INPUT_SRIDS, STORAGE_SRID
from landgov.ogc.crs import OgcCrs
from landgov.ogc.registry import Collection
from landgov.ogc.temporal import Interval


@cache
def source(name: str) -> str:
    """The SELECT of ``ogc/sql/<name>.sql``."""
    return resources.files("landgov.ogc").joinpath("sql", f"{name}.sql").read_text("utf-8")


@dataclass
class Where:
    """The WHERE of an items request and its bound parameters."""

    clauses: list[str] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def sql(self) -> str:
        """The clauses joined (TRUE when there are none)."""
        return " AND ".join(self.clauses) or "TRUE"

    def add(self, clause: str, **params: Any) -> None:
        """One more condition."""
        self.clauses.append(clause)
        self.params.update(params)


def when(where: Where, interval: Interval | None) -> None:
    """Current versions only, or the versions valid at some time in ``interval``.

    A version is valid from ``valid_from`` (inclusive) to ``valid_to`` (exclusive).
    Versions that opened and closed in one transaction were never visible, so a
    history query leaves them out.
    """
    if interval is None:
        where.add("s.valid_to IS NULL")
        return
    where.add("(s.valid_to IS NULL OR s.valid_to > s.valid_from)")
    if interval.end is not None:
        where.add("s.valid_from <= :t_end", t_end=interval.end)
    if interval.start is not None:
        where.add("(s.valid_to IS NULL OR s.valid_to > :t_start)", t_start=interval.start)


def within(where: Where, bbox: tuple[float, float, float, float], crs: OgcCrs) -> None:
    """Features intersecting ``bbox`` (x/y order, in ``crs``), tested in EPSG:4490.

    A projected bbox is densified before it is transformed, so its curved outline in
    longitude/latitude is followed, not just its four corners.
    """
    params = dict(zip(("bx0", "by0", "bx1", "by1"), bbox, strict=True))
    if crs.srid in ACCEPTED_INPUT_SRIDS:
        envelope = f"ST_MakeEnvelope(:bx0, :by0, :bx1, :by1, {STORAGE_SRID})"
    else:
        envelope = (f"ST_Transform(ST_Segmentize(ST_MakeEnvelope(:bx0, :by0, :bx1, :by1, "
                    f":b_srid), :b_step), {STORAGE_SRID})")
        params.update(b_srid=crs.srid,
                      b_step=max(bbox[2] - bbox[0], bbox[3] - bbox[1], 1.0) / 16)
    where.add(f"s.geom && {envelope} AND ST_Intersects(s.geom, {envelope})", **params)


def matching(where: Where, collection: Collection, filters: dict[str, Any]) -> None:
    """Equality filters on queryable properties (already checked to exist)."""
    for i, (name, value) in enumerate(sorted(filters.items())):
        queryable = collection.queryable(name)
        assert queryable is not None  # the service refuses unknown names first
        where.add(queryable.where.format(value=f":q{i}"), **{f"q{i}": value})


def scoped(where: Where, collection: Collection, town: str | None) -> None:
    """Only the rows a town-scoped caller may see."""
    if town is not None and collection.scope:
        where.add(collection.scope.format(value=":scope_town"), scope_town=town)


def _geometry(collection: Collection, crs: OgcCrs) -> tuple[str, dict[str, Any]]:
    if not collection.geometry:
        return "NULL::json", {}
    expr, params = "s.geom", {"digits": crs.digits}
    if crs.srid not in ACCEPTED_INPUT_SRIDS:
        expr, params["out_srid"] = "ST_Transform(s.geom, :out_srid)", crs.srid
    if crs.north_first:
        expr = f"ST_FlipCoordinates({expr})"
    return f"ST_AsGeoJSON({expr}, :digits, 0)::json", params


def _feature(collection: Collection, crs: OgcCrs,
             links: bool = False) -> tuple[str, dict[str, Any]]:
    geometry, params = _geometry(collection, crs)
    extra = ", 'links', CAST(:links AS json)" if links else ""
    return (f"json_build_object('type', 'Feature', 'id', s.id, 'geometry', {geometry}, "
            f"'properties', s.properties{extra})"), params


def page(session: Session, collection: Collection, where: Where, crs: OgcCrs,
         limit: int, offset: int) -> list[str]:
    """One page of features as GeoJSON text, in featureId then version order.

    The page's rows are picked first by their keys alone, then only they are turned
    into features: a deep ``offset`` skips rows without building their properties.
    """
    feature, params = _feature(collection, crs)
    src = source(collection.source)
    rows = session.execute(
        text(f"SELECT {feature}::text FROM ({src}) s WHERE s.row_id IN ("
             f"SELECT s.row_id FROM ({src}) s WHERE {where.sql} "
             "ORDER BY s.id, s.valid_from LIMIT :limit OFFSET :offset) "
             "ORDER BY s.id, s.valid_from"),
        {**where.params, **params, "limit": limit, "offset": offset},
    ).scalars().all()
    return list(rows)


def count(session: Session, collection: Collection, where: Where) -> int:
    """How many features the WHERE matches in all (``numberMatched``)."""
    return int(session.execute(
        text(f"SELECT count(*) FROM ({source(collection.source)}) s WHERE {where.sql}"),
        where.params,
    ).scalar_one())


def one(session: Session, collection: Collection, where: Where, crs: OgcCrs,
        links: str) -> Row[Any] | None:
    """The feature the WHERE names, with its links (JSON text), and its version."""
    feature, params = _feature(collection, crs, links=True)
    return session.execute(
        text(f"SELECT {feature}::text AS feature, s.version FROM ({source(collection.source)}) s "
             f"WHERE {where.sql} ORDER BY s.valid_from DESC LIMIT 1"),
        {**where.params, **params, "links": links},
    ).first()


def extent(session: Session, collection: Collection) -> Row[Any]:
    """Bounding box (EPSG:4490 lon/lat) of the current features and when history starts."""
    current = "s.valid_to IS NULL" if collection.temporal else "TRUE"
    geom = (f"ST_Extent(s.geom) FILTER (WHERE {current})" if collection.geometry
            else "NULL::box2d")
    return session.execute(
        text(f"SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1, "
             f"first_version FROM (SELECT {geom} AS e, min(s.valid_from) AS first_version "
             f"FROM ({source(collection.source)}) s) x"),
    ).one()
