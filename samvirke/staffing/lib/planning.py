"""From a week's forecast to the rota's inputs, and from the rota's shifts back to moments: the glue between
forecast.py, erlang.py and rota/, pure."""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Sequence

from samvirke.core.lib.clock import LOCAL, end_moment
from samvirke.staffing.lib.forecast import Forecast
from samvirke.staffing.lib.rota import Interval, ScheduledShift

SLOT_MINUTES = 30


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def volumes_for(intervals: Sequence[Interval], forecast: Forecast, week_start: dt.date) -> list[float]:
    """Expected contacts in each of the week's intervals (a longer interval sums its half-hours)."""
    volumes = []
    for interval in intervals:
        day = (week_start + dt.timedelta(days=interval.weekday) - forecast.start).days
        first = (interval.start.hour * 60 + interval.start.minute) // SLOT_MINUTES
        slots = max(1, interval.minutes // SLOT_MINUTES)
        if not 0 <= day < forecast.days:
            volumes.append(0.0)
            continue
        volumes.append(float(forecast.counts[day, first : first + slots].sum()))
    return volumes


def shift_moments(shift: ScheduledShift, week_start: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """A shift's start and end as aware local datetimes in the given week."""
    start = dt.datetime.combine(week_start + dt.timedelta(days=shift.weekday), shift.start, tzinfo=LOCAL)
    return start, end_moment(week_start + dt.timedelta(days=shift.end_weekday), shift.end)


def interval_moment(interval: Interval, week_start: dt.date) -> dt.datetime:
    return dt.datetime.combine(week_start + dt.timedelta(days=interval.weekday), interval.start, tzinfo=LOCAL)


def scheduled_per_interval(
    intervals: Sequence[Interval], shifts: Sequence[tuple[dt.datetime, dt.datetime]], week_start: dt.date
) -> list[int]:
    """Agents on duty in each interval, counted from the shifts' moments (so a swap is reflected at once).

    The intervals do not overlap, so in time order each shift covers one run of them, found by bisection:
    O((intervals + shifts) · log intervals), quick enough for every week in the week list."""
    order = sorted(range(len(intervals)), key=lambda i: (intervals[i].weekday, intervals[i].start))
    begins = [interval_moment(intervals[i], week_start) for i in order]
    ends = [begin + dt.timedelta(minutes=intervals[i].minutes) for begin, i in zip(begins, order, strict=True)]
    change = [0] * (len(intervals) + 1)
    for start, stop in shifts:
        first = bisect.bisect_right(ends, start)  # the first interval that ends after the shift starts
        last = bisect.bisect_left(begins, stop)  # one past the last interval that begins before the shift ends
        if first < last:
            change[first] += 1
            change[last] -= 1
    counts = [0] * len(intervals)
    for position, count in zip(order, itertools.accumulate(change[:-1]), strict=True):
        counts[position] = count
    return counts


def uncovered_half_hours(requirement: Sequence[int], scheduled: Sequence[int]) -> int:
    """The rota's one measure of "udækkede halve timer": the intervals (half-hours) in which fewer agents are
    planned than needed. Not the agent-half-hours missing (an interval two agents short counts once)."""
    return sum(1 for need, have in zip(requirement, scheduled, strict=True) if have < need)


def assign_to_agents(
    shifts: Sequence[tuple[int, dt.datetime, dt.datetime]], agents: Sequence[str]
) -> tuple[dict[int, str], list[int]]:
    """Hand a member's shifts to its named agents: each shift to the free agent with the fewest hours so far
    (ties by name), never two overlapping shifts to one agent. Returns {shift id: agent} and the shift ids
    nobody was free for (the member needs more agents on the rota that week)."""
    hours: dict[str, float] = {agent: 0.0 for agent in agents}
    busy: dict[str, list[tuple[dt.datetime, dt.datetime]]] = {agent: [] for agent in agents}
    assigned: dict[int, str] = {}
    unassigned: list[int] = []
    for shift_id, start, end in sorted(shifts, key=lambda s: (s[1], s[2], s[0])):
        free = [a for a in agents if all(end <= b or start >= e for b, e in busy[a])]
        if not free:
            unassigned.append(shift_id)
            continue
        agent = min(free, key=lambda a: (hours[a], a))
        assigned[shift_id] = agent
        busy[agent].append((start, end))
        hours[agent] += (end - start).total_seconds() / 3600
    return assigned, unassigned


def yearly_balance(scheduled_hours: float, weekly_target: float, weeks: float) -> float:
    """Hours a member is ahead (+) or behind (−) its obligation: the hours scheduled so far less the weekly
    target (`economy.lib.fees.hours_for`, per year ÷ weeks) for each week that has been planned. The rota
    (`RotaProblem.balance_weeks`) works the balance off over the coming weeks."""
    return float(scheduled_hours) - float(weekly_target) * float(weeks)
