"""The zones of a build as an exportable layer (``/api/v1/exports/zones``).

The zones domain owns what a zone export contains (DESIGN Rulings); ``landgov.io``
streams the statement and writes Shapefile, GeoPackage, GeoJSON, CSV or Excel.
"""

from __future__ import annotations

from landgov.tables import Field, Layer

ZONE_FIELDS: tuple[Field, ...] = (
    Field("code", "片区编号", "ZB批次-序号", short="片区号"),
    Field("build_id", "批次", "片区生成批次", "int", short="批次"),
    Field("year", "年度", "片区生成所依据的年度", "int", short="年度"),
    Field("area_mu", "总面积(亩)", "轮廓面积 (含其间道路与小间隙), EPSG:4549, 两位小数",
          "real", short="总面积"),
    Field("net_area_mu", "净面积(亩)", "成员宗地面积之和, 两位小数", "real", short="净面积"),
    Field("compactness", "紧凑度", "Polsby-Popper 4πA/P² (正方形 0.785, 狭长条带趋近 0)",
          "real", short="紧凑度"),
    Field("member_count", "宗地数", "片区内成员宗地数", "int", short="宗地数"),
    Field("firm_count", "企业数", "成员宗地上的用地企业数", "int", short="企业数"),
    Field("town_names", "所在镇街", "按片区内用地面积从大到小, 顿号分隔", short="镇街"),
    Field("platform_names", "所在平台", "按片区内用地面积从大到小, 顿号分隔", short="平台"),
    Field("progress", "治理进度", "已出清 / 已盘活 / 已再出让宗地占成员宗地的比例", "real",
          short="进度"),
)

_SELECT = """
SELECT z.code, z.build_id, b.year,
       round(z.area_mu::numeric, 2)::float8 AS area_mu,
       round(z.net_area_mu::numeric, 2)::float8 AS net_area_mu,
       round(z.compactness::numeric, 4)::float8 AS compactness,
       z.member_count, z.firm_count,
       array_to_string(z.town_names, '、') AS town_names,
       array_to_string(z.platform_names, '、') AS platform_names,
       round(z.progress::numeric, 4)::float8 AS progress,
       ST_AsBinary(ST_Transform(z.geom, CAST(:srid AS integer))) AS geom
FROM zone z JOIN zone_build b ON b.id = z.build_id
"""
_WHERE = """
WHERE z.build_id = COALESCE(CAST(:build AS bigint), (SELECT max(id) FROM zone_build))
  AND (CAST(:town AS text) IS NULL OR CAST(:town AS text) = ANY(z.town_codes))
"""


def zone_layer(*, srid: int, town: str | None = None, build: int | None = None) -> Layer:
    """The zones of ``build`` (default the current one), optionally of one town."""
    return Layer(
        name="zones", title="连片改造片区", fields=ZONE_FIELDS, spatial=True,
        sql=_SELECT + _WHERE + " ORDER BY z.seq",
        count_sql="SELECT count(*) FROM zone z" + _WHERE,
        params={"srid": srid, "town": town, "build": build},
    )
