"""The solution read back: the shifts (named agents' first, then the anonymous members' counts dealt out as
concrete shifts), the coverage per interval and each member's hours against its band, target and share of the
unpopular hours."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from samvirke.staffing.lib.rota.model import Prepared, Solution
from samvirke.staffing.lib.rota.problem import Agent
from samvirke.staffing.lib.rota.week import WEEKDAYS_SHORT, Interval, clock, minute_of_day


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
        end = clock(minute_of_day(self.end, end=True))
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
class Plan:
    """The solution as shifts, coverage per interval and hours per member (`scheduled_hours` in all)."""

    shifts: tuple[ScheduledShift, ...]
    coverage: tuple[IntervalCoverage, ...]
    members: tuple[MemberHours, ...]
    scheduled_hours: float


def read_back(prep: Prepared, solution: Solution) -> Plan:
    """The plan of `solution` (no shifts when it has none): the named agents' shifts first, then the anonymous
    members' counts per type dealt out as concrete shifts."""
    problem = prep.problem
    shifts, intervals, members = prep.shifts, problem.intervals, problem.members
    rows: list[tuple[int, int, Agent | None]] = []  # (member, shift, agent)
    if solution.has_plan:
        left = list(solution.worked)
        for (m, a), chosen in solution.agent_shifts.items():
            for s in chosen:
                rows.append((m, s, members[m].agents[a]))
                left[s] -= 1
        quota = {m: dict(per) for m, per in solution.anonymous_counts.items()}
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
                below_band_hours=hours_of(max(0, prep.band_min[m] - member_units[m])) if solution.has_plan else 0.0,
                above_band_hours=hours_of(max(0, member_units[m] - prep.band_max[m])) if solution.has_plan else 0.0,
                unpopular_hours=hours_of(member_unpop[m]),
                unpopular_share=member_unpop[m] / total_unpop if total_unpop else 0.0,
                obligation_share=prep.targets[m] / total_target if total_target else 0.0,
            )
        )
    return Plan(tuple(scheduled_shifts), coverage, tuple(members_out), hours_of(sum(member_units)))
