"""The collections landgov ships: ``parcels`` (read and write) and ``enterprises``.

How to add one when its issue lands (``zones``, ``available_plots``): write
``ogc/sql/<id>.sql`` following the column contract in ``ogc/queries.py`` (``row_id``,
``id``, ``geom`` in EPSG:4490, ``version``, ``valid_from``, ``valid_to``, ``properties``,
plus the columns its queryables filter on), then append a :class:`Collection` here, e.g.::

    Collection(
        id="zones", title="连片改造区块", description="…", source="zones",
        permission=Permission.PARCELS_READ,
        queryables=(Queryable("town_code", "镇街代码"), Queryable("state", "状态")),
        scope="s.town_code = {value}",
    )

Every OGC parameter (paging, bbox, datetime when ``temporal``, CRS, filters), the
collection metadata, the queryables document and the GDAL/QGIS behaviour then come
from the generic code. Only ``writable`` collections need routes of their own.
"""

from __future__ import annotations

from landgov.auth.permissions import Permission
from landgov.ogc.registry import Collection, Queryable

PARCELS = Collection(
    id="parcels",
    title="宗地",
    description="越城区工业用地宗地 (一码管地): 要素编号为 28 位不动产单元代码; "
    "datetime 参数可查询任一时刻的历史版本。",
    source="parcels",
    permission=Permission.PARCELS_READ,
    queryables=(
        Queryable("unit_code", "不动产单元代码"),
        Queryable("town_code", "镇街代码"),
        Queryable("town_name", "镇街"),
        Queryable("status", "宗地状态"),
        Queryable("land_use_code", "用地分类代码"),
        Queryable("land_use_vintage", "分类标准"),
        Queryable("land_right_type", "土地权利类型"),
        Queryable("name", "宗地名称"),
        Queryable("platform", "所在平台 (名称)",
                  "EXISTS (SELECT 1 FROM platform pl WHERE pl.name = {value} "
                  "AND ST_Intersects(pl.geom, ST_PointOnSurface(s.geom)))"),
    ),
    temporal=True,
    scope="s.town_code = {value}",
    writable=True,
    keywords=("宗地", "一码管地", "不动产单元"),
)

ENTERPRISES = Collection(
    id="enterprises",
    title="企业",
    description="用地企业 (按统一社会信用代码), 无几何; 用地面积由占用关系按份额计算。",
    source="enterprises",
    permission=Permission.PARCELS_READ,
    queryables=(
        Queryable("uscc", "统一社会信用代码"),
        Queryable("name", "企业名称"),
        Queryable("industry_code", "行业代码"),
        Queryable("industry_name", "行业"),
        Queryable("chain", "产业链"),
        Queryable("chain_link", "产业链环节"),
    ),
    geometry=False,
    scope="EXISTS (SELECT 1 FROM occupancy o "
    "JOIN parcel p ON p.unit_code = o.unit_code AND p.valid_to IS NULL "
    "JOIN town t ON t.id = p.town_id "
    "WHERE o.enterprise_id = s.enterprise_id AND o.end_date IS NULL AND t.code = {value})",
    keywords=("企业", "统一社会信用代码"),
)

BUILT_IN = (PARCELS, ENTERPRISES)
