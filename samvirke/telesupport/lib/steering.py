"""The landsdel secretariat's steering data on support and kits (issue 16, "Steering data"): cases by priority and
cause, repeat faults per device model, calls per citizen per month against the volume model's rate (seed 003,
Bilag B: 0.083 calls per citizen in the programme per month, telecare/lib/volumes.py VolumeRates), installation
times against the 12/2 working-day benchmark. The figures part 1's true-up and forecast can use: the measured call
rate replaces the model's 0.083 in `VolumeRates` when there is a year of it.

Pure: no Django, no database, no settings. Rates are exact fractions; the pages round them for display.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from samvirke.telecare.lib.volumes import DEFAULT_CALLS_PER_CITIZEN_MONTH

__all__ = [
    "InstallRow",
    "InstallSummary",
    "MonthRate",
    "RepeatFaults",
    "install_summary",
    "month_rates",
    "months_between",
    "repeat_faults",
]

Month = tuple[int, int]


def months_between(first: dt.date, last: dt.date) -> list[Month]:
    """The calendar months from `first`'s to `last`'s, inclusive."""
    months: list[Month] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


@dataclass(frozen=True)
class MonthRate:
    month: Month
    calls: int
    citizens: int
    rate: Fraction | None  # None with no citizens in the programme
    model_rate: Fraction

    @property
    def ratio(self) -> Fraction | None:
        """The measured rate as a share of the model's (1 = as forecast)."""
        if self.rate is None or self.model_rate == 0:
            return None
        return self.rate / self.model_rate


def month_rates(
    calls: Mapping[Month, int],
    citizens: Mapping[Month, int],
    months: Iterable[Month],
    model_rate: Decimal = DEFAULT_CALLS_PER_CITIZEN_MONTH,
) -> list[MonthRate]:
    """Calls per citizen in the programme per month, against the model's rate."""
    model = Fraction(model_rate)
    rows = []
    for month in months:
        count, people = int(calls.get(month, 0)), int(citizens.get(month, 0))
        if count < 0 or people < 0:
            raise ValueError("Antal opkald og borgere kan ikke være negative.")
        rows.append(MonthRate(month, count, people, Fraction(count, people) if people else None, model))
    return rows


@dataclass(frozen=True)
class RepeatFaults:
    model: str
    faults: int  # fault cases on the model's units
    units: int  # units with at least one fault
    repeat_units: int  # units with two or more

    @property
    def repeat_share(self) -> Fraction | None:
        return Fraction(self.repeat_units, self.units) if self.units else None


def repeat_faults(faults: Iterable[tuple[str, str]]) -> list[RepeatFaults]:
    """Per device model, from (model, serial) per fault: faults, units with a fault, units with repeat faults;
    the models with most repeat units first."""
    per_unit = Counter(faults)
    models: dict[str, list[int]] = {}
    for (model, _serial), count in per_unit.items():
        models.setdefault(model, []).append(count)
    rows = [
        RepeatFaults(model, sum(counts), len(counts), sum(1 for c in counts if c >= 2))
        for model, counts in models.items()
    ]
    return sorted(rows, key=lambda row: (-row.repeat_units, -row.faults, row.model))


@dataclass(frozen=True)
class InstallRow:
    urgency: str  # "standard" | "urgent"
    working_days: int  # referral → installation
    met: bool


@dataclass(frozen=True)
class InstallSummary:
    urgency: str
    count: int
    met: int
    median_days: Fraction | None
    max_days: int | None

    @property
    def met_share(self) -> Fraction | None:
        return Fraction(self.met, self.count) if self.count else None


def install_summary(
    rows: Iterable[InstallRow], urgencies: Iterable[str] = ("standard", "urgent")
) -> list[InstallSummary]:
    grouped: dict[str, list[InstallRow]] = {urgency: [] for urgency in urgencies}
    for row in rows:
        grouped.setdefault(row.urgency, []).append(row)
    out = []
    for urgency, items in grouped.items():
        days = sorted(item.working_days for item in items)
        if days:
            middle = len(days) // 2
            median = Fraction(days[middle]) if len(days) % 2 else Fraction(days[middle - 1] + days[middle], 2)
        else:
            median = None
        out.append(
            InstallSummary(urgency, len(items), sum(1 for i in items if i.met), median, days[-1] if days else None)
        )
    return out
