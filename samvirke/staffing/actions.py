"""Writes in staffing: build a week's rota (forecast → Erlang → CP-SAT), publish it, move a shift to another
member. Each in a transaction, each audited."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from samvirke.audit.actions import record
from samvirke.contact.lib.opening import OpeningHoursError, parse_opening_hours
from samvirke.contact.models import Contact, Queue
from samvirke.directory.models import Fellesskab, Membership, MembershipStatus, Municipality, Person, Role
from samvirke.economy.actions.invoicing import params_from_settings
from samvirke.economy.models import EconomySettings
from samvirke.staffing.lib.forecast import evaluate_holdout, forecast, forecast_from_volume, history_from_arrivals
from samvirke.staffing.lib.planning import (
    assign_to_agents,
    interval_moment,
    monday_of,
    scheduled_per_interval,
    shift_moments,
    volumes_for,
)
from samvirke.staffing.lib.rota import (
    RotaInputError,
    RotaMember,
    RotaProblem,
    ShiftRules,
    UnpopularRule,
    intervals_from_opening_hours,
    requirement_from_volumes,
    solve_rota,
)
from samvirke.staffing.lib.simulation import simulate
from samvirke.staffing.models import Rota, RotaStatus, Shift

HISTORY_WEEKS = 8
MIN_HISTORY_DAYS = 14
SIMULATED_PATIENCE_SECONDS = 180


class StaffingError(Exception):
    """Refused with a Danish message (shown in the UI, printed by the CLI)."""


@dataclass(frozen=True)
class RotaSettings:
    calls_per_year: int = 0  # 0: from the contact history when there are two weeks of it, else 266,000 × share
    aht_seconds: int = 270
    target_service_level: float = 0.8
    target_seconds: int = 60
    shrinkage: float = 0.3
    max_occupancy: float = 0.85
    min_shift_hours: float = 2
    max_shift_hours: float = 4
    time_limit_seconds: float = 30


def _active_members(fellesskab: Fellesskab, week_start: dt.date) -> list[Membership]:
    week_end = week_start + dt.timedelta(days=6)
    return [
        m
        for m in Membership.objects.filter(fellesskab=fellesskab)
        .exclude(status__in=[MembershipStatus.PROSPECTIVE, MembershipStatus.LEFT])
        .select_related("municipality")
        if (m.member_since is None or m.member_since <= week_end) and (m.left_on is None or m.left_on >= week_start)
    ]


def _forecast_for(
    week_start: dt.date, hours: Any, settings: RotaSettings, population_share: float
) -> tuple[Any, str, dict[str, float] | None]:
    history_start = week_start - dt.timedelta(weeks=HISTORY_WEEKS)
    arrivals = list(
        Contact.objects.filter(offered_at__date__gte=history_start, offered_at__date__lt=week_start)
        .exclude(state="closed")
        .values_list("offered_at", flat=True)
    )
    if settings.calls_per_year == 0 and arrivals:
        first_day = min(arrivals).date()
        if (week_start - first_day).days >= MIN_HISTORY_DAYS:
            history = history_from_arrivals(arrivals, start=first_day, end=week_start)
            source = f"{len(arrivals)} henvendelser siden {first_day:%d.%m.%Y}"
            return forecast(history, hours, 1, start=week_start), source, _holdout_error(history, hours)
    volume = settings.calls_per_year or round(266_000 * population_share)
    return forecast_from_volume(volume, hours, week_start, 1), f"{volume:,} opkald om året".replace(",", "."), None


def _holdout_error(history: Any, hours: Any) -> dict[str, float] | None:
    """How wrong the same method was on the last week of history, forecast from the weeks before it."""
    try:
        evaluation = evaluate_holdout(history, hours, holdout_weeks=1)
    except ValueError:
        return None  # too little history to hold a week out
    return {
        "wape_interval": round(evaluation.wape_interval, 4),
        "wape_day": round(evaluation.wape_day, 4),
        "bias": round(evaluation.bias, 4),
    }


def _simulated(
    intervals: Any,
    volumes: list[float],
    shifts: list[tuple[dt.datetime, dt.datetime]],
    week_start: dt.date,
    settings: RotaSettings,
) -> dict[str, float]:
    """The week simulated with this rota: scheduled agents less shrinkage answer the forecast's contacts
    (exponential handle times, callers giving up after 3 minutes on average)."""
    on_duty = [
        round(count * (1 - settings.shrinkage)) for count in scheduled_per_interval(intervals, shifts, week_start)
    ]
    result = simulate(
        volumes,
        on_duty,
        aht_seconds=settings.aht_seconds,
        interval_starts=[interval_moment(interval, week_start) for interval in intervals],
        patience_seconds=SIMULATED_PATIENCE_SECONDS,
        target_seconds=settings.target_seconds,
        replications=5,
        seed=1,
    )
    total = result.total
    return {
        "service_level": round(total.service_level.mean, 4),
        "asa_seconds": round(total.asa_seconds.mean, 1),
        "abandonment_rate": round(total.abandonment_rate.mean, 4),
    }


@transaction.atomic
def do_build_rota(actor: Any, fellesskab: Fellesskab, day: dt.date, settings: RotaSettings) -> Rota:
    """Build (or rebuild, while it is a draft) the rota for the week of `day`."""
    week_start = monday_of(day)
    existing = Rota.objects.select_for_update().filter(fellesskab=fellesskab, week_start=week_start).first()
    if existing is not None and existing.status == RotaStatus.PUBLISHED:
        raise StaffingError("Vagtplanen for den uge er offentliggjort og kan ikke bygges om. Byt vagter i stedet.")
    queue = Queue.objects.filter(is_default=True).first()
    try:
        hours = parse_opening_hours(queue.opening_hours if queue else {})
        intervals = intervals_from_opening_hours(hours, 30)
    except (OpeningHoursError, RotaInputError) as exc:
        raise StaffingError(f"Åbningstiderne giver ingen vagter: {exc}") from None
    if not intervals:
        raise StaffingError("Hotlinen har ingen åbningstid i ugen, så der er intet at bemande.")
    members = _active_members(fellesskab, week_start)
    if not members:
        raise StaffingError("Fællesskabet har ingen aktive medlemmer i den uge.")
    economy = EconomySettings.objects.filter(fellesskab=fellesskab, year=week_start.year).first()
    params = params_from_settings(economy) if economy else None
    population = sum(m.municipality.population for m in members)
    predicted, source, forecast_error = _forecast_for(week_start, hours, settings, population / 5_960_000)
    volumes = volumes_for(intervals, predicted, week_start)
    try:
        requirement = requirement_from_volumes(
            volumes,
            30,
            settings.aht_seconds,
            settings.target_service_level,
            settings.target_seconds,
            settings.shrinkage,
            settings.max_occupancy,
        )
        problem = RotaProblem(
            intervals=tuple(intervals),
            requirement=tuple(requirement),
            members=tuple(
                RotaMember.from_population(m.municipality.code, m.municipality.name, m.municipality.population, params)
                for m in members
            ),
            rules=ShiftRules.between(settings.min_shift_hours, settings.max_shift_hours),
        )
    except (ValueError, RotaInputError) as exc:
        raise StaffingError(str(exc)) from None
    result = solve_rota(problem, time_limit_seconds=settings.time_limit_seconds)
    moments = [shift_moments(shift, week_start) for shift in result.shifts]
    report = {
        "forecast_error": forecast_error,
        "simulation": _simulated(intervals, volumes, moments, week_start, settings) if sum(volumes) else None,
        "status": result.status,
        "solve_seconds": round(result.solve_seconds, 1),
        "coverage_met": result.coverage_met,
        "bands_held": result.bands_held,
        "shortfall": result.shortfall,
        "over": result.over,
        "problems": list(result.problems),
        "notes": list(result.notes),
        "members": [
            {
                "kommunekode": m.kommunekode,
                "name": m.name,
                "target": m.target,
                "band_min": m.band_min,
                "band_max": m.band_max,
                "unpopular_share": m.unpopular_share,
                "obligation_share": m.obligation_share,
            }
            for m in result.members
        ],
    }
    fields = {
        "forecast_source": source,
        "aht_seconds": settings.aht_seconds,
        "target_service_level": settings.target_service_level,
        "target_seconds": settings.target_seconds,
        "shrinkage": settings.shrinkage,
        "max_occupancy": settings.max_occupancy,
        "intervals": [[i.weekday, f"{i.start:%H:%M}", i.minutes] for i in intervals],
        "volumes": [round(v, 2) for v in volumes],
        "requirement": list(requirement),
        "report": report,
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
    }
    if existing is None:
        rota = Rota.objects.create(fellesskab=fellesskab, week_start=week_start, **fields)
    else:
        rota = existing
        for name, value in fields.items():
            setattr(rota, name, value)
        rota.save()
        rota.shifts.all().delete()
    municipalities = {m.municipality.code: m.municipality for m in members}
    unpopular = UnpopularRule()
    Shift.objects.bulk_create(
        [
            Shift(
                rota=rota,
                municipality=municipalities[shift.kommunekode],
                starts_at=starts_at,
                ends_at=ends_at,
                evening=any(
                    unpopular.is_unpopular(intervals[i])
                    for i in range(shift.first_interval, shift.first_interval + shift.interval_count)
                ),
            )
            for shift, (starts_at, ends_at) in zip(result.shifts, moments, strict=True)
        ]
    )
    unassigned = _assign_named_agents(rota)
    if unassigned:
        rota.report["notes"] = [*rota.report["notes"], *unassigned]
        rota.save(update_fields=["report"])
    record(actor, "staffing.build_rota", rota, {"shifts": len(result.shifts), "status": result.status})
    return rota


def _assign_named_agents(rota: Rota) -> list[str]:
    """Each member's shifts to its own agents, evenly and without overlaps; says where a member runs short."""
    notes = []
    shifts_by_member: dict[int, list[Shift]] = {}
    for shift in rota.shifts.select_related("municipality"):
        shifts_by_member.setdefault(shift.municipality_id, []).append(shift)
    for municipality_id, shifts in shifts_by_member.items():
        people = {
            p.username: p
            for p in Person.objects.filter(municipality_id=municipality_id, role=Role.AGENT, is_active=True)
        }
        assigned, missing = assign_to_agents([(s.pk, s.starts_at, s.ends_at) for s in shifts], sorted(people))
        for shift in shifts:
            if shift.pk in assigned:
                shift.agent = people[assigned[shift.pk]]
        Shift.objects.bulk_update(shifts, ["agent"])
        if missing:
            notes.append(
                f"{shifts[0].municipality.name} har {len(missing)} vagt(er), som ingen af kommunens {len(people)} "
                "agenter kan tage (de overlapper); kommunen skal finde flere folk til dem."
            )
    return notes


@transaction.atomic
def do_publish_rota(actor: Any, rota: Rota) -> Rota:
    locked = Rota.objects.select_for_update().get(pk=rota.pk)
    if locked.status == RotaStatus.PUBLISHED:
        return locked
    locked.status = RotaStatus.PUBLISHED
    locked.save(update_fields=["status"])
    record(actor, "staffing.publish_rota", locked)
    return locked


@transaction.atomic
def do_swap_shift(actor: Any, shift_id: int, to: Municipality) -> Shift:
    """Move a shift to another member (a swap between members); the hour balances follow from the shifts."""
    shift = Shift.objects.select_for_update().select_related("rota", "municipality").filter(pk=shift_id).first()
    if shift is None:
        raise StaffingError("Vagten findes ikke.")
    if (
        not Membership.objects.filter(fellesskab=shift.rota.fellesskab, municipality=to)
        .exclude(status__in=[MembershipStatus.PROSPECTIVE, MembershipStatus.LEFT])
        .exists()
    ):
        raise StaffingError(f"{to.name} er ikke aktivt medlem og kan ikke overtage vagter.")
    if shift.municipality_id == to.pk:
        raise StaffingError(f"Vagten er allerede {to.name}s.")
    giver = shift.municipality
    shift.municipality = to
    shift.agent = None  # the new member puts one of its own agents on it
    shift.save(update_fields=["municipality", "agent"])
    record(actor, "staffing.swap_shift", shift, {"from": giver.code, "to": to.code})
    return shift
