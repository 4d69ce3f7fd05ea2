"""An agent's day at the desk, in a real browser: ready, a call from a Holbæk number arrives by itself (htmx
polling), Holbæk's own guide variant, the registration, and the wallboard counts the contact."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from samvirke.contact.lib.signature import HEADER, sign
from samvirke.contact.models import Contact
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
