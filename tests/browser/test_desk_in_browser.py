"""An agent's day at the desk, in a real browser: ready, a call from a Holbæk number arrives by itself (htmx
polling), Holbæk's own guide variant, the registration, and the wallboard counts the contact; the desk during a call
(timer, suggested guides, earlier contacts, live queue), its wrap-up countdown, and a chat with canned replies —
each looked at in a screenshot at 1280 px (test-artifacts/)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import urllib.request
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from samvirke.contact.actions import Registration, do_register_contact, do_send_chat_message, do_start_chat
from samvirke.contact.lib.signature import HEADER, sign
from samvirke.contact.models import ChatMessage, Contact
from samvirke.directory.models import Municipality, Person
from samvirke.knowledge.actions import do_load_knowledge
from tests.browser.conftest import screenshot
from tests.browser.test_member_list_in_browser import demo, log_in  # noqa: F401 (fixture)
from tests.contact.conftest import open_all_hours

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOLBAEK_HOTLINE = "70200316"  # the demo number citizens of Holbæk call


def post_event(base_url: str, payload: dict[str, Any]) -> dict[str, Any]:
    """What the telephony platform does: a signed JSON event over HTTP."""
    body = json.dumps(payload).encode()
    request = urllib.request.Request(
        f"{base_url}/api/telephony/events",
        data=body,
        headers={"Content-Type": "application/json", HEADER: sign(body, settings.TELEPHONY_SECRET)},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return dict(json.loads(response.read()))


@pytest.fixture
def open_around_the_clock(demo: None) -> None:  # noqa: F811
    open_all_hours()  # the test runs on the real clock; the hotline's 8–20 would make it fail at night


def test_an_agent_takes_a_holbaek_call_and_the_wallboard_counts_it(
    live_server: Any, open_around_the_clock: None, page: Any
) -> None:
    log_in(page, live_server.url, "agent-greve-1")
    page.goto(f"{live_server.url}/kontaktcenter/")
    page.get_by_role("button", name="Klar").click()
    assert page.locator("#agent-status").inner_text() == "Klar"

    reply = post_event(
        live_server.url,
        {
            "event_id": "browser-1",
            "type": "call_offered",
            "occurred_at": timezone.now().isoformat(),
            "call_id": "browser-call-1",
            "called_number": HOLBAEK_HOTLINE,
            "caller_number": "20304050",
        },
    )
    assert reply["agent"] == "agent-greve-1"
    # No reload: the desk polls and shows the offer.
    page.get_by_text("Opkald fra en borger i Holbæk Kommune").wait_for()
    page.get_by_role("button", name="Besvar").click()
    assert page.locator("#caller-municipality").inner_text() == "Holbæk"
    assert "Kanalstræde 2" in page.locator("#caller-service-info").inner_text()

    page.get_by_label("Søg i guides").fill("hvornår har borgerservice åbent")
    page.get_by_role("button", name="Søg", exact=True).click()
    first_hit = page.locator(".guide-hit").first
    first_hit.wait_for(timeout=90_000)  # the first search may load the assistant's engine
    assert "Borgerservice åbningstider og kontakt" in first_hit.inner_text()
    assert "Borgerservice Holbæk ligger i centrum" in first_hit.inner_text()  # Holbæk's variant, not Greve's
    screenshot(page, "desk-holbaek-call")

    page.get_by_label("Emne").select_option("opening-hours")
    page.get_by_label("Ja").check()
    page.get_by_label("Notat").fill("Spurgte til åbningstid, CPR 010203-1234 nævnt")
    page.get_by_role("button", name="Registrér").click()
    page.get_by_text("Henvendelsen er registreret.").wait_for()

    contact = Contact.objects.get(external_id="browser-call-1")
    assert contact.resolved_at_once is True and contact.topic_id == "opening-hours"
    assert "010203-1234" not in contact.note

    page.get_by_role("link", name="Tavle").click()
    assert page.locator("#wb-answered").inner_text() == "1"
    assert page.locator("#wb-resolved").inner_text() == "100,0 %"
    screenshot(page, "wallboard")


# --- what an agent sees, at 1280 px ------------------------------------------------------------------------------


@pytest.fixture
def desk_page(browser: Any) -> Any:
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    context.route("**/favicon.ico", lambda route: route.fulfill(status=204))  # another helper adds the favicon
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def guides(open_around_the_clock: None) -> None:
    do_load_knowledge(None)


def _event(base_url: str, kind: str, seconds_ago: float = 0, **fields: Any) -> dict[str, Any]:
    moment = timezone.now() - dt.timedelta(seconds=seconds_ago)
    return post_event(
        base_url, {"event_id": f"{kind}-{next(_ids)}", "type": kind, "occurred_at": moment.isoformat(), **fields}
    )


_ids = itertools.count(1)


def _ready(page: Any, base_url: str, username: str) -> None:
    log_in(page, base_url, username)
    page.goto(f"{base_url}/kontaktcenter/")
    page.get_by_role("button", name="Klar", exact=True).click()
    page.locator("#agent-status", has_text="Klar").wait_for()


@pytest.mark.slow
def test_the_desk_during_a_call_and_its_wrap_up(live_server: Any, guides: None, desk_page: Any) -> None:
    page, url = desk_page, live_server.url
    agent = Person.objects.get(username="agent-greve-1")
    # The citizen called last week too: answered, registered with a note.
    _event(url, "agent_status", 3000, agent="agent-greve-2", status="ready")
    _event(url, "call_offered", 2900, call_id="last-week", called_number=HOLBAEK_HOTLINE, caller_number="20304050")
    _event(url, "call_answered", 2890, call_id="last-week")
    _event(url, "call_ended", 2700, call_id="last-week")
    do_register_contact(
        Person.objects.get(username="agent-greve-2"),
        Contact.objects.get(external_id="last-week").pk,
        Registration("mitid-get", False, note="Kunne ikke aktivere MitID-appen; skal have pas med chip først."),
        timezone.now(),
    )
    _event(url, "agent_status", 2600, agent="agent-greve-2", status="offline")

    _ready(page, url, agent.username)
    _event(url, "call_offered", 40, call_id="now", called_number=HOLBAEK_HOTLINE, caller_number="20304050",
           ivr_topic="mitid-get")  # fmt: skip
    _event(url, "call_answered", 35, call_id="now")
    for n, seconds_ago in enumerate((95, 20)):  # two more wait; nobody else is ready
        _event(url, "call_offered", seconds_ago, call_id=f"waiting-{n}", called_number="70200253",
               caller_number=f"4040404{n}")  # fmt: skip

    page.locator("#caller-municipality", has_text="Holbæk").wait_for()  # drawn by the poll, no reload
    page.locator("#suggested-guides .guide-hit summary").first.wait_for(timeout=90_000)
    assert page.locator("#suggested-guides .guide-hit summary").first.inner_text().startswith("Få MitID")
    timer = page.locator(".call-timer .timer")
    first = timer.inner_text()
    page.wait_for_timeout(1_500)
    assert timer.inner_text() != first  # it runs
    queue = page.locator('[data-queue="hotline"]')
    assert "2 venter" in queue.inner_text() and "længst 1:" in queue.inner_text()
    earlier = page.locator(".earlier-contacts")
    assert "Få MitID" in earlier.inner_text() and "skal have pas med chip" in earlier.inner_text()
    assert "20304050" not in earlier.inner_text() and "20 30 40 50" not in earlier.inner_text()
    assert page.get_by_role("button", name="Pause").is_disabled()
    assert page.get_by_role("button", name="Pause").get_attribute("title") == (
        "Du er i en samtale. Afslut den, før du holder pause."
    )
    page.get_by_label("Notat").fill("Spørger igen om MitID-appen")
    page.locator("#draft-status", has_text="Kladden er gemt").wait_for()  # saved as it is typed
    assert Contact.objects.get(external_id="now").note == "Spørger igen om MitID-appen"
    screenshot(page, "desk-call-1280")

    _event(url, "call_ended", 0, call_id="now")
    countdown = page.locator("#wrap-up-countdown .countdown")
    countdown.wait_for()
    assert "bliver du automatisk klar" in page.locator("#wrap-up-countdown").inner_text()
    before = countdown.inner_text()
    page.wait_for_timeout(1_500)
    assert countdown.inner_text() != before  # it counts down
    assert page.get_by_label("Notat").input_value() == "Spørger igen om MitID-appen"  # the poll kept it
    assert page.locator("#transfer-box button").is_disabled()
    screenshot(page, "desk-wrap-up-1280")
    assert page.console_errors == []


@pytest.mark.slow
def test_the_desk_during_a_chat_with_canned_replies(live_server: Any, guides: None, desk_page: Any) -> None:
    page, url = desk_page, live_server.url
    _ready(page, url, "agent-greve-1")
    contact = do_start_chat(
        Municipality.objects.get(code=316),
        "Borger: jeg har fået et brev i e-boks som jeg ikke kan åbne\nAssistent: Læs Digital Post",
        timezone.now(),
    )
    do_send_chat_message(contact, "Hej, er der nogen?", True, timezone.now())
    page.get_by_role("button", name="Besvar").click()
    page.locator(".chat-messages li", has_text="Hej, er der nogen?").wait_for()

    page.get_by_role("button", name="Velkommen").click()  # a canned reply: into the field, not sent
    field = page.locator("#chat-text")
    assert field.input_value() == "Hej, du chatter med hotlinen for Holbæk Kommune. Hvad kan jeg hjælpe dig med?"
    assert not ChatMessage.objects.filter(from_citizen=False).exists()
    field.fill(field.input_value() + " Jeg kan se, du har skrevet om Digital Post.")
    page.get_by_role("button", name="Send").dblclick()  # a double click: one message
    page.locator(".chat-messages li", has_text="Jeg kan se, du har skrevet om Digital Post").wait_for()
    page.wait_for_timeout(2_500)
    assert ChatMessage.objects.filter(from_citizen=False).count() == 1
    assert field.input_value() == ""
    do_send_chat_message(contact, "Ja, det er fra kommunen", True, timezone.now())
    page.locator(".chat-messages li", has_text="Ja, det er fra kommunen").wait_for(timeout=3_000)
    page.locator("#suggested-guides .guide-hit").first.wait_for(timeout=90_000)
    screenshot(page, "desk-chat-1280")
    assert page.console_errors == []
