"""The region's pilot grant (seed 001: 2.000.000 kr.) against what the invoices put on the region, by year and
payer; numbers computed by hand, and the page checked against the invoices that invoicing issues."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest

from samvirke.directory.models import Fellesskab, Person, Region, Role
from samvirke.economy.actions.invoicing import do_run_invoicing
from samvirke.economy.lib.grant import Grant, grant_account
from samvirke.economy.lib.invoicing import PlannedInvoice
from samvirke.economy.models import EconomySettings, Invoice, PilotGrant
from tests.conftest import _person, client_for


def _invoice(kind: str, region: int | None, payer: str, start: dt.date, end: dt.date, amount: str) -> PlannedInvoice:
    days = (end - start).days + 1
    return PlannedInvoice(
        membership_id=1, kommunekode=316, name="Holbæk", payer_kind=kind, payer_region_id=region, payer_name=payer,
        period_start=start, period_end=end, days_billed=days, days_in_year=365, population=1, population_year=2024,
        population_source="", full_year_fee=Decimal(amount), price_per_citizen=Decimal(1), amount=Decimal(amount),
        explanation="",
    )  # fmt: skip


GRANT = Grant("Pilot", 1, Decimal("2000000.00"), dt.date(2025, 1, 1), dt.date(2026, 6, 30))
PLANNED = {
    2025: [
        _invoice("region", 1, "Region Sjælland", dt.date(2025, 2, 1), dt.date(2025, 12, 31), "100000.00"),
        _invoice("municipality", None, "Holbæk Kommune", dt.date(2025, 1, 1), dt.date(2025, 1, 31), "9000.00"),
        _invoice("region", 2, "Region Hovedstaden", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "50000.00"),
    ],
    # The grant ends 30 June 2026: of a year's 73.000 kr. only 181 of 365 days are the grant's = 36.200 kr.
    2026: [_invoice("region", 1, "Region Sjælland", dt.date(2026, 1, 1), dt.date(2026, 12, 31), "73000.00")],
}


def test_spending_by_year_and_payer() -> None:
    account = grant_account(GRANT, dict(PLANNED))
    first, second = account.years
    assert (first.year, first.spent, first.spent_to_date, first.remaining) == (
        2025, Decimal("100000.00"), Decimal("100000.00"), Decimal("1900000.00")
    )  # fmt: skip
    assert [(line.payer, line.from_grant, line.amount) for line in first.payers] == [
        ("Region Sjælland", True, Decimal("100000.00")),
        ("Kommunerne selv", False, Decimal("9000.00")),
        ("Region Hovedstaden", False, Decimal("50000.00")),  # another region's pilot is not this grant's
    ]
    assert (second.spent, second.spent_to_date) == (Decimal("36200.00"), Decimal("136200.00"))
    assert account.spent == Decimal("136200.00") and account.remaining == Decimal("1863800.00")
    assert account.share_spent == pytest.approx(0.0681) and not account.overspent


def test_an_overspent_grant_says_so() -> None:
    small = Grant("Lille", 1, Decimal("120000.00"), GRANT.start, GRANT.end)
    account = grant_account(small, dict(PLANNED))
    assert account.overspent and account.remaining == Decimal("-16200.00")


def test_a_year_without_a_model_is_shown_as_such() -> None:
    longer = Grant("Pilot", 1, Decimal("2000000.00"), dt.date(2025, 1, 1), dt.date(2027, 1, 31))
    account = grant_account(longer, {**PLANNED, 2027: None})
    last = account.years[-1]
    # Through January 2027 the grant has all of 2026: 100.000 + 73.000 kr.; 2027 cannot be computed yet.
    assert (last.year, last.has_model, last.spent_to_date) == (2027, False, Decimal("173000.00"))
    assert account.spent == Decimal("173000.00")


# --- the page ---------------------------------------------------------------------------------------------------


@pytest.fixture
def grant(fellesskab: Fellesskab, model_2025: EconomySettings) -> PilotGrant:
    return PilotGrant.objects.create(
        region=Region.objects.get(code=1085),
        name="DDH i Region Sjælland",
        amount=Decimal("2000000.00"),
        start=dt.date(2025, 1, 1),
        end=dt.date(2027, 1, 31),
    )


def _kr(amount: Decimal) -> str:
    whole, cents = f"{amount:.2f}".split(".")
    return f"{int(whole):,}".replace(",", ".") + "," + cents


@pytest.mark.django_db
def test_the_page_shows_what_the_invoices_put_on_the_region(
    grant: PilotGrant, fellesskab: Fellesskab, secretariat: Person, region_staff: Person
) -> None:
    do_run_invoicing(None, fellesskab, 2025)
    region_2025 = sum((i.amount for i in Invoice.objects.filter(year=2025, payer_kind="region")), Decimal("0.00"))
    assert region_2025 > 0
    for person in (secretariat, region_staff):
        html = client_for(person).get("/oekonomi/pilotbevilling/").content.decode()
        assert "DDH i Region Sjælland" in html and "2.000.000,00 kr." in html
        assert f"{_kr(region_2025)} kr." in html  # spent: only 2025 has a model
        assert f"{_kr(Decimal('2000000.00') - region_2025)} kr." in html
        assert re.search(r'data-year="2026".*Ingen økonomimodel for 2026', html)


@pytest.mark.django_db
def test_the_grant_is_the_regions_and_the_secretariats_only(
    grant: PilotGrant, holbaek_agent: Person, greve_coordinator: Person, outsider: Person
) -> None:
    for person in (holbaek_agent, greve_coordinator, outsider):
        assert client_for(person).get("/oekonomi/pilotbevilling/").status_code == 403
    other_region = _person("region-hovedstaden", Role.REGION_STAFF, region_code=1084)
    response = client_for(other_region).get("/oekonomi/pilotbevilling/")
    assert response.status_code == 403 or "DDH i Region Sjælland" not in response.content.decode()
