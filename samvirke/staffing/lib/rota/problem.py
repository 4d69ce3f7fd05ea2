"""The rota's input: the shift rules, the members (band, target, yearly balance) and their named agents with
availability and weekly hours, the unpopular intervals, the objective's weights, and the week's problem."""

from __future__ import annotations

import datetime as dt
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from samvirke.economy.lib.fees import EconomyParams, hours_for
from samvirke.staffing.lib.rota.common import Number, RotaInputError, hours_text, timer, to_fraction
from samvirke.staffing.lib.rota.week import Interval, Window, minute_of_day


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
        low = to_fraction(min_hours, "Den korteste vagt") * 60
        high = to_fraction(max_hours, "Den længste vagt") * 60
        if isinstance(step_minutes, bool) or not isinstance(step_minutes, int) or step_minutes <= 0:
            raise RotaInputError(
                f"Trinnet mellem vagtlængder skal være et positivt antal minutter, ikke {step_minutes!r}."
            )
        if low <= 0 or low.denominator != 1 or high.denominator != 1:
            raise RotaInputError("Vagtlængderne skal være et positivt helt antal minutter.")
        if low > high:
            raise RotaInputError(
                f"Den korteste vagt ({timer(low / 60)}) er længere end den længste ({timer(high / 60)})."
            )
        lengths = tuple(range(int(low), int(high) + 1, step_minutes))
        return cls(lengths, max_shifts_per_day)

    def describe(self) -> str:
        hours = [hours_text(Fraction(length, 60)) for length in self.lengths_minutes]
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
        if self.max_hours is not None and to_fraction(self.max_hours, f"Medarbejder {self.id}: timer pr. uge") < 0:
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
        low = to_fraction(self.band_min, f"{who}: båndets minimum")
        high = to_fraction(self.band_max, f"{who}: båndets maksimum")
        target = to_fraction(self.target, f"{who}: målet")
        to_fraction(self.balance_hours, f"{who}: saldoen")
        if low < 0 or high < 0 or target < 0:
            raise RotaInputError(f"{who}: bånd og mål kan ikke være negative.")
        if low > high:
            raise RotaInputError(f"{who}: båndets minimum ({timer(low)}) er større end maksimum ({timer(high)}).")
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
        return minute_of_day(interval.start) + interval.minutes > minute_of_day(self.evening_from)


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
