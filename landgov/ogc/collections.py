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

ZONES = Collection(
    id="zones",
    title="连片改造片区",
    description="最近一次片区生成批次的连片改造片区 (≥ 100 亩, 可配置): 轮廓、总面积与净面积 (亩)、"
    "紧凑度、所在镇街与平台、治理进度; 要素编号为片区编号 (ZB批次-序号)。",
    source="zones",
    permission=Permission.ZONES_READ,
    queryables=(
        Queryable("zone_code", "片区编号"),
        Queryable("town_code", "镇街代码", "{value} = ANY(s.town_codes)"),
        Queryable("platform_code", "平台代码", "{value} = ANY(s.platform_codes)"),
    ),
    scope="{value} = ANY(s.town_codes)",
    keywords=("连片", "片区", "低效用地"),
)

RECLAIMED = Collection(
    id="reclaimed",
    title="已盘活用地",
    description="盘活台账: 每条盘活登记 (整宗或部分宗地) 一个要素, 要素编号为登记编号; "
    "area_mu 为登记面积, new_mu 为首次盘活面积 (重叠部分只计一次)。",
    source="reclaimed",
    permission=Permission.RECLAMATION_READ,
    queryables=(
        Queryable("unit_code", "不动产单元代码"),
        Queryable("town_code", "镇街代码"),
        Queryable("town_name", "镇街"),
        Queryable("mode", "盘活方式代码"),
        Queryable("case_id", "治理案件编号", type="integer"),
    ),
    scope="s.town_code = {value}",
    keywords=("盘活", "低效用地", "再开发"),
)

CASES = Collection(
    id="cases",
    title="治理案件",
    description="治理案件 (只读): 每个案件一个要素, 几何为其宗地的现状范围 "
    "(仅针对企业的案件无几何); 要素编号为案件编号; 流转记录与证据材料见 /api/v1/cases/{id}。",
    source="cases",
    permission=Permission.CASES_READ,
    queryables=(
        Queryable("state", "案件状态"),
        Queryable("action", "治理措施代码"),
        Queryable("year", "清单年度", type="integer"),
        Queryable("town_code", "镇街代码"),
        Queryable("town_name", "镇街"),
        Queryable("unit_code", "不动产单元代码"),
        Queryable("uscc", "统一社会信用代码"),
        Queryable("overdue", "是否逾期 (true / false)", "s.overdue = ({value} = 'true')"),
    ),
    scope="s.town_code = {value}",
    keywords=("治理案件", "治理清单", "四个一批"),
)

AVAILABLE_PLOTS = Collection(
    id="available_plots",
    title="可供地块",
    description="现状工业用地中闲置、已出清或已盘活且无企业使用的地块 (产业链招商): 面积 (亩)、"
    "标准地指标、所在镇街与平台、可供地日期; 要素编号为 28 位不动产单元代码。",
    source="available_plots",
    permission=Permission.INVESTMENT_READ,
    queryables=(
        Queryable("unit_code", "不动产单元代码"),
        Queryable("status", "宗地状态 (idle / cleared / reclaimed)"),
        Queryable("town_code", "镇街代码"),
        Queryable("town_name", "镇街"),
        Queryable("platform_code", "平台代码", "{value} = ANY(s.platform_codes)"),
    ),
    scope="s.town_code = {value}",
    keywords=("可供地块", "产业链招商", "标准地"),
)

BUILT_IN = (PARCELS, ENTERPRISES, ZONES, RECLAIMED, CASES, AVAILABLE_PLOTS)
