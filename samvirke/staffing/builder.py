"""A week's rota computed from the database: forecast → Erlang C → CP-SAT → simulation. Reads only, and never
inside a transaction: the solver alone runs up to its time limit (30 s by default), and on SQLite a transaction
that long would hold the write lock against live telephony events. actions.do_save_rota writes the result in
one short transaction; staffing/tasks.py runs both in the background worker.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from samvirke.contact.lib.traffic import CALLS_PER_YEAR, DENMARK_POPULATION
from samvirke.contact.models import Contact, Queue
from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.formatting import thousands
from samvirke.core.lib.opening import OpeningHoursError, parse_opening_hours
from samvirke.directory.models import Fellesskab, Line, Membership, MembershipStatus, Person, Role
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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> RotaSettings:
        """The settings a build was requested with (unknown keys from an older version are left out)."""
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in values.items() if key in known})


def active_members(fellesskab: Fellesskab, week_start: dt.date) -> list[Membership]:
    """The memberships that take part in the week of `week_start` (not prospective, not left, joined by its end,
    and ready for shifts: a member still joining gets none until its onboarding checklist is done)."""
    week_end = week_start + dt.timedelta(days=6)
    return [
        m
        for m in Membership.objects.filter(fellesskab=fellesskab, ready_for_shifts=True)
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
    source = f"{thousands(volume)} opkald om året"
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


def _trained_agents(municipality_ids: list[int], week_start: dt.date) -> QuerySet[Person]:
    """The members' active agents trained for the hotline (the rota's line) by the week's Monday (training app)."""
    return Person.objects.filter(
        municipality_id__in=municipality_ids,
        role=Role.AGENT,
        is_active=True,
        qualifications__line=Line.CITIZEN_SERVICE,
        qualifications__since__lte=week_start,
    )


def _untrained_notes(members: list[Membership], week_start: dt.date) -> list[str]:
    """A Danish note per member with active agents not yet trained for the hotline: they get no shifts."""
    ids = [m.municipality_id for m in members]
    trained = set(_trained_agents(ids, week_start).values_list("pk", flat=True))
    untrained: dict[int, int] = {}
    for pk, municipality_id in Person.objects.filter(
        municipality_id__in=ids, role=Role.AGENT, is_active=True
    ).values_list("pk", "municipality_id"):
        if pk not in trained and municipality_id is not None:
            untrained[municipality_id] = untrained.get(municipality_id, 0) + 1
    return [
        f"{m.municipality.name}: {untrained[m.municipality_id]} agent(er) er ikke uddannet til hotlinen "
        f"(e-læring, kursusdag og med-lyt) senest {week_start:%d.%m.%Y} og får ingen vagter."
        for m in members
        if m.municipality_id in untrained
    ]


def _named_agents(members: list[Membership], week_start: dt.date) -> dict[int, tuple[Agent, ...]]:
    """Each member's active agents trained for the hotline as the solver's `Agent`s (id = username): their weekly
    availability (no rows: whenever the hotline is open) and their most hours a week (no row:
    `AgentHours.DEFAULT_MAX_HOURS`)."""
    people = _trained_agents([m.municipality_id for m in members], week_start).order_by("username")
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


def check_buildable(fellesskab: Fellesskab, week_start: dt.date) -> None:
    """What can be refused at once, before a build is queued: opening hours that give no shifts, no active
    members (a Danish StaffingError). Cheap reads; the build checks them again when it runs."""
    opening_intervals(week_start)
    if not active_members(fellesskab, week_start):
        raise StaffingError("Fællesskabet har ingen aktive medlemmer i den uge.")


@dataclass(frozen=True)
class PlannedShift:
    municipality_id: int
    agent_id: int | None  # a Person's pk
    starts_at: dt.datetime
    ends_at: dt.datetime
    evening: bool


@dataclass(frozen=True)
class PlannedRota:
    """A computed rota, not yet saved: the Rota's fields and its shifts."""

    fellesskab_id: int
    week_start: dt.date
    fields: dict[str, Any]
    shifts: tuple[PlannedShift, ...]
    status: str  # the solver's
    solve_seconds: float


def plan_rota(
    fellesskab: Fellesskab,
    day: dt.date,
    settings: RotaSettings,
    today: dt.date,
    on_phase: Callable[[str], None] | None = None,
) -> PlannedRota:
    """The rota for the week of `day`, computed and not saved. `today` ends the contact history the forecast
    learns from. `on_phase("solving")` is called before CP-SAT starts and `on_phase("simulating")` after it, so a
    background build can show where it is. Raises StaffingError (Danish) for what cannot be planned."""
    week_start = monday_of(day)
    hours, intervals = opening_intervals(week_start)
    members = active_members(fellesskab, week_start)
    if not members:
        raise StaffingError("Fællesskabet har ingen aktive medlemmer i den uge.")
    economy = EconomySettings.objects.filter(fellesskab=fellesskab, year=week_start.year).first()
    params = economy.params() if economy else None
    predicted = forecast_week(week_start, hours, settings.calls_per_year, population_share(members), today)
    volumes = volumes_for(intervals, predicted.forecast, week_start)
    agents = _named_agents(members, week_start)
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
    if on_phase is not None:
        on_phase("solving")
    result = solve_rota(problem, time_limit_seconds=settings.time_limit_seconds)
    if on_phase is not None:
        on_phase("simulating")
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
    municipality_ids = {m.municipality.code: m.municipality_id for m in members}
    usernames = {s.agent_id for s in result.shifts if s.agent_id is not None}
    person_ids = dict(Person.objects.filter(username__in=usernames).values_list("username", "pk"))
    unpopular = UnpopularRule()
    shifts = [
        PlannedShift(
            municipality_id=municipality_ids[shift.kommunekode],
            agent_id=person_ids.get(shift.agent_id) if shift.agent_id else None,
            starts_at=starts_at,
            ends_at=ends_at,
            evening=any(
                unpopular.is_unpopular(intervals[i])
                for i in range(shift.first_interval, shift.first_interval + shift.interval_count)
            ),
        )
        for shift, (starts_at, ends_at) in zip(result.shifts, moments, strict=True)
    ]
    shifts, unassigned = _assign_named_agents(
        shifts, {m.municipality_id: m.municipality.name for m in members}, week_start
    )
    report["notes"] = [*report["notes"], *unassigned, *_untrained_notes(members, week_start)]
    return PlannedRota(
        fellesskab_id=fellesskab.pk,
        week_start=week_start,
        fields={
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
        },
        shifts=tuple(shifts),
        status=result.status,
        solve_seconds=result.solve_seconds,
    )


def _assign_named_agents(
    shifts: list[PlannedShift], member_names: dict[int, str], week_start: dt.date
) -> tuple[list[PlannedShift], list[str]]:
    """A safety net after the solver: a member's shifts that have no named agent go to its own agents, evenly and
    without overlaps (says where a member runs short). The solver plans every member that has agents by agent, so
    this only acts on a member whose shifts all came out anonymous; members without agents staff them themselves.
    Returns the shifts (some now with an agent) and a Danish note per member that ran short."""
    anonymous: dict[int, list[int]] = {}
    named: set[int] = set()
    for index, shift in enumerate(shifts):
        if shift.agent_id is None:
            anonymous.setdefault(shift.municipality_id, []).append(index)
        else:
            named.add(shift.municipality_id)
    people: dict[int, dict[str, int]] = {}
    for municipality_id, username, pk in _trained_agents(
        [m for m in anonymous if m not in named], week_start
    ).values_list("municipality_id", "username", "pk"):
        people.setdefault(municipality_id, {})[username] = pk
    result = list(shifts)
    notes = []
    for municipality_id, indices in anonymous.items():
        own = people.get(municipality_id)
        if not own or municipality_id in named:
            continue  # no agents (the member staffs them itself), or the solver planned this member's agents
        assigned, missing = assign_to_agents(
            [(i, shifts[i].starts_at, shifts[i].ends_at) for i in indices], sorted(own)
        )
        for index, username in assigned.items():
            shift = shifts[index]
            result[index] = PlannedShift(
                shift.municipality_id, own[username], shift.starts_at, shift.ends_at, shift.evening
            )
        if missing:
            notes.append(
                f"{member_names[municipality_id]} har {len(missing)} vagt(er), som ingen af kommunens {len(own)} "
                "agenter kan tage (de overlapper); kommunen skal finde flere folk til dem."
            )
    return result, notes
