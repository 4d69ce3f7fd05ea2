"""Planning a year's invoices: payer by pilot period, prorating by days, and idempotent re-runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal
from typing import Any

from samvirke.economy.lib.fees import EconomyParams, Member, compute_economy
from samvirke.economy.lib.invoicing import (
    BillableMember,
    IssuedInvoice,
    PlannedInvoice,
    billing_by_member,
    membership_span,
    plan_token,
    plan_year,
    reconcile,
    year_billing,
)
from tests.economy.golden import GOLDEN

PRICE_2025 = EconomyParams(price_per_citizen=Decimal("1.7375"))
PRICE_ALL_17 = EconomyParams(price_per_citizen=Decimal("1.25"))


def member(code: int = 316, name: str = "Holbæk", population: int = 73767, **dates: object) -> BillableMember:
    defaults: dict[str, object] = {"member_since": dt.date(2024, 1, 1), "left_on": None}
    defaults.update(dates)
    return BillableMember(
        membership_id=code,
        kommunekode=code,
        name=name,
        population=population,
        population_year=2024,
        population_source="seed 000",
        **defaults,  # type: ignore[arg-type]
    )


def pilot(start: dt.date, end: dt.date) -> dict[str, Any]:
    return {"pilot_start": start, "pilot_end": end, "pilot_payer_id": 1085, "pilot_payer_name": "Region Sjælland"}


def as_issued(invoice: PlannedInvoice, invoice_id: int) -> IssuedInvoice:
    return IssuedInvoice(
        invoice_id=invoice_id,
        membership_id=invoice.membership_id,
        payer_kind=invoice.payer_kind,
        payer_name=invoice.payer_name,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        days_billed=invoice.days_billed,
        population=invoice.population,
        full_year_fee=invoice.full_year_fee,
        amount=invoice.amount,
    )


def test_a_full_year_member_without_pilot_pays_the_seeds_fee() -> None:
    [invoice] = plan_year(2025, [member()], PRICE_ALL_17)
    assert invoice.payer_kind == "municipality"
    assert invoice.payer_name == "Holbæk Kommune"
    assert invoice.amount == Decimal("92208.75")  # seed 000: Holbæk at 1.25
    assert (invoice.days_billed, invoice.days_in_year) == (365, 365)
    assert "73.767 indbyggere" in invoice.explanation
    assert "92.208,75 kr." in invoice.explanation


def test_the_region_pays_for_the_whole_year_inside_the_pilot() -> None:
    [invoice] = plan_year(2025, [member(**pilot(dt.date(2024, 2, 1), dt.date(2026, 1, 31)))], PRICE_2025)
    assert invoice.payer_kind == "region"
    assert invoice.payer_name == "Region Sjælland"
    assert invoice.amount == Decimal("128170.16")  # seed 000: Holbæk at 1.7375


def test_a_pilot_ending_mid_year_splits_the_fee_and_the_parts_add_up() -> None:
    # Pilot to 31 January 2027: in 2027 the region pays 31 days, the municipality 334.
    holbaek = member(member_since=dt.date(2025, 2, 1), **pilot(dt.date(2025, 2, 1), dt.date(2027, 1, 31)))
    region, municipality = plan_year(2027, [holbaek], PRICE_ALL_17)
    assert (region.payer_kind, region.days_billed) == ("region", 31)
    assert (municipality.payer_kind, municipality.days_billed) == ("municipality", 334)
    assert region.amount == Decimal("7831.43")  # 92,208.75 × 31 / 365 = 7,831.428…
    assert region.amount + municipality.amount == Decimal("92208.75")
    assert "heraf 31 dage betalt af Region Sjælland" in municipality.explanation


def test_a_member_joining_in_september_pays_for_its_days() -> None:
    [invoice] = plan_year(2025, [member(member_since=dt.date(2025, 9, 1))], PRICE_ALL_17)
    assert invoice.days_billed == 122
    assert invoice.amount == Decimal("30820.46")  # 92,208.75 × 122 / 365 = 30,820.460…
    assert invoice.period_start == dt.date(2025, 9, 1)


def test_a_member_that_left_is_a_member_until_the_day_before() -> None:
    left = member(left_on=dt.date(2025, 7, 1))
    assert membership_span(left, 2025) == (dt.date(2025, 1, 1), dt.date(2025, 6, 30))
    assert membership_span(left, 2026) is None
    assert plan_year(2026, [left], PRICE_ALL_17) == []


def test_a_member_still_onboarding_is_not_invoiced() -> None:
    assert plan_year(2025, [member(member_since=None)], PRICE_ALL_17) == []


def test_a_leap_year_has_366_days() -> None:
    [invoice] = plan_year(2028, [member()], PRICE_ALL_17)
    assert invoice.days_in_year == invoice.days_billed == 366


def test_a_budget_is_shared_among_the_members_billed_that_year() -> None:
    budget = EconomyParams(budget=Decimal("100000.00"))
    members = [member(), member(253, "Greve", 52157), member(999, "Ny", 10000, member_since=dt.date(2026, 1, 1))]
    invoices = plan_year(2025, members, budget)
    assert [i.name for i in invoices] == ["Holbæk", "Greve"]
    assert sum(i.amount for i in invoices) == Decimal("100000.00")


def test_running_the_same_year_again_issues_nothing() -> None:
    planned = plan_year(2025, [member(), member(253, "Greve", 52157)], PRICE_ALL_17)
    issued = [as_issued(invoice, n) for n, invoice in enumerate(planned)]
    plan = reconcile(plan_year(2025, [member(), member(253, "Greve", 52157)], PRICE_ALL_17), issued)
    assert (plan.to_issue, plan.to_credit) == ([], [])
    assert len(plan.unchanged) == 2


def test_a_changed_population_credits_the_old_invoice_and_issues_a_new_one() -> None:
    issued = [as_issued(invoice, 1) for invoice in plan_year(2025, [member()], PRICE_ALL_17)]
    plan = reconcile(plan_year(2025, [replace(member(), population=74000)], PRICE_ALL_17), issued)
    assert [i.invoice_id for i in plan.to_credit] == [1]
    assert [i.amount for i in plan.to_issue] == [Decimal("92500.00")]


def test_a_member_removed_after_invoicing_gets_a_credit_note_only() -> None:
    issued = [as_issued(invoice, 7) for invoice in plan_year(2025, [member()], PRICE_ALL_17)]
    plan = reconcile([], issued)
    assert [i.invoice_id for i in plan.to_credit] == [7]
    assert plan.to_issue == []


def test_under_a_budget_the_explanation_gives_the_share_of_the_budget_not_population_times_price() -> None:
    members = [member(), member(253, "Greve", 52157)]
    holbaek, greve = plan_year(2025, members, EconomyParams(budget=Decimal("100000")))
    # 100,000 kr. × 73,767 / 125,924 = 58,580.57 kr. (largest remainder); the implied price 0.7941 kr. would
    # give 73,767 × 0.7941 = 58,578.37 kr., so "× price" would not explain the fee
    assert holbaek.amount == Decimal("58580.57")
    assert holbaek.explanation.startswith(
        "Driftsbidrag 2025: andel af budget 100.000,00 kr.: 73.767 indbyggere (2024, seed 000) / "
        "125.924 indbyggere i alt (største rest) = 58.580,57 kr. for et helt år."
    )
    assert "kr. pr. borger" not in holbaek.explanation
    assert greve.amount + holbaek.amount == Decimal("100000.00")


def _golden_members(dates_by_code: dict[int, dict[str, object]] | None = None) -> list[BillableMember]:
    dates = dates_by_code or {}
    return [member(code, name, population, **dates.get(code, {})) for name, code, population, *_ in GOLDEN]


def test_the_billing_explains_the_difference_by_proration_and_rounding() -> None:
    # All 17 at 1.7375 for the full year: the page's total (Σ population × price) is 1,480,120.65 kr., the
    # invoices add the rounded fees: 1,480,120.68 kr. Nothing is prorated: the whole −0.03 kr. is rounding.
    members = _golden_members()
    total = compute_economy([Member(m.name, m.kommunekode, m.population) for m in members], PRICE_2025).total.fee
    billing = year_billing(total, plan_year(2025, members, PRICE_2025))
    assert (billing.full_year_total, billing.billed_total) == (Decimal("1480120.65"), Decimal("1480120.68"))
    assert billing.prorated == () and billing.rounding == Decimal("-0.03")
    assert billing.size_of_difference == Decimal("0.03")


def test_a_member_who_joins_in_march_is_billed_for_its_days_and_named_with_them() -> None:
    # Lejre joins on 1 March 2026 (306 of 365 days): 36,417.50 × 306 / 365 = 30,530.84 kr.
    members = _golden_members({350: {"member_since": dt.date(2026, 3, 1)}})
    total = compute_economy([Member(m.name, m.kommunekode, m.population) for m in members], PRICE_ALL_17).total.fee
    billing = year_billing(total, plan_year(2026, members, PRICE_ALL_17))
    [lejre] = billing.prorated
    assert (lejre.name, lejre.member_days, lejre.days_in_year) == ("Lejre", 306, 365)
    assert (lejre.full_year_fee, lejre.billed, lejre.difference) == (
        Decimal("36417.50"), Decimal("30530.84"), Decimal("5886.66"),
    )  # fmt: skip
    assert billing.difference == Decimal("5886.66") and billing.rounding == 0
    assert billing.billed_total == Decimal("1064835.00") - Decimal("5886.66")


def test_a_pilot_members_two_invoices_count_as_one_members_billing() -> None:
    # The region pays until 31 January 2027; the municipality from 1 February: two invoices, one member.
    [holbaek] = billing_by_member(
        plan_year(2027, [member(**pilot(dt.date(2025, 2, 1), dt.date(2027, 1, 31)))], PRICE_ALL_17)
    )
    assert holbaek.member_days == 365 and not holbaek.is_prorated
    assert holbaek.billed == holbaek.full_year_fee == Decimal("92208.75")


def test_the_plan_token_changes_with_what_a_run_would_do_and_with_the_numbering() -> None:
    planned = plan_year(2025, [member()], PRICE_ALL_17)
    plan = reconcile(planned, [])
    assert plan_token(plan, 0) == plan_token(reconcile(planned, []), 0)
    assert plan_token(plan, 0) != plan_token(plan, 1)  # another run has numbered an invoice since
    changed = plan_year(2025, [member(population=80_000)], PRICE_ALL_17)
    assert plan_token(reconcile(changed, []), 0) != plan_token(plan, 0)
    issued = reconcile(planned, [as_issued(planned[0], 7)])
    assert plan_token(issued, 1) != plan_token(plan, 1)  # nothing to issue now
