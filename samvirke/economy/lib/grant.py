"""The region's pilot grant and what is spent of it, by year and payer (seed 001: a 2.000.000 kr. grant from Region
Sjælland's regional development funds for early 2025 – early 2027; seed 001 and seed 002: during the pilot the
region pays the participating municipalities' operations fee, for two years; the municipalities pay with staff).

Spent of the grant = the operations fees the invoices put on the grant's region for the days of the grant period
(invoicing.plan_year: the pilot's days to the region, the rest to the municipality). The municipalities' own fees
are shown beside it, as the other payer, but are not taken from the grant.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from samvirke.economy.lib.fees import round_half_up
from samvirke.economy.lib.invoicing import REGION, PlannedInvoice

ZERO = Decimal("0.00")
MUNICIPALITIES = "Kommunerne selv"  # the payer of a municipality's own part of its fee


@dataclass(frozen=True)
class Grant:
    name: str
    region_id: int
    amount: Decimal
    start: dt.date
    end: dt.date

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))


@dataclass(frozen=True)
class PayerLine:
    payer: str
    from_grant: bool  # paid by the grant's region (the grant) or by the municipality itself
    amount: Decimal
    members: int


@dataclass(frozen=True)
class GrantYear:
    year: int
    has_model: bool  # False: the year has no economic model, so nothing can be computed for it
    payers: list[PayerLine] = field(default_factory=list)
    spent: Decimal = ZERO  # of the grant, this year
    spent_to_date: Decimal = ZERO  # of the grant, this year and the years before
    remaining: Decimal = ZERO  # of the grant after this year


@dataclass(frozen=True)
class GrantAccount:
    grant: Grant
    years: list[GrantYear]

    @property
    def spent(self) -> Decimal:
        return self.years[-1].spent_to_date if self.years else ZERO

    @property
    def remaining(self) -> Decimal:
        return self.grant.amount - self.spent

    @property
    def overspent(self) -> bool:
        return self.spent > self.grant.amount

    @property
    def share_spent(self) -> float | None:
        return float(self.spent / self.grant.amount) if self.grant.amount else None


def _within_grant(invoice: PlannedInvoice, grant: Grant) -> Decimal:
    """The part of the invoice's amount for days inside the grant's period (by days, rounded half up)."""
    start, end = max(invoice.period_start, grant.start), min(invoice.period_end, grant.end)
    if start > end or invoice.days_billed <= 0:
        return ZERO
    days = (end - start).days + 1
    if days >= invoice.days_billed:
        return invoice.amount
    return round_half_up(Fraction(invoice.amount) * days / invoice.days_billed, 2)


def grant_account(grant: Grant, planned_by_year: dict[int, list[PlannedInvoice] | None]) -> GrantAccount:
    """The grant against its budget per year of its period. `planned_by_year`: each year's planned invoices
    (invoicing.plan_year), None for a year without an economic model. Only the days inside the grant's period
    count (a pilot that runs past it is paid by the region from elsewhere): an invoice that reaches beyond it
    counts with its amount × days inside / days billed."""
    years: list[GrantYear] = []
    to_date = ZERO
    for year in grant.years:
        planned = planned_by_year.get(year)
        if planned is None:
            years.append(GrantYear(year, False, spent_to_date=to_date, remaining=grant.amount - to_date))
            continue
        totals: dict[tuple[str, bool], tuple[Decimal, int]] = {}
        for invoice in planned:
            inside = _within_grant(invoice, grant)
            if not inside:
                continue
            from_grant = invoice.payer_kind == REGION and invoice.payer_region_id == grant.region_id
            payer = invoice.payer_name if invoice.payer_kind == REGION else MUNICIPALITIES
            amount, members = totals.get((payer, from_grant), (ZERO, 0))
            totals[(payer, from_grant)] = (amount + inside, members + 1)
        payers = [
            PayerLine(payer, from_grant, amount, members)
            for (payer, from_grant), (amount, members) in sorted(totals.items(), key=lambda item: not item[0][1])
        ]
        spent = sum((line.amount for line in payers if line.from_grant), ZERO)
        to_date += spent
        years.append(GrantYear(year, True, payers, spent, to_date, grant.amount - to_date))
    return GrantAccount(grant, years)
