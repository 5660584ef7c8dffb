"""Use cases of the 推介单: gather a plot's or a zone's facts, render, share by link.

A town officer (scoped role) gets only the plots and zones of their town (404 for the
others, as for every scoped read). A shared link is a signed ticket naming one plot or
zone and expiring after N days (DESIGN.md Rulings: a PDF or a signed read-only link,
never an open API); redeeming it renders the current PDF.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import shapely
from sqlalchemy.orm import Session

from landgov.auth.principal import Principal
from landgov.errors import NotFound
from landgov.investment import service as investment_service
from landgov.investment.vocabulary import STANDARD_FIELDS, STANDARD_SOURCE
from landgov.maps import brochure, links, queries
from landgov.maps.brochure import Brochure
from landgov.parcels.vocabulary import LAND_STATUS
from landgov.settings import get_settings
from landgov.zones import service as zones_service

log = logging.getLogger(__name__)
RADIUS_M = 300.0  # parcels drawn around the subject
CHAIN_RADIUS_M = 1000.0  # chain neighbours listed
NATIONAL = [("建筑系数", "≥ 30% (国家控制指标)"),
            ("行政办公及生活服务设施用地", "≤ 7% (国家控制指标)")]


def _now() -> datetime:
    return datetime.now(ZoneInfo(get_settings().time_zone))


def _around(session: Session, codes: list[str], zone_code: str | None
            ) -> list[tuple[Any, str, bool]]:
    rows = queries.surroundings(session, subject_codes=codes, zone_code=zone_code,
                                radius_m=RADIUS_M)
    return [(shapely.from_wkb(bytes(r.wkb)), r.status, bool(r.subject)) for r in rows]


def _neighbours(session: Session, codes: list[str], zone_code: str | None
                ) -> list[tuple[str, str, str, str]]:
    rows = queries.chain_firms(session, subject_codes=codes, zone_code=zone_code,
                               radius_m=CHAIN_RADIUS_M, limit=30)
    return [(r.name, r.chain, r.chain_link or "—", _distance(float(r.distance_m)))
            for r in rows]


def _distance(metres: float) -> str:
    return "相邻" if metres < 1 else f"{metres:.0f} m"


def _mu(value: float) -> str:
    return f"{value:.2f} 亩"


def _standard(values: dict[str, Any] | None) -> list[tuple[str, str]]:
    """The 标准地 indicators (investment domain's fields), with where they come from.

    Without any (a plot not on offer): the national minimums every industrial plot is
    held to.
    """
    if values is None:
        return NATIONAL
    standard = dict(values)
    source = STANDARD_SOURCE.get(str(standard.pop("source", "")), "")
    rows = [(label, f"{standard[key]:g}") for key, label in STANDARD_FIELDS.items()
            if standard.get(key) is not None]
    return rows + ([("指标来源", source)] if source else [])


def _available(session: Session, code: str, town: str | None) -> dict[str, Any] | None:
    """The plot as ``/api/v1/plots/available`` shows it, or None when it is not offered."""
    try:
        return investment_service.plot_detail(session, code, town)
    except NotFound:
        return None


def plot_data(session: Session, code: str, town: str | None) -> Brochure:
    """A plot's brochure content; 404 if unknown (or outside a scoped caller's town)."""
    row = queries.plot(session, code)
    if row is None or (town is not None and row.town_code != town):
        raise NotFound(f"地块 {code} 不存在")
    offered = _available(session, code, town)
    around = _around(session, [code], None)
    subject = shapely.union_all([g for g, _, s in around if s])
    if offered is not None:
        props = offered["properties"]
        availability = f"可供地, {props['available_from'] or '即时'} 起可交付"
        neighbours = [(f["name"], f["chain"], f.get("link") or "—", _distance(f["distance_m"]))
                      for f in props.get("nearest_firms", [])]
    else:
        availability = "暂不可供 (非闲置/出清/盘活的工业用地, 或仍有企业使用)"
        neighbours = _neighbours(session, [code], None)
    facts = [("不动产单元代码", code), ("面积", _mu(row.area_mu)),
             ("镇街", row.town_name or "—"), ("所在平台", "、".join(row.platforms) or "—"),
             ("土地用途", row.land_use_code), ("现状", LAND_STATUS.get(row.status, row.status)),
             ("供地状态", availability), ("现使用企业", "、".join(row.firms) or "无"),
             ("中心位置", f"{row.lon:.5f}°E, {row.lat:.5f}°N (CGCS2000)")]
    headline = " · ".join(x for x in (row.town_name, "、".join(row.platforms),
                                      _mu(row.area_mu)) if x)
    standard = offered["properties"].get("standard") if offered is not None else None
    return Brochure("plot", code, "地块推介单", headline, facts, _standard(standard),
                    neighbours, subject, around, _now().strftime("%Y-%m-%d %H:%M"),
                    note="标准地控制指标以出让公告为准; 区位图为 CGCS2000 / 3 度带 "
                         "(EPSG:4549) 投影, 比例尺真实。")


def zone_data(session: Session, code: str, town: str | None) -> Brochure:
    """A zone's brochure content (zones domain's zone_detail); 404 if unknown."""
    detail = zones_service.zone_detail(session, code, town)
    outline = queries.zone_outline(session, code)
    assert outline is not None
    members = [m["unit_code"] for m in detail["members"]]
    facts = [("连片区编号", code), ("总面积 (外轮廓)", _mu(detail["area_mu"])),
             ("宗地净面积", _mu(detail["net_area_mu"])),
             ("成员宗地", f"{detail['member_count']} 宗"),
             ("涉及企业", f"{detail['firm_count']} 家"),
             ("镇街", "、".join(detail["town_names"]) or "—"),
             ("所在平台", "、".join(detail["platform_names"]) or "—"),
             ("治理进度", f"{detail['progress'] * 100:.0f}%"),
             ("形状紧凑度", f"{detail['compactness']:.2f} (1 为圆形)"),
             ("识别批次", f"第 {detail['build_id']} 批 ({detail['year']} 年)")]
    headline = " · ".join(x for x in ("、".join(detail["town_names"]),
                                      "、".join(detail["platform_names"]),
                                      _mu(detail["area_mu"])) if x)
    standard = queries.platform_standard(session, list(detail["platform_codes"]))
    return Brochure("zone", code, "连片区推介单", headline, facts, _standard(standard),
                    _neighbours(session, members, code), shapely.from_wkb(outline),
                    _around(session, members, code), _now().strftime("%Y-%m-%d %H:%M"),
                    members=[f"{m['unit_code']} ({_mu(m['area_mu'])})" for m in detail["members"]],
                    note="连片区由相邻低效、腾退、盘活地块组成, 面积以宗地净面积为准。")


def _render(b: Brochure, fmt: str) -> bytes | str:
    return brochure.to_pdf(b) if fmt == "pdf" else brochure.to_html(b)


def plot_brochure(session: Session, code: str, fmt: str, *, town: str | None) -> bytes | str:
    """A plot's 推介单 as HTML or PDF."""
    return _render(plot_data(session, code, town), fmt)


def zone_brochure(session: Session, code: str, fmt: str, *, town: str | None) -> bytes | str:
    """A zone's 推介单 as HTML or PDF."""
    return _render(zone_data(session, code, town), fmt)


def share(session: Session, kind: str, code: str, days: int | None,
          principal: Principal) -> dict[str, Any]:
    """A read-only link to the PDF valid for ``days`` (default from settings)."""
    settings = get_settings()
    (plot_data if kind == "plot" else zone_data)(session, code, principal.scope_town)
    days = days or settings.brochure_share_days
    ticket = links.issue(settings, "brochure_share", {"kind": kind, "code": code,
                                                      "by": principal.actor},
                         seconds=days * 86400)
    log.info("推介单分享链接: %s %s by %s, %d 天", kind, code, principal.actor, days)
    return {"url": f"/maps/shared/{ticket}", "expires_at": _now() + timedelta(days=days),
            "kind": kind, "code": code}


def open_shared(session: Session, ticket: str) -> tuple[str, str, bytes]:
    """The PDF a shared link names (rendered now from current data)."""
    claims = links.redeem(get_settings(), "brochure_share", ticket)
    kind, code = str(claims["kind"]), str(claims["code"])
    data = plot_data(session, code, None) if kind == "plot" else zone_data(session, code, None)
    return kind, code, brochure.to_pdf(data)
