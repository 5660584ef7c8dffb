"""Progress of 盘活 against the target: cumulative, by period, town and mode, the trend.

Every figure comes from the per-record increments (the ground each record brought back
first), so "to a date" is always the area of the union of everything reclaimed up to
that date and a period's figure is the union to its end minus the union to its start;
the plain sum of the records' areas is reported beside it, so double counting shows.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from landgov.errors import FieldError, Forbidden, InvalidInput
from landgov.reclamation import queries
from landgov.reclamation.schemas import Block, Blocks, Progress, ProgressRow, Projection
from landgov.reclamation.service import today
from landgov.reclamation.vocabulary import MODES
from landgov.settings import get_settings

BY = ("year", "month", "town", "mode")
BLOCK_EPS_M = 30.0
BLOCK_MIN_MU = 100.0
DAYS_PER_MONTH = 365.25 / 12


def r2(value: float) -> float:
    """亩 with two decimals, as shown everywhere."""
    return round(float(value) + 0.0, 2)


def month_key(day: date) -> str:
    """``YYYY-MM`` of a date."""
    return f"{day.year:04d}-{day.month:02d}"


def months_between(start: date, end: date) -> list[str]:
    """Every ``YYYY-MM`` from the month of ``start`` to the month of ``end``."""
    keys, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return keys


def town_targets(session: Session, target: float) -> dict[str, tuple[str, float]]:
    """Town code → (name, its share of the target in 亩).

    Configured shares (``LANDGOV_RECLAMATION_TOWN_SHARES``) win; without them the target
    is split pro rata to each town's current parcel area.
    """
    towns = queries.town_land(session)
    shares = get_settings().reclamation_town_shares
    if shares:
        return {t.code: (t.name, float(shares.get(t.code, 0.0))) for t in towns}
    land = sum(float(t.land_mu) for t in towns) or 1.0
    return {t.code: (t.name, target * float(t.land_mu) / land) for t in towns}


def _totals(rows: list[Any]) -> tuple[float, float, int]:
    return (sum(float(r.union_mu) for r in rows), sum(float(r.sum_mu) for r in rows),
            sum(int(r.records) for r in rows))


def _period_rows(rows: list[Any], keys: list[str], before: tuple[float, float, int],
                 label: str) -> list[ProgressRow]:
    found = {r.period: r for r in rows}
    cum_union, cum_sum = before[0], before[1]
    out = []
    for key in keys:
        row = found.get(key)
        union, plain = (float(row.union_mu), float(row.sum_mu)) if row else (0.0, 0.0)
        cum_union, cum_sum = cum_union + union, cum_sum + plain
        out.append(ProgressRow(key=key, label=key + label, union_mu=r2(union), sum_mu=r2(plain),
                               records=int(row.records) if row else 0,
                               cumulative_union_mu=r2(cum_union), cumulative_sum_mu=r2(cum_sum)))
    return out


def _group_rows(by: str, rows: list[Any], before: list[Any],
                towns: dict[str, tuple[str, float]], town: str | None) -> list[ProgressRow]:
    field = "town_code" if by == "town" else "mode"
    labels = ({c: n for c, (n, _) in towns.items() if town in (None, c)} if by == "town"
              else MODES)
    found = {getattr(r, field): r for r in rows}
    prior = {getattr(r, field): r for r in before}
    out = []
    for key, label in labels.items():
        row, old = found.get(key), prior.get(key)
        union = float(row.union_mu) if row else 0.0
        cum = union + (float(old.union_mu) if old else 0.0)
        cum_sum = (float(row.sum_mu) if row else 0.0) + (float(old.sum_mu) if old else 0.0)
        target = towns[key][1] if by == "town" else None
        out.append(ProgressRow(
            key=key, label=label, union_mu=r2(union), sum_mu=r2(row.sum_mu if row else 0),
            records=int(row.records) if row else 0, cumulative_union_mu=r2(cum),
            cumulative_sum_mu=r2(cum_sum), target_mu=r2(target) if target is not None else None,
            percent=round(100 * cum / target, 1) if target else None))
    return out


def _projection(session: Session, start: date, end: date, town: str | None,
                cumulative: float, target: float, deadline: date) -> Projection:
    months = months_between(start, end)[-get_settings().reclamation_trend_months:]
    rows = queries.increments(session, start=start, end=end, period="month", town=town)
    recent = sum(float(r.union_mu) for r in rows if r.period in months)
    rate = recent / len(months)
    months_left = max(0.0, (deadline - end).days / DAYS_PER_MONTH)
    remaining = max(0.0, target - cumulative)
    needed = remaining / months_left if months_left > 0 else remaining
    projected = cumulative + rate * months_left
    series = [{"month": month_key(end), "cumulative_mu": r2(cumulative)}]
    for i, key in enumerate(months_between(end, deadline)[1:], start=1):
        series.append({"month": key, "cumulative_mu": r2(cumulative + rate * min(i, months_left))})
    return Projection(months_used=len(months), monthly_rate_mu=r2(rate),
                      months_left=round(months_left, 1), projected_mu=r2(projected),
                      needed_monthly_mu=r2(needed), on_track=projected >= target - 0.005,
                      series=series)


def _blocks(session: Session, start: date, end: date, town: str | None) -> Blocks:
    found = queries.blocks(session, start=start, end=end, town=town, eps_m=BLOCK_EPS_M,
                           min_mu=BLOCK_MIN_MU)
    return Blocks(eps_m=BLOCK_EPS_M, min_mu=BLOCK_MIN_MU, done=len(found),
                  planned=get_settings().reclamation_blocks_planned,
                  items=[Block(area_mu=r2(b.area_mu), records=int(b.records)) for b in found])


def _window(start: date | None, end: date | None) -> tuple[date, date, date]:
    programme = get_settings().reclamation_start
    first = max(start or programme, programme)
    last = min(end or today(), today())  # nothing can be reclaimed after today
    if last < first:
        raise InvalidInput(f"截止日期 {last} 早于起始日期 {first}",
                           [FieldError("to", "before from")])
    return programme, first, last


def progress(session: Session, *, by: str, start: date | None = None, end: date | None = None,
             town: str | None = None, scope_town: str | None = None) -> Progress:
    """Cumulative 亩 against the target, grouped ``by`` year / month / town / mode."""
    if by not in BY:
        raise InvalidInput(f"未知的分组 {by!r}; 可选: {', '.join(BY)}",
                           [FieldError("by", "unknown grouping")])
    if scope_town is not None:
        if town is not None and town != scope_town:
            raise Forbidden(f"只能查看本镇街 ({scope_town}) 的盘活进度")
        town = scope_town
    settings = get_settings()
    programme, first, last = _window(start, end)
    towns = town_targets(session, settings.reclamation_target_mu)
    if town is not None and town not in towns:
        raise InvalidInput(f"未知的镇街代码 {town!r}", [FieldError("town", "unknown town")])
    target = towns[town][1] if town is not None else settings.reclamation_target_mu
    count = partial(queries.increments, session, by_town=by == "town", by_mode=by == "mode",
                    town=town)
    period = by if by in ("year", "month") else None
    in_range = count(start=first, end=last, period=period)
    before = count(start=programme, end=first - timedelta(days=1)) if first > programme else []
    b_tot, r_tot = _totals(before), _totals(in_range)
    cum_union, cum_sum = b_tot[0] + r_tot[0], b_tot[1] + r_tot[1]
    if period == "month":
        rows = _period_rows(in_range, months_between(first, last), b_tot, "")
    elif period == "year":
        keys = [str(y) for y in range(first.year, last.year + 1)]
        rows = _period_rows(in_range, keys, b_tot, "年")
    else:
        rows = _group_rows(by, in_range, before, towns, town)
    return Progress(
        by=by, start=first, end=last, town=town, target_mu=r2(target),
        deadline=settings.reclamation_deadline, cumulative_union_mu=r2(cum_union),
        cumulative_sum_mu=r2(cum_sum), overlap_mu=r2(cum_sum - cum_union),
        percent=round(100 * cum_union / target, 1) if target else 0.0,
        in_range_union_mu=r2(r_tot[0]), in_range_sum_mu=r2(r_tot[1]), rows=rows,
        projection=_projection(session, programme, last, town, cum_union, target,
                               settings.reclamation_deadline),
        blocks=_blocks(session, programme, last, town))
