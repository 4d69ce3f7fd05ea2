"""The week grid: its intervals (by default the clock-aligned half-hours of the opening hours), time windows
within a day, and the requirement in agents per interval (Erlang C)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from samvirke.core.lib.clock import END_OF_DAY
from samvirke.core.lib.erlang import agents_required
from samvirke.core.lib.hours import OpeningHours
from samvirke.staffing.lib.rota.common import RotaInputError

DAY_MINUTES = 24 * 60
WEEKDAYS_SHORT = ("man", "tir", "ons", "tor", "fre", "lør", "søn")
HoursLike = OpeningHours | Mapping[int, Sequence[tuple[dt.time, dt.time]]]


def minute_of_day(moment: dt.time, *, end: bool = False) -> int:
    """Minutes since midnight; as an `end`, 23.59.59 and 00.00 are midnight at the end of the day (1440)."""
    if end and moment in (END_OF_DAY, dt.time(0, 0)):
        return DAY_MINUTES
    return moment.hour * 60 + moment.minute


def clock(minute: int) -> str:
    """A minute of the day as "08.30" ("24.00" for midnight at the end of the day)."""
    return "24.00" if minute == DAY_MINUTES else f"{minute // 60:02d}.{minute % 60:02d}"


def time_of(minute: int) -> dt.time:
    """A minute of the day as a time (midnight at the end of the day as 23.59.59)."""
    return END_OF_DAY if minute >= DAY_MINUTES else dt.time(minute // 60, minute % 60)


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
        if minute_of_day(self.start) + self.minutes > DAY_MINUTES:
            raise RotaInputError(
                f"Intervallet {WEEKDAYS_SHORT[self.weekday]} {self.start:%H.%M} på {self.minutes} min. går over midnat."
            )

    @property
    def week_minute(self) -> int:
        """Minutes from Monday 00.00 to the start."""
        return self.weekday * DAY_MINUTES + minute_of_day(self.start)

    @property
    def end_week_minute(self) -> int:
        return self.week_minute + self.minutes

    @property
    def end(self) -> dt.time:
        """The end time; midnight is 23.59.59 ("24.00")."""
        return time_of(minute_of_day(self.start) + self.minutes)

    @property
    def label(self) -> str:
        """E.g. "man 08.00–08.30"."""
        begin = minute_of_day(self.start)
        return f"{WEEKDAYS_SHORT[self.weekday]} {clock(begin)}–{clock(begin + self.minutes)}"


@dataclass(frozen=True)
class Window:
    """A weekday and a time window (end after start; 23.59.59 or 00.00 as end means midnight)."""

    weekday: int
    start: dt.time
    end: dt.time

    def __post_init__(self) -> None:
        if isinstance(self.weekday, bool) or not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
            raise RotaInputError(f"Ugyldig ugedag {self.weekday!r} i et tidsrum (0 = mandag … 6 = søndag).")
        if minute_of_day(self.end, end=True) <= minute_of_day(self.start):
            raise RotaInputError(
                f"Tidsrummet {WEEKDAYS_SHORT[self.weekday]} {self.start:%H.%M}–{self.end:%H.%M}: "
                "sluttiden skal ligge efter starttiden."
            )

    def contains(self, interval: Interval) -> bool:
        begin = self.weekday * DAY_MINUTES + minute_of_day(self.start)
        finish = self.weekday * DAY_MINUTES + minute_of_day(self.end, end=True)
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
            begin, finish = minute_of_day(begin_time), minute_of_day(end_time, end=True)
            if finish <= begin:
                raise RotaInputError(
                    f"Sluttiden skal ligge efter starttiden i åbningstiderne: {begin_time:%H.%M}–{end_time:%H.%M}."
                )
            first = begin - begin % interval_minutes
            starts.update(range(weekday * DAY_MINUTES + first, weekday * DAY_MINUTES + finish, interval_minutes))
    if not starts:
        raise RotaInputError("Åbningstiderne indeholder ingen tidsrum – der er ingen intervaller at planlægge.")
    return [
        Interval(minute // DAY_MINUTES, time_of(minute % DAY_MINUTES), interval_minutes) for minute in sorted(starts)
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
