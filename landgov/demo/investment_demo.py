"""Demo step: chain tags, plots' 标准地 indicators and delivery dates, 招商项目.

* Firms whose register carries no chain tag get one from their industry
  (``chains.INDUSTRY_LINKS``), set-based; the demo generator already tags its firms,
  so this matters for registers imported without tags.
* Available plots get their own 标准地 row where the investment bureau would have set
  one: reclaimed plots are ready now; idle ones are delivered within 0–5 months;
  cleared ones need 收储 and site levelling first, 3–11 months (spread by the unit's
  stable fid, so the same district always gets the same dates). Plots in 高新区 and
  the bonded zone carry a stricter 投资强度 than the platform default.
* One project per target chain, with its land demand, 标准地 figures and preferred
  platforms (the ones that exist in the loaded district).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from landgov.investment import queries
from landgov.investment.chains import INDUSTRY_LINKS
from landgov.investment.models import InvestmentProject
from landgov.parcels.service import today

# (name, chain, link, min 亩, max 亩, intensity, FAR, tax, energy, emission, platforms, months)
PROJECTS: tuple[tuple[str, str, str, int, int, int, float, int, float, float,
                      tuple[str, ...], int], ...] = (
    ("12 英寸晶圆级封装测试基地", "集成电路", "封装测试", 120, 180, 600, 1.8, 50, 0.35, 0.4,
     ("zongbao", "gaoxin"), 6),
    ("高端原料药及制剂一体化项目", "生物医药", "化学制剂", 60, 100, 450, 1.5, 40, 0.4, 0.8,
     ("paojiang",), 9),
    ("工业机器人整机及核心部件项目", "智能制造", "工业机器人", 40, 80, 400, 1.6, 35, 0.3, 0.5,
     ("paojiang", "gaoxin"), 4),
    ("动力电池储能系统项目", "新能源", "储能", 100, 160, 420, 1.4, 32, 0.45, 0.6,
     ("binhai",), 12),
    ("8K 超高清显示模组项目", "5G+8K 智能视觉", "显示器件", 50, 90, 550, 2.0, 45, 0.3, 0.4,
     ("gaoxin", "zongbao"), 3),
    ("黄酒智能酿造及文旅项目", "黄酒", "酿造", 20, 50, 300, 1.2, 28, 0.5, 0.9, (), 6),
)

TAG_FIRMS = """
UPDATE enterprise e SET chain = m.chain, chain_link = m.link
FROM (SELECT * FROM unnest(CAST(:industries AS text[]), CAST(:chains AS text[]),
                           CAST(:links AS text[])) AS x(industry, chain, link)) m
WHERE e.chain IS NULL AND e.industry_name = m.industry
"""
SEED_STANDARDS = """
INSERT INTO plot_standard (unit_code, investment_intensity_wan_per_mu, deliverable_on, set_by)
SELECT a.unit_code,
       CASE WHEN a.platform_codes && ARRAY['gaoxin', 'zongbao'] THEN 600 END,
       CASE a.status WHEN 'reclaimed' THEN NULL
                     WHEN 'idle' THEN CAST(:today AS date) + CAST(a.fid % 6 AS integer) * 30
                     ELSE CAST(:today AS date) + CAST(3 + a.fid % 9 AS integer) * 30 END,
       'landgov demo'
FROM available_plot a
ON CONFLICT (unit_code) DO NOTHING
"""


def seed(session: Session, year: int) -> str | None:
    """Tag, set standards, add projects, unless projects exist (never commits)."""
    if session.scalar(select(func.count()).select_from(InvestmentProject)):
        return None
    industries = list(INDUSTRY_LINKS)
    tagged = session.execute(text(TAG_FIRMS), {
        "industries": industries, "chains": [INDUSTRY_LINKS[i][0] for i in industries],
        "links": [INDUSTRY_LINKS[i][1] for i in industries]}).rowcount  # type: ignore[attr-defined]
    standards = session.execute(text(SEED_STANDARDS),
                                {"today": today()}).rowcount  # type: ignore[attr-defined]
    known = set(queries.platforms(session))
    start = today()  # the projects are being negotiated now, whatever the data year
    for name, chain, link, lo, hi, inv, far, tax, energy, emission, plats, months in PROJECTS:
        session.add(InvestmentProject(
            name=name, chain=chain, link=link, min_area_mu=lo, max_area_mu=hi,
            investment_intensity_wan_per_mu=inv, floor_area_ratio=far, tax_per_mu_wan=tax,
            energy_tce_per_wan=energy, emission_kg_per_wan=emission,
            preferred_platforms=[p for p in plats if p in known],
            land_needed_by=start + timedelta(days=30 * months), status="negotiating",
            created_by="landgov demo", version=1))
    session.flush()
    plots = session.execute(text("SELECT count(*) FROM available_plot")).scalar_one()
    return (f"招商: {len(PROJECTS)} 个项目, {plots} 宗可供地块 "
            f"({standards} 宗设定标准地指标与交地日期), 补充产业链标签 {tagged} 家企业")
