"""The fixed facts the demo district is drawn from: towns, platforms, industries, names.

Kept apart from the generators so the geography and the industry mix can be read (and
argued with) in one place. Coordinates are EPSG:4549 metres, placed by eye on the real
越城区 outline: the old city in the middle, 袍江 to its north-east, 高新区 to the
north-west, and 滨海新区 on the reclaimed land by Hangzhou Bay in the north.
"""

from __future__ import annotations

from dataclasses import dataclass

# The 17 towns and streets (镇街) of DOMAIN.md, in its order, with a seed point each.
# Town codes are county code + the 1-based position; the 地籍区 is the same number.
TOWNS: tuple[tuple[str, float, float], ...] = (
    ("塔山街道", 555_400, 3_320_300),
    ("府山街道", 554_600, 3_321_300),
    ("北海街道", 553_600, 3_321_700),
    ("城南街道", 554_300, 3_313_500),
    ("稽山街道", 558_300, 3_317_300),
    ("迪荡街道", 557_900, 3_321_300),
    ("灵芝街道", 554_500, 3_325_300),
    ("皋埠街道", 564_300, 3_322_500),
    ("陶堰街道", 570_800, 3_321_200),
    ("马山街道", 564_500, 3_331_500),
    ("孙端街道", 569_800, 3_328_300),
    ("东湖街道", 561_300, 3_319_000),
    ("东浦街道", 550_500, 3_326_800),
    ("鉴湖街道", 550_600, 3_322_600),
    ("斗门街道", 559_300, 3_328_000),
    ("沥海街道", 571_500, 3_341_000),
    ("富盛镇", 567_300, 3_310_800),
)
TOWN_JITTER_M = 400.0


@dataclass(frozen=True)
class PlatformSpec:
    """A development platform: its code, name, kind, outline, and where building began."""

    code: str
    name: str
    kind: str
    outline: tuple[tuple[float, float], ...]
    seed: tuple[float, float]
    mix: str
    street_angle_deg: float


# 滨海新区 deliberately runs past the district outline (west into 柯桥, east into 上虞,
# north into the bay): it is a functional zone, not an administrative unit.
PLATFORMS: tuple[PlatformSpec, ...] = (
    PlatformSpec("zongbao", "绍兴综合保税区", "bonded_zone",
                 ((566_600, 3_325_600), (569_000, 3_325_900), (569_300, 3_328_000),
                  (566_900, 3_328_200)), (567_900, 3_326_900), "bonded", 8.0),
    PlatformSpec("paojiang", "袍江经开区", "development_zone",
                 ((559_300, 3_323_800), (563_200, 3_323_300), (566_300, 3_324_600),
                  (566_500, 3_329_300), (562_400, 3_330_300), (559_000, 3_329_100),
                  (558_200, 3_326_400)), (562_300, 3_326_800), "paojiang", 12.0),
    PlatformSpec("gaoxin", "绍兴高新区", "high_tech_zone",
                 ((551_300, 3_322_900), (555_700, 3_322_700), (556_700, 3_325_300),
                  (555_900, 3_327_800), (552_300, 3_328_100), (550_900, 3_325_600)),
                 (553_700, 3_325_200), "gaoxin", -6.0),
    PlatformSpec("binhai", "滨海新区", "functional_zone",
                 ((552_000, 3_331_000), (560_000, 3_330_700), (567_000, 3_331_800),
                  (575_500, 3_331_300), (584_000, 3_332_500), (584_000, 3_356_000),
                  (566_000, 3_357_000), (553_000, 3_343_000), (547_500, 3_335_000)),
                 (566_000, 3_336_000), "binhai", 20.0),
)


@dataclass(frozen=True)
class AreaSpec:
    """A town's own industrial area (镇街工业区), drawn as a seeded blob."""

    name: str
    centre: tuple[float, float]
    radii: tuple[float, float]
    mix: str
    street_angle_deg: float


INDUSTRIAL_AREAS: tuple[AreaSpec, ...] = (
    AreaSpec("皋埠工业区", (565_200, 3_320_800), (2_100, 1_500), "town", 5.0),
    AreaSpec("陶堰工业区", (571_300, 3_318_800), (1_300, 2_200), "town", -10.0),
    AreaSpec("孙端工业区", (571_000, 3_329_500), (1_500, 1_000), "town", 15.0),
    AreaSpec("富盛工业园", (566_600, 3_309_700), (1_600, 1_500), "town", 0.0),
    AreaSpec("东浦黄酒产业园", (549_900, 3_328_900), (1_300, 1_400), "huangjiu", -15.0),
    AreaSpec("鉴湖工业区", (551_200, 3_321_000), (1_000, 1_300), "town", 25.0),
    AreaSpec("城南工业区", (555_800, 3_310_600), (1_400, 1_400), "town", 0.0),
    AreaSpec("东湖工业区", (562_400, 3_316_600), (1_300, 1_000), "town", -5.0),
)


@dataclass(frozen=True)
class Industry:
    """An industry (GB/T 4754-2017 class) and how its firms tend to look.

    The multipliers scale value added per unit of energy, water and COD against the
    firm's class profile: a dye house uses far more water per 万元 than a chip plant.
    """

    code: str
    name: str
    group: str
    words: tuple[str, ...]
    nuisance: int
    chain: str | None = None
    link: str | None = None
    energy: float = 1.0
    water: float = 1.0
    emission: float = 1.0


INDUSTRIES: tuple[Industry, ...] = (
    Industry("1713", "棉印染精加工", "印染", ("印染", "染整"), 3, energy=0.5, water=0.3,
             emission=0.25),
    Industry("1752", "化纤织物染整精加工", "印染", ("印染", "印花", "染整"), 3, energy=0.5,
             water=0.3, emission=0.25),
    Industry("2645", "染料制造", "化工", ("染料", "化工"), 3, energy=0.5, water=0.5,
             emission=0.4),
    Industry("2614", "有机化学原料制造", "化工", ("化工", "化学"), 3, energy=0.45,
             water=0.6, emission=0.4),
    Industry("2641", "涂料制造", "化工", ("涂料", "新材料"), 3, energy=0.7, emission=0.6),
    Industry("2822", "涤纶纤维制造", "化纤", ("化纤", "纤维"), 2, energy=0.6, water=0.7),
    Industry("1711", "棉纺纱加工", "纺织", ("纺织", "纱业"), 2, energy=0.8),
    Industry("1751", "化纤织造加工", "纺织", ("纺织", "织造", "针纺"), 2, energy=0.8),
    Industry("1819", "其他机织服装制造", "服饰", ("服饰", "制衣"), 1),
    Industry("3391", "黑色金属铸造", "铸造", ("铸造", "铸业"), 2, energy=0.4),
    Industry("3392", "有色金属铸造", "铸造", ("铸造", "精密铸造"), 2, energy=0.45),
    Industry("3311", "金属结构制造", "机械", ("钢结构", "金属制品"), 2),
    Industry("3443", "阀门和旋塞制造", "机械", ("阀门", "机械"), 2),
    Industry("2927", "日用塑料制品制造", "塑料", ("塑业", "塑料制品"), 2, energy=0.8),
    Industry("2231", "纸和纸板容器制造", "包装", ("包装", "纸业"), 2, water=0.7),
    Industry("6520", "集成电路设计", "集成电路", ("微电子", "芯片设计"), 1, "集成电路", "设计",
             energy=3.0, water=3.0, emission=4.0),
    Industry("3973", "集成电路制造", "集成电路", ("半导体", "集成电路"), 1, "集成电路", "制造",
             energy=1.6, water=0.8, emission=2.0),
    Industry("3973", "集成电路制造", "集成电路", ("封测", "半导体封装"), 1, "集成电路",
             "封装测试", energy=1.8, emission=2.0),
    Industry("3985", "电子专用材料制造", "集成电路", ("电子材料", "新材料"), 2, "集成电路", "材料",
             energy=1.2),
    Industry("3562", "半导体器件专用设备制造", "集成电路", ("半导体设备", "精密装备"), 1,
             "集成电路", "设备", energy=2.0, emission=2.0),
    Industry("2710", "化学药品原料药制造", "生物医药", ("药业", "制药"), 3, "生物医药", "原料药",
             energy=0.8, water=0.6, emission=0.6),
    Industry("2720", "化学药品制剂制造", "生物医药", ("制药", "药业"), 2, "生物医药", "化学制剂",
             energy=1.5, emission=1.2),
    Industry("2761", "生物药品制造", "生物医药", ("生物", "生物医药"), 2, "生物医药", "生物药",
             energy=1.8, emission=1.5),
    Industry("3581", "医疗诊断、监护及治疗设备制造", "生物医药", ("医疗器械", "医疗科技"), 1,
             "生物医药", "医疗器械", energy=2.2, emission=2.5),
    Industry("3491", "工业机器人制造", "智能制造", ("机器人", "智能装备"), 1, "智能制造",
             "工业机器人", energy=2.0, emission=2.5),
    Industry("3421", "金属切削机床制造", "智能制造", ("数控", "机床"), 2, "智能制造", "数控机床",
             energy=1.4, emission=1.5),
    Industry("4011", "工业自动控制系统装置制造", "智能制造", ("自动化", "智能控制"), 1,
             "智能制造", "控制系统", energy=2.5, emission=3.0),
    Industry("3489", "其他通用零部件制造", "智能制造", ("精工", "传动"), 2, "智能制造",
             "核心零部件", energy=1.1),
    Industry("3841", "锂离子电池制造", "新能源", ("锂电", "新能源"), 2, "新能源", "锂电池",
             energy=1.1, emission=1.3),
    Industry("3825", "光伏设备及元器件制造", "新能源", ("光伏", "光能"), 2, "新能源", "光伏",
             energy=1.0, emission=1.5),
    Industry("3849", "其他电池制造", "新能源", ("储能", "能源科技"), 2, "新能源", "储能",
             energy=1.2, emission=1.3),
    Industry("3670", "汽车零部件及配件制造", "新能源", ("汽车部件", "汽配"), 2, "新能源",
             "新能源汽车零部件", energy=1.0),
    Industry("3976", "光电子器件制造", "5G+8K 智能视觉", ("光电", "光电科技"), 1,
             "5G+8K 智能视觉", "光电器件", energy=1.8, emission=2.5),
    Industry("3974", "显示器件制造", "5G+8K 智能视觉", ("显示", "显示科技"), 1,
             "5G+8K 智能视觉", "显示器件", energy=1.3, emission=2.0),
    Industry("3921", "通信系统设备制造", "5G+8K 智能视觉", ("通信", "通讯设备"), 1,
             "5G+8K 智能视觉", "通信设备", energy=2.5, emission=3.0),
    Industry("3953", "影视录放设备制造", "5G+8K 智能视觉", ("视像", "影像科技"), 1,
             "5G+8K 智能视觉", "摄像模组", energy=2.2, emission=3.0),
    Industry("1514", "黄酒制造", "黄酒", ("酿酒", "黄酒", "酒业"), 1, "黄酒", "酿造",
             energy=1.2, water=0.5, emission=0.6),
    Industry("3055", "玻璃包装容器制造", "黄酒", ("玻璃制品", "酒瓶"), 2, "黄酒", "包装",
             energy=0.5),
)

CHAINS: tuple[str, ...] = ("集成电路", "生物医药", "智能制造", "新能源", "5G+8K 智能视觉", "黄酒")
FOUNDRY_GROUP = "铸造"
DYE_CHEMICAL_GROUPS = ("印染", "化工")

# Weight of each industry group in the firms of a kind of area. 滨海新区 is where the
# district's dye houses and chemical plants are being consolidated.
MIXES: dict[str, dict[str, float]] = {
    "binhai": {"印染": 30, "化工": 20, "化纤": 10, "纺织": 10, "新能源": 8, "智能制造": 6,
               "机械": 6, "生物医药": 4, "包装": 3, "塑料": 3},
    "paojiang": {"生物医药": 16, "新能源": 12, "智能制造": 14, "机械": 14, "纺织": 12,
                 "印染": 4, "化工": 3, "黄酒": 5, "包装": 6, "塑料": 6, "服饰": 8},
    "gaoxin": {"集成电路": 26, "5G+8K 智能视觉": 20, "生物医药": 14, "智能制造": 16,
               "机械": 8, "服饰": 6, "包装": 5, "塑料": 5},
    "bonded": {"集成电路": 38, "5G+8K 智能视觉": 30, "智能制造": 12, "生物医药": 10,
               "包装": 10},
    "town": {"纺织": 20, "服饰": 11, "机械": 18, "铸造": 12, "塑料": 10, "包装": 9,
             "印染": 5, "化工": 3, "黄酒": 3, "智能制造": 5, "新能源": 4},
    "huangjiu": {"黄酒": 45, "包装": 10, "纺织": 15, "服饰": 10, "机械": 12, "塑料": 8},
}

# Company names: 绍兴 + 字号 + industry word + form, e.g. 绍兴恒瑞印染有限公司.
NAME_PREFIXES: tuple[str, ...] = ("绍兴", "绍兴", "绍兴", "浙江", "绍兴市")
NAME_SYLLABLES = (
    "恒瑞华兴越鑫隆达盛泰新宏远永通嘉禾联汇金银东海宝信诚正天元中富荣康德安博凯明龙凤"
    "江鉴稽会舜禹兰亭锦绣丰佳顺昌景星辰骏腾飞翔宇环球立伟俊豪光耀峰岳林森源泉润湖"
)
NAME_FORMS: tuple[str, ...] = ("有限公司",) * 8 + ("股份有限公司", "有限责任公司")
