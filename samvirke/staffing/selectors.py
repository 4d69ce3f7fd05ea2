"""Reads other apps use: the hours each member is scheduled for in a year's published rotas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple

from samvirke.staffing.models import Rota, RotaStatus, Shift


class PublishedHours(NamedTuple):
    """A year's published rotas: their Mondays, each municipality's scheduled hours per week and in the year."""

    weeks: list[dt.date]
    by_week: dict[int, dict[dt.date, Decimal]]  # {kommunekode: {Monday: hours}}
    by_year: dict[int, Decimal]  # {kommunekode: hours}


def published_hours(year: int) -> PublishedHours:
    """The hours in the published rotas whose week starts in `year` (one read of the shifts), to one decimal;
    the yearly figure is rounded from the exact sum, not summed from the rounded weeks. No published rota gives
    empty lists and dicts."""
    weeks = sorted(
        Rota.objects.filter(status=RotaStatus.PUBLISHED, week_start__year=year).values_list("week_start", flat=True)
    )
    exact: dict[int, dict[dt.date, Decimal]] = {}
    for code, week, starts, ends in Shift.objects.filter(
        rota__status=RotaStatus.PUBLISHED, rota__week_start__year=year
    ).values_list("municipality__code", "rota__week_start", "starts_at", "ends_at"):
        by_week = exact.setdefault(code, {})
        by_week[week] = by_week.get(week, Decimal(0)) + Decimal((ends - starts).total_seconds()) / 3600
    tenth = Decimal("0.1")
    return PublishedHours(
        weeks,
        {code: {week: value.quantize(tenth) for week, value in by_week.items()} for code, by_week in exact.items()},
        {code: sum(by_week.values(), Decimal(0)).quantize(tenth) for code, by_week in exact.items()},
    )
