"""Synthetic enrolments for the demo: citizens joining and leaving a landsdel's programme month by month so that the
number enrolled follows the seed's N series (seed 003, Tabel 2 (l. 768): Sjælland 170 at +12 months, 780 at +24
…), spread over the municipalities by their population aged 40+, with pseudonymous references ("SJ-000123").

The month's model:
- the target at the end of month m of programme year y is N_{y−1} + (N_y − N_{y−1}) · m/12, rounded half up (N_0 = 0;
  after the series' last year N stays at its last value), so at every year end exactly N_y are enrolled;
- take-downs: `takedown_rate` of those enrolled at the start of the month (rounded half up) end during the month,
  or more if the series falls faster than that.
  The seed's volume model counts 0.04 trips per citizen per month for exchanges and take-downs together (seed 003,
  Tabel 7–9 (l. 1022–1074)); the demo takes it all as take-downs, which is an upper bound;
- new citizens: whatever brings the month to its target (≥ 0); each goes to the municipality furthest below its
  population share of all new citizens so far, so the municipalities' intake follows their 40+ population closely.

Deterministic: the same inputs give the same rows, and `until` only cuts them (later starts dropped, later ends left
open), so a run on a later day keeps every row of an earlier run and adds to it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from samvirke.telecare.lib.enrolments import EnrolmentRow
from samvirke.telecare.lib.volumes import half_up

DEFAULT_TAKEDOWN_RATE = Fraction(4, 100)


class DemoEnrolmentError(ValueError):
    pass


@dataclass
class _Citizen:
    kommunekode: int
    ref: str
    start: dt.date
    end: dt.date | None = None


def target_at_month_end(citizens: Sequence[int], programme_year: int, month: int) -> int:
    """Citizens enrolled at the end of `month` (1–12) of `programme_year` (1 = År 1)."""
    last = len(citizens)
    current = citizens[min(programme_year, last) - 1]
    previous = 0 if programme_year == 1 else citizens[min(programme_year - 1, last) - 1]
    return half_up(previous + Fraction(current - previous) * month / 12)


class _Allocator:
    """Gives each new citizen to the municipality furthest below its share of the new citizens so far."""

    def __init__(self, weights: Mapping[int, int]):
        total = sum(weights.values())
        self.shares = {code: Fraction(weight, total) for code, weight in sorted(weights.items())}
        self.given = dict.fromkeys(self.shares, 0)
        self.count = 0

    def next(self) -> int:
        self.count += 1
        code = max(self.shares, key=lambda c: (self.shares[c] * self.count - self.given[c], -c))
        self.given[code] += 1
        return code


def simulate_enrolments(
    *,
    first_year: int,
    citizens: Sequence[int],
    weights: Mapping[int, int],
    until: dt.date,
    prefix: str,
    takedown_rate: Fraction = DEFAULT_TAKEDOWN_RATE,
    seed: int = 15,
) -> list[EnrolmentRow]:
    """The enrolments from 1 January of `first_year` up to `until` (none start after it; an end after it is left
    open). `weights`: kommunekode → population aged 40+."""
    if not citizens or any(n < 0 for n in citizens):
        raise DemoEnrolmentError("N-serien skal have mindst ét år og ingen negative tal.")
    if not weights or any(w <= 0 for w in weights.values()):
        raise DemoEnrolmentError("Hver kommune skal have et positivt indbyggertal 40+.")
    if not 0 <= takedown_rate <= 1:
        raise DemoEnrolmentError("Andelen, der afsluttes pr. måned, skal være mellem 0 og 1.")
    rng = random.Random(seed)  # noqa: S311 (demo data, reproducible on purpose)
    allocator = _Allocator(weights)
    everyone: list[_Citizen] = []
    active: list[_Citizen] = []
    year, month = first_year, 1
    while dt.date(year, month, 1) <= until:
        days = calendar.monthrange(year, month)[1]
        target = target_at_month_end(citizens, year - first_year + 1, month)
        # More leave when the series falls faster than the rate takes them (a year with fewer than the last).
        leaving = rng.sample(active, max(half_up(takedown_rate * len(active)), len(active) - target))
        for citizen in leaving:  # enrolled before this month; the last day of the month is left to the next
            citizen.end = dt.date(year, month, rng.randint(1, days - 1))
        left = {id(c) for c in leaving}
        active = [c for c in active if id(c) not in left]
        starts = sorted(rng.randint(1, days) for _ in range(max(0, target - len(active))))
        for day in starts:
            citizen = _Citizen(allocator.next(), f"{prefix}-{len(everyone) + 1:06d}", dt.date(year, month, day))
            everyone.append(citizen)
            active.append(citizen)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return [
        EnrolmentRow(
            line=number,
            kommunekode=c.kommunekode,
            citizen_ref=c.ref,
            enrolled_from=c.start,
            enrolled_to=c.end if c.end is not None and c.end <= until else None,
        )
        for number, c in enumerate(everyone, start=1)
        if c.start <= until
    ]


def enrolled_on(rows: Sequence[EnrolmentRow], day: dt.date) -> int:
    """How many of `rows` are enrolled on `day` (from and to inclusive)."""
    return sum(1 for r in rows if r.enrolled_from <= day and (r.enrolled_to is None or r.enrolled_to >= day))
