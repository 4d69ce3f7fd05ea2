"""Read queries for the economy pages: the model for a year, computed over the year's members."""

from __future__ import annotations

from dataclasses import dataclass

from samvirke.directory.models import Fellesskab
from samvirke.economy.actions.invoicing import billable_members, params_from_settings
from samvirke.economy.lib.fees import EconomyResult, Member, compute_economy
from samvirke.economy.lib.invoicing import BillableMember, membership_span
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
    result = compute_economy(
        [Member(m.name, m.kommunekode, m.population) for m in members], params_from_settings(settings)
    )
    return YearEconomy(year, settings, members, result)


def model_years(fellesskab: Fellesskab) -> list[int]:
    return list(EconomySettings.objects.filter(fellesskab=fellesskab).values_list("year", flat=True))
