"""The telephony event API: signatures, bad input, idempotency, routing, presence, out-of-order events."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from samvirke.contact import actions
from samvirke.contact.lib.signature import HEADER, sign
from samvirke.contact.models import AgentState, AgentStatus, Contact, ContactState, PresenceChange, TelephonyEvent
from samvirke.directory.models import Municipality, Person
from tests.conftest import HOLBAEK
from tests.contact.conftest import GREVE_NUMBER, LOCAL, Telephony, at
from tests.training.helpers import train

pytestmark = pytest.mark.django_db


def _state(call_id: str) -> str:
    return Contact.objects.get(external_id=call_id).state


def _agent(username: str) -> AgentState:
    return AgentState.objects.get(person__username=username)


# --- bad input changes nothing ----------------------------------------------------------------------------------


def test_unsigned_event_is_refused_with_401(telephony: Telephony, agents: list[Person]) -> None:
    body = json.dumps({"event_id": "e", "type": "call_offered"}).encode()
    response = telephony.client.post("/api/telephony/events", body, content_type="application/json")
    assert response.status_code == 401
    assert "signeret" in response.json()["detail"]
    assert not TelephonyEvent.objects.exists() and not Contact.objects.exists()


def test_wrongly_signed_event_is_refused_with_403(telephony: Telephony, agents: list[Person]) -> None:
    response = Telephony(secret="not-the-secret").offer("c1", at(0))
    assert response.status_code == 403
    assert response.json()["detail"] == "Forkert signatur."
    assert not TelephonyEvent.objects.exists() and not Contact.objects.exists()


def test_malformed_json_is_a_400_with_a_message(telephony: Telephony) -> None:
    from samvirke.contact.lib.signature import sign

    body = b'{"event_id": "e1", "type": '
    response = telephony.client.post(
        "/api/telephony/events", body, content_type="application/json", headers={HEADER: sign(body, telephony.secret)}
    )
    assert response.status_code == 400
    assert "gyldig JSON" in response.json()["detail"]
    assert not TelephonyEvent.objects.exists()


def test_invalid_fields_are_a_400_naming_the_field(telephony: Telephony, agents: list[Person]) -> None:
    response = telephony.event("satisfaction", at(0), call_id="c1", rating=12)
    assert response.status_code == 400
    assert "rating" in response.json()["detail"]
    assert not TelephonyEvent.objects.exists()


def test_an_event_for_an_unknown_call_is_404_logged_and_can_be_delivered_again(
    telephony: Telephony, agents: list[Person]
) -> None:
    response = telephony.event("call_answered", at(5), event_id="late-1", call_id="c1")
    assert response.status_code == 404
    assert "Ukendt opkald" in response.json()["detail"]
    logged = TelephonyEvent.objects.get(event_id="late-1")
    assert logged.outcome == "unknown_call"
    # The offer arrives, then the platform redelivers the answer: now it applies.
    telephony.agent("agent-greve-1", "ready", at(0))
    telephony.offer("c1", at(1))
    again = telephony.event("call_answered", at(5), event_id="late-1", call_id="c1")
    assert again.status_code == 200
    assert _state("c1") == ContactState.ANSWERED
    logged.refresh_from_db()
    assert (logged.outcome, logged.deliveries) == ("applied", 2)


# --- idempotency ----------------------------------------------------------------------------------------------


def test_a_duplicate_delivery_gets_the_same_reply_and_changes_nothing(
    telephony: Telephony, agents: list[Person]
) -> None:
    telephony.agent("agent-greve-1", "ready", at(0))
    first = telephony.offer("c1", at(1), event_id="offer-c1")
    second = telephony.offer("c1", at(1), event_id="offer-c1")
    assert first.status_code == second.status_code == 200
    assert second.json() == {**first.json(), "duplicate": True}
    assert Contact.objects.count() == 1
    assert TelephonyEvent.objects.get(event_id="offer-c1").deliveries == 2
    telephony.event("call_answered", at(4), event_id="ans", call_id="c1")
    telephony.event("call_answered", at(4), event_id="ans", call_id="c1")
    telephony.event("call_ended", at(200), event_id="end", call_id="c1")
    telephony.event("call_ended", at(200), event_id="end", call_id="c1")
    contact = Contact.objects.get()
    assert contact.state == ContactState.ENDED and contact.ended_at == at(200)
    assert PresenceChange.objects.filter(person__username="agent-greve-1", status=AgentStatus.WRAP_UP).count() == 1


# --- where a call goes -------------------------------------------------------------------------------------------


def test_the_called_number_gives_the_citizens_municipality(telephony: Telephony, agents: list[Person]) -> None:
    reply = telephony.offer("c1", at(0), called=GREVE_NUMBER).json()
    assert reply["municipality"] == {"code": 253, "name": "Greve"}
    assert reply["queue"] == "hotline" and reply["unknown_number"] is False
    contact = Contact.objects.get()
    assert contact.citizen_municipality == Municipality.objects.get(code=253)
    assert contact.municipality_source == "called_number"


def test_an_unknown_number_lands_in_the_default_queue_flagged(telephony: Telephony, agents: list[Person]) -> None:
    reply = telephony.offer("c1", at(0), called="99999999").json()
    assert reply["queue"] == "hotline" and reply["unknown_number"] is True and reply["municipality"] is None
    contact = Contact.objects.get()
    assert contact.unknown_number and contact.municipality_source == "unknown"


def test_an_ivr_choice_names_the_municipality_when_the_number_does_not(
    telephony: Telephony, agents: list[Person]
) -> None:
    reply = telephony.offer("c1", at(0), called="99999999", ivr_municipality_code=259).json()
    assert reply["municipality"]["name"] == "Køge"
    assert Contact.objects.get().municipality_source == "ivr"


@pytest.mark.parametrize(
    "moment",
    [
        dt.datetime(2026, 11, 22, 11, 0, tzinfo=LOCAL),  # a Sunday
        dt.datetime(2026, 11, 23, 20, 0, tzinfo=LOCAL),  # Monday at closing time
        dt.datetime(2026, 12, 25, 10, 0, tzinfo=LOCAL),  # Christmas Day
        dt.datetime(2026, 12, 24, 10, 0, tzinfo=LOCAL),  # Christmas Eve: offices closed
    ],
)
def test_closed_hours_give_a_message_and_the_assistant(
    telephony: Telephony, agents: list[Person], moment: dt.datetime
) -> None:
    telephony.agent("agent-greve-1", "ready", moment)
    reply = telephony.offer("c1", moment).json()
    assert reply["state"] == "closed"
    assert "lukket" in reply["message"] and reply["assistant_url"] == "/chat/316/"
    assert _agent("agent-greve-1").current_contact is None


def test_the_longest_idle_agent_gets_the_call(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-greve-1", "ready", at(0))
    telephony.agent("agent-holbaek-1", "ready", at(10))
    assert telephony.offer("c1", at(20)).json()["agent"] == "agent-greve-1"
    assert telephony.offer("c2", at(21)).json()["agent"] == "agent-holbaek-1"
    reply = telephony.offer("c3", at(22)).json()
    assert reply["state"] == "queued" and reply["agent"] is None
    # Pressing "ready" again does not send an idle agent to the back of the line.
    telephony.agent("agent-koege-1", "ready", at(30))
    telephony.event("call_abandoned", at(31), call_id="c3")
    telephony.event("call_abandoned", at(32), call_id="c1")  # Greve's agent is free again, ready since 32
    telephony.agent("agent-koege-1", "ready", at(40))
    assert telephony.offer("c4", at(41)).json()["agent"] == "agent-koege-1"


def test_an_agent_who_becomes_ready_takes_the_longest_waiting_contact(
    telephony: Telephony, agents: list[Person]
) -> None:
    telephony.offer("c1", at(0))
    telephony.offer("c2", at(5))
    reply = telephony.agent("agent-holbaek-1", "ready", at(30)).json()
    assert reply["assigned_call_id"] == "c1"
    assert _agent("agent-holbaek-1").status == AgentStatus.BUSY
    assert (_state("c1"), _state("c2")) == ("assigned", "queued")


def test_skills_priorities_and_overflow(telephony: Telephony, agents: list[Person]) -> None:
    from samvirke.directory.models import HotlineNumber, Membership

    HotlineNumber.objects.create(
        membership=Membership.objects.get(municipality__code=316), line="health_apps", number="70300316"
    )
    health_hour = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL)
    telephony.offer("citizen-1", health_hour)
    telephony.offer("health-1", health_hour + dt.timedelta(seconds=5), called="70300316")
    # Greve's agent lacks the health-app skill: it gets the hotline call although the health call has priority.
    assert (
        telephony.agent("agent-greve-1", "ready", health_hour + dt.timedelta(seconds=10)).json()["assigned_call_id"]
        == "citizen-1"
    )
    # Køge's agent has the skill: the health line has the higher priority.
    telephony.offer("citizen-2", health_hour + dt.timedelta(seconds=11))
    assert (
        telephony.agent("agent-koege-1", "ready", health_hour + dt.timedelta(seconds=12)).json()["assigned_call_id"]
        == "health-1"
    )
    # After two minutes a health-app call overflows to an agent trained for the line, without the skill.
    train(agents[0], health=True)
    telephony.offer("health-2", health_hour + dt.timedelta(seconds=20), called="70300316")
    early = telephony.agent("agent-holbaek-1", "ready", health_hour + dt.timedelta(seconds=60)).json()
    assert early["assigned_call_id"] == "citizen-2"
    telephony.event("call_abandoned", health_hour + dt.timedelta(seconds=61), call_id="citizen-2")
    assert _agent("agent-holbaek-1").status == AgentStatus.READY  # health-2 has waited only 41 s
    late = telephony.agent("agent-holbaek-1", "ready", health_hour + dt.timedelta(seconds=141)).json()
    assert late["assigned_call_id"] == "health-2"


def test_a_long_wait_offers_a_callback_and_the_callback_keeps_its_place(
    telephony: Telephony, agents: list[Person]
) -> None:
    telephony.agent("agent-greve-1", "ready", at(0))
    telephony.offer("c0", at(1))  # Greve's agent is busy now, and the only one serving
    replies = [telephony.offer(f"c{n}", at(1 + n)).json() for n in range(1, 4)]
    # First in line: about half a handle time (150 s); the third: 2.5 × 300 s = 750 s > 300 s → offer a callback.
    assert [r["estimated_wait_seconds"] for r in replies] == [150, 450, 750]
    assert [r["offer_callback"] for r in replies] == [False, True, True]
    assert telephony.event("callback_requested", at(10), call_id="c3").status_code == 200
    assert Contact.objects.get(external_id="c3").callback_requested
    assert _state("c3") == ContactState.QUEUED


def test_no_agent_at_all_gives_no_estimate(telephony: Telephony, agents: list[Person]) -> None:
    reply = telephony.offer("c1", at(0)).json()
    assert reply["estimated_wait_seconds"] is None and reply["offer_callback"] is True


# --- a call's life ------------------------------------------------------------------------------------------------


def test_a_call_answered_ended_and_rated(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.offer("c1", at(10))
    telephony.event("call_answered", at(25), call_id="c1")
    telephony.event("call_ended", at(325), call_id="c1")
    telephony.event("satisfaction", at(340), call_id="c1", rating=8)
    contact = Contact.objects.get()
    assert (contact.state, contact.answered_at, contact.ended_at, contact.satisfaction) == ("ended", at(25), at(325), 8)
    assert contact.agent_municipality == Municipality.objects.get(name="Holbæk")
    assert _agent("agent-holbaek-1").status == AgentStatus.WRAP_UP  # until the contact is registered


def test_ended_before_answered_still_counts_as_answered(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.offer("c1", at(10))
    telephony.event("call_ended", at(300), call_id="c1")
    assert Contact.objects.get().answered_at is None
    # The agent talked to the citizen, so it still has to register the call.
    assert _agent("agent-holbaek-1").status == AgentStatus.WRAP_UP
    telephony.event("call_answered", at(20), call_id="c1")
    contact = Contact.objects.get()
    assert (contact.state, contact.answered_at, contact.ended_at) == ("ended", at(20), at(300))


def test_an_abandon_after_the_answer_is_ignored(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.offer("c1", at(10))
    telephony.event("call_answered", at(20), call_id="c1")
    reply = telephony.event("call_abandoned", at(15), call_id="c1").json()
    assert reply["ignored"] is True and _state("c1") == "answered"
    assert TelephonyEvent.objects.filter(type="call_abandoned", outcome="ignored").count() == 1


def test_an_abandon_while_ringing_frees_the_agent_for_the_next(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.offer("c1", at(10))
    telephony.offer("c2", at(11))
    reply = telephony.event("call_abandoned", at(15), call_id="c1").json()
    assert reply["next_assignment"] == {"call_id": "c2", "agent": "agent-holbaek-1"}  # ring it at once
    assert _state("c1") == "abandoned"
    assert _state("c2") == "assigned"
    assert _agent("agent-holbaek-1").current_contact == Contact.objects.get(external_id="c2")


def test_transfer_by_the_platform(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.offer("c1", at(10))
    telephony.event("call_answered", at(20), call_id="c1")
    telephony.event("call_transferred", at(80), call_id="c1", transfer_target="MinSP-support")
    contact = Contact.objects.get()
    assert (contact.state, contact.transferred_to) == ("transferred", "MinSP-support")


def test_a_rating_for_an_unanswered_call_is_ignored(telephony: Telephony, agents: list[Person]) -> None:
    telephony.offer("c1", at(0))
    assert telephony.event("satisfaction", at(5), call_id="c1", rating=2).json()["ignored"] is True
    assert Contact.objects.get().satisfaction is None


def test_an_agent_in_a_call_cannot_go_on_pause(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.offer("c1", at(10))
    telephony.event("call_answered", at(20), call_id="c1")
    response = telephony.agent("agent-holbaek-1", "pause", at(30))
    assert response.status_code == 409 and "samtale" in response.json()["detail"]
    assert _agent("agent-holbaek-1").status == AgentStatus.BUSY


def test_an_agent_who_pauses_while_it_rings_puts_the_call_back_in_line(
    telephony: Telephony, agents: list[Person]
) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.offer("c1", at(10))
    telephony.agent("agent-holbaek-1", "pause", at(12), pause_reason="meeting")
    assert _state("c1") == "queued"
    agent = _agent("agent-holbaek-1")
    assert (agent.status, agent.pause_reason, agent.current_contact) == ("pause", "meeting", None)
    assert telephony.agent("agent-greve-1", "ready", at(13)).json()["assigned_call_id"] == "c1"


def test_unknown_agent_is_404(telephony: Telephony, agents: list[Person]) -> None:
    response = telephony.agent("nobody", "ready", at(0))
    assert response.status_code == 404 and "Ukendt medarbejder" in response.json()["detail"]


def test_the_event_api_is_in_the_openapi_schema(client: object) -> None:
    from django.test import Client

    schema = Client().get("/api/openapi.json").json()
    operation = schema["paths"]["/api/telephony/events"]["post"]
    assert "X-Samvirke-Signature" in json.dumps(operation)
    assert "call_offered" in json.dumps(operation["requestBody"])


def test_each_presence_change_is_logged(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.agent("agent-holbaek-1", "ready", at(5))  # no change, no new row
    telephony.agent("agent-holbaek-1", "pause", at(60))
    telephony.agent("agent-holbaek-1", "offline", at(120))
    assert list(PresenceChange.objects.filter(person__username="agent-holbaek-1").values_list("status", "at")) == [
        ("ready", at(0)),
        ("pause", at(60)),
        ("offline", at(120)),
    ]


def test_an_overflowed_contact_goes_before_a_new_call(telephony: Telephony, agents: list[Person]) -> None:
    from samvirke.directory.models import HotlineNumber, Membership

    HotlineNumber.objects.create(
        membership=Membership.objects.get(municipality__code=316), line="health_apps", number="70300316"
    )
    train(agents[1], health=True)
    telephony.agent("agent-greve-1", "ready", at(0))  # no health-app skill, but trained for the line
    telephony.offer("health-1", at(10), called="70300316")
    assert _state("health-1") == "queued"
    # 130 s later a citizen-service call arrives: the health call has waited past its overflow and goes first.
    reply = telephony.offer("citizen-1", at(140)).json()
    assert reply["state"] == "queued"
    assert _state("health-1") == "assigned"
    assert _agent("agent-greve-1").current_contact == Contact.objects.get(external_id="health-1")


def test_the_same_call_offered_under_two_event_ids_is_created_once(telephony: Telephony, agents: list[Person]) -> None:
    first = telephony.offer("c1", at(0), event_id="a")
    second = telephony.offer("c1", at(0), event_id="b")
    assert first.status_code == second.status_code == 200
    assert second.json()["ignored"] is True
    assert Contact.objects.count() == 1


def test_the_platform_polls_for_assigned_calls_no_reply_told_it_of(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    assert telephony.offer("c1", at(10)).json()["agent"] == "agent-holbaek-1"
    telephony.offer("c2", at(11))  # nobody free: queued
    # An agent who became free at the same moment as the call was queued (two transactions that missed each other):
    # the pairing after the commit is in no reply, only in the list the platform polls.
    AgentState.objects.filter(person__username="agent-koege-1").update(status=AgentStatus.READY, ready_since=at(11))
    assert actions.dispatch_waiting(at(12)) == 1
    listed = telephony.assignments().json()
    assert [(a["call_id"], a["agent"], a["municipality_code"]) for a in listed] == [
        ("c1", "agent-holbaek-1", HOLBAEK),
        ("c2", "agent-koege-1", HOLBAEK),
    ]
    telephony.event("call_answered", at(13), call_id="c1")
    assert [a["call_id"] for a in telephony.assignments().json()] == ["c2"]


def test_polling_for_assignments_needs_the_signature(telephony: Telephony, agents: list[Person]) -> None:
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.offer("c1", at(10))
    assert telephony.assignments(signature="").status_code == 401
    wrong = telephony.assignments(signature=sign(b"/api/telephony/assignments", "another secret"))
    assert wrong.status_code == 403 and "c1" not in wrong.content.decode()
