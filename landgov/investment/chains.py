"""The industry-chain catalogue (产业链): the six target clusters, their links, and flows.

A chain is described by its links (环节); a *flow* ``(a, b)`` says link ``a`` supplies
link ``b`` (upstream → downstream). Two links are *adjacent* when a flow joins them
either way: a project's agglomeration score counts firms of its own link and of the
adjacent links (DOMAIN.md, 产业链精准招商). This module is the one source: migration
0012 seeds the tables ``industry_chain`` / ``chain_link`` from it (projects refer to
them by foreign key), the API lists it, and the demo tags firms with it.

Why the ``enterprise.chain`` / ``chain_link`` columns of migration 0001 stay free text
(no foreign key): firm registers imported from 经信局 spreadsheets carry chain names
outside the six (新材料, 现代纺织 …) that are true facts about the firm; refusing them
would refuse the import. Matching and the nearest-firm lists only count tags that name
a catalogue link (the trigger-maintained ``chain_site`` table joins on ``chain_link``),
so an unknown tag is harmless and visible as "not in the catalogue".

>>> adjacent_links("集成电路", "封装测试")
('制造', '材料', '设备')
>>> link_exists("集成电路", "设计"), link_exists("集成电路", "酿造")
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chain:
    """One industry chain: its name, a one-line description, its links and flows."""

    name: str
    description: str
    links: tuple[str, ...]
    flows: tuple[tuple[str, str], ...]  # (upstream link, downstream link)

    def adjacent(self, link: str) -> tuple[str, ...]:
        """Links that supply ``link`` or that ``link`` supplies, in catalogue order."""
        near = {a for a, b in self.flows if b == link} | {b for a, b in self.flows if a == link}
        return tuple(x for x in self.links if x in near)

    def upstream(self, link: str) -> tuple[str, ...]:
        """Links that supply ``link``."""
        return tuple(a for a, b in self.flows if b == link)

    def downstream(self, link: str) -> tuple[str, ...]:
        """Links that ``link`` supplies."""
        return tuple(b for a, b in self.flows if a == link)


CHAINS: tuple[Chain, ...] = (
    Chain("集成电路", "芯片设计、制造、封装测试及其材料与设备 (千亿级集群)",
          ("设计", "制造", "封装测试", "材料", "设备"),
          (("设计", "制造"), ("制造", "封装测试"), ("材料", "制造"), ("材料", "封装测试"),
           ("设备", "制造"), ("设备", "封装测试"))),
    Chain("生物医药", "原料药、化学制剂、生物药与医疗器械 (千亿级集群)",
          ("研发外包", "原料药", "化学制剂", "生物药", "医疗器械"),
          (("研发外包", "化学制剂"), ("研发外包", "生物药"), ("原料药", "化学制剂"),
           ("研发外包", "医疗器械"))),
    Chain("智能制造", "核心零部件、控制系统、工业机器人、数控机床与系统集成 (千亿级集群)",
          ("核心零部件", "控制系统", "工业机器人", "数控机床", "系统集成"),
          (("核心零部件", "工业机器人"), ("核心零部件", "数控机床"), ("控制系统", "工业机器人"),
           ("控制系统", "数控机床"), ("工业机器人", "系统集成"), ("数控机床", "系统集成"))),
    Chain("新能源", "电池材料、锂电池、光伏、储能与新能源汽车零部件",
          ("电池材料", "锂电池", "光伏", "储能", "新能源汽车零部件"),
          (("电池材料", "锂电池"), ("锂电池", "储能"), ("光伏", "储能"),
           ("锂电池", "新能源汽车零部件"))),
    Chain("5G+8K 智能视觉", "光电器件、显示器件、摄像模组、通信设备与整机应用",
          ("光电器件", "显示器件", "摄像模组", "通信设备", "整机与应用"),
          (("光电器件", "显示器件"), ("光电器件", "摄像模组"), ("显示器件", "整机与应用"),
           ("摄像模组", "整机与应用"), ("通信设备", "整机与应用"))),
    Chain("黄酒", "原料、酿造、包装与物流销售 (绍兴传统优势产业)",
          ("原料", "酿造", "包装", "物流与销售"),
          (("原料", "酿造"), ("包装", "酿造"), ("酿造", "物流与销售"))),
)

_BY_NAME = {c.name: c for c in CHAINS}

# GB/T 4754 industries of the demo register → (chain, link); the demo tags its firms
# with these (set-based) when a register arrives without tags.
INDUSTRY_LINKS: dict[str, tuple[str, str]] = {
    "集成电路设计": ("集成电路", "设计"),
    "电子专用材料制造": ("集成电路", "材料"),
    "半导体器件专用设备制造": ("集成电路", "设备"),
    "化学药品原料药制造": ("生物医药", "原料药"),
    "化学药品制剂制造": ("生物医药", "化学制剂"),
    "生物药品制造": ("生物医药", "生物药"),
    "医疗诊断、监护及治疗设备制造": ("生物医药", "医疗器械"),
    "工业机器人制造": ("智能制造", "工业机器人"),
    "金属切削机床制造": ("智能制造", "数控机床"),
    "工业自动控制系统装置制造": ("智能制造", "控制系统"),
    "其他通用零部件制造": ("智能制造", "核心零部件"),
    "锂离子电池制造": ("新能源", "锂电池"),
    "光伏设备及元器件制造": ("新能源", "光伏"),
    "其他电池制造": ("新能源", "储能"),
    "汽车零部件及配件制造": ("新能源", "新能源汽车零部件"),
    "光电子器件制造": ("5G+8K 智能视觉", "光电器件"),
    "显示器件制造": ("5G+8K 智能视觉", "显示器件"),
    "通信系统设备制造": ("5G+8K 智能视觉", "通信设备"),
    "影视录放设备制造": ("5G+8K 智能视觉", "摄像模组"),
    "黄酒制造": ("黄酒", "酿造"),
    "玻璃包装容器制造": ("黄酒", "包装"),
}


def chain(name: str) -> Chain | None:
    """The chain called ``name``, if it is in the catalogue."""
    return _BY_NAME.get(name)


def link_exists(chain_name: str, link: str) -> bool:
    """Whether ``link`` is a link of the catalogue chain ``chain_name``."""
    found = _BY_NAME.get(chain_name)
    return found is not None and link in found.links


def adjacent_links(chain_name: str, link: str) -> tuple[str, ...]:
    """The links adjacent to ``link`` in ``chain_name`` (empty when unknown)."""
    found = _BY_NAME.get(chain_name)
    return found.adjacent(link) if found else ()


def seed_rows() -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Rows of ``industry_chain`` and ``chain_link`` (for the migration)."""
    chains = [{"name": c.name, "description": c.description, "position": i + 1}
              for i, c in enumerate(CHAINS)]
    links = [{"chain": c.name, "link": link, "position": j + 1,
              "upstream": list(c.upstream(link)), "downstream": list(c.downstream(link))}
             for c in CHAINS for j, link in enumerate(c.links)]
    return chains, links
