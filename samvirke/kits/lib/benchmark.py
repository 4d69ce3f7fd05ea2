"""The seed's logistics benchmark (seed 003, ch. 3): from referral to installation in 12 working days for a standard
referral and 2 for an urgent one. Working days are Monday–Friday except the closed days of
`samvirke.core.lib.hours.is_closed_day` (Danish public holidays, 24 and 31 December, 5 June).

Counting: the referral day itself does not count; the installation is due by the end of the 12th (2nd) working day
after it. A referral on Wednesday 1 April 2026 (before Easter) is due Wednesday 8 April when urgent (Thursday,
Friday and Easter Monday are closed) and Wednesday 22 April when standard.

States (before installation): "ok"; "warning" when the working time left before the due day's end is at most
`WARNING_DAYS` (2 working days for a standard referral, half a working day for an urgent one — so an urgent
referral warns from noon on its due day, a standard one from the start of the second-last working day);
"breached" after the due day's end. After installation: "met" (installed on or before the due day) or "late".
A working day's clock runs 08.00–16.00 (`WORKDAY_START`, `WORKDAY_END`) for the fraction of today that is left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from types import MappingProxyType

from samvirke.core.lib.hours import is_closed_day

STANDARD = "standard"
URGENT = "urgent"
DUE_WORKING_DAYS: Mapping[str, int] = MappingProxyType({STANDARD: 12, URGENT: 2})
WARNING_DAYS: Mapping[str, Fraction] = MappingProxyType({STANDARD: Fraction(2), URGENT: Fraction(1, 2)})
WORKDAY_START = dt.time(8, 0)
WORKDAY_END = dt.time(16, 0)

OK = "ok"
WARNING = "warning"
BREACHED = "breached"
MET = "met"
LATE = "late"
STATE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        OK: "Inden for fristen",
        WARNING: "Tæt på fristen",
        BREACHED: "Fristen overskredet",
        MET: "Overholdt",
        LATE: "For sent",
    }
)


def is_working_day(day: dt.date) -> bool:
    """Monday–Friday and not a closed day (Danish public holiday, 24/31 December, 5 June)."""
    return day.weekday() < 5 and not is_closed_day(day)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The `count`th working day after `day` (`day` itself never counts; count ≥ 0, 0 gives `day`)."""
    if count < 0:
        raise ValueError("Antal arbejdsdage skal være 0 eller flere.")
    current = day
    while count:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """The working days in (start, end]; negative when end is before start (−the working days in (end, start])."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for offset in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=offset)))


def due_date(referred_at: dt.date, urgency: str) -> dt.date:
    """The day by whose end the installation is due."""
    try:
        days = DUE_WORKING_DAYS[urgency]
    except KeyError:
        raise ValueError(f"Ukendt hastegrad: {urgency!r} (standard eller urgent).") from None
    return add_working_days(referred_at, days)


def _fraction_of_today_left(now: dt.datetime) -> Fraction:
    if not is_working_day(now.date()):
        return Fraction(0)
    start = WORKDAY_START.hour * 60 + WORKDAY_START.minute
    end = WORKDAY_END.hour * 60 + WORKDAY_END.minute
    minute = min(max(now.hour * 60 + now.minute, start), end)
    return Fraction(end - minute, end - start)


def working_days_left(now: dt.datetime, due: dt.date) -> Fraction:
    """Working time left until the end of `due`, in working days: the whole working days after today up to and
    including `due`, plus what is left of today's working day (08–16). Negative after the due day: minus the
    working days passed since it."""
    today = now.date()
    if today > due:
        return Fraction(-working_days_between(due, today))
    return working_days_between(today, due) + _fraction_of_today_left(now)


@dataclass(frozen=True)
class BenchmarkStatus:
    due: dt.date
    state: str
    days_left: Fraction | None  # None once installed
    working_days_used: int | None  # referral → installation, once installed

    @property
    def label(self) -> str:
        return STATE_LABELS[self.state]


def benchmark_status(
    referred_at: dt.date, urgency: str, now: dt.datetime, installed_on: dt.date | None = None
) -> BenchmarkStatus:
    """Where a referral stands against the 12/2 working-day benchmark at `now` (local time)."""
    due = due_date(referred_at, urgency)
    if installed_on is not None:
        used = working_days_between(referred_at, installed_on)
        return BenchmarkStatus(due, MET if installed_on <= due else LATE, None, used)
    left = working_days_left(now, due)
    if now.date() > due:
        state = BREACHED
    elif left <= WARNING_DAYS[urgency]:
        state = WARNING
    else:
        state = OK
    return BenchmarkStatus(due, state, left, None)
