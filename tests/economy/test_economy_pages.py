"""The economy pages: scope per role, the numbers of the model, forms that refuse bad input."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from html.parser import HTMLParser
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from samvirke.assistant.models import ChatbotConversation
from samvirke.audit.models import AuditEntry
from samvirke.contact.models import Contact, Queue
from samvirke.directory.models import Fellesskab, Municipality, Person
from samvirke.economy.actions.invoicing import do_run_invoicing, do_save_economy_settings
from samvirke.economy.models import ContactVolume, EconomySettings, Invoice
from tests.conftest import client_for

PAGES = [
    "/oekonomi/?aar=2025",
    "/oekonomi/2025.xlsx",
    "/oekonomi/fakturaer/?aar=2025",
    "/oekonomi/fakturaer/2025.xlsx",
    "/oekonomi/vagttimer/?aar=2025",
    "/oekonomi/kontaktpris/?aar=2025",
    "/oekonomi/scenarier/",
    "/oekonomi/model/2025/",
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_visitors_are_sent_to_login(model_2025: EconomySettings, url: str) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", PAGES)
def test_outsiders_and_agents_are_refused(
    model_2025: EconomySettings, outsider: Person, holbaek_agent: Person, url: str
) -> None:
    assert client_for(outsider).get(url).status_code == 403
    assert client_for(holbaek_agent).get(url).status_code == 403


def test_the_secretariat_sees_every_members_fee_and_hours(model_2025: EconomySettings, secretariat: Person) -> None:
    page = client_for(secretariat).get("/oekonomi/?aar=2025").content.decode()
    # seed 000 at 1.7375: Holbæk 128,170.16 kr., 590 h, 12 h/week, band 9–16; Greve 90,622.79; Køge 108,722.33
    for text in ("128.170,16", "90.622,79", "108.722,33", "590", "9–16"):
        assert text in page
    assert "1,7375 kr." in page
    assert "188.498" in page  # the three members' population


def test_a_coordinator_sees_only_its_own_row_and_the_total(
    model_2025: EconomySettings, greve_coordinator: Person
) -> None:
    page = client_for(greve_coordinator).get("/oekonomi/?aar=2025").content.decode()
    assert "90.622,79" in page
    assert "128.170,16" not in page  # Holbæk's fee
    assert "Fællesskabet i alt" in page


def test_a_year_without_a_model_says_so_and_offers_the_secretariat_to_create_it(secretariat: Person) -> None:
    page = client_for(secretariat).get("/oekonomi/?aar=2031").content.decode()
    assert "Der er ingen økonomimodel med medlemmer for 2031." in page
    assert "/oekonomi/model/2031/" in page


class _TableCells(HTMLParser):
    """The text of every row of the table with id `table_id`: [[cell, cell, …], …] (thead, tbody, tfoot)."""

    def __init__(self, table_id: str) -> None:
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table" and ("id", self.table_id) in attrs:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def _danish_number(text: str) -> Decimal:
    return Decimal(text.replace(".", "").replace(",", "."))


def _page_table(client: Client, year: int) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal]]:
    """The overview page's rows and total as (name, population, fee, hours per year, hours' value)."""
    parser = _TableCells("economy-table")
    parser.feed(client.get(f"/oekonomi/?aar={year}").content.decode())
    return [
        (cells[0], *(_danish_number(cells[i]) for i in (1, 2, 4, 7)))  # type: ignore[misc]
        for cells in parser.rows[1:]
    ]


def _excel_table(client: Client, year: int) -> list[tuple[str, Decimal, Decimal, Decimal, Decimal]]:
    """The export's rows and total in the same shape as _page_table."""
    response = client.get(f"/oekonomi/{year}.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content))["Økonomi"].iter_rows(values_only=True))
    totals = next(i for i, row in enumerate(rows) if row[0] == "Fællesskabet i alt")
    # The members and the totals row; what may follow it explains the totals row (tested on its own).
    return [(str(row[0]), *(Decimal(str(row[i])) for i in (2, 3, 4, 8))) for row in rows[1 : totals + 1]]  # type: ignore[misc]


def test_the_excel_export_has_the_pages_rows_and_totals(model_2025: EconomySettings, secretariat: Person) -> None:
    client = client_for(secretariat)
    rows = _excel_table(client, 2025)
    assert rows == _page_table(client, 2025)
    # 188,498 × 1.7375 = 327,515.275 → half up; 1,508 h = round(188,498 × 8 / 1000); 1,508 × 343 kr.
    assert rows[-1] == ("Fællesskabet i alt", 188498, Decimal("327515.28"), 1508, Decimal("517244.00"))
    holbaek = next(row for row in rows if row[0] == "Holbæk")
    assert holbaek[2:] == (Decimal("128170.16"), 590, Decimal("202370.00"))  # 590 h × 343 kr.
    assert "327.515,28" in client.get("/oekonomi/?aar=2025").content.decode()


def test_a_coordinators_excel_export_is_its_row_of_the_page_and_the_fellesskabs_total(
    model_2025: EconomySettings, greve_coordinator: Person
) -> None:
    client = client_for(greve_coordinator)
    rows = _excel_table(client, 2025)
    assert rows == _page_table(client, 2025)
    assert [row[0] for row in rows] == ["Greve", "Fællesskabet i alt"]
    assert rows[0][2:] == (Decimal("90622.79"), 417, Decimal("143031.00"))
    assert rows[1][1:3] == (188498, Decimal("327515.28"))


def test_a_budget_models_excel_export_has_the_pages_largest_remainder_fees(
    fellesskab: Fellesskab, secretariat: Person, greve_coordinator: Person
) -> None:
    # 100,000 kr. over 188,498 inhabitants: Greve's share is 27,669.79 kr. (largest remainder), while the
    # implied price 0.5305 kr. would give 52,157 × 0.5305 = 27,669.29 kr.
    do_save_economy_settings(None, fellesskab, 2026, budget=Decimal("100000.00"))
    for person in (secretariat, greve_coordinator):
        client = client_for(person)
        rows = _excel_table(client, 2026)
        assert rows == _page_table(client, 2026)
        greve = next(row for row in rows if row[0] == "Greve")
        assert greve[2] == Decimal("27669.79")
        assert rows[-1][2] == Decimal("100000.00")
    secretariat_rows = _excel_table(client_for(secretariat), 2026)
    assert sum(row[2] for row in secretariat_rows[:-1]) == Decimal("100000.00")


def test_a_coordinators_excel_export_says_its_total_is_the_fellesskabs(
    model_2025: EconomySettings, greve_coordinator: Person
) -> None:
    response = client_for(greve_coordinator).get("/oekonomi/2025.xlsx")
    texts = [row[0] for row in load_workbook(BytesIO(response.content))["Økonomi"].iter_rows(values_only=True)]
    assert any("hele fællesskabets total for alle 3 medlemmer" in str(text) for text in texts)


def test_a_coordinators_excel_export_holds_only_its_own_row(
    model_2025: EconomySettings, greve_coordinator: Person
) -> None:
    response = client_for(greve_coordinator).get("/oekonomi/2025.xlsx")
    names = [row[0] for row in load_workbook(BytesIO(response.content))["Økonomi"].iter_rows(values_only=True)]
    assert "Greve" in names and "Holbæk" not in names


def test_the_secretariat_saves_a_model_with_a_danish_decimal_comma(fellesskab: object, secretariat: Person) -> None:
    response = client_for(secretariat).post(
        "/oekonomi/model/2026/",
        {"price_per_citizen": "1,25", "hours_per_1000": "8", "weeks": "48", "band_min": "0,7", "band_max": "1,3",
         "hourly_rate": "343,40"},
    )  # fmt: skip
    assert response.status_code == 302
    model = EconomySettings.objects.get(year=2026)
    assert (model.price_per_citizen, model.hourly_rate) == (Decimal("1.25"), Decimal("343.40"))
    assert AuditEntry.objects.filter(action="economy.settings_saved").count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Angiv enten en pris pr. borger eller et samlet budget."),
        ({"price_per_citizen": "1,25", "budget": "1000"}, "ikke begge"),
        ({"price_per_citizen": "-1"}, "Denne værdi skal være større end eller lig 0."),
        ({"price_per_citizen": "mange"}, "Indtast et tal."),
        ({"price_per_citizen": "1", "band_min": "1,5", "band_max": "1,2"}, "Den øvre faktor skal være mindst"),
        ({"price_per_citizen": "1", "weeks": "0"}, "Denne værdi skal være større end eller lig 1."),
    ],
)
def test_a_bad_model_is_refused_with_a_danish_message_and_nothing_is_saved(
    fellesskab: object, secretariat: Person, data: dict[str, str], message: str
) -> None:
    defaults = {"hours_per_1000": "8", "weeks": "48", "band_min": "0,7", "band_max": "1,3", "hourly_rate": "343"}
    response = client_for(secretariat).post("/oekonomi/model/2026/", {**defaults, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not EconomySettings.objects.exists()


def test_a_coordinator_cannot_change_the_model(fellesskab: object, greve_coordinator: Person) -> None:
    response = client_for(greve_coordinator).post("/oekonomi/model/2026/", {"price_per_citizen": "0"})
    assert response.status_code == 403
    assert not EconomySettings.objects.exists()


def test_scenarios_compare_all_17_at_1_25_with_the_seeds_2025_price(fellesskab: object, secretariat: Person) -> None:
    url = "/oekonomi/scenarier/?a_members=316&a_members=253&a_price=1%2C25&b_members=316&b_members=253&b_price=1%2C7375"
    page = client_for(secretariat).get(url).content.decode()
    assert "92.208,75" in page and "128.170,16" in page  # Holbæk at 1.25 and at 1.7375
    assert "65.196,25" in page and "90.622,79" in page  # Greve


def test_a_scenario_without_members_or_price_says_what_is_missing(fellesskab: object, secretariat: Person) -> None:
    page = client_for(secretariat).get("/oekonomi/scenarier/?a_members=316&b_price=1").content.decode()
    assert "Vælg mindst én kommune." in page
    assert "Angiv enten en pris pr. borger eller et budget" in page


def test_a_coordinator_sees_only_its_own_invoices(
    model_2025: EconomySettings, fellesskab: object, greve_coordinator: Person
) -> None:
    do_run_invoicing(None, fellesskab, 2025)  # type: ignore[arg-type]
    client = client_for(greve_coordinator)
    page = client.get("/oekonomi/fakturaer/?aar=2025").content.decode()
    assert "Greve" in page and "Holbæk" not in page
    holbaek_invoice = Invoice.objects.get(municipality__code=316)
    assert client.get(f"/oekonomi/fakturaer/{holbaek_invoice.pk}/").status_code == 403
    greve_invoice = Invoice.objects.get(municipality__code=253)
    invoice_page = client.get(f"/oekonomi/fakturaer/{greve_invoice.pk}/").content.decode()
    assert "Region Sjælland" in invoice_page and "Driftsbidrag 2025" in invoice_page


def test_an_unknown_invoice_is_a_danish_404(secretariat: Person) -> None:
    response = client_for(secretariat).get("/oekonomi/fakturaer/999999/")
    assert response.status_code == 404
    assert "Der findes ingen faktura med det nummer." in response.content.decode()


def _confirmation(client: Client, year: int) -> tuple[str, dict[str, str]]:
    """The confirmation page and the form it posts (year and the plan's token)."""
    page = client.get(f"/oekonomi/fakturaer/koer/?aar={year}").content.decode()
    token = re.search(r'name="token" value="([0-9a-f]+)"', page)
    return page, ({"year": str(year), "token": token.group(1)} if token else {})


def test_invoicing_asks_for_confirmation_first_and_issues_nothing_until_then(
    model_2025: EconomySettings, secretariat: Person
) -> None:
    client = client_for(secretariat)
    invoices = client.get("/oekonomi/fakturaer/?aar=2025").content.decode()
    assert 'href="/oekonomi/fakturaer/koer/?aar=2025"' in invoices and 'method="post"' not in invoices.split("tabs")[-1]
    page, form = _confirmation(client, 2025)
    assert "udstede <strong>3 fakturaer</strong>" in page and "Udsted 3 fakturaer" in page
    assert not Invoice.objects.exists()  # looking is not invoicing
    # A post without the confirmation's token (an old form, a script) is sent to the confirmation.
    response = client.post("/oekonomi/fakturaer/koer/", {"year": "2025"})
    assert response.status_code == 302 and response["Location"] == "/oekonomi/fakturaer/koer/?aar=2025"
    assert not Invoice.objects.exists()
    done = client.post("/oekonomi/fakturaer/koer/", form, follow=True).content.decode()
    assert "Fakturering 2025: 3 nye fakturaer, 0 kreditnotaer, 0 uændrede." in done
    again, _form = _confirmation(client, 2025)
    assert "Der er intet at udstede eller kreditere: 3 fakturaer" in again and "Udsted" not in again


def test_a_double_clicked_confirmation_issues_nothing_twice_and_the_second_click_is_told(
    model_2025: EconomySettings, secretariat: Person
) -> None:
    client = client_for(secretariat)
    _page, form = _confirmation(client, 2025)
    first = client.post("/oekonomi/fakturaer/koer/", form, follow=True).content.decode()
    second = client.post("/oekonomi/fakturaer/koer/", form, follow=True).content.decode()
    assert "3 nye fakturaer" in first
    assert "Intet er udstedt denne gang. Der er intet nyt at udstede nu." in second
    assert Invoice.objects.count() == 3
    assert AuditEntry.objects.filter(action="economy.invoicing_run").count() == 1


def test_a_confirmation_made_before_the_basis_changed_issues_nothing(
    model_2025: EconomySettings, fellesskab: Fellesskab, secretariat: Person
) -> None:
    client = client_for(secretariat)
    _page, form = _confirmation(client, 2025)
    Municipality.objects.filter(code=316).update(population=80_000)  # someone imports new populations meanwhile
    told = client.post("/oekonomi/fakturaer/koer/", form, follow=True).content.decode()
    assert "ændret, siden du bekræftede" in told and "Nu ville en kørsel udstede 3" in told
    assert not Invoice.objects.exists()


def test_invoicing_before_the_year_is_over_says_so_and_needs_its_own_confirmation(
    fellesskab: Fellesskab, secretariat: Person
) -> None:
    year = timezone.localdate().year
    do_save_economy_settings(None, fellesskab, year, price_per_citizen=Decimal("1.25"))
    client = client_for(secretariat)
    page, form = _confirmation(client, year)
    assert f"Året {year} er ikke slut" in page
    assert "krediterer en senere kørsel de berørte fakturaer i deres helhed og udsteder nye" in page
    assert 'name="early" value="ja" required' in page
    refused = client.post("/oekonomi/fakturaer/koer/", form, follow=True).content.decode()
    assert f"Året {year} er ikke slut. Bekræft" in refused
    assert not Invoice.objects.exists()
    done = client.post("/oekonomi/fakturaer/koer/", {**form, "early": "ja"}, follow=True).content.decode()
    assert "3 nye fakturaer" in done and Invoice.objects.count() == 3


def test_a_finished_year_needs_no_early_confirmation(model_2025: EconomySettings, secretariat: Person) -> None:
    page, _form = _confirmation(client_for(secretariat), 2025)
    assert "er ikke slut" not in page and 'name="early"' not in page


def test_invoicing_a_year_without_a_model_says_so(fellesskab: object, secretariat: Person) -> None:
    client = client_for(secretariat)
    page = client.get("/oekonomi/fakturaer/koer/?aar=2030", follow=True).content.decode()
    assert "Der er ingen økonomimodel for 2030." in page
    posted = client.post("/oekonomi/fakturaer/koer/", {"year": "2030", "token": "x"}, follow=True).content.decode()
    assert "Der er ingen økonomimodel for 2030." in posted
    assert "Året skal være et årstal" in client.get("/oekonomi/fakturaer/koer/?aar=abc", follow=True).content.decode()
    assert not Invoice.objects.exists()


def test_only_the_secretariat_may_run_invoicing(model_2025: EconomySettings, greve_coordinator: Person) -> None:
    client = client_for(greve_coordinator)
    assert client.get("/oekonomi/fakturaer/koer/?aar=2025").status_code == 403
    assert client.post("/oekonomi/fakturaer/koer/", {"year": "2025", "token": "x"}).status_code == 403
    assert "fakturaer/koer" not in client.get("/oekonomi/fakturaer/?aar=2025").content.decode()
    assert not Invoice.objects.exists()


def test_the_invoice_excel_total_equals_the_pages_total(
    model_2025: EconomySettings, fellesskab: object, secretariat: Person
) -> None:
    do_run_invoicing(None, fellesskab, 2025)  # type: ignore[arg-type]
    client = client_for(secretariat)
    sheet = load_workbook(BytesIO(client.get("/oekonomi/fakturaer/2025.xlsx").content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[-1][0] == "I alt"
    total = Decimal(str(rows[-1][11]))
    assert total == sum(Invoice.objects.values_list("amount", flat=True))
    page = client.get("/oekonomi/fakturaer/?aar=2025").content.decode()
    assert f'id="invoice-total">{total:,.2f}'.replace(",", "X").replace(".", ",").replace("X", ".") in page


def test_the_balance_shows_owed_hours_and_the_band(model_2025: EconomySettings, greve_coordinator: Person) -> None:
    page = client_for(greve_coordinator).get("/oekonomi/vagttimer/?aar=2025").content.decode()
    assert "Greve" in page and "Holbæk" not in page
    # Greve joined 1 Feb 2025: 417 h × 334 / 365 = 381.6 → 382
    assert ">417<" in page and ">382<" in page and "6–11" in page


def test_cost_per_contact_spreads_the_costs_over_the_channels(model_2025: EconomySettings, secretariat: Person) -> None:
    client = client_for(secretariat)
    for channel, contacts in (("phone", "10000"), ("chatbot", "5000")):
        response = client.post(
            "/oekonomi/kontaktpris/?aar=2025", {"channel": channel, "contacts": contacts, "source": "test"}
        )
        assert response.status_code == 302
    page = client.get("/oekonomi/kontaktpris/?aar=2025").content.decode()
    # Cost = fees 327,515.28 + hours 1,508 × 343 = 517,244.00 → 844,759.28 kr. over 15,000 contacts = 56.32 kr.
    assert 'id="overall-cost">56,32 kr.' in page
    assert ContactVolume.objects.count() == 2


def test_a_bad_contact_volume_is_refused(model_2025: EconomySettings, secretariat: Person) -> None:
    response = client_for(secretariat).post(
        "/oekonomi/kontaktpris/?aar=2025", {"channel": "fax", "contacts": "-3", "source": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Marker en gyldig valgmulighed" in page
    assert "Dette felt er påkrævet." in page
    assert not ContactVolume.objects.exists()


def test_a_coordinator_cannot_register_contact_volumes(model_2025: EconomySettings, greve_coordinator: Person) -> None:
    response = client_for(greve_coordinator).post(
        "/oekonomi/kontaktpris/?aar=2025", {"channel": "phone", "contacts": "1", "source": "x"}
    )
    assert response.status_code == 403
    assert not ContactVolume.objects.exists()


def _contact(number: int, channel: str, answered: dt.datetime | None) -> None:
    offered = answered or dt.datetime(2025, 6, 2, 10, tzinfo=ZoneInfo("Europe/Copenhagen"))
    queue = Queue.objects.order_by("pk").first()
    assert queue is not None  # the migrations load the queues
    Contact.objects.create(
        channel=channel,
        external_id=f"test-{number}",
        queue=queue,
        municipality_source="unknown",
        offered_at=offered,
        answered_at=answered,
        state="ended" if answered else "abandoned",
    )


def test_cost_per_contact_counts_the_contact_centres_contacts_where_none_are_registered(
    model_2025: EconomySettings, secretariat: Person
) -> None:
    local = ZoneInfo("Europe/Copenhagen")
    for number in range(3):
        _contact(number, "phone", dt.datetime(2025, 3, 3, 10 + number, tzinfo=local))
    _contact(3, "chat", dt.datetime(2025, 12, 31, 23, 30, tzinfo=local))  # 2025 in Copenhagen
    _contact(4, "chat", dt.datetime(2026, 1, 1, 0, 30, tzinfo=local))  # 2026: not counted
    _contact(5, "phone", None)  # abandoned in the queue: not handled
    ChatbotConversation.objects.create(started_at=dt.datetime(2025, 5, 5, 12, tzinfo=local))
    client = client_for(secretariat)
    client.post("/oekonomi/kontaktpris/?aar=2025", {"channel": "phone", "contacts": "10000", "source": "test"})
    response = client.get("/oekonomi/kontaktpris/?aar=2025")
    result = response.context["result"]
    assert {row.channel: row.contacts for row in result.channels} == {"phone": 10000, "chat": 1, "chatbot": 1}
    assert response.context["sources"] == {
        "phone": "indtastet",
        "chat": "fra kontaktcentret",
        "chatbot": "fra kontaktcentret",
    }
    page = response.content.decode()
    assert 'data-source="phone">indtastet<' in page and 'data-source="chat">fra kontaktcentret<' in page


def test_cost_per_contact_needs_no_registered_volume_when_the_contact_centre_has_contacts(
    model_2025: EconomySettings, secretariat: Person
) -> None:
    for number in range(4):
        _contact(number, "phone", dt.datetime(2025, 3, 3, 10, number, tzinfo=ZoneInfo("Europe/Copenhagen")))
    page = client_for(secretariat).get("/oekonomi/kontaktpris/?aar=2025").content.decode()
    # 4 calls on one day are 4 × 365 = 1,460 a year; 844,759.28 kr. (fees and hours, see above) / 1,460
    assert 'id="overall-cost">578,60 kr.' in page
    assert 'data-source="phone">fra kontaktcentret<' in page
    assert (
        "dækker 03.03.2025–03.03.2025 (1 dag) og er opregnet til hele året: antal × 365 / 1 (talt: telefon 4)" in page
    )


def test_the_contact_centres_count_is_scaled_from_the_days_it_covers_to_the_year(
    model_2025: EconomySettings, secretariat: Person
) -> None:
    local = ZoneInfo("Europe/Copenhagen")
    _contact(0, "phone", dt.datetime(2025, 3, 3, 10, tzinfo=local))
    _contact(1, "phone", dt.datetime(2025, 3, 4, 10, tzinfo=local))
    _contact(2, "phone", dt.datetime(2025, 3, 4, 11, tzinfo=local))
    ChatbotConversation.objects.create(started_at=dt.datetime(2025, 3, 5, 9, tzinfo=local))
    response = client_for(secretariat).get("/oekonomi/kontaktpris/?aar=2025")
    # Three days (3–5 March): 3 calls → 3 × 365 / 3 = 365, 1 conversation → 121.67 → 122
    assert {row.channel: row.contacts for row in response.context["result"].channels} == {"phone": 365, "chatbot": 122}
    assert "(3 dage)" in response.content.decode()


def test_the_overview_and_the_invoices_say_why_their_totals_differ_and_by_how_much(
    model_2025: EconomySettings, fellesskab: Fellesskab, secretariat: Person
) -> None:
    # The three members joined on 1 February 2025: 334 of 365 days. Holbæk 128,170.16 × 334 / 365 = 117,284.48;
    # Greve 82,926.06; Køge 99,488.38: the invoices bill 299,698.92 kr. of the page's 327,515.28 kr.
    client = client_for(secretariat)
    overview = client.get("/oekonomi/?aar=2025").content.decode()
    assert "Derfor er fakturaerne 27.816,36 kr. mindre end driftsbidraget" in overview
    assert "327.515,28 kr." in overview and "299.698,92 kr." in overview
    assert "betaler kun for sine medlemsdage" in overview
    assert (
        "Holbæk: medlem 1.2.2025–31.12.2025, 334 af 365 dage: 128.170,16 kr. × 334 / 365 = 117.284,48 kr." in overview
    )
    parser = _TableCells("economy-table")
    parser.feed(overview)
    assert parser.rows[-1][3] == "299.698,92"  # the totals row's "Faktureres" cell

    do_run_invoicing(None, fellesskab, 2025)
    invoices = client.get("/oekonomi/fakturaer/?aar=2025").content.decode()
    assert 'id="invoice-total">299.698,92' in invoices  # the invoices' total is the overview's "Faktureres"
    assert "Derfor er fakturaerne 27.816,36 kr. mindre end driftsbidraget" in invoices
    assert "invoices-out-of-date" not in invoices


def test_a_coordinator_is_told_about_its_own_municipality_only(
    model_2025: EconomySettings, fellesskab: Fellesskab, greve_coordinator: Person
) -> None:
    do_run_invoicing(None, fellesskab, 2025)
    client = client_for(greve_coordinator)
    for url in ("/oekonomi/?aar=2025", "/oekonomi/fakturaer/?aar=2025"):
        page = client.get(url).content.decode()
        assert "Driftsbidraget for hele året for din kommune er <strong>90.622,79 kr.</strong>" in page
        assert "Derfor er fakturaerne 7.696,73 kr. mindre" in page  # 90,622.79 − 82,926.06
        assert "Holbæk:" not in page and "Køge:" not in page


def test_invoices_issued_before_a_change_say_they_are_out_of_date(
    model_2025: EconomySettings, fellesskab: Fellesskab, secretariat: Person
) -> None:
    do_run_invoicing(None, fellesskab, 2025)
    Municipality.objects.filter(code=316).update(population=80_000)
    page = client_for(secretariat).get("/oekonomi/fakturaer/?aar=2025").content.decode()
    assert 'id="invoices-out-of-date"' in page and "en ny kørsel ville fakturere" in page
