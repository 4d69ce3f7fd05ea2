"""The agent desk: its parts and its poll, the timers, the live queue, suggested guides, transfers that keep the
registration, canned replies, earlier contacts, callbacks — and every refusal in Danish with nothing lost.

The desk runs on the real clock (it shows "now"), so these tests post events at timezone.now()."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samvirke.assistant.service import build_engine
from samvirke.audit.models import AuditEntry
from samvirke.contact import actions, selectors, tasks
from samvirke.contact.models import (
    AgentState,
    AgentStatus,
    CannedReply,
    ChatMessage,
    Contact,
    ContactState,
    ForwardedTo,
    Queue,
    TransferNumber,
)
from samvirke.directory.models import HotlineNumber, Membership, Municipality, Person, Region
from samvirke.knowledge.actions import do_load_knowledge
from tests.conftest import client_for
from tests.contact.conftest import HOLBAEK_NUMBER, Telephony
from tests.training.helpers import train

pytestmark = pytest.mark.django_db

SEEN = re.compile(r'name="seen_(\w+)" value="([0-9a-f]*)"')
OOB_PART = re.compile(r'<\w+ id="([\w-]+)"[^>]*hx-swap-oob="true"')
CALLER = "20304050"


def seen_keys(html: str) -> dict[str, str]:
    """The keys of the desk's parts in a page or a poll's answer, as the page sends them with its next poll."""
    return {f"seen_{part}": key for part, key in SEEN.findall(html)}


class Desk:
    """An agent's desk as the browser holds it: the page, the keys of its parts, and the poll its htmx makes."""

    def __init__(self, person: Person) -> None:
        self.person = person
        self.client = client_for(person)
        self.seen: dict[str, str] = {}

    def open(self) -> str:
        html = self.client.get("/kontaktcenter/").content.decode()
        self.seen = seen_keys(html)
        return html

    def poll(self) -> tuple[int, set[str], str]:
        """(status, the ids of the parts redrawn, the answer)."""
        response = self.client.get("/kontaktcenter/skrivebord/", self.seen)
        body = response.content.decode()
        self.seen.update(seen_keys(body))
        return response.status_code, set(OOB_PART.findall(body)), body

    def post(self, url: str, data: dict[str, Any], **headers: str) -> Any:
        return self.client.post(url, data, headers=headers)


def _now(seconds: float = 0) -> dt.datetime:
    return timezone.now() + dt.timedelta(seconds=seconds)


@pytest.fixture
def knowledge(db: None) -> None:
    do_load_knowledge(None)
    build_engine("loaded")  # as `samvirke load-guides` does: the desk's guide suggestions need the assistant


@pytest.fixture
def desk(holbaek_agent: Person, open_hotline: None, knowledge: None) -> Desk:
    """Holbæk's agent at the desk, ready."""
    desk = Desk(holbaek_agent)
    desk.post("/kontaktcenter/status/", {"status": "ready"})
    desk.open()
    return desk


def _answered_call(telephony: Telephony, call_id: str = "call-1", **fields: Any) -> Contact:
    telephony.offer(call_id, _now(-30), **fields)
    telephony.event("call_answered", _now(-25), call_id=call_id)
    return Contact.objects.get(external_id=call_id)


def _answered_chat(desk: Desk, transcript: str = "Borger: jeg har mistet min telefon med mitid") -> Contact:
    contact = actions.do_start_chat(Municipality.objects.get(code=316), transcript, _now(-20))
    desk.post("/kontaktcenter/besvar/", {"contact_id": contact.pk})
    contact.refresh_from_db()
    assert contact.state == ContactState.ANSWERED
    return contact


# --- the poll redraws only what changed ------------------------------------------------------------------------


def test_a_poll_with_nothing_new_answers_204(desk: Desk) -> None:
    assert desk.poll()[0] == 204


def test_a_new_chat_message_redraws_the_chat_and_nothing_else(desk: Desk) -> None:
    contact = _answered_chat(desk)
    desk.open()
    actions.do_send_chat_message(contact, "Hej, er der nogen?", True, _now())
    status, parts, body = desk.poll()
    assert status == 200 and parts == {"chat-log"}
    assert "Hej, er der nogen?" in body and "registration-form" not in body
    assert desk.poll()[0] == 204


def test_a_call_that_ends_redraws_its_state_and_the_status_not_the_registration(
    desk: Desk, telephony: Telephony
) -> None:
    contact = _answered_call(telephony)
    desk.open()
    telephony.event("call_ended", _now(), call_id=contact.external_id)
    status, parts, body = desk.poll()
    assert parts == {"desk-status", "contact-live", "transfer-box"}
    assert "registration-form" not in body  # what the agent typed stays
    assert "Derefter bliver du automatisk klar til næste henvendelse" in body


def test_a_new_offer_redraws_the_work(desk: Desk, telephony: Telephony) -> None:
    telephony.offer("call-1", _now())
    status, parts, body = desk.poll()
    assert "desk-work" in parts and "Opkald fra en borger i Holbæk Kommune" in body


def test_a_poll_after_the_session_ended_sends_the_page_to_the_login(fellesskab: object) -> None:
    response = Client().get("/kontaktcenter/skrivebord/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/?next=%2Fkontaktcenter%2F"
    assert Client().get("/kontaktcenter/tavle/", headers={"HX-Request": "true"})["HX-Redirect"].startswith("/login/")


# --- timers and the wrap-up countdown ---------------------------------------------------------------------------


def test_the_call_timer_counts_from_the_answer(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony)
    html = desk.open()
    assert contact.answered_at is not None
    assert f'data-since="{int(contact.answered_at.timestamp())}"' in html


def test_the_wrap_up_countdown_runs_to_the_queues_wrap_up_time(desk: Desk, telephony: Telephony) -> None:
    Queue.objects.filter(slug="hotline").update(wrap_up_seconds=90)
    selectors.forget_cached_queues()
    contact = _answered_call(telephony)
    ended = _now()
    telephony.event("call_ended", ended, call_id=contact.external_id)
    html = desk.open()
    state = AgentState.objects.get(person=desk.person)
    assert state.status == AgentStatus.WRAP_UP
    assert f'data-until="{int((state.status_since + dt.timedelta(seconds=90)).timestamp())}"' in html
    assert "bliver du automatisk klar" in html
    scheduled = DBTaskResult.objects.get(task_path="samvirke.contact.tasks.end_wrap_up")
    assert scheduled.run_after == state.status_since + dt.timedelta(seconds=90)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_the_wrap_up_ends_by_itself_in_the_background_worker(desk: Desk, telephony: Telephony) -> None:
    Queue.objects.filter(slug="hotline").update(wrap_up_seconds=1)
    selectors.forget_cached_queues()
    contact = _answered_call(telephony)
    telephony.event("call_ended", _now(-5), call_id=contact.external_id)  # its wrap-up ran out 4 s ago
    desk.post("/kontaktcenter/kladde/", {"contact_id": contact.pk, "topic_id": "mitid-get", "note": "Halvt skrevet"})
    telephony.offer("call-2", _now(-2))  # waits: the agent is in wrap-up
    assert Contact.objects.get(external_id="call-2").state == ContactState.QUEUED

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    state = AgentState.objects.get(person=desk.person)
    assert state.status == AgentStatus.BUSY  # made ready, and given the waiting call at once
    assert state.current_contact_id == Contact.objects.get(external_id="call-2").pk
    contact.refresh_from_db()
    assert contact.registered_at is None and contact.topic_id == "mitid-get" and contact.note == "Halvt skrevet"
    desk.open()
    assert desk.client.get(f"/kontaktcenter/registrer/{contact.pk}/").status_code == 200


def test_a_wrap_up_the_agent_has_left_is_not_ended_again(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony)
    telephony.event("call_ended", _now(), call_id=contact.external_id)
    desk.post("/kontaktcenter/status/", {"status": "pause", "pause_reason": "meeting"})
    assert tasks.end_wrap_up.call(desk.person.pk, contact.pk, _now(60).isoformat()) is False
    assert AgentState.objects.get(person=desk.person).status == AgentStatus.PAUSE


def test_a_chat_not_taken_in_time_goes_to_the_next_agent_and_the_first_is_paused(
    desk: Desk, greve_coordinator: Person, django_capture_on_commit_callbacks: Any
) -> None:
    contact = actions.do_start_chat(Municipality.objects.get(code=316), "Borger: hej", _now(-40))
    assert contact.agent == desk.person and contact.assigned_at is not None
    task = DBTaskResult.objects.get(task_path="samvirke.contact.tasks.withdraw_unanswered_offer")
    assert task.run_after == contact.assigned_at + dt.timedelta(seconds=30)
    Desk(greve_coordinator).post("/kontaktcenter/status/", {"status": "ready"})
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = tasks.withdraw_unanswered_offer.call(*task.args_kwargs["args"])
    assert withdrawn is True
    contact.refresh_from_db()
    assert contact.state == ContactState.ASSIGNED and contact.agent == greve_coordinator  # the next ready agent
    state = AgentState.objects.get(person=desk.person)
    assert (state.status, state.pause_reason, state.current_contact_id) == ("pause", "no_answer", None)
    assert "(besvarede ikke en chat)" in desk.open()


def test_a_chat_taken_in_time_stays_with_its_agent(desk: Desk) -> None:
    contact = _answered_chat(desk)
    task = DBTaskResult.objects.get(task_path="samvirke.contact.tasks.withdraw_unanswered_offer")
    assert tasks.withdraw_unanswered_offer.call(*task.args_kwargs["args"]) is False
    contact.refresh_from_db()
    assert contact.state == ContactState.ANSWERED and contact.agent == desk.person


def test_an_agent_cannot_choose_the_no_answer_pause(desk: Desk) -> None:
    assert 'value="no_answer"' not in desk.open()
    response = desk.post("/kontaktcenter/status/", {"status": "pause", "pause_reason": "no_answer"}, HX_Request="true")
    assert response.status_code == 400
    assert AgentState.objects.get(person=desk.person).status == AgentStatus.READY


# --- the live queue and taking a contact ------------------------------------------------------------------------


def test_the_desk_shows_how_many_wait_in_the_queues_the_agent_serves(
    desk: Desk, telephony: Telephony, agents: list[Person]
) -> None:
    HotlineNumber.objects.create(
        membership=Membership.objects.get(municipality__code=316), line="health_apps", number="70300316"
    )
    desk.post("/kontaktcenter/status/", {"status": "pause"})
    oldest = _now(-90)
    telephony.offer("w1", oldest)
    telephony.offer("w2", _now(-30))
    telephony.offer("h1", _now(-10), called="70300316")  # the health-app line: not this agent's
    html = desk.open()
    hotline = re.search(r'data-queue="hotline">(.*?)</li>', html, re.S)
    assert hotline is not None
    assert '<strong class="queue-waiting">2</strong>' in hotline.group(1)
    assert f'data-since="{int(oldest.timestamp())}"' in hotline.group(1)
    assert 'data-queue="sundhedsapps"' not in html
    koege = Desk(agents[2])  # trained in health apps
    assert 'data-queue="sundhedsapps"' in koege.open()


def test_an_agent_takes_a_callback_from_the_queue_and_sees_whom_to_call(desk: Desk, telephony: Telephony) -> None:
    desk.post("/kontaktcenter/status/", {"status": "pause"})
    telephony.offer("cb-1", _now(-200))
    telephony.event("callback_requested", _now(-190), call_id="cb-1")
    callback = Contact.objects.get(external_id="cb-1")
    ChatMessage.objects.create(contact=callback, from_citizen=True, text="Ring efter kl. 14, tak", sent_at=_now(-190))
    html = desk.open()
    assert "Ønsker opringning" in html and "Tag" in html
    response = desk.post("/kontaktcenter/tag/", {"contact_id": callback.pk})
    assert response.status_code == 302
    callback.refresh_from_db()
    assert callback.state == ContactState.ASSIGNED and callback.agent == desk.person
    html = desk.open()
    assert "Borgeren ønsker at blive ringet op" in html and "20 30 40 50" in html
    assert "Ring efter kl. 14, tak" in html
    assert AuditEntry.objects.filter(action="contact.pick", object_id=str(callback.pk)).exists()


def test_the_second_agent_to_take_a_contact_is_told_in_danish(
    desk: Desk, telephony: Telephony, greve_coordinator: Person
) -> None:
    desk.post("/kontaktcenter/status/", {"status": "pause"})
    other = Desk(greve_coordinator)
    other.post("/kontaktcenter/status/", {"status": "pause"})
    telephony.offer("w1", _now(-60))
    contact = Contact.objects.get(external_id="w1")
    desk.post("/kontaktcenter/tag/", {"contact_id": contact.pk})
    refused = other.post("/kontaktcenter/tag/", {"contact_id": contact.pk}, HX_Request="true")
    assert refused.status_code == 409
    assert refused.content.decode() == "En anden medarbejder har allerede taget henvendelsen."
    page = other.client.post("/kontaktcenter/tag/", {"contact_id": contact.pk}, follow=True).content.decode()
    assert "En anden medarbejder har allerede taget henvendelsen." in page
    contact.refresh_from_db()
    assert contact.agent == desk.person
    # The winner's own second click changes nothing.
    assert desk.post("/kontaktcenter/tag/", {"contact_id": contact.pk}).status_code == 302
    assert AuditEntry.objects.filter(action="contact.pick").count() == 1


def test_an_agent_in_a_contact_cannot_take_another(desk: Desk, telephony: Telephony) -> None:
    _answered_call(telephony)
    telephony.offer("w1", _now(-60))
    waiting = Contact.objects.get(external_id="w1")
    refused = desk.post("/kontaktcenter/tag/", {"contact_id": waiting.pk}, HX_Request="true")
    assert refused.status_code == 409 and "Du har allerede en henvendelse" in refused.content.decode()
    waiting.refresh_from_db()
    assert waiting.state == ContactState.QUEUED


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a task
def test_an_overflowed_call_reaches_a_trained_agent_without_the_skill_by_a_background_task(
    greve_coordinator: Person, open_hotline: None
) -> None:
    """No event arrives for minutes; the overflow's task, not a page, hands the waiting health-app call over."""
    HotlineNumber.objects.create(
        membership=Membership.objects.get(municipality__code=316), line="health_apps", number="70300316"
    )
    train(greve_coordinator, health=True)  # trained for the line, without the skill
    telephony = Telephony()
    offered = _now(-200)
    telephony.agent("koordinator-greve", "ready", _now(-300))
    telephony.offer("health-1", offered, called="70300316")
    assert Contact.objects.get().state == ContactState.QUEUED  # nobody with the skill
    Desk(greve_coordinator).open()
    assert Contact.objects.get().state == ContactState.QUEUED  # looking at the desk hands out nothing
    task = DBTaskResult.objects.get(task_path="samvirke.contact.tasks.dispatch_overflowed")
    assert task.run_after == offered + dt.timedelta(seconds=120)

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    assert Contact.objects.get().state == ContactState.ASSIGNED
    assert "Opkald fra en borger i Holbæk Kommune" in Desk(greve_coordinator).open()


# --- suggested guides -------------------------------------------------------------------------------------------


def test_guides_are_suggested_from_the_conversation_with_the_assistant(desk: Desk) -> None:
    _answered_chat(desk, "Borger: jeg har mistet min telefon og kan ikke bruge mitid\nAssistent: (ukendt)")
    html = desk.client.get("/kontaktcenter/guides/forslag/").content.decode()
    assert "Ud fra borgerens samtale med assistenten" in html
    assert "Mistet eller ny telefon med MitID-appen" in html


def test_guides_are_suggested_from_the_topic_chosen_in_the_phone_menu(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony, ivr_topic="passport")
    assert contact.ivr_topic == "passport"
    html = desk.open()
    assert "Valgt i telefonmenuen" in html
    hits = desk.client.get("/kontaktcenter/guides/forslag/").content.decode()
    assert "Ud fra valget i telefonmenuen" in hits and "Pas" in hits


def test_an_ivr_topic_that_is_too_long_is_refused(telephony: Telephony, open_hotline: None, fellesskab: object) -> None:
    response = telephony.offer("call-1", _now(), ivr_topic="x" * 101)
    assert response.status_code == 400
    assert "ivr_topic" in response.json()["detail"]
    assert not Contact.objects.exists()


# --- transfers ------------------------------------------------------------------------------------------------


def _transfer(desk: Desk, contact: Contact, **data: Any) -> Any:
    return desk.post("/kontaktcenter/viderestil/", {"contact_id": contact.pk, **data})


def test_a_transfer_to_the_citizens_municipality_keeps_the_registration(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony)
    response = _transfer(
        desk,
        contact,
        destination="municipality",
        topic_id="digital-post-read",
        resolved_at_once="nej",
        note="Skal tale med sin sagsbehandler, CPR 010203-1234",
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.state == ContactState.TRANSFERRED
    assert contact.transferred_to == "Holbæk Kommune, tlf. 72 38 15 73"
    assert contact.topic_id == "digital-post-read" and contact.resolved_at_once is False
    assert contact.note == "Skal tale med sin sagsbehandler, CPR [CPR-nummer]"
    assert contact.forwarded_to == ForwardedTo.CITIZEN_MUNICIPALITY and contact.registered_at is not None
    assert AgentState.objects.get(person=desk.person).status == AgentStatus.READY  # registered: no wrap-up
    entry = AuditEntry.objects.get(action="contact.transfer")
    assert entry.details["to"] == "Holbæk Kommune, tlf. 72 38 15 73"


def test_a_transfer_with_half_a_registration_keeps_it_for_the_wrap_up(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony)
    _transfer(desk, contact, destination="municipality", topic_id="mitid-get", note="Noteret under samtalen")
    contact.refresh_from_db()
    assert contact.state == ContactState.TRANSFERRED and contact.registered_at is None
    assert AgentState.objects.get(person=desk.person).status == AgentStatus.WRAP_UP
    html = desk.open()
    assert '<option value="mitid-get" selected>' in html
    assert "Noteret under samtalen</textarea>" in html  # not emptied


def test_a_transfer_to_the_regions_minsp_support(desk: Desk, telephony: Telephony) -> None:
    sjaelland = Region.objects.get(code=1085)
    number = TransferNumber.objects.create(
        name="Region Sjællands MinSP-support", phone="70200999", region=sjaelland, forwarded_to="minsp_support"
    )
    TransferNumber.objects.create(name="Anden regions support", phone="70200998", region=Region.objects.get(code=1084))
    contact = _answered_call(telephony)
    html = desk.open()
    assert "Region Sjællands MinSP-support, tlf. 70 20 09 99" in html
    assert "Anden regions support" not in html
    _transfer(desk, contact, destination=f"number:{number.pk}", topic_id="minsp-technical", resolved_at_once="nej")
    contact.refresh_from_db()
    assert contact.transferred_to == "Region Sjællands MinSP-support, tlf. 70 20 09 99"
    assert contact.forwarded_to == ForwardedTo.MINSP_SUPPORT
    # The platform moves the call there: its call_transferred is answered with the number.
    assert contact.transfer_number == "70200999"
    reply = telephony.event("call_transferred", _now(0), call_id=contact.external_id).json()
    assert (reply["transfer_number"], reply["transfer_name"]) == ("70200999", "Region Sjællands MinSP-support")


def test_a_typed_number_is_checked_and_refused_in_danish_keeping_the_registration(
    desk: Desk, telephony: Telephony
) -> None:
    contact = _answered_call(telephony)
    page = desk.client.post(
        "/kontaktcenter/viderestil/",
        {"contact_id": contact.pk, "destination": "typed", "typed_number": "1234", "note": "Vigtig note"},
        follow=True,
    ).content.decode()
    assert "Skriv et dansk telefonnummer med 8 cifre, fx 72 36 36 36." in page
    contact.refresh_from_db()
    assert contact.state == ContactState.ANSWERED and contact.note == "Vigtig note"
    assert "Vigtig note</textarea>" in page
    _transfer(desk, contact, destination="typed", typed_number="+45 33 92 33 00", typed_name="Udbetaling Danmark")
    contact.refresh_from_db()
    assert contact.transferred_to == "Udbetaling Danmark, tlf. 33 92 33 00"
    assert contact.forwarded_to == ForwardedTo.OTHER
    assert contact.transfer_number == "33923300"


def test_a_transfer_without_a_destination_is_refused(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony)
    response = desk.post(
        "/kontaktcenter/viderestil/", {"contact_id": contact.pk, "destination": "number:999"}, HX_Request="true"
    )
    assert response.status_code == 409
    assert response.content.decode() == "Vælg, hvor henvendelsen skal viderestilles til."
    contact.refresh_from_db()
    assert contact.state == ContactState.ANSWERED


def test_a_transfer_to_the_health_app_line_goes_on_as_a_new_leg(
    desk: Desk, telephony: Telephony, agents: list[Person]
) -> None:
    koege = agents[2]  # trained in health apps
    telephony.agent(koege.username, "ready", _now(-100))
    contact = _answered_call(telephony)  # the longest idle ready agent took it
    assert contact.agent == koege
    koege_desk = Desk(koege)
    response = koege_desk.post(
        "/kontaktcenter/viderestil/",
        {"contact_id": contact.pk, "destination": "queue:sundhedsapps", "topic_id": "minsp-technical", "note": "App"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    leg = Contact.objects.get(transferred_from=contact)
    assert contact.state == ContactState.TRANSFERRED and contact.transferred_to == "Sundhedsapps-linje"
    assert leg.external_id == "call-1/2" and leg.queue.slug == "sundhedsapps"
    assert leg.caller_number == CALLER and leg.citizen_municipality == contact.citizen_municipality
    assert "Viderestillet fra Borgerservice-hotline" in leg.transcript and "Notat: App" in leg.transcript
    # Nobody with the skill is ready: it waits, and the telephony platform is told nothing yet.
    assert leg.state == ContactState.QUEUED
    # The first agent goes on (its registration is not complete: wrap-up); a skilled agent gets the leg.
    assert AgentState.objects.get(person=koege).status == AgentStatus.WRAP_UP
    telephony.agent(koege.username, "ready", _now())
    leg.refresh_from_db()
    assert leg.state == ContactState.ASSIGNED and leg.agent == koege
    assignments = telephony.assignments().json()
    assert [row["call_id"] for row in assignments] == ["call-1/2"]
    # On the new leg's desk, the first leg is among the citizen's earlier contacts.
    telephony.event("call_answered", _now(), call_id="call-1/2")
    html = koege_desk.open()
    assert "Borgerens tidligere henvendelser" in html and "(viderestillet)" in html


def test_a_chat_transferred_to_another_queue_keeps_the_citizen_and_the_messages(
    desk: Desk, agents: list[Person]
) -> None:
    contact = _answered_chat(desk)
    actions.do_send_chat_message(contact, "Min MinSP-app virker ikke", True, _now())
    token = contact.chat_token
    _transfer(desk, contact, destination="queue:sundhedsapps", topic_id="minsp-technical", resolved_at_once="nej")
    leg = Contact.objects.get(transferred_from=contact)
    contact.refresh_from_db()
    assert contact.chat_token == "" and leg.chat_token == token
    assert list(leg.messages.values_list("text", flat=True)) == ["Min MinSP-app virker ikke"]
    citizen_page = Client().get(f"/chat/316/samtale/{token}/").content.decode()
    assert "Min MinSP-app virker ikke" in citizen_page


def test_a_double_clicked_transfer_is_one_transfer(desk: Desk, telephony: Telephony, agents: list[Person]) -> None:
    contact = _answered_call(telephony)
    data = {"destination": "queue:sundhedsapps", "topic_id": "minsp-technical", "resolved_at_once": "nej"}
    first, second = _transfer(desk, contact, **data), _transfer(desk, contact, **data)
    assert first.status_code == second.status_code == 302
    assert Contact.objects.filter(transferred_from=contact).count() == 1
    assert AuditEntry.objects.filter(action="contact.transfer").count() == 1


def test_a_closed_queue_is_not_a_destination(desk: Desk, telephony: Telephony) -> None:
    Queue.objects.filter(slug="sundhedsapps").update(opening_hours={})
    selectors.forget_cached_queues()
    contact = _answered_call(telephony)
    assert "Sundhedsapps-linje (lukket nu)" in desk.open()
    response = desk.post(
        "/kontaktcenter/viderestil/", {"contact_id": contact.pk, "destination": "queue:sundhedsapps"}, HX_Request="true"
    )
    assert response.status_code == 409 and "lukket nu" in response.content.decode()


# --- registration: drafts, double clicks, later -------------------------------------------------------------------


def _register(desk: Desk, contact: Contact, **data: Any) -> Any:
    return desk.post("/kontaktcenter/registrer/", {"contact_id": contact.pk, **data})


def test_the_registration_is_saved_as_a_draft_while_it_is_filled_in(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony)
    response = desk.post(
        "/kontaktcenter/kladde/", {"contact_id": contact.pk, "topic_id": "mitid-get", "note": "Ring 20 30 40 50"}
    )
    assert response.status_code == 200 and "Kladden er gemt" in response.content.decode()
    contact.refresh_from_db()
    assert contact.topic_id == "mitid-get" and contact.note == "Ring [telefonnummer]"
    assert contact.registered_at is None
    assert "Ring [telefonnummer]</textarea>" in desk.open()  # a reload loses nothing
    bad = desk.post(
        "/kontaktcenter/kladde/", {"contact_id": contact.pk, "topic_id": "no-such-topic"}, HX_Request="true"
    )
    assert (
        bad.status_code == 400 and bad.content.decode() == "Kladden kunne ikke gemmes: Emne: Vælg et emne fra listen."
    )
    too_long = desk.post("/kontaktcenter/kladde/", {"contact_id": contact.pk, "note": "x" * 4001}, HX_Request="true")
    assert too_long.status_code == 400 and too_long.content.decode().startswith("Kladden kunne ikke gemmes: Notat:")
    contact.refresh_from_db()
    assert contact.note == "Ring [telefonnummer]"  # nothing changed


def test_a_double_clicked_registration_is_one_registration(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony)
    telephony.event("call_ended", _now(), call_id=contact.external_id)
    data = {"topic_id": "mitid-get", "resolved_at_once": "ja", "note": "Hjulpet"}
    assert _register(desk, contact, **data).status_code == 302
    assert _register(desk, contact, **data).status_code == 302
    assert AuditEntry.objects.filter(action="contact.register").count() == 1
    # Another registration after the agent has moved on is refused, in Danish; the first stands.
    refused = desk.post(
        "/kontaktcenter/registrer/", {"contact_id": contact.pk, **data, "note": "Noget andet"}, HX_Request="true"
    )
    assert refused.status_code == 409 and "allerede registreret" in refused.content.decode()
    contact.refresh_from_db()
    assert contact.note == "Hjulpet"


def test_a_registration_during_the_call_may_be_corrected_until_the_agent_lets_go(
    desk: Desk, telephony: Telephony
) -> None:
    contact = _answered_call(telephony)
    _register(desk, contact, topic_id="mitid-get", resolved_at_once="ja")
    _register(desk, contact, topic_id="mitid-locked", resolved_at_once="nej", note="Rettet")
    contact.refresh_from_db()
    assert (contact.topic_id, contact.resolved_at_once, contact.note) == ("mitid-locked", False, "Rettet")


def test_a_refused_registration_keeps_what_was_filled_in(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony)
    response = _register(desk, contact, topic_id="mitid-get", note="Ikke færdig")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Angiv, om henvendelsen blev straksafklaret." in html and "Ikke færdig</textarea>" in html
    contact.refresh_from_db()
    assert contact.note == "Ikke færdig" and contact.registered_at is None


def test_a_contact_left_unregistered_is_registered_later(desk: Desk, telephony: Telephony) -> None:
    contact = _answered_call(telephony)
    telephony.event("call_ended", _now(), call_id=contact.external_id)
    desk.post("/kontaktcenter/kladde/", {"contact_id": contact.pk, "note": "Nåede ikke mere"})
    desk.post("/kontaktcenter/status/", {"status": "ready"})  # leaves the wrap-up without registering
    html = desk.open()
    assert "Mangler registrering (1)" in html
    page = desk.client.get(f"/kontaktcenter/registrer/{contact.pk}/").content.decode()
    assert "Nåede ikke mere</textarea>" in page
    _register(desk, contact, topic_id="mitid-get", resolved_at_once="ja", note="Nåede ikke mere", later="1")
    contact.refresh_from_db()
    assert contact.registered_at is not None
    assert "Mangler registrering (" not in desk.open()
    assert AgentState.objects.get(person=desk.person).status == AgentStatus.READY


# --- chat: messages, canned replies -----------------------------------------------------------------------------


def _send(desk: Desk, contact: Contact, text: str, client_id: str = "", **headers: str) -> Any:
    return desk.post(
        "/kontaktcenter/chat/send/", {"contact_id": contact.pk, "text": text, "client_id": client_id}, **headers
    )


def test_a_double_clicked_send_is_one_message(desk: Desk) -> None:
    contact = _answered_chat(desk)
    first = _send(desk, contact, "Hej", "c1a2b3", HX_Request="true")
    second = _send(desk, contact, "Hej", "c1a2b3", HX_Request="true")
    assert first.status_code == second.status_code == 200
    assert 'id="chat-log"' in second.content.decode()
    _send(desk, contact, "Hej", "d4e5f6", HX_Request="true")  # the same words again, on purpose
    assert list(ChatMessage.objects.values_list("text", flat=True)) == ["Hej", "Hej"]


def test_a_message_to_an_ended_chat_is_refused_in_danish(desk: Desk) -> None:
    contact = _answered_chat(desk)
    actions.do_leave_chat(contact, _now())
    response = _send(desk, contact, "Er du der?", "x1", HX_Request="true")
    assert response.status_code == 409
    assert response.content.decode() == "Samtalen er afsluttet; beskeden blev ikke sendt."
    assert not ChatMessage.objects.exists()


def test_an_empty_message_is_refused(desk: Desk) -> None:
    contact = _answered_chat(desk)
    response = _send(desk, contact, "   ", "x1", HX_Request="true")
    assert response.status_code == 409 and response.content.decode() == "Skriv en besked først."


def test_canned_replies_are_offered_in_a_chat_filled_for_the_citizen(desk: Desk, telephony: Telephony) -> None:
    _answered_chat(desk)
    html = desk.open()
    assert CannedReply.objects.filter(active=True).count() >= 5
    assert 'data-canned="Hej, du chatter med hotlinen for Holbæk Kommune. Hvad kan jeg hjælpe dig med?"' in html
    CannedReply.objects.filter(title="Velkommen").update(active=False)
    assert "Hej, du chatter med hotlinen" not in desk.open()


def test_a_call_has_no_canned_replies(desk: Desk, telephony: Telephony) -> None:
    _answered_call(telephony)
    assert "data-canned" not in desk.open()


# --- the citizen's earlier contacts -------------------------------------------------------------------------------


def test_the_citizens_earlier_contacts_are_shown_masked(desk: Desk, telephony: Telephony, agents: list[Person]) -> None:
    greve_agent = agents[1]
    telephony.agent(greve_agent.username, "ready", _now(-4000))
    telephony.offer("old-1", _now(-3600))
    telephony.event("call_answered", _now(-3590), call_id="old-1")
    telephony.event("call_ended", _now(-3400), call_id="old-1")
    actions.do_register_contact(
        greve_agent,
        Contact.objects.get(external_id="old-1").pk,
        actions.Registration("mitid-get", False, note="Manglede pas, ring 20304050"),
        _now(-3300),
    )
    telephony.agent(greve_agent.username, "offline", _now(-3000))
    telephony.offer("old-2", _now(-1800))
    telephony.event("call_abandoned", _now(-1790), call_id="old-2")
    telephony.event(
        "call_offered", _now(-1000), call_id="other-number", called_number=HOLBAEK_NUMBER, caller_number="99887766"
    )
    telephony.event("call_abandoned", _now(-990), call_id="other-number")
    Contact.objects.create(  # older than the number is kept: not this citizen any more
        channel="phone", external_id="ancient", queue=Queue.objects.get(slug="hotline"), state="ended",
        caller_number=CALLER, municipality_source="called_number", offered_at=_now(-40 * 86400),
        note="Gammel sag",
    )  # fmt: skip

    _answered_call(telephony, "now-1")
    html = desk.open()
    section = html[html.index("Borgerens tidligere henvendelser") :]
    section = section[: section.index("</section>")]
    assert "Få MitID" in section and "Manglede pas, ring [telefonnummer]" in section
    assert "(lagt på i kø)" in section
    assert "Gammel sag" not in section and section.count("<tr>") == 3  # header + two contacts
    assert CALLER not in section and "20 30 40 50" not in section


def test_earlier_contacts_are_not_shown_without_a_number(desk: Desk, telephony: Telephony) -> None:
    telephony.event("call_offered", _now(-30), call_id="anon", called_number=HOLBAEK_NUMBER, caller_number="")
    telephony.event("call_answered", _now(-20), call_id="anon")
    assert "som vi kan genkende (intet nummer)" in desk.open()


# --- disabled controls say why ----------------------------------------------------------------------------------


def test_disabled_controls_say_why(desk: Desk, telephony: Telephony) -> None:
    assert re.search(r'value="ready" class="button" disabled title="Du er allerede klar\."', desk.open())
    contact = _answered_call(telephony)
    html = desk.open()
    assert re.search(r'value="pause" class="button secondary" disabled title="Du er i en samtale\.', html)
    telephony.event("call_ended", _now(), call_id=contact.external_id)
    html = desk.open()
    assert 'disabled title="Kun en igangværende samtale kan viderestilles."' in html
