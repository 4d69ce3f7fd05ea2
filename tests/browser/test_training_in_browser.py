"""A coordinator records an agent's training in the browser: e-learning and course day, a med-lyt day that is full
(a Danish message, nothing booked), another that has room, attendance; the agent is then ready for the hotline."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samvirke.directory.models import Fellesskab, Municipality, Role
from samvirke.training.actions import do_book_session
from samvirke.training.models import MedLytBooking, MedLytSession, Qualification
from tests.browser.conftest import screenshot
from tests.conftest import GREVE, HOLBAEK, PASSWORD, _person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_trains_an_agent_for_the_hotline(live_server: Any, fellesskab: Fellesskab, page: Any) -> None:
    _person("koordinator-holbaek", Role.COORDINATOR, HOLBAEK)
    agent = _person("agent-holbaek-1", Role.AGENT, HOLBAEK)
    other = _person("agent-holbaek-2", Role.AGENT, HOLBAEK)
    greve = Municipality.objects.get(code=GREVE)
    today = timezone.localdate()
    full = MedLytSession.objects.create(date=today, host=greve, capacity=1)
    do_book_session(None, other, full)
    MedLytSession.objects.create(date=today + dt.timedelta(days=1), host=Municipality.objects.get(code=316), capacity=4)
    open_today = MedLytSession.objects.create(date=today, host=Municipality.objects.get(code=259), capacity=4)

    page.goto(f"{live_server.url}/uddannelse/")
    page.get_by_label("Brugernavn").fill("koordinator-holbaek")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{live_server.url}/uddannelse/")
    row = page.locator(f"#trainee-{agent.pk}")
    for step, days_ago in (("elearning", 20), ("course_day", 5)):
        row.locator("select[name=step]").select_option(step)
        row.locator("input[name=on]").fill((today - dt.timedelta(days=days_ago)).isoformat())
        row.get_by_role("button", name="Gem").click()
        page.wait_for_load_state()
        assert "er gemt" in page.locator(".messages").inner_text()
        row = page.locator(f"#trainee-{agent.pk}")
    assert "mangler 1" in row.inner_text()  # the med-lyt day

    row.locator("select[name=session]").select_option(str(full.pk))
    row.get_by_role("button", name="Book").click()
    page.wait_for_load_state()
    assert "fuldt booket (1 pladser)" in page.locator(".messages").inner_text()
    assert not MedLytBooking.objects.filter(person=agent).exists()

    row = page.locator(f"#trainee-{agent.pk}")
    row.locator("select[name=session]").select_option(str(open_today.pk))
    row.get_by_role("button", name="Book").click()
    page.wait_for_load_state()
    assert "er booket på" in page.locator(".messages").inner_text()
    page.locator(f"#trainee-{agent.pk}").get_by_role("button", name="Deltog").click()
    page.wait_for_load_state()
    row = page.locator(f"#trainee-{agent.pk}")
    headers = page.locator("table").first.locator("thead th").all_inner_texts()
    assert "klar" in row.locator("td").nth(headers.index("Hotline")).inner_text()
    assert list(Qualification.objects.filter(person=agent).values_list("line", flat=True)) == ["citizen_service"]
    screenshot(page, "training")
