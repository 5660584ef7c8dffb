"""The registry of OGC collections: what each serves, described as data.

DESIGN Rulings: "OGC collections are a registry each domain adds to". A collection is a
:class:`Collection` naming a SQL *source* (``ogc/sql/<source>.sql``, a SELECT with fixed
column names, see ``ogc/queries.py``) and its queryable properties; the generic items
query adds the paging, bbox, datetime, filters and CRS, so every collection gets every
OGC parameter with the same behaviour. Domains sit below ``ogc`` in the import order,
so they cannot register themselves: a new collection (``zones`` with the 连片 zones
issue, ``available_plots`` with the investment issue) is an SQL file plus a
:class:`Collection` added to :data:`landgov.ogc.collections.BUILT_IN` — or, from the
app at start-up, a call to :func:`register`.

>>> {"enterprises", "parcels"} <= {c.id for c in all_collections()}
True
>>> get("parcels").queryable("status").where
's.status = {value}'
"""

from __future__ import annotations

from dataclasses import dataclass, field

from landgov.auth.permissions import Permission
from landgov.errors import NotFound


@dataclass(frozen=True)
class Queryable:
    """A property a client may filter on with ``?name=value`` (equality).

    ``where`` is trusted SQL from this code (never from a request) in which ``{value}``
    stands for the bound parameter holding the client's value.
    """

    name: str
    title: str
    where: str = ""
    type: str = "string"  # JSON Schema type of the value: "string" or "integer"

    def __post_init__(self) -> None:
        """Default filter: the source column of the same name equals the value."""
        if not self.where:
            object.__setattr__(self, "where", f"s.{self.name} = {{value}}")


@dataclass(frozen=True)
class Collection:
    """One OGC collection and how to read it."""

    id: str
    title: str
    description: str
    source: str  # ogc/sql/<source>.sql
    permission: Permission
    queryables: tuple[Queryable, ...] = ()
    geometry: bool = True
    temporal: bool = False  # rows are versions with valid_from / valid_to
    scope: str = ""  # SQL with {value}: rows a town-scoped caller may see
    writable: bool = False  # Part 4 transactions (through the domain's editing service)
    keywords: tuple[str, ...] = field(default_factory=tuple)

    def queryable(self, name: str) -> Queryable | None:
        """The queryable called ``name``, if any."""
        return next((q for q in self.queryables if q.name == name), None)


_REGISTRY: dict[str, Collection] = {}
_BUILT_IN_LOADED: list[bool] = []


def register(collection: Collection) -> None:
    """Add a collection; an id can be registered once."""
    _load_built_in()
    if collection.id in _REGISTRY:
        raise ValueError(f"OGC collection {collection.id!r} is already registered")
    _REGISTRY[collection.id] = collection


def all_collections() -> list[Collection]:
    """Every registered collection, in registration order."""
    _load_built_in()
    return list(_REGISTRY.values())


def get(collection_id: str) -> Collection:
    """The collection called ``collection_id``, or 404."""
    _load_built_in()
    found = _REGISTRY.get(collection_id)
    if found is None:
        raise NotFound(f"没有名为 {collection_id!r} 的集合; 可用: {', '.join(_REGISTRY)}")
    return found


def _load_built_in() -> None:
    """Register the collections shipped in ``ogc/collections.py`` (once, on first use)."""
    if not _BUILT_IN_LOADED:
        _BUILT_IN_LOADED.append(True)
        from landgov.ogc.collections import BUILT_IN

        for collection in BUILT_IN:
            register(collection)
