"""The 底数清单 as a spatial layer: each row with its parcel's geometry.

The 治理清单 stays tabular (a firm's row spans several parcels; drawing their union
would show land the firm does not use on shared parcels), so only the 底数清单 gains
Shapefile / GeoPackage / GeoJSON. Values are the same as in the Excel list: the
formatting comes from :func:`baseline_table`'s columns.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from landgov.governance import service
from landgov.governance.tables import baseline_table
from landgov.tables import Field, FieldKind, Layer

# column key -> (short DBF name, meaning, kind)
_BASELINE: dict[str, tuple[str, str, FieldKind]] = {
    "town_name": ("镇街", "宗地所在镇街", "text"),
    "unit_code": ("单元码", "GB/T 37346 不动产单元代码", "text"),
    "parcel_mu": ("宗地亩", "宗地面积, 亩, 两位小数 (EPSG:4549)", "real"),
    "land_use_code": ("地类码", "用地分类代码", "text"),
    "parcel_status": ("状态", "宗地状态", "text"),
    "enterprise_name": ("企业名", "用地企业名称 (一宗地多企业时每企业一行)", "text"),
    "uscc": ("信用码", "统一社会信用代码", "text"),
    "tenure": ("用地方", "自有 / 租用", "text"),
    "used_mu": ("使用亩", "企业使用面积, 亩 (宗地面积 × 份额)", "real"),
    "class": ("评价类", "亩均效益评价类别", "text"),
    "two_low_two_high": ("两低高", "是否两低两高", "text"),
    "flags": ("标签", "触发的评价标签, 顿号分隔", "text"),
    "colour": ("状态色", "一码状态色", "text"),
}
_GEOMS = text("SELECT unit_code, ST_AsBinary(ST_Transform(geom, CAST(:srid AS integer))) AS wkb "
              "FROM parcel WHERE valid_to IS NULL AND unit_code = ANY(:codes)")


def baseline_layer(session: Session, year: int, town: str | None, srid: int) -> Layer:
    """The 底数清单 of ``year`` with each row's parcel geometry (WKB in ``srid``)."""
    raw = service.baseline_list(session, year, town)
    table = baseline_table(year, town, raw)
    codes = sorted({r["unit_code"] for r in raw})
    found = session.execute(_GEOMS, {"srid": srid, "codes": codes}).all()
    geoms: dict[str, bytes] = {code: wkb for code, wkb in found}
    fields = tuple(
        Field(c.key, f"{c.group}-{c.header}" if c.group else c.header, _BASELINE[c.key][1],
              _BASELINE[c.key][2], short=_BASELINE[c.key][0])
        for c in table.columns)
    rows: list[dict[str, Any]] = [
        {**{c.key: c.value(r) for c in table.columns}, "geom": geoms.get(r["unit_code"])}
        for r in raw]
    return Layer(name="baseline_list", title=table.title, fields=fields, spatial=True, rows=rows)
