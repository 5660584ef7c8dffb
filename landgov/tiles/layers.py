"""The vector tile layer registry: every layer the tile routes serve, in one table.

DESIGN's ruling: tile layers are a registry each domain adds to. This module builds
the registry and the ``parcels`` layer; the zones, reclaimed and available-plot
layers arrive with their issues, each a few lines here:

    register(VectorLayer(
        name="zones", title="连片改造片区", permission=Permission.ZONES_READ,
        statement="zones", tables=frozenset({"zone"}),
        extent_sql="SELECT ST_Extent(z.geom) FROM zone z WHERE true {scope}",
        attributes=(Attribute("zone_code", "z.code", "片区编号"),
                    Attribute("area_mu", "round(z.area_mu::numeric, 2)::float8", "面积 (亩)")),
    ))

plus ``sql/zones.sql`` (like ``parcels.sql``: the features query that
``sql/tile_frame.sql`` wraps into one ``ST_AsMVT`` statement, with the ``{tile_geom}``,
``{attributes}``, ``{joins}`` and ``{scope}`` slots; ``geometry=`` names its geometry
column) and, in the domain's migration, the
``tile_notify_statement`` triggers on its table (see migration 0003), so edits to it
evict the layer's tiles. The router, TileJSON, cache and invalidation need no change.

Attributes that other domains own hang on an existing layer through
:func:`add_attribute`: the parcel layer's governance state and availability do not
exist yet (its evaluation class and 一码 colour do, below); when they do, their issue
adds e.g.

    add_attribute("parcels", Attribute(
        "eval_class", "ev.class", "亩均效益评价等级 (A/B/C/D)", minzoom=10,
        join="LEFT JOIN LATERAL (SELECT ...) ev ON true"), tables={"evaluation_result"})

and makes its table notify (a new evaluation run may send ``{"table": ..., "all": true}``
to flush the layer, which is then a real change to every tile).

>>> layer("parcels").fields()["unit_code"]
'不动产单元代码 (z ≥ 12)'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from landgov.auth.permissions import Permission
from landgov.errors import FieldError, NotFound
from landgov.governance.cases.workflow import OPEN_STATES

_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
DETAIL_ZOOM = 12  # full attributes from this zoom on; styling attributes below it


@dataclass(frozen=True)
class Attribute:
    """One feature property: its SQL expression and from which zoom it is encoded.

    Below ``minzoom`` the expression is replaced by NULL, which ``ST_AsMVT`` leaves out:
    that is the attribute thinning of low-zoom tiles.
    """

    name: str
    sql: str
    description: str
    minzoom: int = 0
    join: str = ""  # extra FROM clause the expression needs (a LEFT JOIN [LATERAL] …)

    def __post_init__(self) -> None:
        if not _IDENTIFIER.match(self.name):
            raise ValueError(f"attribute name {self.name!r} is not a plain identifier")

    def select(self) -> str:
        """The select-list entry, NULL below ``minzoom``."""
        if self.minzoom <= 0:
            return f"{self.sql} AS {self.name}"
        return f"CASE WHEN :z >= {int(self.minzoom)} THEN {self.sql} END AS {self.name}"


@dataclass(frozen=True)
class VectorLayer:
    """A vector tile layer: one SQL statement, its properties, who may read it."""

    name: str
    title: str
    permission: Permission
    statement: str  # sql/<statement>.sql: the features query inside sql/tile_frame.sql
    tables: frozenset[str]  # tables whose change notifications evict this layer's tiles
    extent_sql: str  # one row: ST_Extent of the features (TileJSON bounds), with {scope}
    attributes: tuple[Attribute, ...] = ()
    description: str = ""
    minzoom: int = 0
    maxzoom: int = 22
    town_scoped: bool = True  # a town officer sees only its own town's features
    scope_sql: str = "AND p.town_id = (SELECT id FROM town WHERE code = :town)"
    hooks: tuple[str, ...] = field(default=())  # documented extension points, for TileJSON
    geometry: str = "p.geom"  # the statement's geometry column, drawn as {tile_geom}

    def fields(self) -> dict[str, str]:
        """TileJSON ``vector_layers[].fields``: property name → description."""
        return {a.name: a.description + (f" (z ≥ {a.minzoom})" if a.minzoom else "")
                for a in self.attributes}


_LAYERS: dict[str, VectorLayer] = {}


def register(new: VectorLayer) -> VectorLayer:
    """Add a layer to the registry (at import time; names are unique)."""
    if not _IDENTIFIER.match(new.name) or new.name in _LAYERS or new.name == "raster":
        raise ValueError(f"layer name {new.name!r} is taken or not a plain identifier")
    _LAYERS[new.name] = new
    return new


def add_attribute(layer_name: str, attribute: Attribute,
                  tables: Iterable[str] = ()) -> VectorLayer:
    """Hang another domain's property on a registered layer (and the tables it reads)."""
    old = _LAYERS[layer_name]
    if any(a.name == attribute.name for a in old.attributes):
        raise ValueError(f"layer {layer_name} already has attribute {attribute.name}")
    _LAYERS[layer_name] = replace(old, attributes=(*old.attributes, attribute),
                                  tables=old.tables | frozenset(tables))
    return _LAYERS[layer_name]


def layer(name: str) -> VectorLayer:
    """The registered layer ``name``, or a 404 naming the layers there are."""
    found = _LAYERS.get(name)
    if found is None:
        raise NotFound(f"未知的瓦片图层 {name!r}; 可用: {', '.join(_LAYERS)}",
                       [FieldError("layer", "unknown layer")])
    return found


def registered(name: str) -> VectorLayer | None:
    """The registered layer ``name``, or None."""
    return _LAYERS.get(name)


def all_layers() -> list[VectorLayer]:
    """Every registered layer, in registration order."""
    return list(_LAYERS.values())


def layers_reading(table: str) -> list[VectorLayer]:
    """The layers whose tiles a change to ``table`` can alter."""
    return [v for v in _LAYERS.values() if table in v.tables]


PARCELS = register(VectorLayer(
    name="parcels",
    title="宗地",
    description="现状宗地 (当前版本); 要素 id 为不动产单元的稳定整数编号 (land_unit.fid)",
    permission=Permission.PARCELS_READ,
    statement="parcels",
    # occupancy and evaluation_run: who uses a parcel and the latest run decide its colour
    tables=frozenset({"parcel", "occupancy", "evaluation_run"}),
    extent_sql="SELECT ST_Extent(p.geom) FROM parcel p WHERE p.valid_to IS NULL {scope}",
    attributes=(
        Attribute("land_use_code", "p.land_use_code", "用地分类代码"),
        Attribute("status", "p.status", "宗地状态"),
        # parcel_evaluation() (migration 0007) is the one definition of the colour, per
        # parcel, so a tile computes it for its own features only
        Attribute("colour", "ev.colour", "一码状态色 (green / yellow / red / grey)",
                  join="LEFT JOIN LATERAL parcel_evaluation(p.unit_code, p.status) ev ON true"),
        Attribute("eval_class", "ev.evaluation_class", "亩均效益评价类别 (按用地份额, A–D)"),
        Attribute("unit_code", "p.unit_code", "不动产单元代码", minzoom=DETAIL_ZOOM),
        Attribute("area_mu", "round(p.area_mu::numeric, 2)::float8", "面积 (亩)",
                  minzoom=DETAIL_ZOOM),
        Attribute("town", "t.name", "所在镇街", minzoom=DETAIL_ZOOM),
    ),
    hooks=("governance_state: 治理状态 (governance issue)",
           "availability: 可招商/空闲 (investment issue)"),
))

ZONES = register(VectorLayer(
    name="zones",
    title="连片改造片区",
    description="最近一次片区生成批次的连片改造片区 (视图 current_zone); 要素 id 为 zone.id",
    permission=Permission.ZONES_READ,
    statement="zones", geometry="z.geom",
    tables=frozenset({"zone"}),  # a new build flushes the layer (migration 0011)
    extent_sql="SELECT ST_Extent(z.geom) FROM current_zone z WHERE true {scope}",
    scope_sql="AND CAST(:town AS text) = ANY(z.town_codes)",
    attributes=(
        Attribute("zone_code", "z.code", "片区编号"),
        Attribute("area_mu", "round(z.area_mu::numeric, 2)::float8", "总面积 (亩)"),
        Attribute("net_area_mu", "round(z.net_area_mu::numeric, 2)::float8", "净面积 (亩)"),
        Attribute("progress", "round(z.progress::numeric, 4)::float8",
                  "治理进度 (已出清/已盘活/已再出让宗地占比)"),
        Attribute("member_count", "z.member_count", "宗地数"),
        Attribute("compactness", "round(z.compactness::numeric, 4)::float8",
                  "紧凑度 (Polsby-Popper)", minzoom=DETAIL_ZOOM),
        Attribute("towns", "array_to_string(z.town_names, '、')", "所在镇街",
                  minzoom=DETAIL_ZOOM),
        Attribute("platforms", "array_to_string(z.platform_names, '、')", "所在平台",
                  minzoom=DETAIL_ZOOM),
    ),
))

RECLAIMED = register(VectorLayer(
    name="reclaimed",
    title="已盘活用地",
    description="盘活台账的每条登记 (整宗或部分); 要素 id 为登记编号。重叠的登记在图上重叠, "
    "面积按并集计一次见 /api/v1/reclamation/progress",
    permission=Permission.RECLAMATION_READ,
    statement="reclaimed", geometry="r.geom",
    tables=frozenset({"reclamation_record"}),  # notify triggers: migration 0010
    extent_sql="SELECT ST_Extent(r.geom) FROM reclamation_record r WHERE true {scope}",
    scope_sql="AND r.town_id = (SELECT id FROM town WHERE code = :town)",
    attributes=(
        Attribute("mode", "r.mode", "盘活方式代码"),
        Attribute("reclaimed_on", "to_char(r.reclaimed_on, 'YYYY-MM-DD')", "盘活日期"),
        Attribute("unit_code", "r.unit_code", "不动产单元代码", minzoom=DETAIL_ZOOM),
        Attribute("area_mu", "round(r.area_mu::numeric, 2)::float8", "登记面积 (亩)",
                  minzoom=DETAIL_ZOOM),
        Attribute("new_use", "r.new_use", "新用途", minzoom=DETAIL_ZOOM),
        Attribute("town", "t.name", "所在镇街", minzoom=DETAIL_ZOOM),
    ),
))

# 治理案件 (landgov/governance/cases): a parcel's state is that of its least advanced open
# case (NULL without one); the cases layer draws each case on its parcel. Case writes
# notify with table governance_case (migration 0008).
_OPEN = ", ".join(f"'{s}'" for s in OPEN_STATES)
add_attribute("parcels", Attribute(
    "governance_state", "gs.state", "治理案件状态 (未结案件中最靠前的环节; 无未结案件为空)",
    join="LEFT JOIN LATERAL (SELECT c.state FROM governance_case c "
         f"WHERE c.unit_code = p.unit_code AND c.state IN ({_OPEN}) "
         f"ORDER BY array_position(ARRAY[{_OPEN}]::text[], c.state) LIMIT 1) gs ON true"),
    tables={"governance_case"})

CASES = register(VectorLayer(
    name="cases",
    title="治理案件",
    description="治理案件, 绘于其宗地的现状范围 (无宗地的案件不绘); 要素 id 为案件编号",
    permission=Permission.CASES_READ,
    statement="cases",
    tables=frozenset({"governance_case"}),
    extent_sql="SELECT ST_Extent(p.geom) FROM governance_case c JOIN parcel p "
               "ON p.unit_code = c.unit_code AND p.valid_to IS NULL WHERE true {scope}",
    scope_sql="AND c.town_id = (SELECT id FROM town WHERE code = :town)",
    attributes=(
        Attribute("state", "c.state", "案件状态 (待核实 … 已盘活 / 已退出)"),
        Attribute("action", "c.action", "治理措施 (shutdown / upgrade / merge / vacate)"),
        Attribute("overdue", "COALESCE(c.deadline < governance_today() "
                  f"AND c.state IN ({_OPEN}), false)", "是否逾期"),
        Attribute("town", "t.name", "责任镇街"),
        Attribute("year", "c.year", "清单年度", minzoom=DETAIL_ZOOM),
        Attribute("deadline", "to_char(c.deadline, 'YYYY-MM-DD')", "办结期限",
                  minzoom=DETAIL_ZOOM),
        Attribute("unit_code", "c.unit_code", "不动产单元代码", minzoom=DETAIL_ZOOM),
    ),
))

# 可供地块 (landgov/investment, migration 0012): the trigger-maintained available_plot
# table; its triggers notify with table available_plot, which also evicts the parcels
# layer's tiles for its ``availability`` attribute.
AVAILABLE_PLOTS = register(VectorLayer(
    name="available_plots",
    title="可供地块",
    description="现状工业用地中闲置、已出清或已盘活且无企业使用的地块 (docs/investment.md); "
    "要素 id 为不动产单元的稳定整数编号 (land_unit.fid)",
    permission=Permission.INVESTMENT_READ,
    statement="available_plots", geometry="a.geom",
    tables=frozenset({"available_plot"}),
    extent_sql="SELECT ST_Extent(a.geom) FROM available_plot a WHERE true {scope}",
    scope_sql="AND a.town_id = (SELECT id FROM town WHERE code = :town)",
    attributes=(
        Attribute("area_mu", "round(a.area_mu::numeric, 2)::float8", "面积 (亩)"),
        Attribute("status", "a.status", "宗地状态 (idle / cleared / reclaimed)"),
        Attribute("available_from", "to_char(a.available_from, 'YYYY-MM-DD')", "可供地日期"),
        Attribute("unit_code", "a.unit_code", "不动产单元代码", minzoom=DETAIL_ZOOM),
        Attribute("town", "t.name", "所在镇街", minzoom=DETAIL_ZOOM),
        Attribute("platforms", "array_to_string(a.platform_names, '、')", "所在平台",
                  minzoom=DETAIL_ZOOM),
        Attribute("investment_intensity",
                  "(a.standard ->> 'investment_intensity_wan_per_mu')::float8",
                  "投资强度下限 (万元/亩)", minzoom=DETAIL_ZOOM),
    ),
))
add_attribute("parcels", Attribute(
    "availability", "CASE WHEN ap.unit_code IS NOT NULL THEN '可供地' END",
    "可供地 (可供地块为 '可供地', 否则为空)",
    join="LEFT JOIN available_plot ap ON ap.unit_code = p.unit_code"),
    tables={"available_plot"})
