"""Writes in staffing: build a week's rota (forecast → Erlang → CP-SAT), publish it, move a shift to another
member. Each in a transaction, each audited."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.contact.lib.opening import OpeningHoursError, parse_opening_hours
from samvirke.contact.lib.traffic import CALLS_PER_YEAR, DENMARK_POPULATION
from samvirke.contact.models import Contact, Queue
from samvirke.directory.models import Fellesskab, Membership, MembershipStatus, Municipality, Person, Role
from samvirke.economy.actions.invoicing import params_from_settings
from samvirke.economy.lib.fees import EconomyParams, hours_for
from samvirke.economy.models import EconomySettings
from samvirke.staffing.lib.forecast import (
    Forecast,
    evaluate_holdout,
    forecast,
    forecast_from_volume,
    history_from_arrivals,
)
from samvirke.staffing.lib.planning import (
    LOCAL,
    assign_to_agents,
    interval_moment,
    monday_of,
    scheduled_per_interval,
    shift_moments,
    volumes_for,
    yearly_balance,
)
from samvirke.staffing.lib.rota import (
    Agent,
    Interval,
    RotaInputError,
    RotaMember,
    RotaProblem,
    ShiftRules,
    UnpopularRule,
    Window,
    intervals_from_opening_hours,
    requirement_from_volumes,
    solve_rota,
)
from samvirke.staffing.lib.simulation import simulate
from samvirke.staffing.models import AgentAvailability, AgentHours, Rota, RotaStatus, Shift

HISTORY_WEEKS = 26  # half a year: enough weeks for the trend, short enough to follow it
HOLDOUT_WEEKS = 4
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


def active_members(fellesskab: Fellesskab, week_start: dt.date) -> list[Membership]:
    """The memberships that take part in the week of `week_start` (not prospective, not left, joined by its end)."""
    week_end = week_start + dt.timedelta(days=6)
    return [
        m
        for m in Membership.objects.filter(fellesskab=fellesskab)
        .exclude(status__in=[MembershipStatus.PROSPECTIVE, MembershipStatus.LEFT])
        .select_related("municipality")
        if (m.member_since is None or m.member_since <= week_end) and (m.left_on is None or m.left_on >= week_start)
    ]


@dataclass(frozen=True)
class WeekForecast:
    """A week's forecast (`forecast` covers exactly the seven days from `week_start`), what it came from, and how
    wrong the same method was on held-out weeks of the history (None without enough history)."""

    week_start: dt.date
    forecast: Forecast
    source: str
    history_end: dt.date | None  # the day after the last day of history used (None: from a yearly volume)
    error: dict[str, float | int] | None


def population_share(members: list[Membership]) -> float:
    """The members' share of Denmark's population: what scales the hotline's yearly calls to this fællesskab."""
    return sum(m.municipality.population for m in members) / DENMARK_POPULATION


def forecast_week(
    week_start: dt.date, hours: Any, calls_per_year: int, population_share: float, today: dt.date
) -> WeekForecast:
    """The contacts forecast for the week from `week_start`: from the contact history when there are two weeks of
    it before min(week_start, today) (days that have not happened yet are not history), forecast from the end of
    the history over the horizon and cut to the week; else from `calls_per_year` (0: the hotline's calls a year ×
    `population_share`)."""
    history_end = min(week_start, today)
    history_start = history_end - dt.timedelta(weeks=HISTORY_WEEKS)
    arrivals = (
        list(
            Contact.objects.filter(offered_at__date__gte=history_start, offered_at__date__lt=history_end)
            .exclude(state="closed")
            .values_list("offered_at", flat=True)
        )
        if calls_per_year == 0
        else []
    )
    if arrivals:
        first_day = min(arrivals).astimezone(LOCAL).date()
        if (history_end - first_day).days >= MIN_HISTORY_DAYS:
            history = history_from_arrivals(arrivals, start=first_day, end=history_end)
            horizon_weeks = math.ceil(((week_start - history_end).days + 7) / 7)
            ahead = forecast(history, hours, horizon_weeks, start=history_end)
            offset = (week_start - history_end).days
            week = Forecast(week_start, ahead.counts[offset : offset + 7], ahead.model)
            source = f"{len(arrivals)} henvendelser siden {first_day:%d.%m.%Y}"
            return WeekForecast(week_start, week, source, history_end, _holdout_error(history, hours))
    volume = calls_per_year or round(CALLS_PER_YEAR * population_share)
    source = f"{volume:,} opkald om året".replace(",", ".")
    return WeekForecast(week_start, forecast_from_volume(volume, hours, week_start, 1), source, None, None)


def _finite(value: Any) -> Any:
    """The value with every NaN or infinity (in nested dicts and lists too) replaced by None: JSON has no NaN,
    and a page shows None as "–"."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value


def _holdout_error(history: Any, hours: Any) -> dict[str, float | int] | None:
    """How wrong the same method was on the last weeks of history (up to `HOLDOUT_WEEKS`), each forecast from
    the weeks before them: WAPE per half-hour and per day, and the bias (positive: over-forecast)."""
    for weeks in range(HOLDOUT_WEEKS, 0, -1):
        try:
            evaluation = evaluate_holdout(history, hours, holdout_weeks=weeks)
        except ValueError:
            continue  # too little history to hold that many weeks out
        error = _finite(
            {
                "holdout_weeks": weeks,
                "wape_interval": round(evaluation.wape_interval, 4),
                "wape_day": round(evaluation.wape_day, 4),
                "bias": round(evaluation.bias, 4),
            }
        )
        # No contacts in the held-out weeks: there is nothing to measure the error against.
        return error if error["wape_interval"] is not None else None
    return None


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
    # Nobody on duty (opening hours shorter than the shortest shift, say): nobody answers, so the mean wait of
    # the answered is NaN; the report's `_finite` stores it as None, shown as "–".
    return {
        "service_level": round(total.service_level.mean, 4),
        "asa_seconds": round(total.asa_seconds.mean, 1),
        "abandonment_rate": round(total.abandonment_rate.mean, 4),
    }


def _named_agents(members: list[Membership]) -> dict[int, tuple[Agent, ...]]:
    """Each member's active agents as the solver's `Agent`s (id = username): their weekly availability (no rows:
    whenever the hotline is open) and their most hours a week (no row: `AgentHours.DEFAULT_MAX_HOURS`)."""
    people = Person.objects.filter(
        municipality__in=[m.municipality for m in members], role=Role.AGENT, is_active=True
    ).order_by("username")
    windows: dict[int, list[Window]] = {}
    for row in AgentAvailability.objects.filter(person__in=people):
        windows.setdefault(row.person_id, []).append(Window(row.weekday, row.starts, row.ends))
    limits = dict(AgentHours.objects.filter(person__in=people).values_list("person_id", "max_hours_per_week"))
    agents: dict[int, list[Agent]] = {}
    for person in people:
        assert person.municipality_id is not None
        agents.setdefault(person.municipality_id, []).append(
            Agent(
                id=person.username,
                name=person.get_full_name() or person.username,
                availability=tuple(windows[person.pk]) if person.pk in windows else None,
                max_hours=limits.get(person.pk, Decimal(AgentHours.DEFAULT_MAX_HOURS)),
            )
        )
    return {municipality_id: tuple(own) for municipality_id, own in agents.items()}


def _balances(fellesskab: Fellesskab, members: list[Membership], week_start: dt.date, params: Any) -> dict[int, float]:
    """Each member's yearly balance before `week_start` (hours, + above its obligation): the hours of this year's
    published rotas before the week, less the weekly target for each week since the first of them (or since the
    member joined, if later). Weeks before the fællesskab published its first rota of the year owe nothing here:
    they were planned outside Samvirke."""
    year_start = dt.date(week_start.year, 1, 1)
    first = (
        Rota.objects.filter(
            fellesskab=fellesskab, status=RotaStatus.PUBLISHED, week_start__gte=year_start, week_start__lt=week_start
        )
        .order_by("week_start")
        .values_list("week_start", flat=True)
        .first()
    )
    if first is None:
        return {}
    scheduled: dict[int, float] = {}
    for municipality_id, starts, ends in Shift.objects.filter(
        rota__fellesskab=fellesskab,
        rota__status=RotaStatus.PUBLISHED,
        rota__week_start__gte=first,
        rota__week_start__lt=week_start,
    ).values_list("municipality_id", "starts_at", "ends_at"):
        scheduled[municipality_id] = scheduled.get(municipality_id, 0.0) + (ends - starts).total_seconds() / 3600
    params = params or EconomyParams(price_per_citizen=Decimal(0))
    balances = {}
    for membership in members:
        since = max(first, monday_of(membership.member_since) if membership.member_since else first)
        weeks = max(0, (week_start - since).days // 7)
        _year, weekly, _low, _high = hours_for(membership.municipality.population, params)
        balances[membership.municipality_id] = yearly_balance(
            scheduled.get(membership.municipality_id, 0.0), weekly, weeks
        )
    return balances


@transaction.atomic
def do_build_rota(
    actor: Any, fellesskab: Fellesskab, day: dt.date, settings: RotaSettings, today: dt.date | None = None
) -> Rota:
    """Build (or rebuild, while it is a draft) the rota for the week of `day`. `today` (default: the local date)
    ends the contact history the forecast learns from."""
    today = today or timezone.localdate()
    week_start = monday_of(day)
    existing = Rota.objects.select_for_update().filter(fellesskab=fellesskab, week_start=week_start).first()
    if existing is not None and existing.status == RotaStatus.PUBLISHED:
        raise StaffingError("Vagtplanen for den uge er offentliggjort og kan ikke bygges om. Byt vagter i stedet.")
    hours, intervals = opening_intervals(week_start)
    members = active_members(fellesskab, week_start)
    if not members:
        raise StaffingError("Fællesskabet har ingen aktive medlemmer i den uge.")
    economy = EconomySettings.objects.filter(fellesskab=fellesskab, year=week_start.year).first()
    params = params_from_settings(economy) if economy else None
    predicted = forecast_week(week_start, hours, settings.calls_per_year, population_share(members), today)
    volumes = volumes_for(intervals, predicted.forecast, week_start)
    agents = _named_agents(members)
    balances = _balances(fellesskab, members, week_start, params)
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
                RotaMember.from_population(
                    m.municipality.code,
                    m.municipality.name,
                    m.municipality.population,
                    params,
                    balance_hours=round(balances.get(m.municipality_id, 0.0), 2),
                    agents=agents.get(m.municipality_id, ()),
                )
                for m in members
            ),
            rules=ShiftRules.between(settings.min_shift_hours, settings.max_shift_hours),
        )
    except (ValueError, RotaInputError) as exc:
        raise StaffingError(str(exc)) from None
    result = solve_rota(problem, time_limit_seconds=settings.time_limit_seconds)
    moments = [shift_moments(shift, week_start) for shift in result.shifts]
    report = _finite(
        {
            "forecast_error": predicted.error,
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
                    "adjusted_target": m.adjusted_target,
                    "balance_hours": float(member.balance_hours),
                    "band_min": m.band_min,
                    "band_max": m.band_max,
                    "unpopular_share": m.unpopular_share,
                    "obligation_share": m.obligation_share,
                    "named_agents": len(member.agents),
                }
                for m, member in zip(result.members, problem.members, strict=True)
            ],
        }
    )
    fields = {
        "forecast_source": predicted.source,
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
    people = {
        p.username: p
        for p in Person.objects.filter(username__in={s.agent_id for s in result.shifts if s.agent_id is not None})
    }
    unpopular = UnpopularRule()
    Shift.objects.bulk_create(
        [
            Shift(
                rota=rota,
                municipality=municipalities[shift.kommunekode],
                agent=people.get(shift.agent_id) if shift.agent_id else None,
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


def opening_intervals(week_start: dt.date) -> tuple[Any, list[Interval]]:
    """The default queue's opening hours and the week's half-hour intervals, or a Danish StaffingError."""
    queue = Queue.objects.filter(is_default=True).first()
    try:
        hours = parse_opening_hours(queue.opening_hours if queue else {})
        intervals = intervals_from_opening_hours(hours, 30)
    except (OpeningHoursError, RotaInputError) as exc:
        raise StaffingError(f"Åbningstiderne giver ingen vagter: {exc}") from None
    if not intervals:
        raise StaffingError("Hotlinen har ingen åbningstid i ugen, så der er intet at bemande.")
    return hours, intervals


def _assign_named_agents(rota: Rota) -> list[str]:
    """A safety net after the solver: a member's shifts that have no named agent go to its own agents, evenly and
    without overlaps (says where a member runs short). The solver plans every member that has agents by agent, so
    this only acts on a member whose shifts all came out anonymous; members without agents staff them themselves."""
    notes = []
    shifts_by_member: dict[int, list[Shift]] = {}
    taken: dict[int, list[Shift]] = {}
    for shift in rota.shifts.select_related("municipality"):
        (taken if shift.agent_id else shifts_by_member).setdefault(shift.municipality_id, []).append(shift)
    for municipality_id, shifts in shifts_by_member.items():
        people = {
            p.username: p
            for p in Person.objects.filter(municipality_id=municipality_id, role=Role.AGENT, is_active=True)
        }
        if not people or taken.get(municipality_id):
            continue  # no agents (the member staffs them itself), or the solver planned this member's agents
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


@dataclass(frozen=True)
class SwapResult:
    """The shifts that changed hands (each now with its receiving member and agent, or none) and warnings in
    Danish, e.g. a member that ends up outside its weekly band."""

    shifts: tuple[Shift, ...]
    warnings: tuple[str, ...]


def _is_active_member(rota: Rota, municipality: Municipality) -> bool:
    return (
        Membership.objects.filter(fellesskab=rota.fellesskab, municipality=municipality)
        .exclude(status__in=[MembershipStatus.PROSPECTIVE, MembershipStatus.LEFT])
        .exists()
    )


def _overlapping(agent: Person, shift: Shift, moving: list[int]) -> Shift | None:
    """The agent's other shift (in any week) that overlaps `shift`, leaving out the shifts being moved."""
    return (
        Shift.objects.filter(agent=agent, starts_at__lt=shift.ends_at, ends_at__gt=shift.starts_at)
        .exclude(pk__in=moving)
        .first()
    )


def _free_agent(shift: Shift, moving: list[int], taken: list[tuple[Person, Shift]]) -> Person | None:
    """One of the receiving member's agents who is free for the whole shift: the one with the fewest hours in
    the week so far (ties by username), as the rota builder hands out shifts; None if nobody is free."""
    candidates = Person.objects.filter(municipality_id=shift.municipality_id, role=Role.AGENT, is_active=True)
    hours: dict[int, float] = {}
    for agent_id, starts_at, ends_at in (
        Shift.objects.filter(rota_id=shift.rota_id, agent__in=candidates)
        .exclude(pk__in=moving)
        .values_list("agent_id", "starts_at", "ends_at")
    ):
        hours[agent_id] = hours.get(agent_id, 0.0) + (ends_at - starts_at).total_seconds() / 3600
    free = [
        agent
        for agent in candidates
        if _overlapping(agent, shift, moving) is None
        and not any(a.pk == agent.pk and s.starts_at < shift.ends_at and s.ends_at > shift.starts_at for a, s in taken)
    ]
    return min(free, key=lambda a: (hours.get(a.pk, 0.0), a.username), default=None)


def _hours_da(hours: float) -> str:
    return f"{hours:.1f}".replace(".", ",")


def _band_warnings(rota: Rota, municipalities: list[Municipality]) -> list[str]:
    """A sentence per member whose scheduled hours in the week now fall outside its band (from the rota's
    report, so the same band the page shows)."""
    bands = {row["kommunekode"]: row for row in rota.report.get("members", [])}
    warnings = []
    for municipality in municipalities:
        band = bands.get(municipality.code)
        if band is None:
            continue
        hours = sum(s.hours for s in rota.shifts.filter(municipality=municipality))
        if not band["band_min"] - 1e-9 <= hours <= band["band_max"] + 1e-9:
            warnings.append(
                f"{municipality.name} har nu {_hours_da(hours)} timer i ugen, uden for båndet "
                f"{band['band_min']:.0f}–{band['band_max']:.0f} timer."
            )
    return warnings


@transaction.atomic
def do_swap_shift(
    actor: Any,
    shift_id: int,
    to: Municipality,
    other_shift_id: int | None = None,
    taker: Person | None = None,
) -> SwapResult:
    """Swap shifts between two members of the same week: `shift` goes to `to`, and — in an exchange — `to`'s
    `other_shift` comes back. Without `other_shift_id` it is a one-way hand-over. Each moved shift gets one of
    its receiving member's agents who is free then (`taker`, if given, takes the shift that comes back), or
    none ("ikke fordelt"). Warns when a member ends up outside its weekly band; refuses only what would give
    one agent two shifts at once. The hour balances follow from the shifts."""
    shift = Shift.objects.select_for_update().select_related("rota", "municipality").filter(pk=shift_id).first()
    if shift is None:
        raise StaffingError("Vagten findes ikke.")
    rota = shift.rota
    if not _is_active_member(rota, to):
        raise StaffingError(f"{to.name} er ikke aktivt medlem og kan ikke overtage vagter.")
    if shift.municipality_id == to.pk:
        raise StaffingError(f"Vagten er allerede {to.name}s.")
    giver = shift.municipality
    other = None
    if other_shift_id is not None:
        other = Shift.objects.select_for_update().filter(pk=other_shift_id, rota=rota, municipality=to).first()
        if other is None:
            raise StaffingError(f"Den anden vagt findes ikke blandt {to.name}s vagter i samme uge.")
    elif taker is not None:
        raise StaffingError("Der er ingen vagt at give en agent, når vagten kun overdrages.")
    if taker is not None and (taker.municipality_id != giver.pk or taker.role != Role.AGENT or not taker.is_active):
        raise StaffingError(f"{taker.get_full_name() or taker.username} er ikke agent i {giver.name}.")

    moving = [shift.pk] + ([other.pk] if other else [])
    previous = {s.pk: s.agent_id for s in [shift, other] if s is not None}
    taken: list[tuple[Person, Shift]] = []
    shift.municipality = to
    shift.agent = _free_agent(shift, moving, taken)
    if shift.agent is not None:
        taken.append((shift.agent, shift))
    if other is not None:
        other.municipality = giver
        if taker is not None:
            clash = _overlapping(taker, other, moving)
            if clash is not None or any(a.pk == taker.pk for a, _ in taken):
                raise StaffingError(
                    f"{taker.get_full_name() or taker.username} har allerede en vagt på det tidspunkt; "
                    "vælg en anden agent eller lad Samvirke finde en ledig."
                )
            other.agent = taker
        else:
            other.agent = _free_agent(other, moving, taken)
    moved = [s for s in (shift, other) if s is not None]
    for moved_shift in moved:
        moved_shift.save(update_fields=["municipality", "agent"])
    warnings = _band_warnings(rota, [giver, to])
    record(
        actor,
        "staffing.swap_shift",
        shift,
        {
            "from": giver.code,
            "to": to.code,
            "exchanged_for": other.pk if other else None,
            "agents": {str(s.pk): [previous[s.pk], s.agent_id] for s in moved},
            "warnings": warnings,
        },
    )
    return SwapResult(tuple(moved), tuple(warnings))
