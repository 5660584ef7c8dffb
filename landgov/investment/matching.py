"""The matching score: transparent parts, each with its points and a Chinese sentence.

A candidate (an available plot or a current 连片 zone) is scored out of 100 for a
project by six parts; the SQL in ``sql/match_candidates.sql`` measures, this module
only weighs (pure, so a hand-checked example is a unit test):

====================  ======  ==============================================================
part                  points  rule
====================  ======  ==============================================================
area (面积匹配)          25     area within the demand: 25; above the maximum: 25 × max / area
                               (the plot must be split); below the minimum: 0
shape (形状可用)         20     a rectangle of the minimum demand, aspect 1:1–1:3, fits: 20;
                               only 80 % of it fits: 8; not even that: 0 (flagged)
platform (平台偏好)      15     no preference, or inside a preferred platform: 15; else 0
agglomeration (集聚)     20     nearest firm of the same link: 12 × (1 − d / 5 km), and of an
                               adjacent (upstream/downstream) link: 8 × (1 − d / 5 km), ≥ 0
control_line (控制线)    10     10 × the share of the candidate inside the current 工业用地
                               控制线; no control line recorded: 0 (said so)
availability (供地时间)  10     available by the project's date (or today, if none or
                               past): 10; later: 10 ×
                               (1 − months late / 12), ≥ 0; a zone (still being vacated): 5
====================  ======  ==============================================================

>>> need = Need("集成电路", "封装测试", 100, 150, ("paojiang",), ("袍江经开区",), None)
>>> c = Candidate("plot", "X", 120.0, ("paojiang",), ("袍江经开区",), "塔山街道",
...               same_link_m=1000.0, same_link_firm="甲公司", adjacent_m=None,
...               adjacent_firm=None, adjacent_link=None, control_share=1.0,
...               available_from=date(2025, 1, 1), shape_share=1.0)
>>> s = score(c, need, date(2025, 6, 1))
>>> [(p.name, p.points) for p in s.parts]  # doctest: +NORMALIZE_WHITESPACE
[('area', 25.0), ('shape', 20.0), ('platform', 15.0), ('agglomeration', 9.6),
 ('control_line', 10.0), ('availability', 10.0)]
>>> s.total
89.6
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

WEIGHTS: dict[str, float] = {"area": 25.0, "shape": 20.0, "platform": 15.0, "agglomeration": 20.0,
                             "control_line": 10.0, "availability": 10.0}
TITLES: dict[str, str] = {"area": "面积匹配", "shape": "形状可用", "platform": "平台偏好",
                          "agglomeration": "产业链集聚", "control_line": "控制线合规",
                          "availability": "供地时间"}
SAME_LINK_POINTS, ADJACENT_POINTS = 12.0, 8.0
AGGLOMERATION_RADIUS_M = 5000.0
PARTIAL_SHAPE_SHARE, PARTIAL_SHAPE_POINTS = 0.8, 8.0
ZONE_AVAILABILITY_POINTS = 5.0
OVERSIZE = 3.0  # candidates up to 3 × the maximum demand (they can be split)


@dataclass(frozen=True)
class Need:
    """What the project needs, as the score sees it."""

    chain: str
    link: str
    min_area_mu: float
    max_area_mu: float
    platforms: tuple[str, ...]  # preferred platform codes (empty: no preference)
    platform_names: tuple[str, ...]
    needed_by: date | None


@dataclass(frozen=True)
class Candidate:
    """A plot or zone with what the SQL measured about it."""

    kind: str  # "plot" | "zone"
    key: str  # unit code or zone code
    area_mu: float
    platforms: tuple[str, ...]
    platform_names: tuple[str, ...]
    town_name: str | None
    same_link_m: float | None
    same_link_firm: str | None
    adjacent_m: float | None
    adjacent_firm: str | None
    adjacent_link: str | None
    control_share: float | None  # None: no control line recorded
    available_from: date | None  # None: a zone, not yet vacated
    shape_share: float | None = None  # largest share of the minimum demand that fits


@dataclass(frozen=True)
class Part:
    """One part of the score."""

    name: str
    title: str
    points: float
    max_points: float
    explanation: str


@dataclass(frozen=True)
class Scored:
    """A candidate's total and its parts, best first when sorted by ``-total``."""

    candidate: Candidate
    total: float
    parts: list[Part] = field(default_factory=list)

    @property
    def flagged(self) -> list[str]:
        """Parts that scored nothing (an investor should look twice)."""
        return [p.name for p in self.parts if p.points == 0]

    @property
    def explanation(self) -> list[str]:
        """The parts' sentences, in order."""
        return [f"{p.title} {p.points:g}/{p.max_points:g} 分: {p.explanation}" for p in self.parts]


def _part(name: str, points: float, text: str) -> Part:
    return Part(name, TITLES[name], round(float(points), 2), WEIGHTS[name], text)


def area_part(c: Candidate, n: Need) -> Part:
    """Area within the demand, or how far above or below it."""
    a = c.area_mu
    if a < n.min_area_mu:
        return _part("area", 0, f"面积 {a:.2f} 亩, 小于需求下限 {n.min_area_mu:g} 亩")
    if a <= n.max_area_mu:
        return _part("area", WEIGHTS["area"],
                     f"面积 {a:.2f} 亩, 在需求 {n.min_area_mu:g}–{n.max_area_mu:g} 亩之内")
    return _part("area", WEIGHTS["area"] * n.max_area_mu / a,
                 f"面积 {a:.2f} 亩, 超出需求上限 {n.max_area_mu:g} 亩, 需分割供地")


def shape_part(c: Candidate, n: Need) -> Part:
    """A usable rectangle of the minimum demand (shape_fit.py), not just the area."""
    share = c.shape_share
    need = f"{n.min_area_mu:g} 亩"
    if share is None:
        return _part("shape", 0, "未做形状检验")
    if share >= 1.0:
        return _part("shape", WEIGHTS["shape"], f"可容纳 {need} 的规整矩形 (长宽比 1:1–1:3)")
    if share >= PARTIAL_SHAPE_SHARE:
        return _part("shape", PARTIAL_SHAPE_POINTS,
                     f"只能容纳约 {share:.0%} 的规整矩形, 不足 {need}")
    return _part("shape", 0, f"面积虽够, 但容纳不下 {need} 的规整矩形 (长宽比 1:1–1:3), 形状不适")


def platform_part(c: Candidate, n: Need) -> Part:
    """Inside a preferred platform (or no preference)."""
    if not n.platforms:
        return _part("platform", WEIGHTS["platform"], "项目未限定平台")
    hit = [name for code, name in zip(c.platforms, c.platform_names, strict=False)
           if code in n.platforms]
    if hit:
        return _part("platform", WEIGHTS["platform"], f"位于意向平台{'、'.join(hit)}")
    return _part("platform", 0, f"不在意向平台 ({'、'.join(n.platform_names)}) 内")


def _closeness(distance: float | None) -> float:
    if distance is None:
        return 0.0
    return max(0.0, 1.0 - distance / AGGLOMERATION_RADIUS_M)


def _km(distance: float) -> str:
    return f"{distance / 1000:.1f} 公里"


def agglomeration_part(c: Candidate, n: Need) -> Part:
    """Nearness to firms of the same link and of an adjacent link of the chain."""
    same = SAME_LINK_POINTS * _closeness(c.same_link_m)
    adjacent = ADJACENT_POINTS * _closeness(c.adjacent_m)
    radius = _km(AGGLOMERATION_RADIUS_M)
    if c.same_link_m is not None and same > 0:
        text = f"距最近同环节 ({n.link}) 企业{c.same_link_firm} {_km(c.same_link_m)}"
    else:
        text = f"{radius}内无同环节 ({n.link}) 企业"
    if c.adjacent_m is not None and adjacent > 0:
        text += f"; 距上下游环节 ({c.adjacent_link}) 企业{c.adjacent_firm} {_km(c.adjacent_m)}"
    else:
        text += f"; {radius}内无上下游环节企业"
    return _part("agglomeration", same + adjacent, text)


def control_line_part(c: Candidate) -> Part:
    """Share inside the current industrial control line."""
    if c.control_share is None:
        return _part("control_line", 0, "工业用地控制线尚未录入, 无法判断")
    share = max(0.0, min(1.0, c.control_share))
    if share >= 0.99:
        return _part("control_line", WEIGHTS["control_line"], "位于工业用地控制线内, 工业用途合规")
    if share <= 0.01:
        return _part("control_line", 0, "不在工业用地控制线内")
    return _part("control_line", WEIGHTS["control_line"] * share,
                 f"{share:.0%} 位于工业用地控制线内")


def availability_part(c: Candidate, n: Need, today: date) -> Part:
    """Available by the project's date (or today, when it has none or it has passed)."""
    if c.available_from is None:
        return _part("availability", ZONE_AVAILABILITY_POINTS, "片区尚在腾退, 供地时间待定")
    # a date already past cannot be met by anything: then today is the yardstick
    planned = n.needed_by is not None and n.needed_by >= today
    target = n.needed_by if planned and n.needed_by is not None else today
    when = "项目用地时间" if planned else "今天"
    if c.available_from <= target:
        return _part("availability", WEIGHTS["availability"],
                     f"{c.available_from.isoformat()} 起可供地, 不晚于{when}")
    months = (c.available_from - target).days / 30.44
    points = WEIGHTS["availability"] * max(0.0, 1.0 - months / 12)
    return _part("availability", points,
                 f"预计 {c.available_from.isoformat()} 可交地, 晚于{when}约 {months:.0f} 个月")


def score(c: Candidate, n: Need, today: date) -> Scored:
    """All six parts and the total: the sum of the parts as shown, to 0.1 (half up)."""
    parts = [area_part(c, n), shape_part(c, n), platform_part(c, n), agglomeration_part(c, n),
             control_line_part(c), availability_part(c, n, today)]
    shown = Decimal(str(round(sum(p.points for p in parts), 2)))  # the parts as shown
    return Scored(c, float(shown.quantize(Decimal("0.1"), ROUND_HALF_UP)), parts)


def rank(scored: list[Scored]) -> list[Scored]:
    """Best first; ties broken by kind (plots first) and code, so the order is stable."""
    return sorted(scored, key=lambda s: (-s.total, s.candidate.kind != "plot", s.candidate.key))
