"""Reads other apps use: the hours each member is scheduled for in a year's published rotas."""

from __future__ import annotations

from decimal import Decimal

from samvirke.staffing.models import RotaStatus, Shift


def scheduled_hours_by_municipality(year: int) -> dict[int, Decimal]:
    hours: dict[int, Decimal] = {}
    for code, starts, ends in Shift.objects.filter(
        rota__status=RotaStatus.PUBLISHED, rota__week_start__year=year
    ).values_list("municipality__code", "starts_at", "ends_at"):
        hours[code] = hours.get(code, Decimal(0)) + Decimal((ends - starts).total_seconds()) / 3600
    return {code: value.quantize(Decimal("0.1")) for code, value in hours.items()}
