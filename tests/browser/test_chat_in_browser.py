"""A citizen asks in the chat widget: the answer is the municipality's variant; a crisis notice comes first; the
greeting's quick replies, "Nej" and a request for a person lead to a person; out of hours, a callback reaches the
queue."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samvirke.contact.models import Contact, ContactState, Queue
from samvirke.contact.selectors import forget_cached_queues
from samvirke.directory.models import Municipality
from samvirke.knowledge.actions import do_load_knowledge
from samvirke.knowledge.models import CrisisNotice
from tests.browser.conftest import screenshot
from tests.browser.test_member_list_in_browser import demo, log_in  # noqa: F401 (fixture)
from tests.contact.conftest import open_all_hours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def guides(demo: None) -> None:  # noqa: F811
    do_load_knowledge(None)


def ask(page: Any, question: str) -> Any:
    before = page.locator("#chat-log > li").count()
    page.get_by_label("Dit spørgsmål").fill(question)
    page.keyboard.press("Enter")
    page.locator("#chat-log > li").nth(before).wait_for(state="attached", timeout=60_000)  # no eval: the CSP forbids it
    return page.locator("#chat-log > li").last


def test_a_question_in_the_widget_gets_the_municipalitys_variant(live_server: Any, guides: None, page: Any) -> None:
    page.goto(f"{live_server.url}/chat/326/")  # Kalundborg
    answer = ask(page, "hvornår har borgerservice åbent")
    assert "Borgerservice åbningstider og kontakt" in answer.inner_text()
    assert "Kalundborg" in answer.inner_text()
    # The reply was added without a page load, into the live region, and focus is back in the field.
    assert page.url.endswith("/chat/326/")
    assert page.evaluate("document.activeElement.id") == "question"
    screenshot(page, "chat-kalundborg")


def test_a_crisis_notice_comes_first(live_server: Any, guides: None, page: Any) -> None:
    notice = CrisisNotice.objects.create(
        title="Vandforsyningen er afbrudt i Sorø",
        body="Kog vandet før brug. Følg med på soroe.dk.",
        published=True,
        starts_at=timezone.now() - dt.timedelta(hours=2),
    )
    notice.municipalities.add(Municipality.objects.get(code=340))
    page.goto(f"{live_server.url}/chat/340/")
    assert page.get_by_role("alert").first.inner_text().startswith("Vigtigt: Vandforsyningen er afbrudt i Sorø")
    answer = ask(page, "jeg skal have nyt pas")
    text = answer.inner_text()
    assert text.index("Vandforsyningen er afbrudt") < text.index("Pas")


def test_the_chat_works_without_javascript(live_server: Any, guides: None, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    page.goto(f"{live_server.url}/chat/316/")
    page.get_by_label("Dit spørgsmål").fill("jeg har mistet min telefon og kan ikke bruge mitid")
    page.get_by_role("button", name="Spørg").click()
    page.wait_for_load_state()
    assert "Mistet eller ny telefon med MitID-appen" in page.locator("#chat-log").inner_text()
    context.close()


@pytest.fixture
def open_hotline(guides: None) -> None:
    open_all_hours()  # the real clock: the hotline's 8–20 would make the test depend on the time it runs
    forget_cached_queues()


@pytest.mark.parametrize("width", [390, 1280])
def test_greeting_quick_reply_answer_nej_and_the_hand_over(
    live_server: Any, open_hotline: None, browser: Any, width: int
) -> None:
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 844})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/chat/316/")
    greeting = page.locator("#chat-log > li").first
    assert "Hej! Jeg er Holbæk Kommunes digitale assistent." in greeting.inner_text()
    screenshot(page, f"chat-greeting-{width}")

    before = page.locator("#chat-log > li").count()
    page.get_by_role("button", name="Mistet eller ny telefon med MitID-appen").click()
    page.locator("#chat-log > li").nth(before).wait_for(state="attached", timeout=60_000)  # no eval: the CSP forbids it
    answer = page.locator("#chat-log > li").last
    assert answer.locator("h2.answer-title").inner_text() == "Mistet eller ny telefon med MitID-appen"
    assert page.url.endswith("/chat/316/")  # no page load

    answer.get_by_role("button", name="Nej").click()
    offer = answer.locator(".handover-offer")
    offer.wait_for()
    assert "Vil du have hjælp fra en medarbejder?" in offer.inner_text()
    assert offer.get_by_role("button", name="Chat med en medarbejder").is_visible()
    screenshot(page, f"chat-handover-after-nej-{width}")
    offer.get_by_role("button", name="Chat med en medarbejder").click()
    page.wait_for_url("**/samtale/**")
    assert page.get_by_role("heading", name="Chat med en medarbejder").is_visible()
    assert errors == []
    context.close()


def test_asking_for_a_person_offers_the_hand_over(live_server: Any, open_hotline: None, page: Any) -> None:
    page.goto(f"{live_server.url}/chat/316/")
    reply = ask(page, "jeg vil gerne tale med et menneske")
    assert reply.get_by_role("button", name="Chat med en medarbejder").is_visible()
    assert "Det kan jeg desværre ikke" not in reply.inner_text()


def test_without_javascript_nej_keeps_the_conversation(live_server: Any, open_hotline: None, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    page.goto(f"{live_server.url}/chat/316/")
    page.get_by_role("button", name="Læs Digital Post").click()
    page.wait_for_load_state()
    page.get_by_role("button", name="Nej").click()
    page.wait_for_load_state()
    log = page.locator("#chat-log").inner_text()
    assert "Læs Digital Post" in log and "Vil du have hjælp fra en medarbejder?" in log
    assert page.get_by_role("button", name="Chat med en medarbejder").is_visible()
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_after_hours_a_callback_is_stored_and_waits_in_the_queue_for_an_agent(
    live_server: Any, guides: None, browser: Any, width: int
) -> None:
    now = timezone.localtime()
    closed_today = {str((now.weekday() + 2) % 7): [["08:00", "20:00"]]}  # open only on the day after tomorrow
    Queue.objects.filter(line="citizen_service").update(opening_hours=closed_today)
    forget_cached_queues()
    context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/chat/316/")
    ask(page, "min mitid app er låst")
    reply = ask(page, "ring mig op")
    assert "Hotlinen har lukket" in reply.inner_text() and "MitID Support" in reply.inner_text()
    reply.get_by_label("Dit telefonnummer").fill("20 30 40 50")
    reply.get_by_label("Hvad drejer det sig om?").fill("Appen er låst efter tre forkerte koder")
    screenshot(page, f"chat-after-hours-callback-form-{width}")
    reply.get_by_role("button", name="Bestil opringning").click()
    page.wait_for_url("**/samtale/**")
    assert (
        "Vi ringer dig op på nummeret, der slutter på 50, når hotlinen åbner"
        in page.locator(".chat-status").inner_text()
    )
    screenshot(page, f"chat-callback-confirmed-{width}")
    context.close()

    contact = Contact.objects.get(callback_requested=True)
    assert contact.state == ContactState.QUEUED and contact.caller_number == "20304050"
    assert contact.offered_at > timezone.now()  # it joins the queue when the hotline opens

    # The hotline opens: the agent who becomes ready gets it, marked as a callback.
    open_all_hours()
    forget_cached_queues()
    agent = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}).new_page()
    log_in(agent, live_server.url, "agent-holbaek-1")
    agent.goto(f"{live_server.url}/kontaktcenter/tavle/")
    assert "Borgerservice" in agent.locator("body").inner_text()
    agent.goto(f"{live_server.url}/kontaktcenter/")
    agent.get_by_role("button", name="Klar").click()
    agent.get_by_text("Opringning til en borger i Holbæk Kommune").wait_for()
    assert "Borgeren ønsker at blive ringet op" in agent.locator("#desk-work").inner_text()
    agent.context.close()
