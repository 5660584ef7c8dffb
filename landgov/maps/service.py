"""The map pages: evaluation classes, 连片 zones, a project's matches; and their links.

Each function reads set-based rows (``queries``), groups them into coloured layers and
returns the finished HTML. A page larger than ``settings.maps_max_features`` features
is refused (422) with a hint to narrow it by town or bbox, so no request renders the
whole of a 100,000-parcel district. Budget: under 600 bytes per simplified parcel plus
~30 KB of page, so the 8,000-feature cap keeps a page under ~5 MB (the 5,000-parcel demo
district ≈ 2.5 MB); ``tests/maps`` checks the per-feature figure.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import shapely
import shapely.geometry
from sqlalchemy.orm import Session

from landgov.auth.permissions import Permission
from landgov.auth.principal import Principal
from landgov.errors import FieldError, InvalidInput, NotFound
from landgov.investment import chains
from landgov.investment import service as investment_service
from landgov.investment.matching import TITLES
from landgov.maps import links, queries, views
from landgov.maps.queries import BBox
from landgov.parcels.vocabulary import LAND_STATUS
from landgov.settings import get_settings

EVALUATION_COLOURS: dict[str, tuple[str, str]] = {
    "green": ("绿 (A/B 类, 无标签)", "#3c9d4e"),
    "yellow": ("黄 (C 类或一项标签)", "#f0c419"),
    "red": ("红 (D 类、两项以上标签或两低两高)", "#d64541"),
    "grey": ("灰 (闲置 / 已出清)", "#9e9e9e"),
    "none": ("未评价", "#d8d8d8"),
}
# governance progress of a zone's members (0–1), lower bound inclusive
PROGRESS_BINS: list[tuple[str, float, str, str]] = [
    ("done", 1.0, "已完成 (100%)", "#2e7d32"),
    ("late", 0.75, "75%–99%", "#8cc152"),
    ("mid", 0.5, "50%–74%", "#f0c419"),
    ("early", 0.25, "25%–49%", "#f08c3a"),
    ("start", 0.0, "未过四分之一 (<25%)", "#d64541"),
]
SCORE_BANDS: list[tuple[str, float, str, str]] = [
    ("high", 80.0, "80 分以上", "#1b7837"),
    ("good", 60.0, "60–79 分", "#7fbf7b"),
    ("fair", 40.0, "40–59 分", "#f0c419"),
    ("low", 0.0, "40 分以下", "#f08c3a"),
]
MAP_PERMISSIONS: dict[str, Permission] = {
    "evaluation": Permission.EVALUATION_READ,
    "zones": Permission.ZONES_READ,
    "matches": Permission.INVESTMENT_READ,
}


def _now_text() -> str:
    return datetime.now(ZoneInfo(get_settings().time_zone)).strftime("%Y-%m-%d %H:%M")


def _frame(session: Session, town: str | None, bbox: BBox | None) -> views.Frame:
    """The outline to draw under the map; 422 for an unknown town."""
    if town is not None and not queries.town_exists(session, town):
        raise InvalidInput(f"未知镇街代码 {town!r}", [FieldError("town", "unknown town")])
    row = queries.outline(session, town=town, simplify_m=max(get_settings().maps_simplify_m, 5))
    if row is None:
        raise NotFound("尚未载入区县边界, 无法绘制地图")
    bounds = bbox or (row.minx, row.miny, row.maxx, row.maxy)
    return views.Frame(json.loads(row.outline), json.loads(row.towns or "[]"), bounds)


def _check_size(rows: list[Any], what: str) -> None:
    cap = get_settings().maps_max_features
    if len(rows) > cap:
        raise InvalidInput(f"范围内{what}超过地图上限 {cap} 个; 请用 town (镇街) 或 bbox 缩小范围",
                           [FieldError("bbox", f"more than {cap} features")])


def evaluation_map(session: Session, *, town: str | None, bbox: BBox | None) -> str:
    """The district's parcels coloured by the 一码 status colour of the latest evaluation."""
    settings = get_settings()
    frame = _frame(session, town, bbox)
    rows = queries.evaluation_parcels(session, town=town, bbox=bbox,
                                      simplify_m=settings.maps_simplify_m,
                                      max_features=settings.maps_max_features)
    _check_size(rows, "宗地")
    layers = {k: views.Layer(k, label, colour, []) for k, (label, colour)
              in EVALUATION_COLOURS.items()}
    for r in rows:
        layers[r.colour].features.append(views.feature(r.unit_code, r.geometry, {
            "unit_code": r.unit_code, "area": f"{r.area_mu:.2f} 亩", "town": r.town_name,
            "status": LAND_STATUS.get(r.status, r.status),
            "klass": r.evaluation_class or "未评价",
            "flags": None if r.evaluation_class is None else
            f"{r.flags_fired} 项" + (" (两低两高)" if r.two_low_two_high else ""),
            "firms": r.firms}))
    year = queries.latest_evaluation_year(session)
    subtitle = (f"{year} 年度亩均效益评价" if year else "尚无评价") + \
        f" · {len(rows)} 宗 · {_now_text()}"
    m = views.base_map(frame, "亩均效益评价分类图 (一码状态色)", subtitle)
    ordered = list(layers.values())
    views.add_layers(m, ordered, [("unit_code", "不动产单元代码"), ("area", "面积"),
                                  ("town", "镇街"), ("status", "状态"), ("klass", "评价类别"),
                                  ("flags", "两低两高标签"), ("firms", "使用企业")], "unit_code")
    views.legend(m, "一码状态色", ordered, "颜色取自最近一次评价")
    return views.render(m)


def _progress_bin(progress: float) -> str:
    return next(key for key, low, _, _ in PROGRESS_BINS if progress >= low - 1e-9)


def zones_map(session: Session, *, town: str | None, bbox: BBox | None) -> str:
    """Zones of the latest build coloured by governance progress, with members and chains."""
    settings = get_settings()
    frame = _frame(session, town, bbox)
    rows = queries.zones(session, town=town, bbox=bbox, simplify_m=settings.maps_simplify_m,
                         max_features=settings.maps_max_features)
    _check_size(rows, "连片区")
    layers = {key: views.Layer(key, label, colour, [])
              for key, _, label, colour in PROGRESS_BINS}
    for r in rows:
        members = list(r.members or [])
        more = r.member_count - len(members)
        cell = views.html_list(members + ([f"… 等共 {r.member_count} 宗"] if more > 0 else []))
        layers[_progress_bin(r.progress)].features.append(views.feature(r.code, r.geometry, {
            "code": r.code, "area": f"{r.area_mu:.2f} 亩", "net_area": f"{r.net_area_mu:.2f} 亩",
            "progress": f"{r.progress * 100:.0f}%", "towns": r.towns or None,
            "platforms": r.platforms or None, "firms": f"{r.firm_count} 家",
            "compactness": f"{r.compactness:.2f}", "chains": r.chains or "周边暂无产业链企业",
        }, html={"members": cell}))
    build = queries.latest_zone_build(session)
    subtitle = (f"第 {build.id} 次识别 ({build.year} 年) · {len(rows)} 个连片区 · {_now_text()}"
                if build else "尚未识别连片区")
    m = views.base_map(frame, "连片改造区 (按治理进度着色)", subtitle)
    ordered = list(layers.values())
    views.add_layers(m, ordered, [
        ("code", "连片区编号"), ("area", "总面积"), ("net_area", "宗地净面积"),
        ("progress", "治理进度"), ("towns", "镇街"), ("platforms", "平台"), ("firms", "涉及企业"),
        ("compactness", "形状紧凑度"), ("members", "成员宗地"), ("chains", "建议产业链")], "code")
    views.legend(m, "治理进度", ordered, "建议产业链: 周边 1 km 内企业最多的产业链")
    return views.render(m)


def view_link(principal: Principal, page: str, params: dict[str, Any]) -> dict[str, Any]:
    """A short-lived signed URL that opens ``page`` as ``principal`` (for the iframe)."""
    settings = get_settings()
    seconds = settings.maps_view_link_seconds
    claims = {"page": page, "params": params, **links.principal_claims(principal)}
    ticket = links.issue(settings, "map_view", claims, seconds=seconds)
    return {"url": f"/maps/view/{ticket}", "expires_in": seconds}


def open_view(session: Session, ticket: str) -> str:
    """The page a map-view ticket names, rendered for the principal it names."""
    claims = links.redeem(get_settings(), "map_view", ticket)
    page = str(claims.get("page"))
    if page not in MAP_PERMISSIONS:
        raise NotFound("未知地图")
    principal = links.principal_of(session, claims, MAP_PERMISSIONS[page])
    params: dict[str, Any] = dict(claims.get("params") or {})
    town = principal.scope_town or params.get("town")
    bbox = tuple(params["bbox"]) if params.get("bbox") else None
    if page == "evaluation":
        return evaluation_map(session, town=town, bbox=bbox)
    if page == "zones":
        return zones_map(session, town=town, bbox=bbox)
    return matches_map(session, int(params["project_id"]), int(params.get("limit", 20)),
                       town=principal.scope_town)


def _score_band(total: float) -> str:
    return next(key for key, low, _, _ in SCORE_BANDS if total >= low - 1e-9)


def _match_feature(rank: int, r: dict[str, Any]) -> dict[str, Any]:
    kind = "连片区" if r["kind"] == "zone" else "地块"
    sentences = views.html_list(r["explanation"])
    return views.feature(r["code"], json.dumps(r["geometry"]), {
        "label": f"第 {rank} 名 · {kind} {r['code']} · {r['total']:.1f} 分",
        "rank": f"第 {rank} 名", "kind": kind, "code": r["code"],
        "area": f"{r['area_mu']:.2f} 亩", "town": r.get("town_name"),
        "platforms": "、".join(r.get("platforms") or []) or None,
        "available": r.get("available_from") or ("腾退中" if r["kind"] == "zone" else "即时"),
        "total": f"{r['total']:.1f} / 100",
        "flagged": "、".join(TITLES.get(f, f) for f in r.get("flagged") or []) or "无",
    }, html={"explanation": sentences})


def _chain_firms(session: Session, project: dict[str, Any], town: str | None
                 ) -> list[views.Layer]:
    """The project's chain firms as point layers: its own link, adjacent links, others."""
    chain, link = str(project["chain"]), str(project["link"])
    adjacent = set(chains.adjacent_links(chain, link))
    groups = {"same": views.Layer("same", f"同环节企业 ({link})", "#08306b", []),
              "adjacent": views.Layer("adjacent", "上下游环节企业", "#4292c6", []),
              "other": views.Layer("other", f"{chain} 其他企业", "#c6dbef", [])}
    for r in queries.chain_sites(session, chain=chain, town=town,
                                 limit=get_settings().maps_max_features):
        key = "same" if r.link == link else "adjacent" if r.link in adjacent else "other"
        groups[key].features.append(views.feature(f"{r.unit_code}-{r.name}", r.geometry, {
            "name": r.name, "link": r.link, "unit_code": r.unit_code}))
    return list(groups.values())


def matches_map(session: Session, project_id: int, limit: int, *, town: str | None) -> str:
    """A project's ranked plots and zones coloured by score, each popup explaining it."""
    result = investment_service.matches(session, project_id, limit, town)
    project = result["project"]
    frame = _frame(session, town, None)
    if result["results"]:  # open on the results (padded), not on the whole district
        shapes = shapely.geometry.shape({"type": "GeometryCollection", "geometries": [
            r["geometry"] for r in result["results"]]})
        frame = views.Frame(frame.outline, frame.towns,
                            tuple(shapely.buffer(shapes.envelope, 0.005).bounds))
    layers = {key: views.Layer(key, label, colour, []) for key, _, label, colour in SCORE_BANDS}
    for rank, r in enumerate(result["results"], start=1):
        layers[_score_band(r["total"])].features.append(_match_feature(rank, r))
    title = (f"招商项目匹配: {project['name']} ({project['chain']} · {project['link']}, "
             f"{project['min_area_mu']:g}–{project['max_area_mu']:g} 亩)")
    subtitle = f"前 {len(result['results'])} 名 (候选 {result['candidates']} 个) · {_now_text()}"
    m = views.base_map(frame, title, subtitle)
    ordered = list(layers.values())
    firms = _chain_firms(session, project, town)
    views.add_points(m, firms, [("name", "企业"), ("link", "环节"), ("unit_code", "宗地")])
    views.add_layers(m, ordered, [
        ("rank", "排名"), ("kind", "类型"), ("code", "代码"), ("area", "面积"), ("town", "镇街"),
        ("platforms", "平台"), ("available", "可供时间"), ("total", "总分"),
        ("explanation", "评分说明"), ("flagged", "需注意")], "label")
    views.legend(m, "匹配得分", [*ordered, *firms],
                 "面积、形状、平台、产业链集聚、控制线、供地时间")
    return views.render(m)


def check_project(session: Session, project_id: int) -> None:
    """404 unless the investment project exists."""
    investment_service.get_project(session, project_id)
