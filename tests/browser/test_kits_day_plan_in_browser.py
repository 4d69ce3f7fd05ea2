"""A technician's day plan in a real browser: five visits planned by the background task shown in order, on a
desk screen and on a phone (one column, no sideways scrolling), and in print (no menu, no buttons)."""

from __future__ import annotations

from typing import Any

import pytest

from samvirke.kits.actions import do_request_day_plan
from samvirke.kits.models import DayPlan
from samvirke.kits.planner import PlanSettings
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD
from tests.consent.conftest import landsdel, operators  # noqa: F401 (fixtures)
from tests.kits.test_pages_app import DAY, five_visits
from tests.worker import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def consent_text(db: None) -> Any:
    from samvirke.consent.models import ConsentText

    return ConsentText.objects.create(version="2025.1", body="Jeg giver samtykke til …", active=True)


def test_the_day_plan_reads_in_order_on_a_desk_a_phone_and_paper(
    live_server: Any,
    page: Any,
    landsdel: Any,  # noqa: F811
    operators: Any,  # noqa: F811
    consent_text: Any,
) -> None:
    five_visits(landsdel, consent_text)
    plan = do_request_day_plan(operators["logistics"], landsdel, DAY, PlanSettings(shift_start="07:30"))
    assert run_queued_tasks() == 1
    plan = DayPlan.objects.get(pk=plan.pk)
    url = f"{live_server.url}/telemedicin/udstyr/dagsplaner/{plan.pk}/"
    page.goto(url)
    page.get_by_label("Brugernavn").fill("logistics-sjaelland")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(url)
    names = page.locator(".stop-who").all_inner_texts()
    assert [name.split(",")[0] for name in names] == [f"Borger {i}" for i in range(5)]
    times = page.locator(".stop-time strong").all_inner_texts()
    assert times == sorted(times) and len(times) == 5
    screenshot(page, "kits-day-plan-1366")
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    first = page.locator(".stop").first
    time_box, body_box = first.locator(".stop-time").bounding_box(), first.locator(".stop-body").bounding_box()
    assert body_box["y"] >= time_box["y"] + time_box["height"] - 1  # the time above the visit, one column
    screenshot(page, "kits-day-plan-phone-390")
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    assert not page.locator(".topbar").is_visible() and not page.locator("[data-print]").is_visible()
    assert page.locator(".stop").count() == 5
    screenshot(page, "kits-day-plan-print")
