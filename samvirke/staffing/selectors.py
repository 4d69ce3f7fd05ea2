"""Reads of the rota: the hours each member is scheduled for in a year's published rotas (other apps use it), the
uncovered half-hours of a list of weeks, and a week's latest build."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.db.models import QuerySet

from samvirke.directory.models import Fellesskab
from samvirke.staffing.lib import builds
from samvirke.staffing.lib.planning import scheduled_per_interval
from samvirke.staffing.lib.planning import uncovered_half_hours as count_uncovered
from samvirke.staffing.lib.rota import Interval
from samvirke.staffing.models import Rota, RotaBuild, RotaStatus, Shift


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


def published_shifts_since(shifts: QuerySet[Shift], since: dt.datetime) -> QuerySet[Shift]:
    """Those of `shifts` in published rotas that end at or after `since`, with member and agent, in calendar order
    (start, member, agent, id)."""
    return (
        shifts.filter(rota__status=RotaStatus.PUBLISHED, ends_at__gte=since)
        .select_related("municipality", "agent")
        .order_by("starts_at", "municipality__name", "agent__first_name", "agent__last_name", "pk")
    )


def rota_intervals(rota: Rota) -> list[Interval]:
    """The rota's intervals as the solver's `Interval`s (stored as [weekday, "HH:MM", minutes])."""
    return [Interval(day, dt.time.fromisoformat(start), minutes) for day, start, minutes in rota.intervals]


def uncovered_half_hours(rotas: Iterable[Rota]) -> dict[int, int]:
    """{rota id: its uncovered half-hours} (lib/planning.uncovered_half_hours, from the shifts as they are now),
    with one read of the shifts for all the rotas: the week list and the week page count alike."""
    rotas = list(rotas)
    moments: dict[int, list[tuple[dt.datetime, dt.datetime]]] = {rota.pk: [] for rota in rotas}
    for rota_id, starts, ends in Shift.objects.filter(rota__in=rotas).values_list("rota_id", "starts_at", "ends_at"):
        moments[rota_id].append((starts, ends))
    return {
        rota.pk: count_uncovered(
            rota.requirement, scheduled_per_interval(rota_intervals(rota), moments[rota.pk], rota.week_start)
        )
        for rota in rotas
    }


def latest_builds(fellesskab: Fellesskab | None, weeks: Iterable[dt.date] | None = None) -> dict[dt.date, RotaBuild]:
    """{Monday: the week's most recently requested build} (all weeks with a build, or just `weeks`)."""
    if fellesskab is None:
        return {}
    found = RotaBuild.objects.filter(fellesskab=fellesskab).select_related("requested_by")
    if weeks is not None:
        found = found.filter(week_start__in=list(weeks))
    latest: dict[dt.date, RotaBuild] = {}
    for build in found.order_by("week_start", "-requested_at", "-pk"):
        latest.setdefault(build.week_start, build)
    return latest


def active_builds(fellesskab: Fellesskab | None) -> list[RotaBuild]:
    """The builds queued or running, oldest first (stalled ones too: the page shows them as failed)."""
    if fellesskab is None:
        return []
    return list(
        RotaBuild.objects.filter(fellesskab=fellesskab, state__in=builds.ACTIVE)
        .select_related("requested_by")
        .order_by("requested_at", "pk")
    )
