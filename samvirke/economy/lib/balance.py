"""Shift-hour balance and cost per contact (seed 000 and 002)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from samvirke.economy.lib.fees import EconomyParams, hours_for, round_half_up


@dataclass(frozen=True)
class HourBalance:
    """A member's owed shift hours for a year (prorated by its days of membership) and its weekly band."""

    kommunekode: int
    name: str
    owed_full_year: int
    owed_this_year: int
    per_week: int
    band_min: int
    band_max: int
    scheduled: Decimal | None
    staffed: Decimal | None

    @property
    def scheduled_difference(self) -> Decimal | None:
        return None if self.scheduled is None else self.scheduled - self.owed_this_year

    @property
    def staffed_difference(self) -> Decimal | None:
        return None if self.staffed is None else self.staffed - self.owed_this_year


def hour_balance(
    kommunekode: int,
    name: str,
    population: int,
    member_days: int,
    days_in_year: int,
    params: EconomyParams,
    scheduled: Decimal | None = None,
    staffed: Decimal | None = None,
) -> HourBalance:
    """Owed hours per year = round(population × hours_per_1000 / 1000) (seed 000), prorated by membership
    days and rounded half up; the weekly figure and band are the full-year ones (spec hotline-economy.md).
    `scheduled` (from the rota) and `staffed` (agents' logged-in hours) are None where no source exists.
    """
    per_year, per_week, band_min, band_max = hours_for(population, params)
    owed = int(round_half_up(Fraction(per_year * member_days, days_in_year)))
    return HourBalance(kommunekode, name, per_year, owed, per_week, band_min, band_max, scheduled, staffed)


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
