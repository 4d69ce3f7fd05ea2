"""A citizen asks the assistant for a human: the chat goes to an agent with the conversation so far."""

from __future__ import annotations

import pytest
from django.test import Client

from samvirke.assistant.models import ChatbotConversation
from samvirke.contact.models import AgentState, AgentStatus, ChatMessage, Contact, ContactState
from samvirke.directory.models import Municipality, Person
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _start_chat(citizen: Client) -> Contact:
    citizen.post("/chat/316/", {"question": "Min mor har fået et brev om noget hun ikke forstår, CPR 010203-1234"})
    response = citizen.post("/chat/316/medarbejder/")
    assert response.status_code == 302
    contact = Contact.objects.get(channel="chat")
    assert response["Location"] == f"/chat/316/samtale/{contact.chat_token}/"
    return contact


def test_the_chat_reaches_an_agent_with_the_masked_conversation(holbaek_agent: Person, open_hotline: None) -> None:
    from samvirke.knowledge.actions import do_load_knowledge

    do_load_knowledge(None)
    agent = client_for(holbaek_agent)
    agent.post("/kontaktcenter/status/", {"status": "ready"})
    citizen = Client()
    contact = _start_chat(citizen)
    assert contact.state == ContactState.ASSIGNED and contact.agent == holbaek_agent
    assert contact.citizen_municipality_id == Municipality.objects.get(code=316).pk
    assert contact.municipality_source == "chat_page"
    assert "Min mor har fået et brev" in contact.transcript and "010203-1234" not in contact.transcript
    assert ChatbotConversation.objects.get().handed_over

    agent.post("/kontaktcenter/besvar/", {"contact_id": contact.pk})
    desk = agent.get("/kontaktcenter/").content.decode()
    assert "Samtalen med assistenten" in desk and "Min mor har fået et brev" in desk

    page = f"/chat/316/samtale/{contact.chat_token}/"
    assert "Du chatter med en medarbejder" in citizen.get(page).content.decode()
    citizen.post(page + "skriv/", {"text": "Hej, mit nummer er 20304050"})
    agent.post("/kontaktcenter/chat/send/", {"contact_id": contact.pk, "text": "Hej! Jeg kigger på det."})
    texts = list(ChatMessage.objects.values_list("from_citizen", "text"))
    assert texts[1] == (False, "Hej! Jeg kigger på det.")
    assert "20304050" not in texts[0][1]
    assert "Jeg kigger på det." in agent.get("/kontaktcenter/").content.decode()

    agent.post(
        "/kontaktcenter/registrer/",
        {"contact_id": contact.pk, "topic_id": "digital-post-read", "resolved_at_once": "ja"},
    )
    contact.refresh_from_db()
    assert contact.state == ContactState.ENDED
    assert AgentState.objects.get(person=holbaek_agent).status == AgentStatus.READY
    ended = citizen.get(page).content.decode()
    assert "Chatten er afsluttet" in ended and "Hvor tilfreds" in ended
    assert citizen.post(page + "vurdering/", {"rating": "12"}).status_code == 400
    citizen.post(page + "vurdering/", {"rating": "8"})
    contact.refresh_from_db()
    assert contact.satisfaction == 8


def test_a_citizen_who_leaves_the_queue_abandons(fellesskab: object, open_hotline: None) -> None:
    citizen = Client()
    contact = _start_chat(citizen)
    assert contact.state == ContactState.QUEUED
    assert "Du er nr. 1 i køen" in citizen.get(f"/chat/316/samtale/{contact.chat_token}/").content.decode()
    citizen.post(f"/chat/316/samtale/{contact.chat_token}/afslut/")
    contact.refresh_from_db()
    assert contact.state == ContactState.ABANDONED


def test_a_wrong_token_or_municipality_is_a_404(fellesskab: object, open_hotline: None) -> None:
    citizen = Client()
    contact = _start_chat(citizen)
    assert citizen.get("/chat/316/samtale/gaet-et-token/").status_code == 404
    assert citizen.get(f"/chat/253/samtale/{contact.chat_token}/").status_code == 404
    assert citizen.post("/chat/999/medarbejder/").status_code == 404


def test_chatbot_conversations_are_counted_once_per_session(fellesskab: object) -> None:
    citizen = Client()
    citizen.post("/chat/316/", {"question": "Hvordan får jeg MitID?"})
    citizen.post("/chat/316/", {"question": "Og pas?"})
    Client().post("/chat/316/", {"question": "Hvornår har I åbent?"})
    assert sorted(ChatbotConversation.objects.values_list("questions", flat=True)) == [1, 2]


def _simulated_agent(username: str) -> Person:
    """An agent the traffic simulator drives (seed-demo makes them): no login, on the phone only."""
    person = Person(username=username, first_name="Sim", role="agent", is_simulated=True, is_active=False,
                    municipality=Municipality.objects.get(code=253))  # fmt: skip
    person.set_unusable_password()
    person.save()
    return person


def test_a_chat_is_never_offered_to_an_agent_on_the_phone_only(holbaek_agent: Person, open_hotline: None) -> None:
    from django.utils import timezone

    from samvirke.contact import actions

    simulated = _simulated_agent("sim-greve-1")
    actions.do_set_agent_status(simulated, AgentStatus.READY, timezone.now())  # ready longest: first in line
    assert not AgentState.objects.get(person=simulated).takes_chats
    contact = _start_chat(Client())
    assert contact.state == ContactState.QUEUED  # not given to the simulated agent, who would never answer

    client_for(holbaek_agent).post("/kontaktcenter/status/", {"status": "ready"})
    contact.refresh_from_db()
    assert contact.state == ContactState.ASSIGNED and contact.agent == holbaek_agent
    assert AgentState.objects.get(person=simulated).status == AgentStatus.READY


def test_a_waiting_chat_goes_to_a_chat_agent_behind_an_agent_on_the_phone_only(
    holbaek_agent: Person, open_hotline: None
) -> None:
    from django.utils import timezone

    from samvirke.contact import actions

    contact = _start_chat(Client())
    simulated = _simulated_agent("sim-greve-1")
    actions.do_set_agent_status(simulated, AgentStatus.READY, timezone.now())
    AgentState.objects.create(
        person=holbaek_agent, status=AgentStatus.READY, status_since=timezone.now(), ready_since=timezone.now()
    )  # ready behind the simulated agent, written without routing (as if its own dispatch was missed)
    assert actions.dispatch_waiting(timezone.now()) == 1
    contact.refresh_from_db()
    assert contact.agent == holbaek_agent


def test_a_double_clicked_send_from_the_citizen_is_one_message(fellesskab: object, open_hotline: None) -> None:
    citizen = Client()
    contact = _start_chat(citizen)
    page = f"/chat/316/samtale/{contact.chat_token}/skriv/"
    for _ in range(2):
        citizen.post(page, {"text": "Er der nogen?", "client_id": "a1b2c3"}, headers={"HX-Request": "true"})
    citizen.post(page, {"text": "Er der nogen?", "client_id": "d4e5f6"}, headers={"HX-Request": "true"})
    assert list(ChatMessage.objects.filter(contact=contact).values_list("text", flat=True)) == ["Er der nogen?"] * 2


def test_the_citizens_poll_stops_when_the_chat_is_over_and_the_message_form_goes(
    fellesskab: object, open_hotline: None
) -> None:
    citizen = Client()
    contact = _start_chat(citizen)
    page = f"/chat/316/samtale/{contact.chat_token}/"
    live = citizen.get(page, headers={"HX-Request": "true"})
    assert live.status_code == 200 and 'id="chat-forms"' not in live.content.decode()

    citizen.post(page + "afslut/")
    over = citizen.get(page, headers={"HX-Request": "true"})
    assert over.status_code == 286  # htmx stops polling, so a rating being chosen is not redrawn
    assert '<div id="chat-forms" hx-swap-oob="true"></div>' in over.content.decode()
    assert "Du har forladt køen." in over.content.decode()
