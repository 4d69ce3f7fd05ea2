"""The agent desk, the wallboard, the reports and the export: access, the desk's work, scoped exports."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from samvirke.audit.models import AuditEntry
from samvirke.contact.models import AgentState, AgentStatus, Contact
from samvirke.directory.models import Person
from tests.conftest import client_for
from tests.contact.conftest import GREVE_NUMBER, Telephony, at
from tests.contact.test_desk import seen_keys

pytestmark = pytest.mark.django_db

DESK_PAGES = [
    "/kontaktcenter/",
    "/kontaktcenter/skrivebord/",
    "/kontaktcenter/guides/?q=pas",
    "/kontaktcenter/guides/forslag/",
]
REPORT_PAGES = [
    "/kontaktcenter/rapporter/",
    "/kontaktcenter/rapporter/kontakter.csv",
    "/kontaktcenter/rapporter/kontakter.xlsx",
]


@pytest.mark.parametrize("url", DESK_PAGES + REPORT_PAGES + ["/kontaktcenter/tavle/"])
def test_anonymous_goes_to_login(url: str, fellesskab: object) -> None:
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("url", DESK_PAGES + REPORT_PAGES + ["/kontaktcenter/tavle/", "/api/contact/wallboard"])
def test_an_outsider_is_refused(url: str, outsider: Person) -> None:
    assert client_for(outsider).get(url).status_code == 403


@pytest.mark.parametrize("url", DESK_PAGES)
def test_the_desk_is_for_agents_and_coordinators(
    url: str, secretariat: Person, region_staff: Person, greve_coordinator: Person, holbaek_agent: Person
) -> None:
    assert client_for(secretariat).get(url).status_code == 403
    assert client_for(region_staff).get(url).status_code == 403
    assert client_for(greve_coordinator).get(url).status_code == 200
    assert client_for(holbaek_agent).get(url).status_code == 200


@pytest.mark.parametrize("url", REPORT_PAGES)
def test_reports_are_not_for_agents(url: str, holbaek_agent: Person, secretariat: Person) -> None:
    assert client_for(holbaek_agent).get(url).status_code == 403
    assert client_for(secretariat).get(url).status_code == 200


def test_the_wallboard_is_for_everyone_in_the_fellesskab(holbaek_agent: Person, region_staff: Person) -> None:
    for person in (holbaek_agent, region_staff):
        assert client_for(person).get("/kontaktcenter/tavle/").status_code == 200
        assert client_for(person).get("/api/contact/wallboard").status_code == 200


def test_posts_to_the_desk_are_refused_for_outsiders(outsider: Person, secretariat: Person) -> None:
    for person in (outsider, secretariat):
        client = client_for(person)
        for url in (
            "/kontaktcenter/status/",
            "/kontaktcenter/besvar/",
            "/kontaktcenter/tag/",
            "/kontaktcenter/registrer/",
            "/kontaktcenter/kladde/",
            "/kontaktcenter/viderestil/",
            "/kontaktcenter/chat/send/",
        ):
            assert client.post(url, {"status": "ready"}).status_code == 403
    assert not AgentState.objects.exists()


# --- the desk's work ----------------------------------------------------------------------------------------------


def _now_offer(telephony: Telephony, call_id: str, called: str = "70200316") -> dict[str, object]:
    moment = timezone.now()
    response = telephony.offer(call_id, moment, called=called)
    return dict(response.json())


def test_an_agent_goes_ready_gets_a_call_and_registers_it(
    holbaek_agent: Person, telephony: Telephony, open_hotline: None
) -> None:
    from samvirke.assistant.service import build_engine
    from samvirke.knowledge.actions import do_load_knowledge

    do_load_knowledge(None)
    build_engine("loaded")  # the guide search ranks with the assistant's model, which a request never trains
    client = client_for(holbaek_agent)
    page = client.get("/kontaktcenter/")
    assert "Tryk <strong>Klar</strong>" in page.content.decode()
    assert client.post("/kontaktcenter/status/", {"status": "ready"}).status_code == 302
    assert AgentState.objects.get(person=holbaek_agent).status == AgentStatus.READY

    seen = seen_keys(client.get("/kontaktcenter/").content.decode())
    reply = _now_offer(telephony, "call-1", called=GREVE_NUMBER)
    assert reply["agent"] == "agent-holbaek"
    panel = client.get("/kontaktcenter/skrivebord/", seen)
    assert panel.status_code == 200
    assert "Opkald fra en borger i Greve Kommune" in panel.content.decode()

    contact = Contact.objects.get(external_id="call-1")
    client.post("/kontaktcenter/besvar/", {"contact_id": contact.pk})
    working = client.get("/kontaktcenter/")
    html = working.content.decode()
    assert "Registrér henvendelsen" in html and 'id="caller-municipality">Greve<' in html
    # A poll with the page's keys changes nothing (so the half-written form stays).
    assert client.get("/kontaktcenter/skrivebord/", seen_keys(html)).status_code == 204

    # Guide search for the caller's municipality: Greve's own opening hours.
    hits = client.get("/kontaktcenter/guides/?q=hvornår har borgerservice åbent").content.decode()
    assert "Åbningstider" in hits or "åbningstider" in hits
    from samvirke.knowledge.models import ServiceInfo

    # Inside the guide's sentence ("har åbent mandag–onsdag …") the weekday is written in lower case.
    assert ServiceInfo.objects.get(municipality__code=253).opening_hours.split(",")[0].lower() in hits

    # The call ends; the registration masks the CPR number in the note.
    telephony.event("call_ended", timezone.now(), call_id="call-1")
    response = client.post(
        "/kontaktcenter/registrer/",
        {
            "contact_id": contact.pk,
            "topic_id": "mitid-get",
            "resolved_at_once": "ja",
            "forwarded_to": "",
            "note": "Borger med CPR 010203-1234 fik hjælp til MitID-appen",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.resolved_at_once is True and contact.topic_id == "mitid-get"
    assert "010203-1234" not in contact.note and "CPR" in contact.note
    assert AgentState.objects.get(person=holbaek_agent).status == AgentStatus.READY
    assert AuditEntry.objects.filter(action="contact.register", object_id=str(contact.pk)).exists()

    # The wallboard counts it.
    figures = client.get("/api/contact/wallboard").json()
    assert figures["answered"] == 1 and figures["resolved_at_once_share"] == 1.0


def test_a_registration_without_the_required_answers_is_refused_in_danish(
    holbaek_agent: Person, telephony: Telephony, open_hotline: None
) -> None:
    client = client_for(holbaek_agent)
    client.post("/kontaktcenter/status/", {"status": "ready"})
    _now_offer(telephony, "call-1")
    contact = Contact.objects.get()
    client.post("/kontaktcenter/besvar/", {"contact_id": contact.pk})
    response = client.post("/kontaktcenter/registrer/", {"contact_id": contact.pk, "topic_id": "", "note": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Vælg emnet for henvendelsen." in html and "Angiv, om henvendelsen blev straksafklaret." in html
    contact.refresh_from_db()
    assert contact.registered_at is None


def test_an_agent_cannot_register_anothers_contact(
    holbaek_agent: Person, greve_coordinator: Person, telephony: Telephony, open_hotline: None
) -> None:
    from samvirke.knowledge.actions import do_load_knowledge

    do_load_knowledge(None)
    client_for(holbaek_agent).post("/kontaktcenter/status/", {"status": "ready"})
    _now_offer(telephony, "call-1")
    contact = Contact.objects.get()
    intruder = client_for(greve_coordinator)
    response = intruder.post(
        "/kontaktcenter/registrer/", {"contact_id": contact.pk, "topic_id": "mitid-get", "resolved_at_once": "ja"}
    )
    assert response.status_code == 403
    assert intruder.post("/kontaktcenter/kladde/", {"contact_id": contact.pk, "note": "x"}).status_code == 403
    assert intruder.get(f"/kontaktcenter/registrer/{contact.pk}/").status_code == 403
    contact.refresh_from_db()
    assert contact.registered_at is None and contact.note == ""


# --- reports and export -------------------------------------------------------------------------------------------


@pytest.fixture
def traffic(agents: list[Person]) -> Telephony:
    """Monday 23 Nov 2026: Greve's agent answers a Holbæk citizen (resolved at once, rated 9) and a Køge citizen
    (not resolved); a Greve citizen abandons."""
    from samvirke.contact.actions import Registration, do_register_contact

    telephony = Telephony()
    telephony.agent("agent-greve-1", "ready", at(0))
    telephony.offer("h1", at(10))
    telephony.event("call_answered", at(40), call_id="h1")
    telephony.event("call_ended", at(340), call_id="h1")
    telephony.event("satisfaction", at(350), call_id="h1", rating=9)
    greve_agent = Person.objects.get(username="agent-greve-1")
    h1 = Contact.objects.get(external_id="h1")
    do_register_contact(greve_agent, h1.pk, Registration("mitid-get", True, note="ring 12345678"), at(400))
    telephony.offer("k1", at(500), called="70200259")
    telephony.event("call_answered", at(600), call_id="k1")
    telephony.event("call_ended", at(900), call_id="k1")
    do_register_contact(
        greve_agent, Contact.objects.get(external_id="k1").pk, Registration("digital-post-read", False), at(900)
    )
    telephony.offer("g1", at(1000), called=GREVE_NUMBER)
    telephony.event("call_abandoned", at(1030), call_id="g1")
    return telephony


def test_the_report_shows_the_figures(secretariat: Person, traffic: Telephony) -> None:
    html = client_for(secretariat).get("/kontaktcenter/rapporter/?fra=2026-11-23&til=2026-11-23").content.decode()
    assert "Hvem bærer hvem" in html
    # 3 offered, 2 answered, 1 abandoned; service level: h1 within 60 s of 3 (2 answered + 1 abandoned) = 33,3 %
    assert "33,3 %" in html
    assert "50,0 %" in html  # straksafklaret: 1 of 2 registered


def test_bad_report_dates_get_a_danish_message(secretariat: Person) -> None:
    response = client_for(secretariat).get("/kontaktcenter/rapporter/?fra=2026-11-23&til=2026-11-01")
    assert response.status_code == 400
    assert "Slutdatoen ligger før startdatoen." in response.content.decode()
    response = client_for(secretariat).get("/kontaktcenter/rapporter/?fra=i-går&til=2026-11-01")
    assert response.status_code == 400
    export = client_for(secretariat).get("/kontaktcenter/rapporter/kontakter.csv?fra=2026-11-23&til=2026-01-01")
    assert export.status_code == 400


def _csv_rows(response: object) -> list[dict[str, str]]:
    text = response.content.decode("utf-8-sig")  # type: ignore[attr-defined]
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_the_export_has_one_row_per_contact_and_masks_numbers(secretariat: Person, traffic: Telephony) -> None:
    rows = _csv_rows(
        client_for(secretariat).get("/kontaktcenter/rapporter/kontakter.csv?fra=2026-11-23&til=2026-11-23")
    )
    assert [row["Kontakt-id"] for row in rows] == [str(c.pk) for c in Contact.objects.order_by("offered_at")]
    holbaek = rows[0]
    assert holbaek["Borgerens kommune"] == "Holbæk" and holbaek["Besvaret af kommune"] == "Greve"
    assert holbaek["Ventetid (sek.)"] == "30" and holbaek["Behandlingstid (sek.)"] == "360"
    assert holbaek["Borgerens nummer (maskeret)"] == "••••••50"
    assert "12345678" not in holbaek["Notat (maskeret)"]
    assert holbaek["Tilbudt"] == "2026-11-23T10:00:10+01:00"  # ISO 8601, Danish time
    assert AuditEntry.objects.filter(action="contact.export").count() == 1


def test_a_coordinator_exports_only_its_own_municipalitys_contacts(
    greve_coordinator: Person, region_staff: Person, traffic: Telephony
) -> None:
    url = "/kontaktcenter/rapporter/kontakter.xlsx?fra=2026-11-23&til=2026-11-23"
    response = client_for(greve_coordinator).get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    # Greve's agent answered h1 and k1; g1 is a Greve citizen: all three are Greve's
    assert len(rows) == 3
    from samvirke.directory.models import Municipality, Role

    koege = Person.objects.create(
        username="koordinator-koege", role=Role.COORDINATOR, municipality=Municipality.objects.get(code=259)
    )
    koege_rows = _csv_rows(client_for(koege).get(url.replace("xlsx", "csv")))
    assert [row["Borgerens kommune"] for row in koege_rows] == ["Køge"]
    assert len(_csv_rows(client_for(region_staff).get(url.replace("xlsx", "csv")))) == 3


def test_the_wallboard_page_renders_todays_figures(holbaek_agent: Person) -> None:
    html = client_for(holbaek_agent).get("/kontaktcenter/tavle/").content.decode()
    assert "Tavle – i dag" in html and "htmx" in html and "Chatbottens andel" in html
    fragment = client_for(holbaek_agent).get("/kontaktcenter/tavle/", headers={"HX-Request": "true"})
    assert "<html" not in fragment.content.decode() and 'id="wb-offered"' in fragment.content.decode()
