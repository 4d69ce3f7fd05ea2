"""Crisis mode in a real browser: the secretariat switches it on for a stricken Holbæk (calls to the others'
agents, open around the clock); within 5 s the citizens' chat, the telephony platform's `call_offered` reply and an
open desk show the notice, and Holbæk's calls go to the pool; switching off restores all of it."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.utils import timezone

from samvirke.contact.selectors import forget_cached_queues
from samvirke.preparedness.models import Crisis
from tests.browser.conftest import screenshot
from tests.browser.test_desk_in_browser import HOLBAEK_HOTLINE, post_event
from tests.browser.test_member_list_in_browser import demo, log_in  # noqa: F401 (fixture)
from tests.contact.conftest import open_all_hours

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TITLE = "Strømsvigt i Holbæk"
TEXT = "Strømmen er gået i hele Holbæk Kommune. Følg holbaek.dk for nyt."
WITHIN_5_S = 5_000


@pytest.fixture
def open_hotline(demo: None) -> None:  # noqa: F811
    open_all_hours()  # the real clock: the hotline's 8–20 would make the test depend on the hour
    forget_cached_queues()


def _page(browser: Any, base_url: str, username: str | None) -> Any:
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    if username:
        log_in(page, base_url, username)
        page.wait_for_url(f"{base_url}/medlemmer/")
    return page


def _ready_desk(browser: Any, base_url: str, username: str) -> Any:
    page = _page(browser, base_url, username)
    page.goto(f"{base_url}/kontaktcenter/")
    page.get_by_role("button", name="Klar").click()
    page.locator("#agent-status").get_by_text("Klar").wait_for()
    return page


def _call(base_url: str, call_id: str) -> dict[str, Any]:
    return post_event(
        base_url,
        {
            "event_id": f"ev-{call_id}",
            "type": "call_offered",
            "occurred_at": timezone.now().isoformat(),
            "call_id": call_id,
            "called_number": HOLBAEK_HOTLINE,
            "caller_number": "20304050",
        },
    )


def _hang_up(base_url: str, call_id: str) -> None:
    post_event(
        base_url,
        {
            "event_id": f"ev-{call_id}-x",
            "type": "call_abandoned",
            "occurred_at": timezone.now().isoformat(),
            "call_id": call_id,
        },
    )


def test_crisis_mode_reaches_chat_phone_and_desk_and_switches_back(
    live_server: Any, open_hotline: None, browser: Any
) -> None:
    base = live_server.url
    holbaek_desk = _ready_desk(browser, base, "agent-holbaek-1")  # ready first: the longest idle
    greve_desk = _ready_desk(browser, base, "agent-greve-1")
    chat = _page(browser, base, None)
    chat.goto(f"{base}/chat/316/")
    assert TITLE not in chat.content()

    secretariat = _page(browser, base, "sekretariat")
    secretariat.goto(f"{base}/beredskab/")
    secretariat.get_by_label("Overskrift").fill(TITLE)
    secretariat.get_by_label("Meddelelse til borgerne").fill(TEXT)
    secretariat.get_by_label("Én ramt kommune").check()
    secretariat.get_by_role("combobox", name="Ramt kommune").select_option(label="Holbæk Kommune")
    secretariat.get_by_role("combobox", name="Den ramte kommunes opkald").select_option("pool")
    secretariat.get_by_role("combobox", name="Åbningstid").select_option("around_the_clock")
    secretariat.get_by_role("button", name="Slå til").click()
    secretariat.get_by_text("Krisetilstand er slået til: Strømsvigt i Holbæk.").wait_for()
    switched_on = time.monotonic()

    # The open desks: the banner at the next poll (every 2 s), without a reload.
    for desk in (greve_desk, holbaek_desk):
        banner = desk.get_by_test_id("crisis-banner")
        banner.wait_for(timeout=WITHIN_5_S)
        assert TITLE in banner.inner_text() and "fællesskabets øvrige medarbejdere" in banner.inner_text()
    # The chat: the notice comes first.
    chat.goto(f"{base}/chat/316/")
    assert chat.get_by_role("alert").first.inner_text().startswith(f"Vigtigt: {TITLE}")
    # The phone: the menu's message, and Holbæk's call goes to Greve's agent, not to Holbæk's longer-idle one.
    reply = _call(base, "crisis-1")
    assert reply["ivr_message"] == f"{TITLE}. {TEXT}"
    assert reply["agent"] == "agent-greve-1" and reply["crisis"]["rerouted"] == "pool"
    assert time.monotonic() - switched_on < 5
    screenshot(greve_desk, "crisis-desk-banner")
    screenshot(secretariat, "crisis-switched-on")
    _hang_up(base, "crisis-1")

    secretariat.get_by_role("button", name="Slå fra").click()
    secretariat.get_by_text("Krisetilstand er slået fra.").first.wait_for()
    switched_off = time.monotonic()
    greve_desk.get_by_test_id("crisis-banner").wait_for(state="detached", timeout=WITHIN_5_S)
    holbaek_desk.get_by_test_id("crisis-banner").wait_for(state="detached", timeout=WITHIN_5_S)
    chat.goto(f"{base}/chat/316/")
    assert TITLE not in chat.content()
    reply = _call(base, "after-1")
    assert "ivr_message" not in reply and "crisis" not in reply
    assert reply["agent"] == "agent-holbaek-1"  # Holbæk's own agent again: the longest idle
    assert time.monotonic() - switched_off < 5
    log = secretariat.get_by_test_id(f"crisis-{Crisis.objects.get().pk}").inner_text()
    for line in (
        "Krisetilstand slået til",
        "Meddelelsen udgivet i chatten",
        "besvares af fællesskabets øvrige",
        "Døgnåbent",
        "Meddelelsen taget af chatten",
        "Krisetilstand slået fra.",
    ):
        assert line in log
    screenshot(secretariat, "crisis-log")
