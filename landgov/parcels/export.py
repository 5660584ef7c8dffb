"""Current parcels as an exportable layer: the fields, their abbreviations, the query.

The parcels domain owns what a parcel export contains (DESIGN Rulings: the domain that
owns a list builds its rows); ``landgov.io`` streams the query and writes the formats.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from landgov.errors import FieldError, InvalidInput
from landgov.parcels.queries import sql
from landgov.parcels.vocabulary import LAND_STATUS
from landgov.tables import Field, Layer

PARCEL_FIELDS: tuple[Field, ...] = (
    Field("unit_code", "不动产单元代码", "GB/T 37346 不动产单元代码 (一码)", short="单元码"),
    Field("area_mu", "宗地面积(亩)", "按 EPSG:4549 计算, 1 亩 = 10000/15 m², 两位小数",
          "real", short="面积亩"),
    Field("town_code", "镇街代码", "宗地所在镇街的行政区划代码", short="镇街码"),
    Field("town_name", "镇街名称", "宗地所在镇街", short="镇街"),
    Field("platforms", "所属平台", "宗地所在的开发区或平台, 顿号分隔", short="平台", parts=2),
    Field("name", "宗地名称", "宗地的通称", short="宗地名"),
    Field("land_use_code", "用地分类代码", "用地分类代码, 按其分类标准", short="地类码"),
    Field("land_use_vintage", "用地分类标准", "sandiao / gbt21010_2017 / ydyh_2023 / gb50137",
          short="地类版"),
    Field("land_right_type", "土地权利类型", "transfer 出让 / allocation 划拨 / lease 租赁 / "
          "collective 集体建设用地", short="权利类"),
    Field("right_start_date", "权利起始日期", "土地使用权起始日 (YYYY-MM-DD)", "date",
          short="起始日"),
    Field("right_end_date", "权利终止日期", "土地使用权终止日 (YYYY-MM-DD)", "date",
          short="终止日"),
    Field("status", "宗地状态代码", "supplied / under_construction / producing / idle / "
          "cleared / reclaimed / relet", short="状态码"),
    Field("status_label", "宗地状态", "宗地状态的中文名称", short="状态"),
    Field("evaluation_class", "亩均评价类别", "最近一次亩均效益评价的类别 A/B/C/D",
          short="评价类"),
    Field("two_low_two_high", "两低两高", "是否两低两高企业用地", "bool", short="两低高"),
    Field("colour", "一码状态色", "green / yellow / red / grey", short="状态色"),
    Field("enterprise_names", "用地企业名称", "在用企业, 按份额从大到小, 顿号分隔",
          short="企业名", parts=3),
    Field("enterprise_usccs", "用地企业统一社会信用代码", "与企业名称一一对应, 顿号分隔",
          short="信用码", parts=2),
    Field("note", "备注", "宗地备注", short="备注", parts=4),
    Field("version", "版本号", "宗地记录的版本 (乐观锁)", "int", short="版本"),
    Field("valid_from", "生效时间", "本版本记录的生效时间 (Asia/Shanghai 等配置时区)",
          "datetime", short="生效时"),
)


@cache
def select_sql() -> str:
    """The export statement with the status labels inlined (constants, not user input)."""
    labels = ", ".join(f"('{code}', '{label}')" for code, label in LAND_STATUS.items())
    return sql("export_select").replace("{status_labels}", labels)


def _where(town: str | None, status: str | None,
           bbox: tuple[float, float, float, float] | None) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if town is not None:
        clauses.append("t.code = :town")
        params["town"] = town
    if status is not None:
        if status not in LAND_STATUS:
            raise InvalidInput(f"未知的宗地状态 {status!r}, 可选: {', '.join(LAND_STATUS)}",
                               [FieldError("status", "unknown status")])
        clauses.append("p.status = :status")
        params["status"] = status
    if bbox is not None:
        clauses.append("p.geom && ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4490)")
        params.update(zip(("minx", "miny", "maxx", "maxy"), bbox, strict=True))
    return "".join(f" AND {c}" for c in clauses), params


def parcel_layer(*, srid: int, tz: str, town: str | None = None, status: str | None = None,
                 bbox: tuple[float, float, float, float] | None = None) -> Layer:
    """Current parcels (optionally of one town, one status, within a lon/lat bbox)."""
    where, params = _where(town, status, bbox)
    return Layer(
        name="parcels", title="宗地", fields=PARCEL_FIELDS, spatial=True,
        sql=select_sql() + where + " ORDER BY p.unit_code",
        count_sql="SELECT count(*) FROM parcel p LEFT JOIN town t ON t.id = p.town_id "
                  "WHERE p.valid_to IS NULL" + where,
        params={"srid": srid, "tz": tz, **params},
    )
