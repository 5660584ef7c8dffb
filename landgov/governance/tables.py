"""The two lists as tables for export: columns, Chinese headers, totals."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from landgov.evaluation.catalogue import CLASSES, FLAGS
from landgov.governance.actions import ACTIONS
from landgov.parcels.vocabulary import LAND_STATUS, TENURE
from landgov.settings import get_settings
from landgov.tables import Column, Table, area, joined, label

AREA = "0.00"
COLOURS = {"green": "绿", "yellow": "黄", "red": "红", "grey": "灰"}
CLASS_LABELS = {k: f"{k} {v[0]}" for k, v in CLASSES.items()}
FLAG_LABELS = {k: v[0] for k, v in FLAGS.items()}


def _flags(value: Any) -> str:
    return str(joined([FLAG_LABELS.get(f, f) for f in value or []]))


def _subtitle(year: int, town: str | None, rows: list[dict[str, Any]]) -> str:
    today = datetime.now(ZoneInfo(get_settings().time_zone)).date()
    where = rows[0]["town_name"] if town and rows else (town or "全区")
    return f"范围: {where}    年度: {year}    面积单位: 亩    制表日期: {today:%Y-%m-%d}"


def baseline_table(year: int, town: str | None, rows: list[dict[str, Any]]) -> Table:
    """底数清单: totals count each parcel once (shared parcels have several rows)."""
    parcels = {r["unit_code"]: r["parcel_mu"] for r in rows}
    return Table(
        title=f"{year}年度工业用地底数清单",
        subtitle=_subtitle(year, town, rows),
        columns=[
            Column("town_name", "镇街", width=12),
            Column("unit_code", "不动产单元代码", "宗地", width=31),
            Column("parcel_mu", "宗地面积", "宗地", number_format=AREA, format=area),
            Column("land_use_code", "用地分类", "宗地", width=10),
            Column("parcel_status", "宗地状态", "宗地", width=10, format=label(LAND_STATUS)),
            Column("enterprise_name", "企业名称", "用地企业", width=30),
            Column("uscc", "统一社会信用代码", "用地企业", width=22),
            Column("tenure", "用地方式", "用地企业", width=9, format=label(TENURE)),
            Column("used_mu", "使用面积", "用地企业", number_format=AREA, format=area),
            Column("class", "评价类别", "亩均效益评价", width=12, format=label(CLASS_LABELS)),
            Column("two_low_two_high", "两低两高", "亩均效益评价", width=9,
                   format=lambda v: "是" if v else ""),
            Column("flags", "触发标签", "亩均效益评价", width=20, format=_flags),
            Column("colour", "状态色", width=8, format=label(COLOURS)),
        ],
        rows=rows,
        totals={"unit_code": f"{len(parcels)} 宗",
                "parcel_mu": round(sum(float(v) for v in parcels.values()), 2),
                "used_mu": round(sum(float(r["used_mu"] or 0) for r in rows), 2)},
    )


def governance_table(year: int, town: str | None, rows: list[dict[str, Any]]) -> Table:
    """治理清单."""
    return Table(
        title=f"{year}年度工业用地治理清单 (四个一批)",
        subtitle=_subtitle(year, town, rows),
        columns=[
            Column("town_name", "责任镇街", width=12),
            Column("enterprise_name", "企业名称", "企业", width=30),
            Column("uscc", "统一社会信用代码", "企业", width=22),
            Column("class", "评价类别", "评价结果", width=12, format=label(CLASS_LABELS)),
            Column("flags", "触发标签", "评价结果", width=20, format=_flags),
            Column("land_mu", "用地面积", "用地", number_format=AREA, format=area),
            Column("cluster_mu", "所在连片面积", "用地", number_format=AREA, format=area),
            Column("unit_codes", "宗地代码", "用地", width=34, format=joined),
            Column("action", "治理措施", "四个一批", width=14, format=label(ACTIONS)),
            Column("proposed_reason", "建议依据", "四个一批", width=28),
            Column("decision_reason", "调整理由", "四个一批", width=24),
        ],
        rows=rows,
        totals={"enterprise_name": f"{len(rows)} 家",
                "land_mu": round(sum(float(r["land_mu"] or 0) for r in rows), 2)},
    )
