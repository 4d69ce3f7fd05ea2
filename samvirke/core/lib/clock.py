"""Local time for the whole project: the time zone, day bounds and the "24.00" end-of-day convention.

Pure: no database, no settings, no clock reading. Every moment here is an aware datetime in Europe/Copenhagen
(the municipalities' wall-clock time, DST included); dates are local dates.

"24.00" as an end time: a `datetime.time` cannot hold 24:00, so opening hours and shifts that run to midnight
store the end as 23:59:59 (`END_OF_DAY`, as parsed by `samvirke.core.lib.opening`). Whoever turns such an end
into minutes or a moment reads it as the following midnight (`minutes_of_day`, `end_moment`).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

__all__ = [
    "END_OF_DAY",
    "LOCAL",
    "end_moment",
    "local_date",
    "local_day_bounds",
    "local_year_bounds",
    "minutes_of_day",
    "start_of_day",
]

LOCAL = ZoneInfo("Europe/Copenhagen")
END_OF_DAY = dt.time(23, 59, 59)  # "24.00" as an end time
_MIDNIGHT = dt.time(0, 0)


def start_of_day(day: dt.date) -> dt.datetime:
    """Local midnight at the start of `day`."""
    return dt.datetime.combine(day, _MIDNIGHT, tzinfo=LOCAL)


def local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the local `day`: its midnight and the next day's (23, 24 or 25 hours apart)."""
    return start_of_day(day), start_of_day(day + dt.timedelta(days=1))


def local_year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of the local calendar `year`: 1 January 00:00 and the next year's."""
    return dt.datetime(year, 1, 1, tzinfo=LOCAL), dt.datetime(year + 1, 1, 1, tzinfo=LOCAL)


def days_in_year(year: int) -> int:
    """365, or 366 in a leap year."""
    return (dt.date(year + 1, 1, 1) - dt.date(year, 1, 1)).days


def local_date(moment: dt.datetime) -> dt.date:
    """The local date of an aware `moment`."""
    return moment.astimezone(LOCAL).date()


def minutes_of_day(moment: dt.time) -> float:
    """Minutes since midnight (seconds as a fraction); `END_OF_DAY` counts as 24 × 60, the end of the day."""
    if moment == END_OF_DAY:
        return 24 * 60
    return moment.hour * 60 + moment.minute + moment.second / 60


def end_moment(day: dt.date, end: dt.time) -> dt.datetime:
    """An end time on `day` as a local moment; `END_OF_DAY` is the next midnight."""
    if end == END_OF_DAY:
        return start_of_day(day + dt.timedelta(days=1))
    return dt.datetime.combine(day, end, tzinfo=LOCAL)
