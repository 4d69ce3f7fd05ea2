"""A municipality joins, in a real browser: the secretariat registers Lejre's intake, sees the planner's proposal
with every date explained and creates the cohort; Lejre's coordinator ticks its checklist, is refused "Agenter
uddannet" until it has recorded its agent's training (e-learning, course day, med-lyt) on the training page, then
ticks it. Before the last step Lejre's agent gets no call and Lejre no rota shift; after it, both (the call through
the signed telephony API, the rota through staffing's action)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samvirke.contact.models import Queue
from samvirke.contact.selectors import forget_cached_queues
from samvirke.directory.models import Fellesskab, Membership, Municipality, Person, Role
from samvirke.staffing import actions as staffing_actions
from samvirke.training.models import MedLytSession
from tests.browser.conftest import screenshot
from tests.browser.test_rota_build_in_browser import log_in, watch
from tests.conftest import _person
from tests.contact.conftest import Telephony

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 11, 25)
WEEKS = (dt.date(2026, 11, 30), dt.date(2026, 12, 7))
ROTA = staffing_actions.RotaSettings(calls_per_year=2000, shrinkage=0, time_limit_seconds=10)


def _hours(opening: dict[str, list[list[str]]]) -> None:
    Queue.objects.update(opening_hours=opening)
    forget_cached_queues()


def _lejre_gets_a_call_and_shifts(fellesskab: Fellesskab, telephony: Telephony, n: int) -> tuple[bool, bool]:
    _hours({str(d): [["09:00", "14:00"]] for d in range(5)})
    rota = staffing_actions.do_build_rota(None, fellesskab, WEEKS[n], ROTA, today=TODAY)
    has_shifts = rota.shifts.filter(municipality__code=350).exists()
    _hours({str(d): [["00:00", "24:00"]] for d in range(7)})
    now = timezone.now()
    telephony.agent("agent-lejre-1", "ready", now)
    reply = telephony.offer(f"call-{n}", now + dt.timedelta(seconds=1)).json()
    telephony.event("call_abandoned", now + dt.timedelta(seconds=2), call_id=f"call-{n}")
    telephony.agent("agent-lejre-1", "pause", now + dt.timedelta(seconds=3))
    return reply["agent"] == "agent-lejre-1", has_shifts


def test_intake_cohort_checklist_first_shift(
    live_server: Any, fellesskab: Fellesskab, secretariat: Person, browser: Any
) -> None:
    _person("koordinator-lejre", Role.COORDINATOR, 350)
    agent = _person("agent-lejre-1", Role.AGENT, 350)
    today = timezone.localdate()
    medlyt = MedLytSession.objects.create(date=today, host=Municipality.objects.get(code=316), capacity=4)
    telephony = Telephony()
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page)

    # The secretariat registers the intake.
    log_in(page, live_server.url, "sekretariat", "/optagelse/ny/")
    page.get_by_label("Kommune").select_option(label="Lejre Kommune")
    page.locator("#id_contact_name").fill("Kim Hansen")
    page.get_by_label("Kontaktpersonens e-mail").fill("kim@lejre.dk")
    page.get_by_label("Sekretariatet fik besked den").fill("2026-03-02")
    page.get_by_label("Ønsket første vagt (valgfri)").fill("2026-06-01")
    page.get_by_role("button", name="Registrér").click()
    page.wait_for_url(f"{live_server.url}/optagelse/plan/")

    # The proposal explains the date; the secretariat creates the cohort.
    heading = page.get_by_role("heading", name="Hold 1: første vagt 02.06.2026")
    assert heading.is_visible()
    why = page.locator("td.why").inner_text()
    assert "varslet 2. marts 2026 + 3 måneders varsel = 2. juni 2026" in why
    screenshot(page, "onboarding-plan")
    page.get_by_role("button", name="Opret hold 1").click()
    page.wait_for_url(f"{live_server.url}/optagelse/")
    assert "Holdet med første vagt 02.06.2026 er oprettet" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/optagelse/tidslinje/")
    assert page.locator("#timeline g.member").count() == 1
    assert not Membership.objects.get(municipality__code=350).ready_for_shifts

    # Before the checklist is done: no call for Lejre's agent, no rota shift for Lejre.
    assert _lejre_gets_a_call_and_shifts(fellesskab, telephony, 0) == (False, False)

    # Lejre's coordinator ticks its checklist in its own browser.
    coordinator = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}).new_page()
    coordinator.set_default_timeout(15_000)
    problems += watch(coordinator)
    log_in(coordinator, live_server.url, "koordinator-lejre", "/optagelse/kommune/350/")
    assert "Ikke klar" in coordinator.locator("#readiness").inner_text()
    for step in ("Opstartsmøde", "Samarbejdsaftale underskrevet", "IVR og numre sat op", "Guidevarianter klar"):
        coordinator.get_by_role("button", name=f"Udført: {step}").click()
        coordinator.wait_for_load_state()
    # "Agenter uddannet" is refused until the training records show a trained agent.
    coordinator.get_by_role("button", name="Udført: Agenter uddannet").click()
    coordinator.wait_for_load_state()
    assert "Ingen af kommunens agenter er uddannet" in coordinator.locator(".messages").inner_text()

    # Training: the coordinator records the agent's e-learning and course day and books the med-lyt day.
    coordinator.goto(f"{live_server.url}/uddannelse/")
    row = coordinator.locator(f"#trainee-{agent.pk}")
    for step, days_ago in (("elearning", 20), ("course_day", 5)):
        row.locator("select[name=step]").select_option(step)
        row.locator("input[name=on]").fill((today - dt.timedelta(days=days_ago)).isoformat())
        row.get_by_role("button", name="Gem").click()
        coordinator.wait_for_load_state()
        row = coordinator.locator(f"#trainee-{agent.pk}")
    row.locator("select[name=session]").select_option(str(medlyt.pk))
    row.get_by_role("button", name="Book").click()
    coordinator.wait_for_load_state()
    coordinator.locator(f"#trainee-{agent.pk}").get_by_role("button", name="Deltog").click()
    coordinator.wait_for_load_state()
    screenshot(coordinator, "onboarding-training")

    coordinator.goto(f"{live_server.url}/optagelse/kommune/350/")
    coordinator.get_by_role("button", name="Udført: Agenter uddannet").click()
    coordinator.wait_for_load_state()
    assert coordinator.get_by_role("button", name="Fortryd").count() == 5
    assert "Klar: kommunens agenter får opkald og vagter" in coordinator.locator("#readiness").inner_text()
    screenshot(coordinator, "onboarding-checklist-done")

    # After: the first shift comes: Lejre's agent gets the call, Lejre gets rota shifts.
    assert _lejre_gets_a_call_and_shifts(fellesskab, telephony, 1) == (True, True)
    assert problems == []
    context.close()
