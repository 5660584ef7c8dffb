"""The 盘活 ledger as an exportable layer (``/api/v1/exports/reclaimed``).

The reclamation domain owns what the export contains (DESIGN Rulings); ``landgov.io``
streams the query and writes the formats. Both the recorded area and the area counted
once are columns, so a desktop user can see where records overlap.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from landgov.reclamation.queries import sql
from landgov.reclamation.vocabulary import MODES
from landgov.tables import Field, Layer

RECLAIMED_FIELDS: tuple[Field, ...] = (
    Field("record_id", "登记编号", "盘活台账登记编号", "int", short="登记号"),
    Field("unit_code", "不动产单元代码", "盘活用地所在宗地的不动产单元代码", short="单元码"),
    Field("town_code", "镇街代码", "盘活用地所在镇街的行政区划代码", short="镇街码"),
    Field("town_name", "镇街名称", "盘活用地所在镇街", short="镇街"),
    Field("reclaimed_on", "盘活日期", "盘活日期 (YYYY-MM-DD, 本地日期)", "date", short="盘活日"),
    Field("mode", "盘活方式代码", ", ".join(MODES), short="方式码"),
    Field("mode_label", "盘活方式", "收购储备 / 协议收回 / 自主更新 / 兼并重组 / 二次开发",
          short="方式"),
    Field("new_use", "新用途", "盘活后的用途", short="新用途", parts=2),
    Field("whole_parcel", "整宗盘活", "登记范围是否为整宗宗地", "bool", short="整宗"),
    Field("area_mu", "登记面积(亩)", "本条登记的面积, EPSG:4549, 两位小数", "real",
          short="登记亩"),
    Field("new_mu", "首次盘活面积(亩)", "此前登记未覆盖的面积 (重叠部分只计一次)", "real",
          short="新增亩"),
    Field("case_id", "治理案件编号", "关联的治理案件 (可空)", "int", short="案件号"),
    Field("note", "备注", "登记备注", short="备注", parts=4),
    Field("recorded_by", "登记人", "登记的用户或 API 密钥", short="登记人"),
    Field("recorded_at", "登记时间", "登记时间 (配置时区)", "datetime", short="登记时"),
)


@cache
def select_sql() -> str:
    """The export statement with the mode labels inlined (constants, not user input)."""
    labels = ", ".join(f"('{code}', '{label}')" for code, label in MODES.items())
    return sql("export_select").replace("{mode_labels}", labels)


def reclaimed_layer(*, srid: int, tz: str, town: str | None = None, start: date | None = None,
                    end: date | None = None) -> Layer:
    """Every ledger record (optionally of one town and a date range)."""
    params = {"srid": srid, "tz": tz, "town": town, "start": start, "end": end}
    count = ("SELECT count(*) FROM reclamation_record r LEFT JOIN town t ON t.id = r.town_id "
             "WHERE (CAST(:town AS text) IS NULL OR t.code = CAST(:town AS text)) "
             "AND (CAST(:start AS date) IS NULL OR r.reclaimed_on >= CAST(:start AS date)) "
             "AND (CAST(:end AS date) IS NULL OR r.reclaimed_on <= CAST(:end AS date))")
    return Layer(name="reclaimed", title="已盘活用地", fields=RECLAIMED_FIELDS, spatial=True,
                 sql=select_sql(), count_sql=count, params=params)
