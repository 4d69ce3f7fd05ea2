"""The weekly rota: which member municipality (and which of its named agents) staffs which shift (issue 6).

Pure: OR-Tools CP-SAT and the project's own pure libraries; no database, no settings, no clock other than the
solver's own time limit.

The problem. The week is a list of equally long intervals (by default the half-hours of the opening hours, see
`intervals_from_opening_hours`), each with a requirement in agents (from `samvirke.core.lib.erlang`, e.g. via
`requirement_from_volumes`). Every member owes shift hours in proportion to its population
(`samvirke.economy.lib.fees.hours_for`: a weekly target and a band [min, max]). A shift is a run of consecutive
open intervals of an allowed length (`ShiftRules`, e.g. 2–4 hours in half-hour steps) that starts and ends within
the opening hours. Members either staff anonymous shifts (an integer per candidate shift: how many of them the
member works) or, if they name agents, every agent gets a boolean per candidate shift inside its availability.

The CP-SAT model (all quantities in interval units; one unit = one agent for one interval) is solved in two
lexicographic stages, because the members' terms only depend on how long a shift is and how many unpopular
intervals it holds, not on when it lies:

Stage 1, "dækning" (which shifts are worked):
- variables: r[s] ≥ 0, how many of candidate shift s the anonymous members work (pooled); n[m, L] ≥ 0, how many
  shifts of length L anonymous member m works, with Σ_m n[m, L] = Σ_{len(s) = L} r[s]; b[a, s] ∈ {0, 1} for each
  named agent a and each candidate shift wholly inside its availability.
- coverage: Σ_{s ∋ t} (r[s] + Σ_a b[a, s]) − over[t] + short[t] = requirement[t], with over, short ≥ 0. The
  shortfall is soft with a very high weight, so the plan covers every interval whenever that is possible and
  otherwise still returns a plan with the smallest shortfall, and says where.
- band, per member: hours[m] + below[m] ≥ band min, hours[m] − above[m] ≤ band max. below/above weigh more than
  the shortfall, so the band holds whenever it can; when it cannot (a band no combination of shift lengths
  reaches, named agents who cannot work that many hours) the report says by how much.
- named agents: no two shifts of one agent cover the same interval, at most `max_shifts_per_day` shifts start on
  one day, at most `max_hours` a week.
- objective: band violation ≫ shortfall ≫ over-staffing (agent-intervals above the requirement).

Stage 2, "fordeling" (who works them; the shifts of stage 1 fixed, so coverage cannot change):
- variables: z[m, k] ≥ 0, how many shifts of type k = (length, unpopular intervals) anonymous member m works
  (Σ_m z[m, k] + the named agents' shifts of type k = the type's count from stage 1); the named agents' b[a, s]
  again, over stage 1's shifts.
- objective: band violation ≫ Σ_m |hours[m] − target[m]| (the target lowered by a yearly balance carried in,
  spread over `balance_weeks`) > Σ_m |hours[m] − fair hours[m]| (when the plan cannot give everyone the target,
  the surplus or deficit is shared in proportion to the targets) and fairness: max_m |U[m] − fair U[m]| (plus a
  small Σ_m of the same), where U[m] are member m's unpopular intervals (evenings after 17, Fridays and
  weekends by default, `UnpopularRule`) and fair U[m] = target[m] / Σ targets × all unpopular intervals, i.e.
  the deviation of its share of the unpopular hours from its share of the obligation. The fair parts are
  constants once stage 1 has fixed the shifts, so everything is linear with small integer coefficients.
- a greedy fair deal of the shifts is the starting point (solution hint); the solver improves it.

Many named agents (more than `EXACT_AGENT_VARIABLES` agent × candidate-shift pairs, e.g. 17 members with three
agents each over 60 opening hours): stage 1 then plans their members like anonymous ones (counts per length,
capped at what their agents can work, on shifts someone can work), and stage 2 puts the named agents on the
shifts chosen, starting from a greedy placement; a chosen shift none of them can take stays empty (at the
shortfall's weight) and shows as a shortfall. Faster by far, not proven optimal for availability.

The anonymous members' counts per type are then dealt out as concrete shifts. `status` is OPTIMAL when both
stages are proven optimal (optimal for the lexicographic decomposition), FEASIBLE when a time limit stopped one.

The solver runs with a time limit (default 30 s), `num_search_workers` = 2 and a fixed random seed.
Bad input raises `RotaInputError` (a ValueError) with Danish messages; the report (`RotaResult.report`,
`RotaResult.problems`) is Danish too.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ortools.sat.python import cp_model

from samvirke.core.lib.erlang import agents_required
from samvirke.core.lib.hours import OpeningHours
from samvirke.economy.lib.fees import EconomyParams, hours_for

__all__ = [
    "Agent",
    "IntervalCoverage",
    "Interval",
    "MemberHours",
    "RotaInputError",
    "RotaMember",
    "RotaProblem",
    "RotaResult",
    "ScheduledShift",
    "ShiftRules",
    "SolveStage",
    "UnpopularRule",
    "describe_shifts",
    "Weights",
    "Window",
    "intervals_from_opening_hours",
    "requirement_from_volumes",
    "solve_rota",
]

DAY_MINUTES = 24 * 60
WEEKDAYS_SHORT = ("man", "tir", "ons", "tor", "fre", "lør", "søn")
MIDNIGHT_END = dt.time(23, 59, 59)  # "24.00" as an end time (the convention of samvirke.core.lib.opening)
HoursLike = OpeningHours | Mapping[int, Sequence[tuple[dt.time, dt.time]]]
Number = int | float | Decimal | Fraction


class RotaInputError(ValueError):
    """Bad input to the rota builder. `problems` holds one Danish sentence per problem."""

    def __init__(self, problems: str | Sequence[str]):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


# --- small helpers ----------------------------------------------------------------------------------------------


def _minute_of_day(moment: dt.time, *, end: bool = False) -> int:
    if end and moment in (MIDNIGHT_END, dt.time(0, 0)):
        return DAY_MINUTES
    return moment.hour * 60 + moment.minute


def _clock(minute_of_day: int) -> str:
    return "24.00" if minute_of_day == DAY_MINUTES else f"{minute_of_day // 60:02d}.{minute_of_day % 60:02d}"


def _time_of(minute_of_day: int) -> dt.time:
    return MIDNIGHT_END if minute_of_day >= DAY_MINUTES else dt.time(minute_of_day // 60, minute_of_day % 60)


def _hours_text(hours: Number) -> str:
    """7,5 or 12 (Danish decimal comma, at most two decimals)."""
    value = Fraction(hours)
    if value.denominator == 1:
        return str(value.numerator)
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _timer(hours: Number) -> str:
    """ "1 time", "7,5 timer"."""
    return f"{_hours_text(hours)} {'time' if Fraction(hours) == 1 else 'timer'}"


def _fraction(value: Any, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Fraction):
        raise RotaInputError(f"{what} skal være et tal, ikke {value!r}.")
    if isinstance(value, float | Decimal) and not math.isfinite(value):
        raise RotaInputError(f"{what} skal være et endeligt tal, ikke {value}.")
    return Fraction(value) if not isinstance(value, float) else Fraction(value).limit_denominator(10_000)


def _agents_word(count: int) -> str:
    return "medarbejder" if abs(count) == 1 else "medarbejdere"


# --- the week ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class Interval:
    """One interval of the week: weekday (0 = Monday), local start time and length in minutes (within the day)."""

    weekday: int
    start: dt.time
    minutes: int = 30

    def __post_init__(self) -> None:
        if isinstance(self.weekday, bool) or not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
            raise RotaInputError(f"Ugyldig ugedag {self.weekday!r} (0 = mandag … 6 = søndag).")
        if not isinstance(self.start, dt.time):
            raise RotaInputError(f"Intervallets starttid skal være et klokkeslæt, ikke {self.start!r}.")
        if isinstance(self.minutes, bool) or not isinstance(self.minutes, int) or self.minutes <= 0:
            raise RotaInputError(f"Intervallets længde skal være et positivt antal minutter, ikke {self.minutes!r}.")
        if _minute_of_day(self.start) + self.minutes > DAY_MINUTES:
            raise RotaInputError(
                f"Intervallet {WEEKDAYS_SHORT[self.weekday]} {self.start:%H.%M} på {self.minutes} min. går over midnat."
            )

    @property
    def week_minute(self) -> int:
        """Minutes from Monday 00.00 to the start."""
        return self.weekday * DAY_MINUTES + _minute_of_day(self.start)

    @property
    def end_week_minute(self) -> int:
        return self.week_minute + self.minutes

    @property
    def end(self) -> dt.time:
        """The end time; midnight is 23.59.59 ("24.00")."""
        return _time_of(_minute_of_day(self.start) + self.minutes)

    @property
    def label(self) -> str:
        """E.g. "man 08.00–08.30"."""
        begin = _minute_of_day(self.start)
        return f"{WEEKDAYS_SHORT[self.weekday]} {_clock(begin)}–{_clock(begin + self.minutes)}"


@dataclass(frozen=True)
class Window:
    """A weekday and a time window (end after start; 23.59.59 or 00.00 as end means midnight)."""

    weekday: int
    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if isinstance(self.weekday, bool) or not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
            raise RotaInputError(f"Ugyldig ugedag {self.weekday!r} i et tidsrum (0 = mandag … 6 = søndag).")
        if _minute_of_day(self.end, end=True) <= _minute_of_day(self.start):
            raise RotaInputError(
                f"Tidsrummet {WEEKDAYS_SHORT[self.weekday]} {self.start:%H.%M}–{self.end:%H.%M}: "
                "sluttiden skal ligge efter starttiden."
            )

    def contains(self, interval: Interval) -> bool:
        begin = self.weekday * DAY_MINUTES + _minute_of_day(self.start)
        finish = self.weekday * DAY_MINUTES + _minute_of_day(self.end, end=True)
        return begin <= interval.week_minute and interval.end_week_minute <= finish


def intervals_from_opening_hours(hours: HoursLike, interval_minutes: int = 30) -> list[Interval]:
    """The week's intervals: every clock-aligned interval (00.00, 00.30, … for 30 minutes) that is open at all.

    The grid is the forecast's (`samvirke.staffing.lib.forecast`), so an opening at 08.15 opens the 08.00
    interval, which the forecast gives half a half-hour's contacts. Any opening hours work, also several spans a
    day and weekends; overlapping spans are merged.
    """
    if isinstance(interval_minutes, bool) or not isinstance(interval_minutes, int) or interval_minutes <= 0:
        raise RotaInputError(f"Intervallængden skal være et positivt antal minutter, ikke {interval_minutes!r}.")
    if DAY_MINUTES % interval_minutes:
        raise RotaInputError(f"Intervallængden ({interval_minutes} min.) skal gå op i et døgn (1440 minutter).")
    week = hours.week if isinstance(hours, OpeningHours) else hours
    starts: set[int] = set()
    for weekday, spans in week.items():
        if weekday not in range(7):
            raise RotaInputError(f"Ugyldig ugedag i åbningstiderne: {weekday!r} (0 = mandag … 6 = søndag).")
        for begin_time, end_time in spans:
            begin, finish = _minute_of_day(begin_time), _minute_of_day(end_time, end=True)
            if finish <= begin:
                raise RotaInputError(
                    f"Sluttiden skal ligge efter starttiden i åbningstiderne: {begin_time:%H.%M}–{end_time:%H.%M}."
                )
            first = begin - begin % interval_minutes
            starts.update(range(weekday * DAY_MINUTES + first, weekday * DAY_MINUTES + finish, interval_minutes))
    if not starts:
        raise RotaInputError("Åbningstiderne indeholder ingen tidsrum – der er ingen intervaller at planlægge.")
    return [
        Interval(minute // DAY_MINUTES, _time_of(minute % DAY_MINUTES), interval_minutes) for minute in sorted(starts)
    ]


def requirement_from_volumes(
    volumes: Sequence[float],
    interval_minutes: float,
    aht_seconds: float,
    target_service_level: float,
    target_seconds: float,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
) -> list[int]:
    """Agents to schedule per interval (Erlang C, `erlang.agents_required`) for expected contacts per interval."""
    return [
        agents_required(
            volume,
            interval_minutes,
            aht_seconds,
            target_service_level,
            target_seconds,
            shrinkage=shrinkage,
            max_occupancy=max_occupancy,
        ).agents
        for volume in volumes
    ]


# --- input ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ShiftRules:
    """Allowed shift lengths in minutes (each a whole number of intervals) and, for named agents, the most shifts
    one agent may start on one day (None: no limit; shifts of one agent never overlap)."""

    lengths_minutes: tuple[int, ...] = (120, 150, 180, 210, 240)
    max_shifts_per_day: int | None = 1

    def __post_init__(self) -> None:
        lengths = tuple(self.lengths_minutes)
        if not lengths:
            raise RotaInputError("Der skal være mindst én tilladt vagtlængde.")
        for length in lengths:
            if isinstance(length, bool) or not isinstance(length, int) or length <= 0:
                raise RotaInputError(f"En vagtlængde skal være et positivt helt antal minutter, ikke {length!r}.")
        object.__setattr__(self, "lengths_minutes", tuple(sorted(set(lengths))))
        limit = self.max_shifts_per_day
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise RotaInputError(f"Højst antal vagter pr. dag skal være mindst 1 (eller ingen grænse), ikke {limit!r}.")

    @classmethod
    def between(
        cls, min_hours: Number, max_hours: Number, step_minutes: int = 30, max_shifts_per_day: int | None = 1
    ) -> ShiftRules:
        """Every length from `min_hours` to `max_hours` in steps of `step_minutes` (2–4 hours: 2, 2.5, … 4)."""
        low = _fraction(min_hours, "Den korteste vagt") * 60
        high = _fraction(max_hours, "Den længste vagt") * 60
        if isinstance(step_minutes, bool) or not isinstance(step_minutes, int) or step_minutes <= 0:
            raise RotaInputError(
                f"Trinnet mellem vagtlængder skal være et positivt antal minutter, ikke {step_minutes!r}."
            )
        if low <= 0 or low.denominator != 1 or high.denominator != 1:
            raise RotaInputError("Vagtlængderne skal være et positivt helt antal minutter.")
        if low > high:
            raise RotaInputError(
                f"Den korteste vagt ({_timer(low / 60)}) er længere end den længste ({_timer(high / 60)})."
            )
        lengths = tuple(range(int(low), int(high) + 1, step_minutes))
        return cls(lengths, max_shifts_per_day)

    def describe(self) -> str:
        hours = [_hours_text(Fraction(length, 60)) for length in self.lengths_minutes]
        return hours[0] if len(hours) == 1 else f"{hours[0]}–{hours[-1]}"


@dataclass(frozen=True)
class Agent:
    """A named agent of a member: `availability` is a collection of intervals and/or windows (None: whenever the
    hotline is open); `max_hours` the most hours a week (None: no limit beyond the member's band)."""

    id: str
    name: str = ""
    availability: tuple[Interval | Window, ...] | None = None
    max_hours: Number | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not self.id.strip():
            raise RotaInputError(f"En medarbejder skal have et id, ikke {self.id!r}.")
        if self.availability is not None:
            items = tuple(self.availability)
            for item in items:
                if not isinstance(item, Interval | Window):
                    raise RotaInputError(
                        f"Medarbejder {self.id}: tilgængelighed skal være intervaller eller tidsrum, ikke {item!r}."
                    )
            object.__setattr__(self, "availability", items)
        if self.max_hours is not None and _fraction(self.max_hours, f"Medarbejder {self.id}: timer pr. uge") < 0:
            raise RotaInputError(f"Medarbejder {self.id}: det højeste antal timer pr. uge kan ikke være negativt.")

    @property
    def label(self) -> str:
        return self.name or self.id

    def available(self, interval: Interval) -> bool:
        if self.availability is None:
            return True
        for item in self.availability:
            if isinstance(item, Window):
                if item.contains(interval):
                    return True
            elif item.week_minute == interval.week_minute and item.minutes >= interval.minutes:
                return True
        return False


@dataclass(frozen=True)
class RotaMember:
    """A member municipality: its weekly band and target in hours (`hours_for`), optionally a yearly balance
    carried in (hours worked above (+) or below (−) its obligation so far) and named agents."""

    kommunekode: int
    name: str
    band_min: Number
    band_max: Number
    target: Number
    balance_hours: Number = 0
    agents: tuple[Agent, ...] = ()

    def __post_init__(self) -> None:
        who = f"{self.name} ({self.kommunekode})"
        if isinstance(self.kommunekode, bool) or not isinstance(self.kommunekode, int) or self.kommunekode <= 0:
            raise RotaInputError(f"{self.name}: kommunekoden skal være et positivt heltal, ikke {self.kommunekode!r}.")
        if not isinstance(self.name, str) or not self.name.strip():
            raise RotaInputError(f"Kommune {self.kommunekode}: navnet mangler.")
        low = _fraction(self.band_min, f"{who}: båndets minimum")
        high = _fraction(self.band_max, f"{who}: båndets maksimum")
        target = _fraction(self.target, f"{who}: målet")
        _fraction(self.balance_hours, f"{who}: saldoen")
        if low < 0 or high < 0 or target < 0:
            raise RotaInputError(f"{who}: bånd og mål kan ikke være negative.")
        if low > high:
            raise RotaInputError(f"{who}: båndets minimum ({_timer(low)}) er større end maksimum ({_timer(high)}).")
        agents = tuple(self.agents)
        for agent in agents:
            if not isinstance(agent, Agent):
                raise RotaInputError(f"{who}: en medarbejder skal være en Agent, ikke {agent!r}.")
        ids = [agent.id for agent in agents]
        if len(set(ids)) != len(ids):
            twice = sorted({agent_id for agent_id in ids if ids.count(agent_id) > 1})
            raise RotaInputError(f"{who}: medarbejder-id {', '.join(twice)} står mere end én gang.")
        object.__setattr__(self, "agents", agents)

    @classmethod
    def from_population(
        cls,
        kommunekode: int,
        name: str,
        population: int,
        params: EconomyParams | None = None,
        balance_hours: Number = 0,
        agents: Sequence[Agent] = (),
    ) -> RotaMember:
        """Band and target from the population with the fee model's formulas (`fees.hours_for`)."""
        params = params or EconomyParams(price_per_citizen=Decimal(0))
        _year, week, low, high = hours_for(population, params)
        return cls(kommunekode, name, low, high, week, balance_hours, tuple(agents))

    @property
    def label(self) -> str:
        return f"{self.name} ({self.kommunekode})"


@dataclass(frozen=True)
class UnpopularRule:
    """Intervals nobody wants: those ending after `evening_from` (None: none) and whole `weekdays`
    (default Friday, Saturday, Sunday – if the hotline is open then)."""

    evening_from: dt.time | None = dt.time(17, 0)
    weekdays: frozenset[int] = frozenset({4, 5, 6})

    def is_unpopular(self, interval: Interval) -> bool:
        if interval.weekday in self.weekdays:
            return True
        if self.evening_from is None:
            return False
        return _minute_of_day(interval.start) + interval.minutes > _minute_of_day(self.evening_from)


@dataclass(frozen=True)
class Weights:
    """Objective weights (integers ≥ 0), per interval unit (one agent for one interval). The defaults make the
    order strict in practice: band ≫ shortfall ≫ over-staffing ≫ target ≫ share/fairness. `fairness` weighs the
    largest deviation of a member's unpopular intervals from its fair part, `fairness_sum` the sum of them."""

    band: int = 100_000_000
    shortfall: int = 1_000_000
    over: int = 1_000
    target: int = 20
    share: int = 2
    fairness: int = 5
    fairness_sum: int = 1

    def __post_init__(self) -> None:
        for name in ("band", "shortfall", "over", "target", "share", "fairness", "fairness_sum"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise RotaInputError(f"Vægten '{name}' skal være et helt tal på 0 eller derover, ikke {value!r}.")


@dataclass(frozen=True)
class RotaProblem:
    """One week's rota problem. `requirement[i]` is the agents needed in `intervals[i]` (chronological order, all
    intervals equally long). A yearly balance is worked off over `balance_weeks` weeks (the weekly target is
    lowered by balance / balance_weeks, kept inside the band)."""

    intervals: tuple[Interval, ...]
    requirement: tuple[int, ...]
    members: tuple[RotaMember, ...]
    rules: ShiftRules = field(default_factory=ShiftRules)
    weights: Weights = field(default_factory=Weights)
    unpopular: UnpopularRule = field(default_factory=UnpopularRule)
    balance_weeks: int = 4

    def __post_init__(self) -> None:
        intervals = tuple(self.intervals)
        object.__setattr__(self, "intervals", intervals)
        if not intervals:
            raise RotaInputError("Der er ingen intervaller at planlægge – hotlinen har ingen åbningstid i ugen.")
        for interval in intervals:
            if not isinstance(interval, Interval):
                raise RotaInputError(f"Et interval skal være et Interval, ikke {interval!r}.")
        minutes = intervals[0].minutes
        if any(interval.minutes != minutes for interval in intervals):
            raise RotaInputError("Alle intervaller skal være lige lange.")
        for before, after in zip(intervals, intervals[1:], strict=False):
            if after.week_minute < before.end_week_minute:
                raise RotaInputError(
                    f"Intervallerne skal stå i tidsorden uden overlap: {after.label} kommer efter {before.label}."
                )
        requirement = tuple(self.requirement)
        if len(requirement) != len(intervals):
            raise RotaInputError(
                f"Behovet skal have ét tal pr. interval: {len(intervals)} intervaller, men {len(requirement)} tal."
            )
        problems: list[str] = []
        clean: list[int] = []
        for interval, raw in zip(intervals, requirement, strict=True):
            need: Any = raw
            if isinstance(need, bool) or not isinstance(need, numbers.Integral):
                if isinstance(need, float) and need.is_integer():
                    need = int(need)
                else:
                    raise RotaInputError(
                        f"Behovet i {interval.label} skal være et helt antal medarbejdere, ikke {need!r}."
                    )
            if need < 0:
                problems.append(f"Behovet i {interval.label} kan ikke være negativt ({int(need)}).")
            clean.append(int(need))
        if problems:
            raise RotaInputError(problems)
        object.__setattr__(self, "requirement", tuple(clean))
        members = tuple(self.members)
        object.__setattr__(self, "members", members)
        if not members:
            raise RotaInputError("Der er ingen medlemskommuner at planlægge for.")
        seen: dict[int, str] = {}
        for member in members:
            if not isinstance(member, RotaMember):
                raise RotaInputError(f"Et medlem skal være en RotaMember, ikke {member!r}.")
            if member.kommunekode in seen:
                problems.append(
                    f"Kommunekode {member.kommunekode} står to gange ({seen[member.kommunekode]} og {member.name})."
                )
            seen[member.kommunekode] = member.name
        if problems:
            raise RotaInputError(problems)
        if not isinstance(self.rules, ShiftRules):
            raise RotaInputError("Vagtreglerne skal være et ShiftRules-objekt.")
        for length in self.rules.lengths_minutes:
            if length % minutes:
                problems.append(
                    f"Vagtlængden {length} min. er ikke et helt antal intervaller à {minutes} min. "
                    "(vagter begynder og slutter ved intervalgrænser)."
                )
        if problems:
            raise RotaInputError(problems)
        if not isinstance(self.weights, Weights):
            raise RotaInputError("Vægtene skal være et Weights-objekt.")
        if not isinstance(self.unpopular, UnpopularRule):
            raise RotaInputError("Reglen for upopulære tider skal være et UnpopularRule-objekt.")
        weeks = self.balance_weeks
        if isinstance(weeks, bool) or not isinstance(weeks, int) or weeks < 1:
            raise RotaInputError(f"Saldoen skal udlignes over mindst én uge, ikke {weeks!r}.")

    @property
    def interval_minutes(self) -> int:
        return self.intervals[0].minutes

    @property
    def required_hours(self) -> Fraction:
        return Fraction(sum(self.requirement) * self.interval_minutes, 60)


# --- output -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledShift:
    """One shift: the member (and named agent, if any), its first interval and its length."""

    kommunekode: int
    member: str
    agent: str | None
    weekday: int
    start: dt.time
    end_weekday: int
    end: dt.time
    hours: float
    first_interval: int  # index into RotaProblem.intervals
    interval_count: int
    agent_id: str | None = None  # the named agent's `Agent.id` (`agent` is its label)

    @property
    def label(self) -> str:
        end_day = "" if self.end_weekday == self.weekday else f"{WEEKDAYS_SHORT[self.end_weekday]} "
        end = _clock(_minute_of_day(self.end, end=True))
        return f"{WEEKDAYS_SHORT[self.weekday]} {self.start:%H.%M}–{end_day}{end}"


@dataclass(frozen=True)
class IntervalCoverage:
    interval: Interval
    required: int
    scheduled: int

    @property
    def shortfall(self) -> int:
        return max(0, self.required - self.scheduled)

    @property
    def over(self) -> int:
        return max(0, self.scheduled - self.required)


@dataclass(frozen=True)
class MemberHours:
    """A member's scheduled hours against its band and target; unpopular hours against its obligation share."""

    kommunekode: int
    name: str
    scheduled_hours: float
    band_min: float
    band_max: float
    target: float
    adjusted_target: float
    below_band_hours: float
    above_band_hours: float
    unpopular_hours: float
    unpopular_share: float
    obligation_share: float

    @property
    def within_band(self) -> bool:
        return self.below_band_hours == 0 and self.above_band_hours == 0

    @property
    def deviation_hours(self) -> float:
        return self.scheduled_hours - self.target


@dataclass(frozen=True)
class SolveStage:
    """One CP-SAT run: "dækning" (which shifts, for coverage) or "fordeling" (who works them)."""

    name: str
    status: str
    seconds: float
    objective: float | None
    best_bound: float | None
    progress: tuple[tuple[float, float], ...] = ()  # (seconds, objective) of each improving solution


@dataclass(frozen=True)
class RotaResult:
    """The plan and the report. `status` is CP-SAT's (OPTIMAL, FEASIBLE, UNKNOWN …); `problems` are Danish
    sentences on what the plan cannot meet and by how much; `notes` are Danish sentences worth knowing."""

    status: str
    solve_seconds: float
    objective: float | None
    stages: tuple[SolveStage, ...]
    shifts: tuple[ScheduledShift, ...]
    coverage: tuple[IntervalCoverage, ...]
    members: tuple[MemberHours, ...]
    problems: tuple[str, ...]
    notes: tuple[str, ...]
    required_hours: float
    obligation_hours: float
    band_min_hours: float
    band_max_hours: float
    scheduled_hours: float

    @property
    def has_plan(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    @property
    def optimal(self) -> bool:
        return self.status == "OPTIMAL"

    @property
    def shortfall(self) -> int:
        """Missing agent-intervals in all."""
        return sum(row.shortfall for row in self.coverage)

    @property
    def over(self) -> int:
        """Agent-intervals above the requirement in all."""
        return sum(row.over for row in self.coverage)

    @property
    def coverage_met(self) -> bool:
        return self.has_plan and self.shortfall == 0

    @property
    def bands_held(self) -> bool:
        return self.has_plan and all(member.within_band for member in self.members)

    def report(self) -> str:
        """The whole report as Danish text."""
        lines = [
            f"Status: {_STATUS_DA.get(self.status, self.status)} ({self.solve_seconds:.1f} s).",
            f"Behov {_timer(Fraction(self.required_hours))}, forpligtelser "
            f"{_timer(Fraction(self.obligation_hours))}, planlagt "
            f"{_timer(Fraction(self.scheduled_hours))}.",
        ]
        lines += list(self.problems) or ["Behovet er dækket i alle intervaller, og alle kommuner er inden for båndet."]
        lines += list(self.notes)
        return "\n".join(lines)


_STATUS_DA = {
    "OPTIMAL": "optimal plan",
    "FEASIBLE": "gyldig plan (tidsgrænsen nået, ikke bevist optimal)",
    "INFEASIBLE": "ingen plan mulig",
    "UNKNOWN": "ingen plan fundet inden for tidsgrænsen",
    "MODEL_INVALID": "ugyldig model",
}


# --- the model --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Shift:
    first: int  # index of the first interval
    length: int  # intervals
    day: int  # weekday of the first interval


def _blocks(intervals: Sequence[Interval]) -> list[tuple[int, int]]:
    """Runs of back-to-back intervals as (first index, last index)."""
    blocks: list[tuple[int, int]] = []
    first = 0
    for index in range(1, len(intervals) + 1):
        if index == len(intervals) or intervals[index].week_minute != intervals[index - 1].end_week_minute:
            blocks.append((first, index - 1))
            first = index
    return blocks


def _candidate_shifts(intervals: Sequence[Interval], lengths: Sequence[int]) -> list[_Shift]:
    shifts = []
    for first, last in _blocks(intervals):
        for start in range(first, last + 1):
            for length in lengths:
                if start + length - 1 <= last:
                    shifts.append(_Shift(start, length, intervals[start].weekday))
    return shifts


def _reachable(lengths: Sequence[int], limit: int) -> list[bool]:
    """reachable[n]: n intervals can be made of any number of shifts with these lengths (0 ≤ n ≤ limit)."""
    reachable = [False] * (limit + 1)
    reachable[0] = True
    for total in range(1, limit + 1):
        reachable[total] = any(length <= total and reachable[total - length] for length in lengths)
    return reachable


def _agent_capacity(shifts: Sequence[_Shift], usable: Sequence[bool], rules: ShiftRules) -> int:
    """An upper bound (intervals) on what one agent can work in the week: per day, the intervals its usable shifts
    cover, and with a daily limit of k shifts at most the k longest of them."""
    per_day: dict[int, list[_Shift]] = {}
    for shift, ok in zip(shifts, usable, strict=True):
        if ok:
            per_day.setdefault(shift.day, []).append(shift)
    total = 0
    for day_shifts in per_day.values():
        covered = len({t for shift in day_shifts for t in range(shift.first, shift.first + shift.length)})
        if rules.max_shifts_per_day is not None:
            longest = sorted((shift.length for shift in day_shifts), reverse=True)[: rules.max_shifts_per_day]
            covered = min(covered, sum(longest))
        total += covered
    return total


def _linear(terms: Sequence[tuple[int, Any]]) -> Any:
    return cp_model.LinearExpr.weighted_sum([var for _, var in terms], [coef for coef, _ in terms]) if terms else 0


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float) -> None:
        super().__init__()
        self.started = started
        self.points: list[tuple[float, float]] = []

    def on_solution_callback(self) -> None:
        self.points.append((round(time.perf_counter() - self.started, 3), self.ObjectiveValue()))


@dataclass
class _Prepared:
    """The problem in interval units, shared by both stages."""

    problem: RotaProblem
    shifts: list[_Shift]
    covering: list[list[int]]
    shift_unpopular: list[int]
    band_min: list[int]
    band_max: list[int]
    targets: list[int]
    adjusted: list[int]
    horizon: int
    per_hour: Fraction
    usable: dict[tuple[int, int], list[int]]  # (member, agent) → candidate shift indices inside its availability
    agent_max: dict[tuple[int, int], int | None]
    agent_capacity: dict[int, int]  # member → upper bound on its named agents' intervals
    pooled_agents: bool = False  # many named agents: stage 1 pools their members with the anonymous ones

    @property
    def anonymous(self) -> list[int]:
        return [m for m, member in enumerate(self.problem.members) if not member.agents]

    @property
    def pooled(self) -> list[int]:
        """The members stage 1 plans by counts of shifts per length (all of them when agents are pooled)."""
        return list(range(len(self.problem.members))) if self.pooled_agents else self.anonymous

    def staffable(self, s: int) -> bool:
        """Someone can work candidate shift s: an anonymous member, or a named agent whose availability holds it."""
        return bool(self.anonymous) or any(s in allowed for allowed in self.usable_sets.values())

    @property
    def usable_sets(self) -> dict[tuple[int, int], frozenset[int]]:
        if self._usable_sets is None:
            self._usable_sets = {key: frozenset(allowed) for key, allowed in self.usable.items()}
        return self._usable_sets

    _usable_sets: dict[tuple[int, int], frozenset[int]] | None = None


def _prepare(problem: RotaProblem) -> _Prepared:
    intervals, unit = problem.intervals, problem.interval_minutes
    per_hour = Fraction(60, unit)
    lengths = [length // unit for length in problem.rules.lengths_minutes]
    shifts = _candidate_shifts(intervals, lengths)
    covering: list[list[int]] = [[] for _ in intervals]
    for index, shift in enumerate(shifts):
        for t in range(shift.first, shift.first + shift.length):
            covering[t].append(index)
    unpopular = [problem.unpopular.is_unpopular(interval) for interval in intervals]
    band_min = [math.ceil(Fraction(member.band_min) * per_hour) for member in problem.members]
    band_max = [math.floor(Fraction(member.band_max) * per_hour) for member in problem.members]
    adjusted = []
    for m, member in enumerate(problem.members):
        wanted = Fraction(member.target) - Fraction(member.balance_hours) / problem.balance_weeks
        adjusted.append(min(max(_round(wanted * per_hour), band_min[m]), max(band_max[m], band_min[m])))
    usable: dict[tuple[int, int], list[int]] = {}
    agent_max: dict[tuple[int, int], int | None] = {}
    agent_capacity: dict[int, int] = {}
    for m, member in enumerate(problem.members):
        if not member.agents:
            continue
        agent_capacity[m] = 0
        for a, agent in enumerate(member.agents):
            available = [agent.available(interval) for interval in intervals]
            limit = None if agent.max_hours is None else math.floor(Fraction(agent.max_hours) * per_hour)
            ok = [
                all(available[shift.first : shift.first + shift.length]) and (limit is None or shift.length <= limit)
                for shift in shifts
            ]
            usable[m, a] = [s for s, good in enumerate(ok) if good]
            agent_max[m, a] = limit
            reach = _agent_capacity(shifts, ok, problem.rules)
            agent_capacity[m] += reach if limit is None else min(reach, limit)
    return _Prepared(
        problem=problem,
        shifts=shifts,
        covering=covering,
        shift_unpopular=[sum(unpopular[shift.first : shift.first + shift.length]) for shift in shifts],
        band_min=band_min,
        band_max=band_max,
        targets=[_round(Fraction(member.target) * per_hour) for member in problem.members],
        adjusted=adjusted,
        horizon=sum(problem.requirement) + sum(max(low, high) for low, high in zip(band_min, band_max, strict=True)),
        per_hour=per_hour,
        usable=usable,
        agent_max=agent_max,
        agent_capacity=agent_capacity,
        pooled_agents=sum(len(allowed) for allowed in usable.values()) > EXACT_AGENT_VARIABLES,
    )


# Above this many (agent, candidate shift) pairs stage 1 does not give every named agent a boolean per candidate
# shift (CP-SAT's presolve alone then takes longer than a demo's time limit, e.g. 51 agents × 475 shifts): it
# plans their members like anonymous ones (capped at what their agents can work, on shifts someone can work), and
# stage 2 puts the named agents on the shifts chosen. Small problems (a few agents) keep the exact model.
EXACT_AGENT_VARIABLES = 3_000


def _round(value: Fraction) -> int:
    return math.floor(value + Fraction(1, 2))


def _agent_variables(
    model: cp_model.CpModel, prep: _Prepared, m: int, a: int, allowed: Sequence[int]
) -> list[tuple[int, Any]]:
    """Booleans for one named agent's candidate shifts, with no overlaps, the daily limit and the weekly limit."""
    shifts = prep.shifts
    own = [(s, model.new_bool_var(f"b_{m}_{a}_{s}")) for s in allowed]
    by_interval: dict[int, list[Any]] = {}
    by_day: dict[int, list[Any]] = {}
    for s, var in own:
        by_day.setdefault(shifts[s].day, []).append(var)
        for t in range(shifts[s].first, shifts[s].first + shifts[s].length):
            by_interval.setdefault(t, []).append(var)
    for group in by_interval.values():
        if len(group) > 1:
            model.add_at_most_one(group)
    per_day = prep.problem.rules.max_shifts_per_day
    if per_day is not None:
        for group in by_day.values():
            if len(group) > per_day:
                model.add(sum(group) <= per_day)
    limit = prep.agent_max[m, a]
    if limit is not None and own:
        model.add(_linear([(shifts[s].length, var) for s, var in own]) <= limit)
    return own


def _soft_band(model: cp_model.CpModel, hours: Any, low: int, high: int, horizon: int, name: str) -> list[Any]:
    below = model.new_int_var(0, max(low, 0), f"below_{name}")
    above = model.new_int_var(0, horizon, f"above_{name}")
    model.add(hours + below >= low)
    model.add(hours - above <= high)
    return [below, above]


def _run(
    model: cp_model.CpModel, seconds: float, seed: int, workers: int, name: str
) -> tuple[cp_model.CpSolver, SolveStage]:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.1)
    solver.parameters.num_search_workers = workers
    solver.parameters.random_seed = seed
    started = time.perf_counter()
    progress = _Progress(started)
    code = solver.solve(model, progress)
    found = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    stage = SolveStage(
        name=name,
        status=solver.status_name(code),
        seconds=round(time.perf_counter() - started, 3),
        objective=solver.objective_value if found else None,
        best_bound=solver.best_objective_bound if found else None,
        progress=tuple(progress.points),
    )
    return solver, stage


def _coverage_stage(
    prep: _Prepared, seconds: float, seed: int, workers: int
) -> tuple[SolveStage, list[int], dict[tuple[int, int], list[int]], dict[int, dict[int, int]]]:
    """Stage 1: how many of each shift are worked, minimising band violation, shortfall and over-staffing.

    Anonymous members' shifts are pooled per shift (r[s]) and each anonymous member gets a count per shift
    length (n[m, L], Σ_m n[m, L] = Σ_{len(s) = L} r[s]), so its band is checked exactly; named agents get their
    booleans. Returns the shifts worked y[s], the named agents' shifts and the anonymous members' counts per
    length (the second stage's starting point)."""
    problem, shifts, weights = prep.problem, prep.shifts, prep.problem.weights
    model = cp_model.CpModel()
    per_shift: list[list[Any]] = [[] for _ in shifts]
    violations: list[Any] = []
    anonymous = prep.pooled
    lengths: dict[int, list[Any]] = {}  # shift length → the pooled anonymous shifts of that length
    per_length: dict[int, dict[int, Any]] = {}  # anonymous member → length → how many shifts of that length
    if anonymous:
        high = sum(max(prep.band_min[m], prep.band_max[m]) for m in anonymous)
        for s, shift in enumerate(shifts):
            if high // shift.length and prep.staffable(s):
                var = model.new_int_var(0, high // shift.length, f"r_{s}")
                per_shift[s].append(var)
                lengths.setdefault(shift.length, []).append(var)
        for m in anonymous:
            cap = max(prep.band_min[m], prep.band_max[m])
            per_length[m] = {
                length: model.new_int_var(0, cap // length, f"n_{m}_{length}") for length in lengths if cap // length
            }
            hours = _linear([(length, var) for length, var in per_length[m].items()])
            if m in prep.agent_capacity:  # pooled named agents: no more than they can work
                model.add(hours <= prep.agent_capacity[m])
            violations += _soft_band(model, hours, prep.band_min[m], prep.band_max[m], prep.horizon, f"m{m}")
        for length, pooled in lengths.items():
            members_of_length = [per_length[m][length] for m in anonymous if length in per_length[m]]
            model.add(sum(pooled) == sum(members_of_length))
    agents: dict[tuple[int, int], list[tuple[int, Any]]] = {}
    for m, member in enumerate(problem.members):
        if not member.agents or prep.pooled_agents:
            continue
        terms = []
        for a in range(len(member.agents)):
            own = _agent_variables(model, prep, m, a, prep.usable[m, a])
            agents[m, a] = own
            for s, var in own:
                per_shift[s].append(var)
                terms.append((shifts[s].length, var))
        violations += _soft_band(model, _linear(terms), prep.band_min[m], prep.band_max[m], prep.horizon, f"m{m}")
    over_vars, short_vars = [], []
    for t, need in enumerate(problem.requirement):
        over = model.new_int_var(0, prep.horizon, f"over_{t}")
        short = model.new_int_var(0, need, f"short_{t}")
        terms = [var for s in prep.covering[t] for var in per_shift[s]]
        model.add(_linear([(1, var) for var in terms]) - over + short == need)
        over_vars.append(over)
        short_vars.append(short)
    model.minimize(weights.band * sum(violations) + weights.shortfall * sum(short_vars) + weights.over * sum(over_vars))
    solver, stage = _run(model, seconds, seed, workers, "dækning")
    if stage.objective is None:
        return stage, [], {}, {}
    worked = [sum(solver.value(var) for var in terms) for terms in per_shift]
    chosen = {key: [s for s, var in own if solver.value(var)] for key, own in agents.items()}
    counts = {m: {length: solver.value(var) for length, var in per.items()} for m, per in per_length.items()}
    return stage, worked, chosen, counts


def _band_violation(prep: _Prepared, counts: Mapping[tuple[int, tuple[int, int]], int]) -> int:
    """Intervals outside the bands of the anonymous members for counts per (member, type)."""
    hours = dict.fromkeys(prep.anonymous, 0)
    for (m, (length, _u)), count in counts.items():
        hours[m] += length * count
    return sum(max(0, prep.band_min[m] - units) + max(0, units - prep.band_max[m]) for m, units in hours.items())


def _fair_deal(
    prep: _Prepared, left: Mapping[tuple[int, int], int], types: Mapping[tuple[int, int], int]
) -> dict[tuple[int, tuple[int, int]], int]:
    """A greedy starting point for stage 2: deal the shifts the named agents leave to the anonymous members, the
    most unpopular and longest first, each to the member furthest below its fair part of the unpopular intervals
    (or, for popular shifts, of the hours), preferring members still under their fair hours, then under their
    band maximum."""
    anonymous = prep.anonymous
    deal: dict[tuple[int, tuple[int, int]], int] = {}
    if not anonymous:
        return deal
    all_hours = sum(length * count for (length, _u), count in types.items())
    all_unpop = sum(u * count for (_length, u), count in types.items())
    total_adjusted, total_target = sum(prep.adjusted), sum(prep.targets)
    fair_hours = {m: Fraction(prep.adjusted[m] * all_hours, total_adjusted or 1) for m in anonymous}
    fair_unpop = {m: Fraction(prep.targets[m] * all_unpop, total_target or 1) for m in anonymous}
    hours = dict.fromkeys(anonymous, 0)
    unpop = dict.fromkeys(anonymous, 0)
    for key in sorted(left, key=lambda key: (-key[1], -key[0])):
        length, u = key
        for _ in range(left[key]):
            pool = [m for m in anonymous if hours[m] + length <= math.ceil(fair_hours[m])]
            pool = pool or [m for m in anonymous if hours[m] + length <= prep.band_max[m]] or anonymous
            if u:
                m = max(pool, key=lambda m: (fair_unpop[m] - unpop[m], fair_hours[m] - hours[m], -m))
            else:
                m = max(pool, key=lambda m: (fair_hours[m] - hours[m], -m))
            hours[m] += length
            unpop[m] += u
            deal[m, key] = deal.get((m, key), 0) + 1
    return deal


def _agents_hint(
    prep: _Prepared, worked: Sequence[int], length_hint: Mapping[int, Mapping[int, int]]
) -> dict[tuple[int, int], list[int]]:
    """A starting point for stage 2 when stage 1 pooled the named agents: each such member's shifts per length (from
    stage 1), greedily put on worked shifts its agents can take (availability, no overlap, the daily and weekly
    limits), the agent with the fewest intervals first."""
    shifts, rules = prep.shifts, prep.problem.rules
    left = list(worked)
    chosen: dict[tuple[int, int], list[int]] = {}
    for m, member in enumerate(prep.problem.members):
        if not member.agents:
            continue
        wanted = dict(length_hint.get(m, {}))
        busy: dict[int, set[int]] = {a: set() for a in range(len(member.agents))}
        starts: dict[int, dict[int, int]] = {a: {} for a in range(len(member.agents))}
        units = dict.fromkeys(range(len(member.agents)), 0)
        for s in sorted(range(len(shifts)), key=lambda s: (-shifts[s].length, s)):
            while left[s] and wanted.get(shifts[s].length, 0) > 0:
                span = set(range(shifts[s].first, shifts[s].first + shifts[s].length))
                able = [
                    a
                    for a in range(len(member.agents))
                    if s in prep.usable_sets[m, a]
                    and not busy[a] & span
                    and (rules.max_shifts_per_day is None or starts[a].get(shifts[s].day, 0) < rules.max_shifts_per_day)
                    and (prep.agent_max[m, a] is None or units[a] + shifts[s].length <= (prep.agent_max[m, a] or 0))
                ]
                if not able:
                    break
                a = min(able, key=lambda a: (units[a], a))
                chosen.setdefault((m, a), []).append(s)
                busy[a] |= span
                starts[a][shifts[s].day] = starts[a].get(shifts[s].day, 0) + 1
                units[a] += shifts[s].length
                left[s] -= 1
                wanted[shifts[s].length] -= 1
    return chosen


def _assignment_stage(
    prep: _Prepared,
    worked: Sequence[int],
    hint: Mapping[tuple[int, int], Sequence[int]],
    length_hint: Mapping[int, Mapping[int, int]],
    seconds: float,
    seed: int,
    workers: int,
) -> tuple[SolveStage, dict[int, dict[tuple[int, int], int]], dict[tuple[int, int], list[int]]]:
    """Stage 2: who works the shifts of stage 1. Anonymous members only care about a shift's length and its
    unpopular intervals, so they get counts per such type; named agents get booleans per shift. Minimises band
    violation per member, then deviation from target, share and fairness; stage 1's plan is the hint. Returns
    the anonymous members' counts per type and the named agents' shifts."""
    problem, shifts, weights = prep.problem, prep.shifts, prep.problem.weights
    n_members = len(problem.members)
    types: dict[tuple[int, int], int] = {}
    for s, count in enumerate(worked):
        if count:
            key = (shifts[s].length, prep.shift_unpopular[s])
            types[key] = types.get(key, 0) + count
    model = cp_model.CpModel()
    hours: list[list[tuple[int, Any]]] = [[] for _ in range(n_members)]
    unpop: list[list[tuple[int, Any]]] = [[] for _ in range(n_members)]
    per_type: dict[tuple[int, int], list[Any]] = {key: [] for key in types}
    if prep.pooled_agents:
        hint = _agents_hint(prep, worked, length_hint)
    # The hint for the anonymous members: a greedy fair deal of the shifts the named agents leave (see
    # _fair_deal), unless stage 1's counts per length, dealt over the types of that length, hold the bands better.
    left = dict(types)
    for hinted_shifts in hint.values():
        for s in hinted_shifts:
            left[(shifts[s].length, prep.shift_unpopular[s])] -= 1
    z_hint = _fair_deal(prep, left, types)
    from_stage1: dict[tuple[int, tuple[int, int]], int] = {}
    rest = dict(left)
    for m in prep.anonymous:
        for length, wanted in length_hint.get(m, {}).items():
            for key in sorted(key for key in rest if key[0] == length):
                take = min(wanted, rest[key])
                if take:
                    from_stage1[m, key] = take
                    rest[key] -= take
                    wanted -= take
    if _band_violation(prep, from_stage1) < _band_violation(prep, z_hint):
        z_hint = from_stage1
    counts: dict[int, dict[tuple[int, int], Any]] = {}
    for m in prep.anonymous:
        counts[m] = {}
        for key, total in types.items():
            var = model.new_int_var(0, total, f"z_{m}_{key[0]}_{key[1]}")
            model.add_hint(var, z_hint.get((m, key), 0))
            counts[m][key] = var
            per_type[key].append(var)
            hours[m].append((key[0], var))
            if key[1]:
                unpop[m].append((key[1], var))
    agents: dict[tuple[int, int], list[tuple[int, Any]]] = {}
    per_shift: dict[int, list[Any]] = {}
    for (m, a), allowed in prep.usable.items():
        own = _agent_variables(model, prep, m, a, [s for s in allowed if worked[s]])
        agents[m, a] = own
        hinted = set(hint.get((m, a), ()))
        for s, var in own:
            model.add_hint(var, s in hinted)
            per_shift.setdefault(s, []).append(var)
            per_type[(shifts[s].length, prep.shift_unpopular[s])].append(var)
            hours[m].append((shifts[s].length, var))
            if prep.shift_unpopular[s]:
                unpop[m].append((prep.shift_unpopular[s], var))
    for s, group in per_shift.items():
        if len(group) > worked[s]:
            model.add(sum(group) <= worked[s])
    unstaffed: list[tuple[int, Any]] = []
    for key, group in per_type.items():
        if prep.pooled_agents:
            # Stage 1 chose the shifts without the agents' availability: a shift nobody can take stays empty (and
            # the interval short), at the shortfall's weight.
            empty = model.new_int_var(0, types[key], f"unstaffed_{key[0]}_{key[1]}")
            unstaffed.append((key[0], empty))
            model.add(sum(group) + empty == types[key])
        else:
            model.add(sum(group) == types[key])

    violations: list[Any] = []
    deviations: list[Any] = []
    hours_expr = [_linear(terms) for terms in hours]
    unpop_expr = [_linear(terms) for terms in unpop]
    for m in range(n_members):
        violations += _soft_band(model, hours_expr[m], prep.band_min[m], prep.band_max[m], prep.horizon, f"m{m}")
        dev = model.new_int_var(0, prep.horizon, f"dev_{m}")
        model.add(dev >= hours_expr[m] - prep.adjusted[m])
        model.add(dev >= prep.adjusted[m] - hours_expr[m])
        deviations.append(dev)
    total_target = sum(prep.targets)
    shares: list[Any] = []
    unfair: list[Any] = []
    fairness: Any = 0
    if total_target > 0 and n_members > 1:
        all_hours = sum(length * count for (length, _u), count in types.items())
        all_unpop = sum(u * count for (_length, u), count in types.items())
        total_adjusted = sum(prep.adjusted)
        # Stage 1 fixed the shifts, so all hours H and all unpopular hours U are constants here, and a member's
        # fair part of them (target / Σ targets × H) is a constant too: the deviations are plain |x − fair|, in
        # whole intervals, zero anywhere between the fair part rounded down and rounded up.
        if weights.share and total_adjusted > 0:
            # The surplus or deficit against the (balance-adjusted) targets is shared in proportion to them.
            for m in range(n_members):
                fair = Fraction(prep.adjusted[m] * all_hours, total_adjusted)
                share = model.new_int_var(0, prep.horizon, f"share_{m}")
                model.add(share >= hours_expr[m] - math.ceil(fair))
                model.add(share >= math.floor(fair) - hours_expr[m])
                shares.append(share)
        if weights.fairness and all_unpop:
            fairness = model.new_int_var(0, all_unpop, "fairness")
            for m in range(n_members):
                fair = Fraction(prep.targets[m] * all_unpop, total_target)
                gap = model.new_int_var(0, all_unpop, f"unfair_{m}")
                model.add(gap >= unpop_expr[m] - math.ceil(fair))
                model.add(gap >= math.floor(fair) - unpop_expr[m])
                model.add(fairness >= gap)
                unfair.append(gap)
    model.minimize(
        weights.band * sum(violations)
        + weights.shortfall * _linear(unstaffed)
        + weights.target * sum(deviations)
        + weights.share * sum(shares)
        + weights.fairness * fairness
        + weights.fairness_sum * sum(unfair)
    )
    solver, stage = _run(model, seconds, seed, workers, "fordeling")
    if stage.objective is None:
        return stage, {}, {}
    anonymous_counts = {m: {key: solver.value(var) for key, var in per.items()} for m, per in counts.items()}
    chosen = {key: [s for s, var in own if solver.value(var)] for key, own in agents.items()}
    return stage, anonymous_counts, chosen


def solve_rota(problem: RotaProblem, time_limit_seconds: float = 30.0, seed: int = 0, workers: int = 2) -> RotaResult:
    """Build the week's rota for `problem` with CP-SAT (see the module docstring for the model).

    `time_limit_seconds` bounds both stages together (the first gets at most 60 % of it, the second what is left);
    `workers` is CP-SAT's num_search_workers and `seed` its random seed (fixed: the same input gives the same plan
    as far as CP-SAT's parallel search allows).
    """
    limit = float(_fraction(time_limit_seconds, "Tidsgrænsen"))
    if limit <= 0:
        raise RotaInputError(f"Tidsgrænsen skal være over 0 sekunder, ikke {time_limit_seconds!r}.")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise RotaInputError(f"Antal søgetråde skal være mindst 1, ikke {workers!r}.")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise RotaInputError(f"Frøet skal være et helt tal, ikke {seed!r}.")
    started = time.perf_counter()
    prep = _prepare(problem)
    shifts, intervals, members = prep.shifts, problem.intervals, problem.members
    stage1, worked, hint, length_hint = _coverage_stage(prep, 0.6 * limit, seed, workers)
    stages = [stage1]
    anonymous_counts: dict[int, dict[tuple[int, int], int]] = {}
    agent_shifts: dict[tuple[int, int], list[int]] = {}
    if stage1.objective is not None:
        remaining = limit - (time.perf_counter() - started)
        stage2, anonymous_counts, agent_shifts = _assignment_stage(
            prep, worked, hint, length_hint, remaining, seed, workers
        )
        stages.append(stage2)
    if all(stage.status == "OPTIMAL" for stage in stages) and len(stages) == 2:
        status = "OPTIMAL"
    elif all(stage.objective is not None for stage in stages) and len(stages) == 2:
        status = "FEASIBLE"
    else:
        status = next(stage.status for stage in stages if stage.objective is None)
    has_plan = status in ("OPTIMAL", "FEASIBLE")

    # Read the plan back: named agents' shifts first, then the anonymous members' counts dealt out per type.
    rows: list[tuple[int, int, Agent | None]] = []  # (member, shift, agent)
    if has_plan:
        left = list(worked)
        for (m, a), chosen in agent_shifts.items():
            for s in chosen:
                rows.append((m, s, members[m].agents[a]))
                left[s] -= 1
        quota = {m: dict(per) for m, per in anonymous_counts.items()}
        for s, count in enumerate(left):
            key = (shifts[s].length, prep.shift_unpopular[s])
            for _ in range(count):
                # The member with most of this type still to place, so a member's shifts spread over the week.
                m = max(quota, key=lambda member: (quota[member].get(key, 0), -member), default=-1)
                if m < 0 or quota[m].get(key, 0) <= 0:
                    break  # nobody can take it (pooled named agents whose availability does not hold it)
                quota[m][key] -= 1
                rows.append((m, s, None))
    unit = problem.interval_minutes
    counts = [0] * len(intervals)
    member_units = [0] * len(members)
    member_unpop = [0] * len(members)
    scheduled_shifts = []
    for m, s, agent in rows:
        shift = shifts[s]
        member_units[m] += shift.length
        member_unpop[m] += prep.shift_unpopular[s]
        for t in range(shift.first, shift.first + shift.length):
            counts[t] += 1
        last = intervals[shift.first + shift.length - 1]
        scheduled_shifts.append(
            ScheduledShift(
                kommunekode=members[m].kommunekode,
                member=members[m].name,
                agent=agent.label if agent else None,
                weekday=intervals[shift.first].weekday,
                start=intervals[shift.first].start,
                end_weekday=last.weekday,
                end=last.end,
                hours=float(Fraction(shift.length * unit, 60)),
                first_interval=shift.first,
                interval_count=shift.length,
                agent_id=agent.id if agent else None,
            )
        )
    scheduled_shifts.sort(key=lambda row: (row.first_interval, row.kommunekode, row.interval_count, row.agent or ""))
    coverage = tuple(
        IntervalCoverage(interval, need, counts[t])
        for t, (interval, need) in enumerate(zip(intervals, problem.requirement, strict=True))
    )

    def hours_of(units: int) -> float:
        return float(units / prep.per_hour)

    total_unpop = sum(member_unpop)
    total_target = sum(prep.targets)
    members_out = []
    for m, member in enumerate(members):
        members_out.append(
            MemberHours(
                kommunekode=member.kommunekode,
                name=member.name,
                scheduled_hours=hours_of(member_units[m]),
                band_min=float(Fraction(member.band_min)),
                band_max=float(Fraction(member.band_max)),
                target=float(Fraction(member.target)),
                adjusted_target=hours_of(prep.adjusted[m]),
                below_band_hours=hours_of(max(0, prep.band_min[m] - member_units[m])) if has_plan else 0.0,
                above_band_hours=hours_of(max(0, member_units[m] - prep.band_max[m])) if has_plan else 0.0,
                unpopular_hours=hours_of(member_unpop[m]),
                unpopular_share=member_unpop[m] / total_unpop if total_unpop else 0.0,
                obligation_share=prep.targets[m] / total_target if total_target else 0.0,
            )
        )

    required_hours = problem.required_hours
    obligation = sum((Fraction(member.target) for member in members), Fraction(0))
    band_low = sum((Fraction(member.band_min) for member in members), Fraction(0))
    band_high = sum((Fraction(member.band_max) for member in members), Fraction(0))
    problems, notes = _report(
        problem,
        status,
        limit,
        coverage,
        members_out,
        shifts_possible=bool(shifts),
        reachable_lengths=[length // unit for length in problem.rules.lengths_minutes],
        band_units=(prep.band_min, prep.band_max),
        agent_capacity={m: hours_of(units) for m, units in prep.agent_capacity.items()},
        totals=(required_hours, obligation, band_low, band_high),
    )
    objective = None
    if has_plan:
        weights = problem.weights
        assert stages[-1].objective is not None
        shortfall = sum(row.shortfall for row in coverage)
        over = sum(row.over for row in coverage)
        objective = weights.shortfall * shortfall + weights.over * over + stages[-1].objective
    return RotaResult(
        status=status,
        solve_seconds=round(time.perf_counter() - started, 3),
        objective=objective,
        stages=tuple(stages),
        shifts=tuple(scheduled_shifts),
        coverage=coverage,
        members=tuple(members_out),
        problems=tuple(problems),
        notes=tuple(notes),
        required_hours=float(required_hours),
        obligation_hours=float(obligation),
        band_min_hours=float(band_low),
        band_max_hours=float(band_high),
        scheduled_hours=hours_of(sum(member_units)),
    )


def _report(
    problem: RotaProblem,
    status: str,
    limit: float,
    coverage: Sequence[IntervalCoverage],
    members: Sequence[MemberHours],
    *,
    shifts_possible: bool,
    reachable_lengths: Sequence[int],
    band_units: tuple[Sequence[int], Sequence[int]],
    agent_capacity: Mapping[int, float],
    totals: tuple[Fraction, Fraction, Fraction, Fraction],
) -> tuple[list[str], list[str]]:
    """The Danish problems (what the plan cannot meet, by how much) and notes."""
    required, obligation, band_low, band_high = totals
    problems: list[str] = []
    notes: list[str] = []
    rules = problem.rules
    unit = problem.interval_minutes
    if status not in ("OPTIMAL", "FEASIBLE"):
        problems.append(f"Løseren fandt ingen plan inden for tidsgrænsen på {_hours_text(Fraction(limit))} sekunder.")
        return problems, notes
    if not shifts_possible:
        problems.append(
            f"Ingen vagt på {rules.describe()} timer kan ligge inden for åbningstiden – der kan ikke planlægges vagter."
        )
    unproven = "" if status == "OPTIMAL" else " (planen er ikke bevist optimal; manglen kan muligvis blive mindre)"

    # Coverage.
    short_rows = [row for row in coverage if row.shortfall]
    if short_rows:
        missing = sum(row.shortfall for row in short_rows)
        problems.append(
            f"Behovet er ikke dækket i {len(short_rows)} af {len(coverage)} intervaller: der mangler i alt {missing} "
            f"medarbejder-intervaller ({_timer(Fraction(missing * unit, 60))}){unproven}."
        )
        for row in short_rows:
            problems.append(
                f"{row.interval.label}: mangler {row.shortfall} {_agents_word(row.shortfall)} "
                f"(behov {row.required}, planlagt {row.scheduled})."
            )

    # Members outside their band.
    low_units, high_units = band_units
    for m, (member, hours) in enumerate(zip(problem.members, members, strict=True)):
        if hours.within_band:
            continue
        band = f"{_hours_text(Fraction(member.band_min))}–{_hours_text(Fraction(member.band_max))} timer"
        if hours.below_band_hours:
            gap = f"{_timer(Fraction(hours.below_band_hours))} under minimum"
        else:
            gap = f"{_timer(Fraction(hours.above_band_hours))} over maksimum"
        reasons = []
        if low_units[m] > high_units[m]:
            reasons.append(f"båndet rummer ikke et helt antal intervaller à {unit} min.")
        elif not member.agents:
            reachable = _reachable(reachable_lengths, high_units[m])
            if not any(reachable[low_units[m] : high_units[m] + 1]):
                reasons.append(f"ingen kombination af vagter på {rules.describe()} timer giver et timetal i båndet")
        elif m in agent_capacity and Fraction(agent_capacity[m]) < Fraction(member.band_min):
            names = ", ".join(agent.label for agent in member.agents)
            reasons.append(
                f"de navngivne medarbejderes ({names}) tilgængelighed og timeloft giver højst "
                f"{_timer(Fraction(agent_capacity[m]))}"
            )
        reason = f" ({'; '.join(reasons)})" if reasons else ""
        problems.append(
            f"{member.label} kan ikke placeres inden for sit bånd på {band}: planen giver "
            f"{_timer(Fraction(hours.scheduled_hours))}, {gap}{reason}."
        )

    # Obligations against the requirement.
    if obligation < required:
        sentence = (
            f"De samlede forpligtelser ({_timer(obligation)} om ugen) er "
            f"{_timer(required - obligation)} mindre end behovet ({_timer(required)})."
        )
        (problems if short_rows else notes).append(sentence)
    elif obligation > required:
        notes.append(
            f"De samlede forpligtelser ({_timer(obligation)} om ugen) er "
            f"{_timer(obligation - required)} større end behovet ({_timer(required)})."
        )
    if band_high < required:
        problems.append(
            f"Selv med alle kommuner på båndets maksimum ({_timer(band_high)}) mangler der "
            f"{_timer(required - band_high)} for at dække behovet."
        )
    if band_low > required:
        notes.append(
            f"Båndenes minimum ({_timer(band_low)}) er {_timer(band_low - required)} større end "
            "behovet – overbemanding kan ikke undgås."
        )
    return problems, notes


def describe_shifts(shifts: Iterable[ScheduledShift]) -> list[str]:
    """One Danish line per shift, e.g. "man 08.00–12.00 Aarhus (751) – Mette"."""
    lines = []
    for shift in shifts:
        agent = f" – {shift.agent}" if shift.agent else ""
        lines.append(f"{shift.label} {shift.member} ({shift.kommunekode}){agent}")
    return lines
