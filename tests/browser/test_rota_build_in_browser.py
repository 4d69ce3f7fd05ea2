"""A rota build's progress in a real browser at 1280 px: the secretariat asks for a week, lands on the week page,
which polls the build with htmx through its phases and reloads to the finished rota; a second secretary asking for
the same week is sent to the running build and told who started it.

The worker's steps are taken here, in the test's thread, with the same calls staffing/tasks.py makes (claim, phase,
plan, save): the suite's SQLite database is an in-memory one the live server shares with this thread, and a third
connection (a worker thread) would meet its table locks. The worker itself runs as a real process in
tests/staffing/test_live_traffic_during_a_build.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samvirke.contact.models import Queue
from samvirke.directory.models import Fellesskab, Person, Role
from samvirke.staffing import actions
from samvirke.staffing.builder import RotaSettings, plan_rota
from samvirke.staffing.models import BuildState, RotaBuild
from tests.browser.conftest import screenshot
from tests.conftest import PASSWORD, _person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WEEK = "2026-11-30"


def log_in(page: Any, base_url: str, username: str, then: str) -> None:
    page.goto(f"{base_url}{then}")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base_url}{then}")


def watch(page: Any) -> list[str]:
    """Console errors and error responses the page meets (the site has no favicon; that one is answered here)."""
    page.route("**/favicon.ico", lambda route: route.fulfill(status=204))
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on(
        "response",
        lambda response: problems.append(f"{response.status} {response.url}") if response.status >= 400 else None,
    )
    return problems


def test_the_week_page_follows_a_build_from_the_queue_to_the_finished_rota(
    live_server: Any, fellesskab: Fellesskab, secretariat: Person, browser: Any
) -> None:
    Queue.objects.filter(is_default=True).update(opening_hours={str(d): [["09:00", "14:00"]] for d in range(5)})
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page)
    log_in(page, live_server.url, "sekretariat", "/bemanding/")

    week_field = page.get_by_label("Uge (en dag i ugen)")
    next_monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday()) + dt.timedelta(days=7)
    assert week_field.input_value() == next_monday.isoformat()  # the date input shows its date
    week_field.fill(WEEK)
    page.get_by_label("Opkald om året").fill("2000")
    page.get_by_label("Svind (andel)").fill("0")
    page.get_by_label("Løserens tidsgrænse (sek.)").fill("10")
    page.get_by_role("button", name="Byg vagtplan").click()
    page.wait_for_url(f"{live_server.url}/bemanding/{WEEK}/")
    card = page.locator("#build-status")
    assert card.get_attribute("data-state") == "queued"
    assert "bygges nu i baggrunden" in page.locator(".messages").inner_text()
    assert page.locator('.build-steps [aria-current="step"]').inner_text() == "I kø"

    # A second secretary asks for the same week meanwhile: sent to the running build, told who started it.
    other = _person("sekretariat-2", Role.SECRETARIAT)
    second = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900}).new_page()
    log_in(second, live_server.url, other.username, "/bemanding/")
    second.get_by_label("Uge (en dag i ugen)").fill("2026-12-02")
    second.get_by_role("button", name="Byg vagtplan").click()
    second.wait_for_url(f"{live_server.url}/bemanding/{WEEK}/")
    assert (
        "En opbygning af uge 49 er allerede i gang, startet af Sekretariat kl."
        in second.locator(".messages").inner_text()
    )
    assert RotaBuild.objects.count() == 1
    second.context.close()

    # The worker claims the build and starts the solver: the page follows by itself.
    build = actions.do_start_rota_build(RotaBuild.objects.get().pk)
    assert build is not None
    page.wait_for_selector('#build-status[data-state="forecasting"]')
    actions.do_advance_rota_build(build.pk, BuildState.SOLVING)
    page.wait_for_selector('#build-status[data-state="solving"]')
    assert "af højst 10 sekunder" in card.inner_text()
    assert page.locator("progress.build-bar").is_visible()
    assert page.locator('.build-steps [aria-current="step"]').inner_text() == "Løser (CP-SAT)"
    screenshot(page, "rota-build-solving")

    # The plan is written: the page reloads itself to the finished rota.
    settings = RotaSettings.from_dict(build.settings)
    plan = plan_rota(build.fellesskab, build.week_start, settings, timezone.localdate(build.requested_at))
    actions.do_save_rota(secretariat, plan, build=build)
    page.wait_for_selector('#build-status[data-state="done"]')
    page.wait_for_selector("#member-hours")
    assert "Bygget kl." in page.locator("#build-status").inner_text()
    assert page.locator(".week-cal").is_visible()
    assert page.locator(".week-cal-scroll").evaluate("el => el.scrollWidth <= el.clientWidth")  # fits at 1280 px
    screenshot(page, "rota-build-done")
    assert problems == []
    context.close()


def test_a_failed_build_says_why_in_the_browser(
    live_server: Any, fellesskab: Fellesskab, secretariat: Person, browser: Any
) -> None:
    Queue.objects.filter(is_default=True).update(opening_hours={str(d): [["09:00", "14:00"]] for d in range(5)})
    build = actions.do_request_rota_build(secretariat, fellesskab, dt.date(2026, 11, 30), RotaSettings())
    context = browser.new_context(locale="da-DK", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = watch(page)
    log_in(page, live_server.url, "sekretariat", f"/bemanding/{WEEK}/")
    actions.do_start_rota_build(build.pk)
    actions.do_fail_rota_build(build.pk, "Fællesskabet har ingen aktive medlemmer i den uge.")
    page.wait_for_selector('#build-status[data-state="failed"]')
    alert = page.get_by_role("alert")
    assert "Opbygningen fejlede" in alert.inner_text() and "ingen aktive medlemmer" in alert.inner_text()
    assert page.get_by_role("link", name="Byg ugen igen").is_visible()
    screenshot(page, "rota-build-failed")
    assert problems == []
    context.close()
