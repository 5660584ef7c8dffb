"""The evaluation as one set-based statement, built from a rule set.

Only code-defined fragments (the catalogue's columns and this module's templates) become
SQL text; every number of the rule set is a bound parameter. The statement yields one
row per enterprise with indicator data for the year: its status (scored or the rule that
exempted it), the data-quality findings, each indicator value and score, the total, its
rank within its group (规上 / 规下), the class, and each 两低两高 flag with its numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from landgov.evaluation.catalogue import INDICATORS, Indicator
from landgov.evaluation.rules import RuleSet

INPUT_COLUMNS = ("tax_wan", "revenue_wan", "value_added_wan", "energy_tce", "electricity_kwh",
                 "water_m3", "cod_t", "ammonia_n_t", "so2_t", "nox_t", "rd_wan", "employees")
# Results keep inputs and values as float8 arrays in these orders (cheap to store, and
# +∞ is a float), named again when read.
INPUT_KEYS = (*INPUT_COLUMNS, "land_mu")


@cache
def _template(name: str) -> str:
    return resources.files("landgov.evaluation").joinpath("sql", f"{name}.sql").read_text("utf-8")


@dataclass
class Statement:
    """SQL text and its bound parameters."""

    sql: str
    params: dict[str, Any] = field(default_factory=dict)


def _value_expr(ind: Indicator) -> str:
    """The indicator's value; a zero denominator is +∞ (nothing used, all produced)."""
    num = f"b.{ind.numerator}"
    den = "b.land_mu" if ind.denominator == "land_mu" else f"b.{ind.denominator}"
    return (f"CASE WHEN {num} IS NULL OR {den} IS NULL THEN NULL "
            f"WHEN {den} = 0 THEN 'Infinity'::float8 "
            f"ELSE {num}::float8 * {ind.scale} / {den} END")


def _needed_inputs(rules: RuleSet, group: str) -> list[str]:
    cols = {c for key in rules.groups[group]  # type: ignore[index]
            for c in (INDICATORS[key].numerator, INDICATORS[key].denominator)}
    return sorted(cols - {"land_mu"})


def _quality_expr(rules: RuleSet) -> str:
    """Codes of the data-quality findings of a row (text[]), per group's needed inputs."""
    checks = [f"CASE WHEN b.{c} < 0 THEN 'negative:{c}' END" for c in INPUT_COLUMNS]
    for group in ("above_scale", "below_scale"):
        checks += [f"CASE WHEN b.grp = '{group}' AND b.{c} IS NULL THEN 'missing:{c}' END"
                   for c in _needed_inputs(rules, group)]
    checks.append("CASE WHEN b.energy_tce = 0 AND b.industry_major = ANY(:energy_intensive) "
                  "THEN 'implausible:energy_tce' END")
    checks.append("CASE WHEN b.land_mu <= 0 THEN 'no_land' END")
    return f"array_remove(ARRAY[{', '.join(checks)}]::text[], NULL)"


def _score_exprs(rules: RuleSet, params: dict[str, Any]) -> tuple[str, str]:
    """Jsonb of scores and the total, per group, with the rule numbers bound."""
    pairs, totals = [], []
    for group, indicators in rules.groups.items():
        parts = []
        for key, rule in indicators.items():
            p = f"{group}_{key}"
            params.update({f"w_{p}": rule.weight, f"b_{p}": rule.benchmark, f"c_{p}": rule.cap})
            parts.append((key, f"LEAST(v.{key} / :b_{p}, :c_{p}) * :w_{p}"))
        obj = ", ".join(f"'{k}', round(({e})::numeric, 4)" for k, e in parts)
        pairs.append(f"WHEN '{group}' THEN jsonb_build_object({obj})")
        totals.append(f"WHEN '{group}' THEN {' + '.join(e for _, e in parts)}")
    return (f"CASE v.grp {' '.join(pairs)} END", f"CASE v.grp {' '.join(totals)} END")


def _flag_exprs(rules: RuleSet, params: dict[str, Any]) -> tuple[str, str]:
    """Window columns ranking each flag's indicator worst-first, and the flags' jsonb."""
    windows, objects = [], []
    for name, rule in rules.flags.items():
        ind = INDICATORS[rule.indicator]
        order = "ASC" if ind.higher_is_better else "DESC"
        cmp = "<" if ind.higher_is_better else ">"
        params.update({f"t_{name}": rule.threshold, f"s_{name}": rule.worst_share})
        windows.append(
            f"CASE WHEN s.v_{name} IS NULL THEN NULL ELSE "
            f"(rank() OVER (PARTITION BY s.v_{name} IS NULL ORDER BY s.v_{name} {order}) - 1)"
            f"::float8 / count(*) OVER (PARTITION BY s.v_{name} IS NULL) END AS worse_{name}")
        objects.append(
            f"'{name}', CASE WHEN r.v_{name} IS NULL THEN NULL ELSE jsonb_build_object("
            f"'indicator', '{rule.indicator}', "
            f"'value', CASE WHEN r.v_{name} = 'Infinity' THEN to_jsonb('Infinity'::text) "
            f"ELSE to_jsonb(round(r.v_{name}::numeric, 6)) END, "
            f"'threshold', :t_{name}, 'worst_share', :s_{name}, "
            f"'share_worse', round(r.worse_{name}::numeric, 6), "
            f"'by_threshold', r.v_{name} {cmp} :t_{name}, "
            f"'by_rank', r.worse_{name} < :s_{name}, "
            f"'fired', r.v_{name} {cmp} :t_{name} OR r.worse_{name} < :s_{name}) END")
    return ",\n       ".join(windows), f"jsonb_build_object({', '.join(objects)})"


def _class_expr(rules: RuleSet, params: dict[str, Any]) -> str:
    cuts = rules.classes
    params.update({"cut_a": cuts.A, "cut_b": cuts.B, "cut_c": cuts.C})
    if cuts.method == "percentile":
        on = "r.share_above"
        return (f"CASE WHEN {on} < :cut_a THEN 'A' WHEN {on} < :cut_b THEN 'B' "
                f"WHEN {on} < :cut_c THEN 'C' ELSE 'D' END")
    return ("CASE WHEN r.total >= :cut_a THEN 'A' WHEN r.total >= :cut_b THEN 'B' "
            "WHEN r.total >= :cut_c THEN 'C' ELSE 'D' END")


def value_keys(rules: RuleSet) -> list[str]:
    """The indicators a run computes, in the order of its results' ``values`` arrays."""
    return sorted({k for g in rules.groups.values() for k in g}
                  | {f.indicator for f in rules.flags.values()})


def evaluation_statement(rules: RuleSet, year: int) -> Statement:
    """The statement that evaluates every enterprise with data for ``year``."""
    params: dict[str, Any] = {
        "year": year,
        "tenures": list(rules.land.tenures),
        "min_mu": rules.land.min_mu,
        "new_years": rules.exemptions.new_firm_years,
        "listed": list(rules.exemptions.listed),
        "energy_intensive": list(rules.data_quality.energy_intensive_industries),
    }
    keys = value_keys(rules)
    values = ",\n       ".join(f"{_value_expr(INDICATORS[k])} AS {k}" for k in keys)
    scores, total = _score_exprs(rules, params)
    windows, flags = _flag_exprs(rules, params)
    flag_values = ", ".join(f"v.{rule.indicator} AS v_{name}" for name, rule in rules.flags.items())
    values_array = f"ARRAY[{', '.join(f'x.{k}' for k in keys)}]::float8[]"
    inputs_array = f"ARRAY[{', '.join(f'x.{k}' for k in INPUT_KEYS)}]::float8[]"
    sql = _template("evaluate").format(
        values=values, quality=_quality_expr(rules), scores=scores, total=total,
        windows=windows, flag_values=flag_values, flags=flags, values_array=values_array,
        inputs_array=inputs_array,
        klass=_class_expr(rules, params),
        both_low="true" if rules.two_low_two_high.both_low else "false",
        d_high="true" if rules.two_low_two_high.d_class_with_high else "false",
    )
    return Statement(sql, params)
