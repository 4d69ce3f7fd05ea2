"""Read queries for the economy pages: the model for a year, computed over the year's members."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from samvirke.directory.models import Fellesskab
from samvirke.economy.actions.invoicing import billable_members
from samvirke.economy.lib.fees import EconomyResult, Member, compute_economy
from samvirke.economy.lib.invoicing import BillableMember, YearBilling, membership_span, plan_year, year_billing
from samvirke.economy.models import EconomySettings


@dataclass(frozen=True)
class YearEconomy:
    year: int
    settings: EconomySettings
    members: list[BillableMember]
    result: EconomyResult


def members_in_year(fellesskab: Fellesskab, year: int) -> list[BillableMember]:
    """Members with at least one day of membership in the year (the ones who pay and owe hours)."""
    return [m for m in billable_members(fellesskab) if membership_span(m, year) is not None]


def economy_for_year(fellesskab: Fellesskab, year: int) -> YearEconomy | None:
    """The year's model computed over the year's members, or None when the year has no model or members."""
    settings = EconomySettings.objects.filter(fellesskab=fellesskab, year=year).first()
    if settings is None:
        return None
    members = members_in_year(fellesskab, year)
    if not members:
        return None
    result = compute_economy([Member(m.name, m.kommunekode, m.population) for m in members], settings.params())
    return YearEconomy(year, settings, members, result)


def model_years(fellesskab: Fellesskab) -> list[int]:
    return list(EconomySettings.objects.filter(fellesskab=fellesskab).values_list("year", flat=True))


def billing_for(economy: YearEconomy, visible_codes: set[int] | None = None) -> YearBilling:
    """The year's full-year fees against what its invoices bill (prorated by days of membership).

    For all members (`visible_codes` None) the full-year total is the page's total; for some members (a
    coordinator's own) it is the sum of their fees, so the comparison is about the rows the user sees.
    """
    planned = plan_year(economy.year, economy.members, economy.settings.params())
    if visible_codes is None:
        return year_billing(economy.result.total.fee, planned)
    fees = sum((row.fee for row in economy.result.rows if row.kommunekode in visible_codes), Decimal("0.00"))
    return year_billing(fees, [invoice for invoice in planned if invoice.kommunekode in visible_codes])
