"""The secretariat's forms on a landsdel's page: each happy path writes through the actions (audited), each bad
input gives a Danish message and changes nothing; only the secretariat may post."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from samvirke.audit.models import AuditEntry
from samvirke.directory.models import Person
from samvirke.telecare import forms
from samvirke.telecare.actions import do_issue_quarter, do_make_forecast
from samvirke.telecare.models import (
    AddOnMode,
    AddOnService,
    AddOnUsage,
    Enrolment,
    Landsdel,
    SubscriptionInvoice,
    TelecareBudget,
)
from tests.conftest import client_for
from tests.telecare.conftest import GREVE, HOLBAEK, enrol

pytestmark = pytest.mark.django_db

BASE = "/telemedicin/sjaelland/"


def _post(client: Client, path: str, data: dict[str, object]) -> str:
    response = client.post(BASE + path, data, follow=True)
    assert response.status_code == 200
    return response.content.decode()


def _state(landsdel: Landsdel) -> tuple[object, ...]:
    landsdel.refresh_from_db()
    return (
        landsdel.weight,
        landsdel.region_share,
        landsdel.first_year,
        Enrolment.objects.count(),
        TelecareBudget.objects.count(),
        SubscriptionInvoice.objects.count(),
        AddOnUsage.objects.count(),
        AuditEntry.objects.count(),
    )


# --- settings ------------------------------------------------------------------------------------------------


def test_settings_are_saved_and_audited(landsdel: Landsdel, secretariat: Person) -> None:
    page = _post(
        client_for(secretariat), "indstillinger/", {"weight": "0,5", "region_share": "0,8", "first_year": 2026}
    )
    assert "Indstillingerne er gemt." in page
    landsdel.refresh_from_db()
    assert (landsdel.weight, landsdel.region_share, landsdel.first_year) == (Decimal("0.5"), Decimal("0.8"), 2026)
    assert AuditEntry.objects.filter(action="telecare.settings_saved").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"weight": "1,5", "region_share": "0,65", "first_year": 2025}, "Vægten w skal ligge mellem 0 og 1."),
        ({"weight": "-0,1", "region_share": "0,65", "first_year": 2025}, "Vægten w skal ligge mellem 0 og 1."),
        ({"weight": "abc", "region_share": "0,65", "first_year": 2025}, "Vægten w skal være et tal"),
        ({"weight": "1", "region_share": "2", "first_year": 2025}, "Regionens andel skal ligge mellem 0 og 1."),
        ({"weight": "1", "region_share": "0,65", "first_year": 1999}, "Programmets første år skal ligge mellem"),
        ({"weight": "", "region_share": "0,65", "first_year": 2025}, "Angiv vægten w."),
    ],
)
def test_bad_settings_say_why_and_change_nothing(
    landsdel: Landsdel, secretariat: Person, data: dict[str, object], message: str
) -> None:
    before = _state(landsdel)
    page = _post(client_for(secretariat), "indstillinger/", data)
    assert message in page and "Intet er ændret." in page
    assert _state(landsdel) == before


# --- enrolments ----------------------------------------------------------------------------------------------


def _csv(text: str, name: str = "indskrivninger.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_an_enrolment_file_is_read_and_written(landsdel: Landsdel, secretariat: Person) -> None:
    text = (
        "kommunekode,citizen_ref,enrolled_from,enrolled_to\n"
        f"{GREVE},SJ-1,2025-01-02,\n{HOLBAEK},SJ-2,2025-02-01,2025-09-30\n"
    )
    page = _post(client_for(secretariat), "indskrivninger/", {"file": _csv(text)})
    assert "2 linjer læst. 2 nye indskrivninger" in page
    assert Enrolment.objects.count() == 2
    assert AuditEntry.objects.filter(action="telecare.enrolments_imported").count() == 1
    page = _post(client_for(secretariat), "indskrivninger/", {"file": _csv(text)})
    assert "0 nye indskrivninger, 0 ændrede, 2 uændrede." in page and Enrolment.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("kommunekode,citizen_ref,enrolled_from\n101,SJ-1,2025-01-02\n", "Filen har 1 fejl; intet er ændret."),
        (f"kommunekode,citizen_ref,enrolled_from,enrolled_to\n{GREVE},SJ-1,2025-05-01,2025-01-01\n", "intet er ændret"),
        (f"kommunekode,citizen_ref,enrolled_from\n{GREVE},010190-1234,2025-01-02\n", "intet er ændret"),
        (f"kommunekode,citizen_ref,enrolled_from\n{GREVE},SJ-1,i går\n", "er ikke en dato"),
        ("navn,alder\nx,1\n", "intet er ændret"),
    ],
)
def test_a_bad_enrolment_file_says_why_and_changes_nothing(
    landsdel: Landsdel, secretariat: Person, content: str, message: str
) -> None:
    before = _state(landsdel)
    page = _post(client_for(secretariat), "indskrivninger/", {"file": _csv(content)})
    assert message in page
    assert "010190-1234" not in page
    assert _state(landsdel) == before


def test_an_enrolment_file_not_utf8_or_with_nul_or_too_large_is_refused(
    landsdel: Landsdel, secretariat: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state(landsdel)
    client = client_for(secretariat)
    latin1 = SimpleUploadedFile("x.csv", "kommunekode,citizen_ref,enrolled_from\n253,Sø,2025-01-01\n".encode("latin-1"))
    assert "Filen er ikke UTF-8-tekst." in _post(client, "indskrivninger/", {"file": latin1})
    # a NUL is refused before the view (core's middleware: 400), so nothing is read
    assert client.post(BASE + "indskrivninger/", {"file": _csv("kommunekode\x00,ref\n")}).status_code == 400
    assert "Vælg en CSV-fil." in _post(client, "indskrivninger/", {})
    monkeypatch.setattr(forms, "MAX_ENROLMENT_UPLOAD_BYTES", 10)
    assert "Filen er for stor" in _post(client, "indskrivninger/", {"file": _csv("kommunekode,citizen_ref\n" * 3)})
    assert _state(landsdel) == before


# --- forecast, quarters, true-up -----------------------------------------------------------------------------


def test_forecast_then_a_quarter_with_its_confirmation_then_nothing_twice(
    landsdel: Landsdel, secretariat: Person
) -> None:
    enrol(landsdel, GREVE, "SJ-1", dt.date(2025, 1, 2))
    client = client_for(secretariat)
    page = _post(client, "prognose/", {"year": 2025, "total": "5580000"})
    assert "Prognosen for 2025 er lavet: 5.580.000,00 kr." in page
    assert TelecareBudget.objects.get().forecast_total == Decimal("5580000.00")

    confirm = client.get(BASE + "kvartal/?aar=2025&kvartal=1").content.decode()
    assert "Udsted 18 fakturaer" in confirm and 'id="quarter-plan"' in confirm
    assert SubscriptionInvoice.objects.count() == 0  # the confirmation step writes nothing

    page = _post(client, "kvartal/", {"year": 2025, "quarter": 1})
    assert "1. kvartal 2025: 18 fakturaer udstedt" in page
    assert SubscriptionInvoice.objects.filter(quarter=1).count() == 18
    page = _post(client, "kvartal/", {"year": 2025, "quarter": 1})
    assert "Intet udstedt: 1. kvartal 2025 er allerede faktureret (18 fakturaer fandtes i forvejen)." in page
    assert SubscriptionInvoice.objects.count() == 18
    assert "er allerede faktureret" in client.get(BASE + "kvartal/?aar=2025&kvartal=1").content.decode()


def test_the_forecast_from_the_cost_table_when_no_total_is_given(landsdel: Landsdel, secretariat: Person) -> None:
    page = _post(client_for(secretariat), "prognose/", {"year": 2025, "total": ""})
    assert "Prognosen for 2025 er lavet: 5.580.000,00 kr." in page  # Sjælland År 1, seed 003 Tabel 15


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("prognose/", {"year": 2025, "total": "-5"}, "Beløbet kan ikke være negativt."),
        ("prognose/", {"year": 2025, "total": "mange"}, "Beløbet skal være et tal"),
        ("prognose/", {"year": 2025, "total": "5.580.000"}, "uden tusindtalsseparator"),
        ("prognose/", {"year": 1999, "total": "5"}, "Året skal ligge mellem 2000 og 2100."),
        ("prognose/", {"year": 2024, "total": ""}, "ligger før programmets første år"),
        ("kvartal/", {"year": 2025, "quarter": 5}, "Kvartalet skal være 1, 2, 3 eller 4."),
        ("kvartal/", {"year": 2026, "quarter": 1}, "Der er ingen prognose for 2026."),
        ("afslut/", {"year": 2025, "actual_total": "-1"}, "Beløbet kan ikke være negativt."),
        ("afslut/", {"year": 2025, "actual_total": ""}, "Angiv beløbet."),
        ("afslut/", {"year": 2026, "actual_total": "100"}, "Der er ingen prognose for 2026."),
    ],
)
def test_bad_budget_input_says_why_and_changes_nothing(
    landsdel: Landsdel, secretariat: Person, path: str, data: dict[str, object], message: str
) -> None:
    enrol(landsdel, GREVE, "SJ-1", dt.date(2025, 1, 2))
    do_make_forecast(None, landsdel, 2025, total=Decimal("5580000"))
    before = _state(landsdel)
    page = _post(client_for(secretariat), path, data)
    assert message in page and "ntet er ændret" in page
    assert _state(landsdel) == before


def test_a_forecast_after_invoicing_is_refused(landsdel: Landsdel, secretariat: Person) -> None:
    do_make_forecast(None, landsdel, 2025, total=Decimal("5580000"))
    do_issue_quarter(None, landsdel, 2025, 1)
    before = _state(landsdel)
    page = _post(client_for(secretariat), "prognose/", {"year": 2025, "total": "1000"})
    assert "Der er allerede faktureret for 2025" in page and "Intet er ændret." in page
    assert _state(landsdel) == before


def test_closing_the_year_trues_every_owner_up(landsdel: Landsdel, secretariat: Person) -> None:
    enrol(landsdel, GREVE, "SJ-1", dt.date(2025, 1, 2))
    do_make_forecast(None, landsdel, 2025, total=Decimal("5580000"))
    for quarter in (1, 2, 3, 4):
        do_issue_quarter(None, landsdel, 2025, quarter)
    client = client_for(secretariat)
    page = _post(client, "afslut/", {"year": 2025, "actual_total": "5000000,00"})
    assert "Året 2025 er afsluttet med et faktisk forbrug på 5.000.000,00 kr.: 18 fakturaer udstedt" in page
    assert SubscriptionInvoice.objects.filter(kind="credit_note").count() == 18
    assert 'class="invoice-credit_note"' in page
    page = _post(client, "afslut/", {"year": 2025, "actual_total": "5000000"})
    assert "ingen efterregulering" in page


# --- add-ons -------------------------------------------------------------------------------------------------


@pytest.fixture
def tariff(landsdel: Landsdel) -> AddOnService:
    return AddOnService.objects.create(
        landsdel=landsdel, name="Ekstra oplæring", mode=AddOnMode.TARIFF, unit="besøg", tariff=Decimal("450.00")
    )


def test_addon_usage_is_recorded_and_invoiced_once(
    landsdel: Landsdel, secretariat: Person, tariff: AddOnService
) -> None:
    from samvirke.directory.models import Municipality

    greve = Municipality.objects.get(code=GREVE)
    client = client_for(secretariat)
    data = {"service": tariff.pk, "municipality": greve.pk, "year": 2025, "quarter": 1, "quantity": "3"}
    assert "er gemt" in _post(client, "tilkoeb/forbrug/", data)
    page = _post(client, "tilkoeb/fakturer/", {"year": 2025, "quarter": 1})
    assert "1 fakturaer udstedt" in page
    assert SubscriptionInvoice.objects.get(kind="addon").amount == Decimal("1350.00")
    assert "Intet udstedt" in _post(client, "tilkoeb/fakturer/", {"year": 2025, "quarter": 1})


def test_bad_addon_input_says_why_and_changes_nothing(
    landsdel: Landsdel, secretariat: Person, tariff: AddOnService
) -> None:
    from samvirke.directory.models import Municipality

    greve = Municipality.objects.get(code=GREVE)
    aarhus = Municipality.objects.get(code=751)
    folded = AddOnService.objects.create(landsdel=landsdel, name="Fælles app", mode=AddOnMode.FOLDED)
    before = _state(landsdel)
    client = client_for(secretariat)
    base = {"service": tariff.pk, "municipality": greve.pk, "year": 2025, "quarter": 1, "quantity": "3"}
    assert "Mængden kan ikke være negativ." in _post(client, "tilkoeb/forbrug/", {**base, "quantity": "-1"})
    assert "Kommunen ligger ikke i landsdelen." in _post(
        client, "tilkoeb/forbrug/", {**base, "municipality": aarhus.pk}
    )
    assert "Vælg en tilkøbsydelse med takst." in _post(client, "tilkoeb/forbrug/", {**base, "service": folded.pk})
    assert "Kvartalet skal være 1, 2, 3 eller 4." in _post(client, "tilkoeb/fakturer/", {"year": 2025, "quarter": 0})
    assert _state(landsdel) == before


# --- who may post --------------------------------------------------------------------------------------------

POSTS = [
    "indstillinger/",
    "indskrivninger/",
    "prognose/",
    "kvartal/",
    "afslut/",
    "tilkoeb/forbrug/",
    "tilkoeb/fakturer/",
]


@pytest.mark.parametrize("who", ["region_staff", "greve_coordinator", "holbaek_agent", "outsider"])
@pytest.mark.parametrize("path", POSTS)
def test_only_the_secretariat_posts(landsdel: Landsdel, who: str, path: str, request: pytest.FixtureRequest) -> None:
    person: Person = request.getfixturevalue(who)
    before = _state(landsdel)
    client = client_for(person)
    assert (
        client.post(
            BASE + path, {"year": 2025, "quarter": 1, "weight": "0", "region_share": "0", "first_year": 2025}
        ).status_code
        == 403
    )
    assert _state(landsdel) == before
    if path == "kvartal/":
        assert client.get(BASE + "kvartal/?aar=2025&kvartal=1").status_code == 403
