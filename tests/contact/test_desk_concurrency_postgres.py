"""The desk's races on PostgreSQL, with real concurrency: two agents click the same waiting contact at the same
moment; an agent's double click on Send, Registrér or Viderestil arrives as two requests at once. One wins; the
other is told in Danish or changes nothing; nothing is lost or done twice.

Each case runs a few rounds: the two requests start together (a barrier) in their own threads, connections and
transactions, so the database, not the order of the test, decides who is first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from samvirke.audit.models import AuditEntry
from samvirke.contact import actions
from samvirke.contact.models import AgentState, ChatMessage, Contact, ContactState
from samvirke.directory.models import Municipality, Person
from tests.conftest import client_for
from tests.contact.conftest import Telephony, open_all_hours

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's row locks (SQLite serialises writers); run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads that start together; each result, or the exception it raised."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except BaseException as exc:  # reported to the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.fixture
def two_agents(holbaek_agent: Person, greve_coordinator: Person) -> tuple[Person, Person]:
    open_all_hours()
    from samvirke.knowledge.actions import do_load_knowledge

    do_load_knowledge(None)
    return holbaek_agent, greve_coordinator


def test_two_agents_taking_the_same_contact_at_once_one_gets_it(two_agents: tuple[Person, Person]) -> None:
    first, second = two_agents
    telephony = Telephony()
    for person in two_agents:
        client_for(person).post("/kontaktcenter/status/", {"status": "pause"})
    for round_ in range(ROUNDS):
        telephony.offer(f"w{round_}", timezone.now())
        contact = Contact.objects.get(external_id=f"w{round_}")
        results = at_once(
            *(
                lambda person=person, pk=contact.pk: client_for(person).post(
                    "/kontaktcenter/tag/", {"contact_id": pk}, headers={"HX-Request": "true"}
                )
                for person in two_agents
            )
        )
        statuses = sorted(response.status_code for response in results)
        assert statuses == [302, 409], results
        refused = next(response for response in results if response.status_code == 409)
        assert refused.content.decode() == "En anden medarbejder har allerede taget henvendelsen."
        contact.refresh_from_db()
        assert contact.state == ContactState.ASSIGNED and contact.agent in two_agents
        holders = AgentState.objects.filter(current_contact=contact)
        assert [state.person for state in holders] == [contact.agent]
        # The winner lets go (back to pause, the contact back in the queue) for the next round.
        Contact.objects.filter(pk=contact.pk).update(state=ContactState.ABANDONED)
        AgentState.objects.filter(person__in=[first, second]).update(status="pause", current_contact=None)
    assert AuditEntry.objects.filter(action="contact.pick").count() == ROUNDS


def _answered_chat(agent: Person) -> Contact:
    client_for(agent).post("/kontaktcenter/status/", {"status": "ready"})
    contact = actions.do_start_chat(Municipality.objects.get(code=316), "Borger: hej", timezone.now())
    actions.do_answer_contact(agent, contact.pk, timezone.now())
    return contact


def test_a_send_clicked_twice_at_once_is_one_message(two_agents: tuple[Person, Person]) -> None:
    agent = two_agents[0]
    contact = _answered_chat(agent)
    for round_ in range(ROUNDS):
        data = {"contact_id": contact.pk, "text": f"Besked {round_}", "client_id": f"id-{round_}"}
        clients = [client_for(agent), client_for(agent)]
        results = at_once(
            *(
                lambda client=client, data=data: client.post(
                    "/kontaktcenter/chat/send/", data, headers={"HX-Request": "true"}
                )
                for client in clients
            )
        )
        assert [response.status_code for response in results] == [200, 200], results
    texts = list(ChatMessage.objects.filter(contact=contact).values_list("text", flat=True))
    assert texts == [f"Besked {round_}" for round_ in range(ROUNDS)]


def _answered_call(telephony: Telephony, agent: Person, call_id: str) -> Contact:
    client_for(agent).post("/kontaktcenter/status/", {"status": "ready"})
    telephony.offer(call_id, timezone.now())
    telephony.event("call_answered", timezone.now(), call_id=call_id)
    contact = Contact.objects.get(external_id=call_id)
    assert contact.agent == agent
    return contact


def test_a_registration_clicked_twice_at_once_is_one_registration(two_agents: tuple[Person, Person]) -> None:
    agent = two_agents[0]
    telephony = Telephony()
    for round_ in range(ROUNDS):
        contact = _answered_call(telephony, agent, f"r{round_}")
        telephony.event("call_ended", timezone.now(), call_id=contact.external_id)
        data = {"contact_id": contact.pk, "topic_id": "mitid-get", "resolved_at_once": "ja", "note": "Hjulpet"}
        results = at_once(
            *(lambda: client_for(agent).post("/kontaktcenter/registrer/", data) for _ in range(2))  # noqa: B023
        )
        assert [response.status_code for response in results] == [302, 302], results
        contact.refresh_from_db()
        assert contact.registered_at is not None
        assert AuditEntry.objects.filter(action="contact.register", object_id=str(contact.pk)).count() == 1
        assert AgentState.objects.get(person=agent).status == "ready"


def test_a_transfer_clicked_twice_at_once_is_one_transfer(two_agents: tuple[Person, Person]) -> None:
    agent = two_agents[0]
    telephony = Telephony()
    for round_ in range(ROUNDS):
        contact = _answered_call(telephony, agent, f"t{round_}")
        data = {
            "contact_id": contact.pk,
            "destination": "queue:sundhedsapps",
            "topic_id": "minsp-technical",
            "resolved_at_once": "nej",
        }
        results = at_once(
            *(lambda: client_for(agent).post("/kontaktcenter/viderestil/", data) for _ in range(2))  # noqa: B023
        )
        assert [response.status_code for response in results] == [302, 302], results
        contact.refresh_from_db()
        assert contact.state == ContactState.TRANSFERRED
        assert Contact.objects.filter(transferred_from=contact).count() == 1
        assert AuditEntry.objects.filter(action="contact.transfer", object_id=str(contact.pk)).count() == 1
    # The legs wait in the health-app line: no one here has the skill.
    assert Contact.objects.filter(queue__slug="sundhedsapps", state=ContactState.QUEUED).count() == ROUNDS


def test_a_client_can_be_used_from_a_thread(two_agents: tuple[Person, Person]) -> None:
    """(The helper's own check: a test client made in the main thread works in at_once's threads.)"""
    client = Client()
    assert at_once(lambda: client.get("/login/").status_code) == [200]
