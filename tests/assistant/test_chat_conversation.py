"""The chat as a conversation: a greeting with quick replies, "talk to a human" in many phrasings, the hand-over
after "Nej", out-of-hours callbacks and messages that reach the agents at opening, and what is (not) stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from samvirke.assistant.models import AnsweredTopic, AnswerFeedback, ChatbotConversation, UnansweredQuestion
from samvirke.audit.models import AuditEntry
from samvirke.contact.actions import do_start_chat
from samvirke.contact.models import Channel, ChatMessage, Contact, ContactState, MunicipalitySource, Queue
from samvirke.directory.models import Municipality, Person
from tests.conftest import client_for

LOCAL = ZoneInfo("Europe/Copenhagen")
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL)  # the hotline is open
FRIDAY_EVENING = dt.datetime(2026, 11, 27, 20, 15, tzinfo=LOCAL)  # closed until Monday 30 November 08:00
MONDAY_8 = dt.datetime(2026, 11, 30, 8, 0, tzinfo=LOCAL)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[dt.datetime], None]:
    def set_to(moment: dt.datetime) -> None:
        monkeypatch.setattr(timezone, "now", lambda: moment.astimezone(dt.UTC))

    return set_to


def say(citizen: Client, text: str, code: int = 316, **extra: str) -> str:
    return citizen.post(f"/chat/{code}/", {"question": text, **extra}).content.decode()


# --- 1. the greeting and its quick replies ---------------------------------------------------------------------


def test_the_chat_opens_with_a_greeting_and_everyday_topics_on_an_empty_database(knowledge: object) -> None:
    page = Client().get("/chat/316/").content.decode()
    assert "Hej! Jeg er Holbæk Kommunes digitale assistent." in page
    assert page.count('class="quick-reply"') == 6
    assert 'value="mitid-lost-phone"' in page and "Mistet eller ny telefon med MitID-appen" in page


def test_the_quick_replies_are_what_citizens_asked_about_most_lately(knowledge: object) -> None:
    today = timezone.localdate()
    AnsweredTopic.objects.create(day=today, topic_id="waste", answers=40)
    AnsweredTopic.objects.create(day=today - dt.timedelta(days=60), topic_id="pension", answers=900)  # too old
    queue = Queue.objects.get(line="citizen_service")
    for n in range(30):
        Contact.objects.create(
            channel=Channel.PHONE, external_id=f"c-{n}", queue=queue, offered_at=timezone.now(),
            municipality_source=MunicipalitySource.UNKNOWN, state=ContactState.ENDED, topic_id="nemkonto",
        )  # fmt: skip
    page = Client().get("/chat/316/").content.decode()
    assert page.index('value="waste"') < page.index('value="nemkonto"') < page.index('value="mitid-lost-phone"')
    assert 'value="pension"' not in page


def test_a_quick_reply_answers_without_javascript_and_is_not_counted_as_asked(knowledge: object) -> None:
    citizen = Client()
    page = citizen.post("/chat/316/", {"topic": "passport"}).content.decode()
    assert '<h2 class="answer-title">Pas</h2>' in page
    assert ChatbotConversation.objects.get().questions == 1
    assert not AnsweredTopic.objects.exists()  # else the topics shown most would stay on top
    say(citizen, "hvordan får jeg et nyt pas")
    assert AnsweredTopic.objects.get().topic_id == "passport"


def test_an_unknown_quick_reply_is_treated_as_an_empty_question(knowledge: object) -> None:
    page = Client().post("/chat/316/", {"topic": "<script>x</script>" * 50}).content.decode()
    assert "Skriv dit spørgsmål i feltet herunder." in page and "<script>x" not in page


# --- 2. talk to a human ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["jeg vil gerne tale med et menneske", "kan jeg få en medarbejder", "ring mig op"])
def test_asking_for_a_person_offers_the_hand_over_at_once(
    knowledge: object, clock: Callable[[dt.datetime], None], text: str
) -> None:
    clock(MONDAY_10)
    page = say(Client(), text)
    assert "Chat med en medarbejder" in page
    assert "Det kan jeg desværre ikke svare sikkert på" not in page
    assert not UnansweredQuestion.objects.exists()


def test_nej_always_offers_the_hand_over_and_keeps_the_conversation_without_javascript(
    knowledge: object, clock: Callable[[dt.datetime], None]
) -> None:
    clock(MONDAY_10)
    citizen = Client()
    say(citizen, "hvordan bestiller jeg et nyt sundhedskort")
    answer = say(citizen, "jeg har fået ny telefon, hvordan får jeg mitid med")
    turn = answer.split('name="turn" value="')[1].split('"')[0]
    page = citizen.post("/chat/316/feedback/", {"helpful": "nej", "turn": turn, "topic_id": "x"}).content.decode()
    assert "Vil du have hjælp fra en medarbejder?" in page and "Chat med en medarbejder" in page
    assert "hvordan bestiller jeg et nyt sundhedskort" in page  # the conversation is still on the page
    assert "jeg har fået ny telefon, hvordan får jeg mitid med" in page
    feedback = AnswerFeedback.objects.get()
    assert not feedback.helpful and feedback.topic_id == "mitid-lost-phone"  # from the conversation, not the form
    citizen.post("/chat/316/feedback/", {"helpful": "nej", "turn": turn})  # a second click
    assert AnswerFeedback.objects.count() == 1


def test_nej_with_javascript_returns_the_offer_as_a_fragment(
    knowledge: object, clock: Callable[[dt.datetime], None]
) -> None:
    clock(MONDAY_10)
    response = Client().post(
        "/chat/316/feedback/", {"helpful": "nej", "topic_id": "passport"}, headers={"X-Requested-With": "fetch"}
    )
    body = response.content.decode()
    assert "<html" not in body and "Chat med en medarbejder" in body
    ja = Client().post("/chat/316/feedback/", {"helpful": "ja"}, headers={"X-Requested-With": "fetch"})
    assert "Tak for din tilbagemelding." in ja.content.decode() and "medarbejder" not in ja.content.decode()


# --- 4. greetings, thanks and gibberish ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("hej", "Hej! Jeg er Holbæk Kommunes digitale assistent."),
        ("tusind tak for hjælpen", "Selv tak!"),
        ("xyz blabla hjælp", "Det forstod jeg desværre ikke."),
        ("asdfghjkl", "Det forstod jeg desværre ikke."),
    ],
)
def test_greetings_thanks_and_gibberish_get_no_guide_and_are_not_missing_answers(
    knowledge: object, text: str, expected: str
) -> None:
    page = say(Client(), text)
    assert expected in page
    assert 'class="answer-title"' not in page and "Blåt EU-sygesikringskort" not in page
    assert not UnansweredQuestion.objects.exists()


def test_a_real_question_the_assistant_cannot_answer_is_still_a_missing_answer(knowledge: object) -> None:
    say(Client(), "hvordan søger jeg om hjemmehjælp til min mor")
    assert UnansweredQuestion.objects.count() == 1


# --- 3. out of hours -------------------------------------------------------------------------------------------


def test_after_hours_it_says_when_the_hotline_opens_and_offers_a_callback_and_a_message(
    knowledge: object, clock: Callable[[dt.datetime], None]
) -> None:
    clock(FRIDAY_EVENING)
    page = say(Client(), "jeg vil gerne tale med et menneske")
    assert "Hotlinen har lukket nu. Den åbner mandag kl. 08.00." in page
    assert "Bestil opringning" in page and "Skriv hellere en besked" in page
    assert "mandag 30. november kl. 08.00" in page
    assert "Chat med en medarbejder" not in page
    assert "MitID Support" not in page  # not about MitID


def test_after_hours_a_mitid_problem_also_gets_mitid_support_day_and_night(
    knowledge: object, clock: Callable[[dt.datetime], None]
) -> None:
    clock(FRIDAY_EVENING)
    citizen = Client()
    say(citizen, "min mitid app er låst efter forkert pinkode")
    page = say(citizen, "kan jeg få en medarbejder")
    assert "MitID Support</strong> har åbent døgnet rundt" in page and "33 98 00 10" in page


def test_a_callback_made_out_of_hours_reaches_an_agent_when_the_hotline_opens(
    knowledge: object, holbaek_agent: Person, clock: Callable[[dt.datetime], None]
) -> None:
    clock(FRIDAY_EVENING)
    citizen = Client()
    say(citizen, "min mitid er spærret, cpr 010190-1234")
    say(citizen, "ring mig op")
    response = citizen.post(
        "/chat/316/opringning/",
        {"phone": "+45 20 30 40 50", "message": "Det er om MitID, skriv til a@b.dk", "key": "k" * 22},
    )
    contact = Contact.objects.get(callback_requested=True)
    assert response.status_code == 302 and response["Location"] == f"/chat/316/samtale/{contact.chat_token}/"
    assert contact.state == ContactState.QUEUED and contact.channel == Channel.CHAT
    assert contact.offered_at == MONDAY_8  # it joins the queue when the hotline opens
    assert contact.caller_number == "20304050"
    assert contact.citizen_municipality == Municipality.objects.get(code=316)
    assert "010190-1234" not in contact.transcript and "min mitid er spærret" in contact.transcript
    assert ChatMessage.objects.get().text == "Det er om MitID, skriv til [e-mail]"
    assert AuditEntry.objects.filter(action="contact.callback_requested").count() == 1
    assert ChatbotConversation.objects.get().handed_over
    confirmation = citizen.get(response["Location"]).content.decode()
    assert "Vi ringer dig op på nummeret, der slutter på 50, når hotlinen åbner mandag 30. november kl. 08.00" in (
        confirmation
    )
    assert "20304050" not in confirmation and "hx-trigger" not in confirmation  # no polling all weekend
    citizen.post("/chat/316/opringning/", {"phone": "20304050", "key": "k" * 22})  # the same form again
    assert Contact.objects.filter(callback_requested=True).count() == 1
    assert "Se din henvendelse til hotlinen" in citizen.get("/chat/316/").content.decode()

    clock(MONDAY_8 + dt.timedelta(minutes=2))
    agent = client_for(holbaek_agent)
    agent.post("/kontaktcenter/status/", {"status": "ready"})
    contact.refresh_from_db()
    assert contact.state == ContactState.ASSIGNED and contact.agent == holbaek_agent
    desk = agent.get("/kontaktcenter/").content.decode()
    assert "Opringning til en borger i Holbæk Kommune" in desk
    assert "Borgeren ønsker at blive ringet op" in desk and "20 30 40 50" in desk


def test_a_message_made_out_of_hours_is_answered_on_the_citizens_page(
    knowledge: object, holbaek_agent: Person, clock: Callable[[dt.datetime], None]
) -> None:
    clock(FRIDAY_EVENING)
    citizen = Client()
    response = citizen.post("/chat/316/besked/", {"message": "Hvornår kommer mit nye sundhedskort?"})
    contact = Contact.objects.get()
    assert not contact.callback_requested and contact.caller_number == ""
    page = citizen.get(response["Location"]).content.decode()
    assert "Din besked er sendt til hotlinen. En medarbejder svarer her, når hotlinen åbner mandag" in page

    clock(MONDAY_8 + dt.timedelta(minutes=5))
    agent = client_for(holbaek_agent)
    agent.post("/kontaktcenter/status/", {"status": "ready"})
    agent.post("/kontaktcenter/besvar/", {"contact_id": contact.pk})
    agent.post("/kontaktcenter/chat/send/", {"contact_id": contact.pk, "text": "Det er sendt i fredags."})
    assert "Det er sendt i fredags." in citizen.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("path", "data", "error"),
    [
        ("/chat/316/opringning/", {"phone": "12"}, "Skriv et dansk telefonnummer med 8 cifre"),
        ("/chat/316/opringning/", {"phone": "2030 4050 ring nu" * 10}, "Skriv et dansk telefonnummer med 8 cifre"),
        ("/chat/316/opringning/", {"phone": "+46 20304050"}, "Skriv et dansk telefonnummer med 8 cifre"),
        ("/chat/316/besked/", {"message": "   "}, "Skriv din besked til hotlinen."),
    ],
)
def test_a_bad_callback_or_message_gets_a_danish_message_and_changes_nothing(
    knowledge: object, clock: Callable[[dt.datetime], None], path: str, data: dict[str, str], error: str
) -> None:
    clock(FRIDAY_EVENING)
    response = Client().post(path, data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Contact.objects.exists()


def test_one_browser_cannot_flood_the_queue(knowledge: object, clock: Callable[[dt.datetime], None]) -> None:
    clock(FRIDAY_EVENING)
    citizen = Client()
    for n in range(3):
        assert citizen.post("/chat/316/besked/", {"message": f"besked {n}"}).status_code == 302
    response = citizen.post("/chat/316/besked/", {"message": "og en til"})
    assert response.status_code == 400 and "Du har allerede bedt hotlinen om at vende tilbage." in (
        response.content.decode()
    )
    assert Contact.objects.count() == 3


def test_a_callback_while_the_hotline_is_open_goes_to_a_ready_agent_at_once(
    knowledge: object, holbaek_agent: Person, clock: Callable[[dt.datetime], None]
) -> None:
    clock(MONDAY_10)
    client_for(holbaek_agent).post("/kontaktcenter/status/", {"status": "ready"})
    Client().post("/chat/316/opringning/", {"phone": "20 30 40 50"})
    contact = Contact.objects.get()
    assert contact.offered_at == MONDAY_10 and contact.state == ContactState.ASSIGNED


# --- 6. a transferred chat says where ---------------------------------------------------------------------------


def test_a_transferred_chat_tells_the_citizen_where_it_went(knowledge: object) -> None:
    contact = do_start_chat(Municipality.objects.get(code=316), "", timezone.now())
    Contact.objects.filter(pk=contact.pk).update(
        state=ContactState.TRANSFERRED, transferred_to="Holbæk Kommune, tlf. 72 36 36 36"
    )
    page = Client().get(f"/chat/316/samtale/{contact.chat_token}/").content.decode()
    assert "Du er stillet videre til Holbæk Kommune, tlf. 72 36 36 36." in page
    assert "Chatten er afsluttet" not in page


# --- 7. privacy and bounds --------------------------------------------------------------------------------------


def test_the_conversation_in_the_session_is_masked(knowledge: object) -> None:
    citizen = Client()
    say(citizen, "mit cpr er 010190-1234 og min mail er anne@example.dk, ring på 20 30 40 50, nyt pas?")
    stored = "".join(str(session.get_decoded()) for session in Session.objects.all())
    assert "chat-history-316" in stored
    assert "010190-1234" not in stored and "anne@example.dk" not in stored and "20 30 40 50" not in stored
    assert "[CPR-nummer]" in stored


def test_a_long_question_is_cut_before_it_is_stored_anywhere(knowledge: object) -> None:
    citizen = Client()
    say(citizen, "hvordan får jeg opskriften på æblekage " + "x" * 20_000 + " 010190-1234")
    stored = "".join(str(session.get_decoded()) for session in Session.objects.all())
    assert len(stored) < 3000
    assert len(UnansweredQuestion.objects.get().masked_text) <= 500


def test_opening_hours_are_written_in_lower_case_inside_the_answer(knowledge: object) -> None:
    page = say(Client(), "hvornår har borgerservice åbent")
    assert "har åbent mandag–onsdag" in page and "har åbent Mandag" not in page
