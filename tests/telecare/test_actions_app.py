"""The budget cycle through the actions: forecast → four quarterly invoices → the year's actuals → credit notes
and extra invoices, so every owner's year equals its actual share to the øre; running anything twice changes
nothing. And the add-ons invoiced at their tariff, outside the joint split."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Municipality, Person, PopulationAged40Plus
from samvirke.economy.models import InvoiceSequence
from samvirke.telecare.actions import (
    REGION,
    TelecareActionError,
    actual_split,
    do_close_year,
    do_invoice_addons,
    do_issue_quarter,
    do_make_forecast,
    do_record_addon_usage,
    forecast_total_from_costs,
    invoiced_per_owner,
    owner_amounts,
)
from samvirke.telecare.models import AddOnMode, AddOnService, Landsdel, SubscriptionInvoice, SubscriptionKind
from tests.telecare.conftest import GREVE, HOLBAEK, KOEGE, ROSKILDE, enrol

pytestmark = pytest.mark.django_db


def _enrol_some(landsdel: Landsdel) -> None:
    enrol(landsdel, GREVE, "SJ-0001", dt.date(2024, 11, 1))
    enrol(landsdel, GREVE, "SJ-0002", dt.date(2025, 2, 1), dt.date(2025, 8, 15))
    enrol(landsdel, HOLBAEK, "SJ-0003", dt.date(2024, 12, 1))
    enrol(landsdel, KOEGE, "SJ-0004", dt.date(2025, 1, 10))


def test_the_forecast_total_comes_from_the_landsdel_s_cost_table(landsdel: Landsdel) -> None:
    # seed 003, Tabel 15 (l. 8888): Sjælland's total 5,580 7,304 7,020 6,167 5,174, År n 5,648 thousand kr.
    assert forecast_total_from_costs(landsdel, 2025) == Decimal("5580000")
    assert forecast_total_from_costs(landsdel, 2029) == Decimal("5174000")
    assert forecast_total_from_costs(landsdel, 2035) == Decimal("5648000")  # År n
    with pytest.raises(TelecareActionError, match="før programmets første år"):
        forecast_total_from_costs(landsdel, 2024)


def test_forecast_splits_the_total_and_keeps_the_settings(landsdel: Landsdel, secretariat: Person) -> None:
    budget = do_make_forecast(secretariat, landsdel, 2025)
    assert budget.forecast_total == Decimal("5580000.00") and budget.forecast_made_by == secretariat
    amounts = {owner: Decimal(value) for owner, value in budget.basis["amounts"].items()}
    assert amounts[REGION] == Decimal("3627000.00")  # 65 % of 5,580,000
    assert sum(amounts.values()) == budget.forecast_total
    assert len(amounts) == 1 + Municipality.objects.filter(region=landsdel.region).count()  # 17 municipalities
    # w = 1: the municipalities pay by their population aged 40+ alone.
    populations = dict(PopulationAged40Plus.objects.values_list("municipality__code", "count"))
    greve_share = Decimal(populations[GREVE]) / sum(populations.values())
    assert abs(amounts[str(GREVE)] - (Decimal("1953000") * greve_share)) < Decimal("0.01")
    assert (budget.weight, budget.region_share) == (Decimal("1"), Decimal("0.65"))
    assert AuditEntry.objects.filter(action="telecare.forecast_made").count() == 1


def test_forecast_needs_every_municipality_s_population(landsdel: Landsdel) -> None:
    PopulationAged40Plus.objects.filter(municipality__code=GREVE).delete()
    with pytest.raises(TelecareActionError, match="mangler indbyggertal 40\\+ .* Greve"):
        do_make_forecast(None, landsdel, 2025)


def test_forecast_with_usage_weight_needs_enrolments(landsdel: Landsdel) -> None:
    Landsdel.objects.filter(pk=landsdel.pk).update(weight=Decimal("0.5"))
    landsdel.refresh_from_db()
    with pytest.raises(TelecareActionError):
        do_make_forecast(None, landsdel, 2025, total=Decimal("1000000"))


@pytest.mark.parametrize("weight", [Decimal(1), Decimal("0.5"), Decimal(0)])
def test_a_whole_year_ends_at_every_owner_s_actual_share_to_the_ore(landsdel: Landsdel, weight: Decimal) -> None:
    Landsdel.objects.filter(pk=landsdel.pk).update(weight=weight)
    landsdel.refresh_from_db()
    _enrol_some(landsdel)
    budget = do_make_forecast(None, landsdel, 2025, total=Decimal("5580000"))
    owners = len(budget.basis["amounts"])
    for quarter in (1, 2, 3, 4):
        run = do_issue_quarter(None, landsdel, 2025, quarter)
        assert len(run.issued) == sum(1 for a in budget.basis["amounts"].values() if Decimal(a) > 0)
        assert do_issue_quarter(None, landsdel, 2025, quarter).issued == []  # twice: nothing new
    forecast = {owner: Decimal(value) for owner, value in budget.basis["amounts"].items()}
    assert {o: v for o, v in invoiced_per_owner(landsdel, 2025).items() if v} == {
        o: v for o, v in forecast.items() if v
    }  # four instalments add up to each forecast amount exactly

    # During the year a citizen joins in Roskilde and one in Køge leaves: the actual coverage differs.
    enrol(landsdel, ROSKILDE, "SJ-0005", dt.date(2025, 5, 2))
    actual_total = Decimal("5412345.67")
    run = do_close_year(None, landsdel, 2025, actual_total)
    budget.refresh_from_db()
    actual = owner_amounts(actual_split(landsdel, budget, actual_total))
    assert sum(actual.values()) == actual_total
    paid = invoiced_per_owner(landsdel, 2025)
    assert {o: paid.get(o, Decimal("0.00")) for o in actual} == actual  # to the øre
    kinds = {invoice.kind for invoice in run.issued}
    assert SubscriptionKind.CREDIT_NOTE in kinds  # less was spent than forecast
    assert all((i.amount > 0) == (i.kind == SubscriptionKind.EXTRA) for i in run.issued)
    assert budget.actual_total == actual_total and budget.closed_at is not None
    assert len(run.issued) + run.unchanged == owners

    # Twice: nothing changes.
    count = SubscriptionInvoice.objects.count()
    again = do_close_year(None, landsdel, 2025, actual_total)
    assert again.issued == [] and SubscriptionInvoice.objects.count() == count
    # A corrected actual: only the new difference, and the year still adds up.
    do_close_year(None, landsdel, 2025, Decimal("5600000.01"))
    budget.refresh_from_db()
    actual = owner_amounts(actual_split(landsdel, budget, Decimal("5600000.01")))
    paid = invoiced_per_owner(landsdel, 2025)
    assert {o: paid.get(o, Decimal("0.00")) for o in actual} == actual
    # Numbers: one sequence for the landsdel's fællesskab, no gaps, no repeats.
    numbers = sorted(SubscriptionInvoice.objects.values_list("number", flat=True))
    assert numbers == [f"2025-{n:04d}" for n in range(1, len(numbers) + 1)]
    assert InvoiceSequence.objects.get(fellesskab=landsdel.fellesskab, year=2025).last_number == len(numbers)


def test_quarter_needs_a_forecast_and_a_closed_year_takes_no_more_quarters(landsdel: Landsdel) -> None:
    with pytest.raises(TelecareActionError, match="ingen prognose for 2025"):
        do_issue_quarter(None, landsdel, 2025, 1)
    do_make_forecast(None, landsdel, 2025, total=Decimal("100000"))
    with pytest.raises(TelecareActionError, match="Kvartalet skal være"):
        do_issue_quarter(None, landsdel, 2025, 5)
    do_issue_quarter(None, landsdel, 2025, 1)
    with pytest.raises(TelecareActionError, match="allerede faktureret"):
        do_make_forecast(None, landsdel, 2025, total=Decimal("200000"))
    do_close_year(None, landsdel, 2025, Decimal("100000"))
    with pytest.raises(TelecareActionError, match="afsluttet"):
        do_issue_quarter(None, landsdel, 2025, 2)


def test_instalments_of_an_odd_amount_add_up(landsdel: Landsdel) -> None:
    do_make_forecast(None, landsdel, 2025, total=Decimal("1000000.03"))
    for quarter in (1, 2, 3, 4):
        do_issue_quarter(None, landsdel, 2025, quarter)
    total = SubscriptionInvoice.objects.filter(landsdel=landsdel).aggregate(total=Sum("amount"))["total"]
    assert total == Decimal("1000000.03")


def test_tariff_add_ons_are_invoiced_to_their_users_outside_the_split(landsdel: Landsdel) -> None:
    service = AddOnService.objects.create(
        landsdel=landsdel, name="Ekstra hjemmebesøg", mode=AddOnMode.TARIFF, unit="besøg", tariff=Decimal("412.50")
    )
    folded = AddOnService.objects.create(landsdel=landsdel, name="Uddannelse", mode=AddOnMode.FOLDED)
    greve, koege = Municipality.objects.get(code=GREVE), Municipality.objects.get(code=KOEGE)
    do_record_addon_usage(None, service, greve, 2025, 1, Decimal(3))
    do_record_addon_usage(None, service, koege, 2025, 1, Decimal("0"))
    with pytest.raises(TelecareActionError, match="for alle"):
        do_record_addon_usage(None, folded, greve, 2025, 1, Decimal(1))
    with pytest.raises(TelecareActionError, match="ligger ikke i Sjælland"):
        do_record_addon_usage(None, service, Municipality.objects.get(code=751), 2025, 1, Decimal(1))
    run = do_invoice_addons(None, landsdel, 2025, 1)
    assert [(i.payer_name, i.amount, i.kind) for i in run.issued] == [
        ("Greve Kommune", Decimal("1237.50"), SubscriptionKind.ADDON)
    ]
    assert do_invoice_addons(None, landsdel, 2025, 1).issued == []
    with pytest.raises(TelecareActionError, match="allerede faktureret"):
        do_record_addon_usage(None, service, greve, 2025, 1, Decimal(4))
    # The add-on stays out of the subscription's true-up.
    assert invoiced_per_owner(landsdel, 2025) == {}
