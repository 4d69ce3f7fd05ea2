"""Shift-hour balance and cost per contact (seed 000 and 002)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from samvirke.economy.lib.fees import EconomyParams, hours_for, round_half_up


@dataclass(frozen=True)
class BandWeeks:
    """A member's published rota weeks checked against its weekly band: the Mondays of the weeks whose
    scheduled hours fell below the band's minimum or above its maximum, out of `checked` weeks."""

    checked: int = 0
    below: tuple[dt.date, ...] = ()
    above: tuple[dt.date, ...] = ()

    @property
    def below_iso_weeks(self) -> list[int]:
        return [monday.isocalendar()[1] for monday in self.below]

    @property
    def above_iso_weeks(self) -> list[int]:
        return [monday.isocalendar()[1] for monday in self.above]


@dataclass(frozen=True)
class HourBalance:
    """A member's owed shift hours for a year (prorated by its days of membership) and its weekly band.

    `scheduled` is None when the year has no published rota; `staffed` and `owed_so_far` (the owed hours
    pro rata to today) are None before the year starts. `staffed_difference` compares the staffed hours so
    far with `owed_so_far`, not with the whole year's hours.
    """

    kommunekode: int
    name: str
    owed_full_year: int
    owed_this_year: int
    per_week: int
    band_min: int
    band_max: int
    scheduled: Decimal | None
    staffed: Decimal | None
    owed_so_far: int | None = None
    band_weeks: BandWeeks = field(default_factory=BandWeeks)

    @property
    def scheduled_difference(self) -> Decimal | None:
        return None if self.scheduled is None else self.scheduled - self.owed_this_year

    @property
    def staffed_difference(self) -> Decimal | None:
        if self.staffed is None:
            return None
        return self.staffed - (self.owed_this_year if self.owed_so_far is None else self.owed_so_far)


def band_weeks(
    weekly_hours: Mapping[dt.date, Decimal], weeks: Sequence[dt.date], band_min: int, band_max: int
) -> BandWeeks:
    """Count the weeks (their Mondays, `weeks`) whose scheduled hours fall outside [band_min, band_max].

    docs/models/hotline-economy.md: a member's weekly shift hours should lie in its band. A week missing from
    `weekly_hours` has 0 scheduled hours. Hours and band in whole hours per week.
    """
    below = tuple(week for week in sorted(weeks) if weekly_hours.get(week, Decimal(0)) < band_min)
    above = tuple(week for week in sorted(weeks) if weekly_hours.get(week, Decimal(0)) > band_max)
    return BandWeeks(checked=len(weeks), below=below, above=above)


def owed_hours(per_year: int, days: int, days_in_year: int) -> int:
    """A year's owed hours for `days` of it: per_year × days / days_in_year, rounded half up (hours)."""
    return int(round_half_up(Fraction(per_year * days, days_in_year)))


def hour_balance(
    kommunekode: int,
    name: str,
    population: int,
    member_days: int,
    days_in_year: int,
    params: EconomyParams,
    scheduled: Decimal | None = None,
    staffed: Decimal | None = None,
    member_days_so_far: int | None = None,
    band_check: BandWeeks | None = None,
) -> HourBalance:
    """Owed hours per year = round(population × hours_per_1000 / 1000) (seed 000), prorated by membership
    days and rounded half up; the weekly figure and band are the full-year ones (docs/models/hotline-economy.md).
    `scheduled` (from the rota) and `staffed` (agents' logged-in hours) are None where no source exists.
    `member_days_so_far` (membership days up to and including today) gives `owed_so_far`, the owed hours
    pro rata to today, which the staffed hours are compared with.
    """
    per_year, per_week, band_min, band_max = hours_for(population, params)
    owed = owed_hours(per_year, member_days, days_in_year)
    so_far = None if member_days_so_far is None else owed_hours(per_year, member_days_so_far, days_in_year)
    return HourBalance(
        kommunekode,
        name,
        per_year,
        owed,
        per_week,
        band_min,
        band_max,
        scheduled,
        staffed,
        owed_so_far=so_far,
        band_weeks=band_check or BandWeeks(),
    )


@dataclass(frozen=True)
class ChannelCost:
    channel: str
    contacts: int
    operations_cost: Decimal
    staff_cost: Decimal
    total_cost: Decimal
    cost_per_contact: Decimal | None


@dataclass(frozen=True)
class CostPerContact:
    channels: list[ChannelCost]
    total_contacts: int
    total_cost: Decimal
    cost_per_contact: Decimal | None


def cost_per_contact(
    operations_cost: Decimal, staff_cost: Decimal, contacts: dict[str, int], human_channels: set[str]
) -> CostPerContact:
    """Cost per contact overall and per channel, in kr. (2 decimals, half up).

    Overall: (operations + staff cost) / all contacts. Per channel: the shared operations cost (platform,
    secretariat) is spread over all contacts by count; the staff cost (the value of the shift hours) only
    over the contacts people handled (phone, chat with an agent), since the chatbot uses no shift hours.
    """
    total_contacts = sum(contacts.values())
    human_contacts = sum(n for channel, n in contacts.items() if channel in human_channels)
    rows = []
    for channel, n in contacts.items():
        ops = Fraction(operations_cost) * n / total_contacts if total_contacts else Fraction(0)
        staff = (
            Fraction(staff_cost) * n / human_contacts if channel in human_channels and human_contacts else Fraction(0)
        )
        total = ops + staff
        rows.append(
            ChannelCost(
                channel=channel,
                contacts=n,
                operations_cost=round_half_up(ops, 2),
                staff_cost=round_half_up(staff, 2),
                total_cost=round_half_up(total, 2),
                cost_per_contact=round_half_up(total / n, 2) if n else None,
            )
        )
    total_cost = operations_cost + staff_cost
    overall = round_half_up(Fraction(total_cost) / total_contacts, 2) if total_contacts else None
    return CostPerContact(rows, total_contacts, total_cost, overall)


TYPED = "typed"  # a ContactVolume someone registered
CONTACT_CENTRE = "contact_centre"  # counted from the contact centre's own contacts
VOLUME_SOURCE_DA = {TYPED: "indtastet", CONTACT_CENTRE: "fra kontaktcentret"}


def annualised(count: int, covered_days: int, days_in_year: int) -> int:
    """A count made over `covered_days` days scaled to a whole year (half up), so that it can be set against the
    year's costs: a contact centre that has run for two days has not handled a year's contacts."""
    if covered_days < 1:
        raise ValueError(f"Perioden skal være mindst én dag (fik {covered_days}).")
    return int(round_half_up(Fraction(count * days_in_year, covered_days)))


def contact_volumes(
    typed: Mapping[str, int], counted: Mapping[str, int], channels: Sequence[str]
) -> dict[str, tuple[int, str]]:
    """Contacts per channel for cost per contact, with their source: a registered (typed) volume wins;
    a channel without one takes the contact centre's count, if any. In the order of `channels`."""
    volumes: dict[str, tuple[int, str]] = {}
    for channel in channels:
        if channel in typed:
            volumes[channel] = (typed[channel], TYPED)
        elif counted.get(channel):
            volumes[channel] = (counted[channel], CONTACT_CENTRE)
    return volumes
