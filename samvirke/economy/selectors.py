"""Read queries for the economy pages: the model for a year, computed over the year's members."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from samvirke.directory.models import Fellesskab, Membership
from samvirke.economy.lib import business_case as lib
from samvirke.economy.lib.business_case.excel import DESCRIPTION_FIELDS
from samvirke.economy.lib.fees import EconomyResult, Member, compute_economy
from samvirke.economy.lib.grant import Grant, GrantAccount, grant_account
from samvirke.economy.lib.invoicing import (
    BillableMember,
    PlannedInvoice,
    YearBilling,
    membership_span,
    plan_year,
    year_billing,
)
from samvirke.economy.models import BusinessCase, EconomySettings, PilotGrant


def billable_members(fellesskab: Fellesskab) -> list[BillableMember]:
    memberships = (
        Membership.objects.filter(fellesskab=fellesskab)
        .select_related("municipality", "pilot_payer")
        .order_by("municipality__name")
    )
    return [
        BillableMember(
            membership_id=m.pk,
            kommunekode=m.municipality.code,
            name=m.municipality.name,
            population=m.municipality.population,
            population_year=m.municipality.population_year,
            population_source=m.municipality.population_source,
            member_since=m.member_since,
            left_on=m.left_on,
            pilot_start=m.pilot_start,
            pilot_end=m.pilot_end,
            pilot_payer_id=m.pilot_payer_id,
            pilot_payer_name=m.pilot_payer.name if m.pilot_payer else None,
        )
        for m in memberships
    ]


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


def pilot_grant_account(fellesskab: Fellesskab, grant: PilotGrant) -> GrantAccount:
    """The grant against its budget, each year of its period from that year's planned invoices (None: no model)."""
    members = billable_members(fellesskab)
    settings = {s.year: s for s in EconomySettings.objects.filter(fellesskab=fellesskab)}
    planned: dict[int, list[PlannedInvoice] | None] = {}
    for year in range(grant.start.year, grant.end.year + 1):
        model = settings.get(year)
        planned[year] = plan_year(year, members, model.params()) if model is not None else None
    return grant_account(Grant(grant.name, grant.region_id, grant.amount, grant.start, grant.end), planned)


# --- business cases (seed 004): a stored case as the lib's typed case, its result and its export ---------


def case_to_dict(case: BusinessCase) -> dict[str, Any]:
    """The case as the lib's FILE.json input (docs/business-case-format.md): title, years, lines and printed
    (1,000 kr.)."""
    return {
        "title": case.title,
        "years": list(case.years),
        "lines": [
            {
                "label": line.label,
                "block": line.block,
                "area": line.area,
                "values": list(line.values),
                "excluded_from_payback": line.excluded_from_payback,
            }
            for line in case.lines.all()
        ],
        "printed": dict(case.printed or {}),
    }


def parsed_case(case: BusinessCase) -> lib.BusinessCase:
    """A stored case as the lib's typed case (Tabel 1's years, lines and printed totals), read through
    parse_case as a file would be, so a stored case and its export compute alike."""
    return lib.parse_case(case_to_dict(case))


def case_result(case: BusinessCase) -> lib.CaseResult:
    """Derived rows, payback and discrepancies of a stored case (the lib's compute_case); `.case` is its typed case."""
    return lib.compute_case(parsed_case(case))


def case_description(case: BusinessCase) -> dict[str, Any]:
    """The qualitative sections, risks, KPIs, timeline and scenarios: what travels in an export's "notes"."""
    description: dict[str, Any] = {key: getattr(case, key) for key, _label in DESCRIPTION_FIELDS}
    description["risks"] = [{"risk": r.risk, "mitigation": r.mitigation} for r in case.risks.all()]
    description["kpis"] = [
        {"criterion": k.criterion, "measurement": k.measurement, "owner": k.owner, "timing": k.timing}
        for k in case.kpis.all()
    ]
    description["milestones"] = [{"when": m.when, "what": m.what} for m in case.milestones.all()]
    description["scenarios"] = [
        {"name": s.name, "description": s.description, "adjustments": s.adjustments} for s in case.scenarios.all()
    ]
    return description


def case_export_dict(case: BusinessCase) -> dict[str, Any]:
    """The JSON export: the FILE.json input (usable by `samvirke business-case`) with the description in
    "notes", which parse_case ignores and the import reads back."""
    data = case_to_dict(case)
    data["source"] = f"Eksporteret fra Samvirke: {case.municipality.name} Kommune, status {case.get_status_display()}."
    data["notes"] = case_description(case)
    return data


def business_cases_with_lines(cases: QuerySet[BusinessCase]) -> QuerySet[BusinessCase]:
    """The cases with their lines fetched in one more query (every page that computes a case reads them)."""
    return cases.prefetch_related("lines")


def portfolio_cases(cases: QuerySet[BusinessCase]) -> list[BusinessCase]:
    """A portfolio's cases in the order they were created, with their lines; a case without years has no row."""
    return [case for case in business_cases_with_lines(cases).order_by("pk") if case.years]
