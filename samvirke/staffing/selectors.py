"""Reads other apps use: the hours each member is scheduled for in a year's published rotas."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from samvirke.staffing.models import Rota, RotaStatus, Shift


def scheduled_hours_by_municipality(year: int) -> dict[int, Decimal]:
    hours: dict[int, Decimal] = {}
    for code, starts, ends in Shift.objects.filter(
        rota__status=RotaStatus.PUBLISHED, rota__week_start__year=year
    ).values_list("municipality__code", "starts_at", "ends_at"):
        hours[code] = hours.get(code, Decimal(0)) + Decimal((ends - starts).total_seconds()) / 3600
    return {code: value.quantize(Decimal("0.1")) for code, value in hours.items()}


def scheduled_hours_by_municipality_and_week(year: int) -> tuple[list[dt.date], dict[int, dict[dt.date, Decimal]]]:
    """The year's published rotas by week: their Mondays, and each municipality's scheduled hours per week.

    Returns (Mondays of the published rotas whose week starts in `year`, {kommunekode: {Monday: hours}});
    hours to one decimal. No published rota gives ([], {}).
    """
    weeks = sorted(
        Rota.objects.filter(status=RotaStatus.PUBLISHED, week_start__year=year).values_list("week_start", flat=True)
    )
    hours: dict[int, dict[dt.date, Decimal]] = {}
    for code, week, starts, ends in Shift.objects.filter(
        rota__status=RotaStatus.PUBLISHED, rota__week_start__year=year
    ).values_list("municipality__code", "rota__week_start", "starts_at", "ends_at"):
        by_week = hours.setdefault(code, {})
        by_week[week] = by_week.get(week, Decimal(0)) + Decimal((ends - starts).total_seconds()) / 3600
    return weeks, {
        code: {week: value.quantize(Decimal("0.1")) for week, value in by_week.items()}
        for code, by_week in hours.items()
    }
