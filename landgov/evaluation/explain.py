"""Why a firm has its class and flags: the numbers and the rule lines, zh and en.

Pure: it reads a stored result and the rule set it was computed with, so the answer is
exactly what the run decided, even if indicators changed since.
"""

from __future__ import annotations

from typing import Any

from landgov.evaluation.catalogue import CLASSES, FLAGS, INDICATORS, INPUT_LABELS
from landgov.evaluation.rules import RuleSet

STATUS_TEXT: dict[str, tuple[str, str]] = {
    "scored": ("已参评", "scored"),
    "exempt_listed": ("列入豁免名单, 不参评", "exempted by decision (listed)"),
    "exempt_new": ("新设或新投产企业, 不参评", "new firm, evaluated separately"),
    "data_quality": ("数据缺失或异常, 不参评 (须核实)", "missing or implausible data, not scored"),
    "below_min_land": ("用地面积低于参评门槛, 列入底数清单不评分", "land below the threshold"),
}
QUALITY_TEXT = {"negative": "为负数", "missing": "缺失", "implausible": "为零, 与行业不符"}


def _fmt(value: Any) -> str:
    if value == "Infinity":
        return "∞ (分母为 0)"
    return f"{float(value):,.4f}".rstrip("0").rstrip(".") if value is not None else "—"


def quality_messages(codes: list[str]) -> list[str]:
    """Chinese text for data-quality codes such as ``negative:tax_wan``."""
    out = []
    for code in codes:
        kind, _, column = code.partition(":")
        if kind == "no_land":
            out.append("用地面积为 0 (无现状占用宗地)")
        else:
            out.append(f"{INPUT_LABELS.get(column, column)}{QUALITY_TEXT.get(kind, kind)}")
    return out


def indicator_lines(result: dict[str, Any], rules: RuleSet) -> list[dict[str, Any]]:
    """Each scored indicator: inputs, value, rule numbers, score and the sentence."""
    lines = []
    for key, rule in rules.groups[result["grp"]].items():
        ind = INDICATORS[key]
        value = result["values"].get(key)
        score = (result["scores"] or {}).get(key)
        num, den = result["inputs"].get(ind.numerator), result["inputs"].get(ind.denominator)
        sentence = (f"{ind.label_zh} = {INPUT_LABELS[ind.numerator]} {_fmt(num)} ÷ "
                    f"{INPUT_LABELS[ind.denominator]} {_fmt(den)} = {_fmt(value)} {ind.unit}; "
                    f"得分 = min({_fmt(value)} ÷ {rule.benchmark:g}, {rule.cap:g})"
                    f" × {rule.weight:g} = {_fmt(score)}")
        lines.append({"indicator": key, "label_zh": ind.label_zh, "label_en": ind.label_en,
                      "unit": ind.unit, "numerator": num, "denominator": den, "value": value,
                      "benchmark": rule.benchmark, "weight": rule.weight, "cap": rule.cap,
                      "score": score, "explanation_zh": sentence})
    return lines


def class_line(result: dict[str, Any], rules: RuleSet) -> str:
    """The sentence behind the class."""
    klass = result["class"]
    cuts = rules.classes
    label = CLASSES[klass][0]
    if cuts.method == "percentile":
        share = float(result["share_above"]) * 100
        rank = f"{result['group_rank']}/{result['group_size']}"
        return (f"总分 {_fmt(result['total'])}, 组内排名 {rank} (前方 {share:.1f}%); "
                f"切分: A 前 {cuts.A:.0%}, B 前 {cuts.B:.0%}, C 前 {cuts.C:.0%}, "
                f"其余 D → {klass} 类 ({label})")
    return (f"总分 {_fmt(result['total'])}; 切分: A ≥ {cuts.A:g}, B ≥ {cuts.B:g}, "
            f"C ≥ {cuts.C:g}, 其余 D → {klass} 类 ({label})")


def flag_lines(result: dict[str, Any]) -> list[dict[str, Any]]:
    """Each 两低两高 flag: its numbers, whether it fired and by which test."""
    lines = []
    for name, data in (result["flags"] or {}).items():
        label_zh, label_en = FLAGS[name]
        if data is None:
            lines.append({"flag": name, "label_zh": label_zh, "label_en": label_en,
                          "fired": None, "explanation_zh": f"{label_zh}: 缺少数据, 未判定"})
            continue
        ind = INDICATORS[data["indicator"]]
        side = "低于" if ind.higher_is_better else "高于"
        tests = []
        if data["by_threshold"]:
            tests.append(f"{side}阈值 {data['threshold']:g} {ind.unit}")
        if data["by_rank"]:
            tests.append(f"处于全区最差 {data['worst_share']:.0%} (最差方向前 "
                         f"{float(data['share_worse']):.1%})")
        verdict = "触发: " + "; ".join(tests) if tests else "未触发"
        lines.append({"flag": name, "label_zh": label_zh, "label_en": label_en, **data,
                      "explanation_zh": f"{label_zh}: {ind.label_zh} {_fmt(data['value'])} "
                                        f"{ind.unit}, {verdict}"})
    return lines
