"""The telemedicine traffic simulator's plan (pure): what happens in a landsdel's programme over a period, at the
seed's rates — 0.083 calls and 0.04 trips per citizen per month (seed 003, Tabel 7–9 (l. 1022–1074);
docs/sources.md#seed-003) — and new citizens as the N series grows, scaled to the period.

- calls: round(0.083 × citizens × months), each a call on the telemedicine line that becomes a support case;
- trips: round(0.04 × citizens × months), half exchanges (a fault that support forwards to Logistics; the call is one
  of the calls above) and half take-downs (ends of course);
- of the other calls a third are faults fixed remotely, the rest questions answered on the phone;
- referrals: the N series' growth per month × months, plus one for every end of course (the programme keeps its
  size), each a new citizen with consent (→ a set-up task).

Counts are rounded stochastically (the fraction is the chance of one more), so short periods still see events and
the expectation is exact. Calls, referrals and ends fall on working days (Monday–Friday, not a closed day) between
08.05 and 15.45, the telemedicine line's opening hours; a period without a working day has none.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction

CALLS_PER_CITIZEN_MONTH = Fraction(83, 1000)
TRIPS_PER_CITIZEN_MONTH = Fraction(4, 100)
DAYS_PER_MONTH = Fraction(36525, 1200)  # 365.25 / 12
OPEN_FROM = 8 * 60 + 5
OPEN_UNTIL = 15 * 60 + 45

REFERRAL = "referral"
END_OF_COURSE = "end_of_course"
FAULT_EXCHANGE = "fault_exchange"
FAULT_REMOTE = "fault_remote"
QUESTION = "question"
CALL_KINDS = (FAULT_EXCHANGE, FAULT_REMOTE, QUESTION)


class TrafficError(ValueError):
    """Inputs the plan cannot use; the message is Danish."""


@dataclass(frozen=True)
class Happening:
    at: dt.datetime
    kind: str


@dataclass(frozen=True)
class TelecarePlan:
    happenings: list[Happening]
    expected: dict[str, Fraction]  # the rates' expectation per kind (before rounding)

    def count(self, kind: str) -> int:
        return sum(1 for h in self.happenings if h.kind == kind)


def stochastic_round(value: Fraction, rng: random.Random) -> int:
    whole = int(value)  # value ≥ 0
    return whole + (1 if rng.random() < float(value - whole) else 0)


def plan_telecare(
    days: Sequence[dt.date],
    *,
    citizens: int,
    new_per_month: Fraction,
    is_working_day: Callable[[dt.date], bool],
    tz: dt.tzinfo,
    seed: int,
) -> TelecarePlan:
    """The happenings of `days` (calendar days) for a programme of `citizens`, growing by `new_per_month`."""
    if citizens < 0 or new_per_month < 0:
        raise TrafficError("Antal borgere og tilgang kan ikke være negative.")
    rng = random.Random(seed)  # noqa: S311 (a simulation, reproducible on purpose)
    months = Fraction(len(days)) / DAYS_PER_MONTH
    calls = CALLS_PER_CITIZEN_MONTH * citizens * months
    trips = TRIPS_PER_CITIZEN_MONTH * citizens * months
    expected = {
        FAULT_EXCHANGE: trips / 2,
        END_OF_COURSE: trips / 2,
        FAULT_REMOTE: (calls - trips / 2) / 3,
        QUESTION: (calls - trips / 2) * 2 / 3,
        REFERRAL: new_per_month * months + trips / 2,
    }
    working = [day for day in days if is_working_day(day)]
    happenings: list[Happening] = []
    if working:
        ends = stochastic_round(expected[END_OF_COURSE], rng)
        counts = {
            FAULT_EXCHANGE: stochastic_round(expected[FAULT_EXCHANGE], rng),
            END_OF_COURSE: ends,
            FAULT_REMOTE: stochastic_round(max(expected[FAULT_REMOTE], Fraction(0)), rng),
            QUESTION: stochastic_round(max(expected[QUESTION], Fraction(0)), rng),
            REFERRAL: stochastic_round(new_per_month * months, rng) + ends,
        }
        for kind, count in counts.items():
            for _ in range(count):
                day = rng.choice(working)
                minute = rng.randint(OPEN_FROM, OPEN_UNTIL)
                happenings.append(
                    Happening(dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=tz), kind)
                )
    happenings.sort(key=lambda h: (h.at, h.kind))
    return TelecarePlan(happenings, expected)
