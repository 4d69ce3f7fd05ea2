"""seed-demo's telemedicine (telecare/demo.py): consistent with itself and with the seed, visible to the demo's users
as their role allows, and written once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.db.models import Q, Sum

from samvirke.directory.models import Municipality, Person, PopulationAged40Plus
from samvirke.telecare.demo import load_demo_telecare
from samvirke.telecare.lib.payments import quarterly_instalments
from samvirke.telecare.models import (
    AddOnMode,
    AddOnService,
    AddOnUsage,
    Enrolment,
    Landsdel,
    SubscriptionInvoice,
    SubscriptionKind,
    TelecareBudget,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 16)  # the fourth quarter of programme year 2


@pytest.fixture
def demo(fellesskab: object) -> str:  # `fellesskab`: the reference data loaded, and the hotline's fællesskab first
    return load_demo_telecare(TODAY)


def _sjaelland() -> Landsdel:
    return Landsdel.objects.get(slug="sjaelland")


def enrolled_on(day: dt.date) -> int:
    return (
        Enrolment.objects.filter(landsdel=_sjaelland(), enrolled_from__lte=day)
        .filter(Q(enrolled_to__isnull=True) | Q(enrolled_to__gte=day))
        .count()
    )


def test_five_landsdele_each_with_its_region_and_own_faellesskab(demo: str) -> None:
    landsdele = {ld.slug: ld for ld in Landsdel.objects.select_related("region", "fellesskab")}
    assert {slug: ld.region.code for slug, ld in landsdele.items()} == {
        "hovedstaden": 1084, "sjaelland": 1085, "syddanmark": 1083, "midtjylland": 1082, "nordjylland": 1081,
    }  # fmt: skip
    sjaelland = landsdele["sjaelland"]
    assert sjaelland.fellesskab.name == "Telemedicin Sjælland"
    assert (sjaelland.weight, sjaelland.region_share, sjaelland.first_year) == (Decimal(1), Decimal("0.65"), 2025)
    assert sjaelland.programme_year(TODAY.year) == 2
    assert len({ld.fellesskab_id for ld in landsdele.values()}) == 5
    assert not Enrolment.objects.exclude(landsdel=sjaelland).exists()


def test_every_municipality_of_the_region_has_an_honest_population_40plus(demo: str) -> None:
    sjaelland = _sjaelland()
    municipalities = Municipality.objects.filter(region=sjaelland.region_id)
    assert municipalities.count() == 17
    figures = PopulationAged40Plus.objects.filter(municipality__in=municipalities)
    assert set(figures.values_list("municipality_id", flat=True)) == set(municipalities.values_list("pk", flat=True))
    assert set(figures.values_list("source", flat=True)) == {
        "Skøn til demo: 52 % af indbyggertallet 2024 (Danmarks Statistik, FOLK1A)"
    }
    holbaek = figures.get(municipality__code=316)
    assert holbaek.count == round(holbaek.municipality.population * Decimal("0.52"))


def test_the_enrolments_follow_the_seeds_n(demo: str) -> None:
    # Seed 003, Tabel 2 (l. 768): Sjælland 170 citizens at +12 months, 780 at +24; today (16 November of År 2) lies
    # between the end of October (170 + 610 · 10/12 = 678) and the end of November (729).
    assert enrolled_on(dt.date(2025, 12, 31)) == 170
    assert 678 <= enrolled_on(TODAY) <= 729
    enrolments = Enrolment.objects.filter(landsdel=_sjaelland())
    assert enrolments.filter(enrolled_to__isnull=False).count() > 100  # take-downs, ~4 % a month
    assert not enrolments.filter(Q(enrolled_from__gt=TODAY) | Q(enrolled_to__gt=TODAY)).exists()
    assert enrolments.filter(citizen_ref__regex=r"^SJ-[0-9]{6}$").count() == enrolments.count()
    # Spread by population 40+: the biggest municipality has the most citizens, every one has some.
    per_municipality = {m.code: enrolments.filter(municipality=m).count() for m in Municipality.objects.filter(
        region=_sjaelland().region_id)}  # fmt: skip
    assert min(per_municipality.values()) > 0
    biggest = max(per_municipality, key=lambda code: Municipality.objects.get(code=code).population)
    assert per_municipality[biggest] == max(per_municipality.values())


def test_the_quarters_invoiced_add_up_to_the_forecasts_quarters(demo: str) -> None:
    sjaelland = _sjaelland()
    budget = TelecareBudget.objects.get(landsdel=sjaelland, year=2026)
    assert budget.forecast_total == Decimal("7304000.00")  # seed 003, Tabel 15 (l. 8888): År 2, 7.304 t.kr.
    assert budget.forecast_made_at.date() == dt.date(2025, 4, 15)  # the spring of the year before
    amounts = {owner: Decimal(amount) for owner, amount in budget.basis["amounts"].items()}
    assert len(amounts) == 18 and sum(amounts.values()) == budget.forecast_total
    assert amounts["region"] == Decimal("4747600.00")  # 65 %
    quarterly = SubscriptionInvoice.objects.filter(landsdel=sjaelland, year=2026, kind=SubscriptionKind.QUARTERLY)
    for quarter in (1, 2, 3, 4):
        invoiced = quarterly.filter(quarter=quarter).aggregate(total=Sum("amount"))["total"]
        assert invoiced == sum(quarterly_instalments(amount)[quarter - 1] for amount in amounts.values())
        assert abs(invoiced - budget.forecast_total / 4) <= Decimal("0.18")
        assert quarterly.filter(quarter=quarter).count() == 18  # the region and 17 municipalities
    assert quarterly.aggregate(total=Sum("amount"))["total"] == budget.forecast_total
    numbers = list(SubscriptionInvoice.objects.filter(landsdel=sjaelland).values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers) and all(n.startswith("2026-") for n in numbers)


def test_an_earlier_day_invoices_only_the_quarters_begun(fellesskab: object) -> None:
    load_demo_telecare(dt.date(2026, 5, 2))
    sjaelland = _sjaelland()
    quarters = SubscriptionInvoice.objects.filter(landsdel=sjaelland, kind=SubscriptionKind.QUARTERLY)
    assert sorted({quarter for quarter in quarters.values_list("quarter", flat=True) if quarter is not None}) == [1, 2]
    addon_invoices = SubscriptionInvoice.objects.filter(landsdel=sjaelland, kind=SubscriptionKind.ADDON)
    assert set(addon_invoices.values_list("quarter", flat=True)) == {1}


def test_one_addon_of_each_kind_and_the_tariff_one_used_a_little(demo: str) -> None:
    services = AddOnService.objects.filter(landsdel=_sjaelland())
    assert sorted(services.values_list("mode", flat=True)) == sorted(AddOnMode.values)
    usages = AddOnUsage.objects.filter(service__landsdel=_sjaelland(), year=2026)
    assert {u.service.mode for u in usages} == {AddOnMode.TARIFF}
    assert set(usages.values_list("quarter", flat=True)) == {1, 2, 3, 4}
    # The ended quarters are invoiced directly at the tariff, outside the split; the current one is not yet.
    assert not usages.filter(quarter__lt=4, invoice__isnull=True).exists()
    assert not usages.filter(quarter=4, invoice__isnull=False).exists()
    for usage in usages.filter(invoice__isnull=False).select_related("invoice", "service"):
        assert usage.invoice is not None and usage.service.tariff is not None
        assert usage.invoice.kind == SubscriptionKind.ADDON
        assert usage.invoice.amount == usage.quantity * usage.service.tariff


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in apps.get_models()}


def test_a_second_run_writes_nothing_and_keeps_what_the_secretariat_changed(demo: str) -> None:
    Landsdel.objects.filter(slug="nordjylland").update(weight=Decimal("0.5"))
    before = _row_counts()
    again = load_demo_telecare(TODAY)
    assert _row_counts() == before  # the audit log included
    assert "(0 nye)" in again and "/telemedicin/sjaelland/" in again
    assert Landsdel.objects.get(slug="nordjylland").weight == Decimal("0.5")


def test_a_later_day_adds_to_the_same_citizens(demo: str) -> None:
    refs = set(Enrolment.objects.values_list("citizen_ref", "enrolled_from"))
    load_demo_telecare(TODAY + dt.timedelta(days=20))
    assert refs < set(Enrolment.objects.values_list("citizen_ref", "enrolled_from"))


def test_the_demo_users_see_telemedicine_as_their_role_allows(
    demo: str, secretariat: Person, region_staff: Person, greve_coordinator: Person, holbaek_agent: Person
) -> None:
    index = client_for(secretariat).get("/telemedicin/")
    assert index.status_code == 200
    for name in ("Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"):
        assert name in index.content.decode()
    page = client_for(secretariat).get("/telemedicin/sjaelland/?aar=2026").content.decode()
    assert page.count('<tr data-code="') == 17 and "7.304.000,00" in page
    assert client_for(region_staff).get("/telemedicin/")["Location"] == "/telemedicin/sjaelland/"
    assert client_for(region_staff).get("/telemedicin/hovedstaden/").status_code == 403
    own = client_for(greve_coordinator).get("/telemedicin/sjaelland/?aar=2026").content.decode()
    assert own.count('<tr data-code="') == 1 and "Greve" in own and "Holbæk Kommune" not in own
    assert client_for(holbaek_agent).get("/telemedicin/").status_code == 403
