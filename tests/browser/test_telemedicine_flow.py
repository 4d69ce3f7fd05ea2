"""Issue 16's walk in a real browser: a citizen in the COPD programme (consent covering support and logistics) calls
about a broken scale on the region's telemedicine number → the call reaches the agent qualified for the line →
the agent opens a support case from the desk and walks the scale's problem tree to the exchange → the case is
forwarded to Logistics (an exchange task) → the technician plans the day on the kits page (the background task)
and the plan holds the exchange → the technician completes the exchange on the task page (a new scale from stock
installed in the citizen's kit, the old one collected) → the old scale goes cleaning → in stock (its timeline shows
it) → the case page shows the new scale at the citizen's, the case gets its follow-up and is closed (its history in
Danish). Screenshots of the day plan, the done exchange, the old scale's timeline and the case page."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from samvirke.consent.models import Operator, OperatorKind, OperatorUser, ProgrammeCitizen
from samvirke.contact import selectors as contact_selectors
from samvirke.contact.models import AgentState, Contact, Queue, Skill
from samvirke.directory.models import Person, Role
from samvirke.kits.models import DayPlan, DayPlanStop, LogisticsTask, Unit
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.actions import do_setup_landsdel_support
from samvirke.telesupport.models import CaseState, SupportCase
from tests.browser.conftest import screenshot
from tests.conftest import GREVE, PASSWORD, _person
from tests.consent.conftest import citizen, consent_text, landsdel, operators  # noqa: F401 (fixtures)
from tests.contact.conftest import Telephony
from tests.telesupport.conftest import LINE_NUMBER, make_unit
from tests.training.helpers import train
from tests.worker import run_queued_tasks

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base_url: str, username: str, then: str) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base_url}{then}")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(f"{base_url}{then}")


def _line_agent(landsdel: Landsdel) -> Person:  # noqa: F811  (the fixture's name, as a parameter)
    """An agent of Greve (a member) who works for the landsdel's support operator, trained for the line."""
    person = _person("agent-greve-tm", Role.AGENT, GREVE)
    operator = Operator.objects.get(landsdel=landsdel, kind=OperatorKind.SUPPORT)
    OperatorUser.objects.create(person=person, operator=operator)
    state = AgentState.objects.create(person=person, status_since=timezone.now())
    state.skills.add(Skill.objects.get(slug="telemedicine_support"))
    train(person, telemedicine=True, on=timezone.localdate() - dt.timedelta(days=30))
    return person


def _move(page: Any, base_url: str, unit: Unit, status: str, location: str) -> None:
    page.goto(f"{base_url}/telemedicin/udstyr/enheder/{unit.pk}/")
    page.locator("#move-form select[name=to_status]").select_option(status)
    page.get_by_label("Placering").fill(location)
    page.get_by_role("button", name="Flyt").click()
    assert "Enheden er flyttet." in page.locator(".messages").inner_text()


def test_a_broken_scale_from_the_call_to_the_closed_case(
    live_server: Any,
    browser: Any,
    landsdel: Landsdel,  # noqa: F811
    operators: dict[str, Person],  # noqa: F811
    citizen: ProgrammeCitizen,  # noqa: F811
) -> None:
    do_setup_landsdel_support(None, landsdel, line_number=LINE_NUMBER)
    Queue.objects.filter(line="telemedicine").update(
        opening_hours={str(day): [["00:00", "24:00"]] for day in range(7)}  # the walk runs at any hour
    )
    contact_selectors.forget_cached_queues()
    old_scale = make_unit(landsdel, citizen, "scale", "SC-0001")
    new_scale = make_unit(landsdel, None, "scale", "SC-0002")
    Unit.objects.filter(pk=new_scale.pk).update(status="in_stock", location="Lager Roskilde")
    agent = _line_agent(landsdel)
    base = live_server.url

    # The agent is ready at the desk; the citizen calls the region's telemedicine number.
    desk = browser.new_page()
    log_in(desk, base, agent.username, "/kontaktcenter/")
    desk.get_by_role("button", name="Klar").click()
    desk.wait_for_function("document.querySelector('button[value=ready]').disabled")
    Telephony().offer("tm-scale-1", timezone.now(), called=LINE_NUMBER)
    contact = Contact.objects.get(external_id="tm-scale-1")
    assert contact.queue.line == "telemedicine" and contact.agent_id == agent.pk
    desk.get_by_role("button", name="Besvar").click()

    # The desk offers the support case (a new tab); the agent opens it for the citizen's scale.
    with desk.context.expect_page() as opened:
        desk.get_by_role("link", name="Opret supportsag").click()
    case_page = opened.value
    case_page.wait_for_load_state()
    case_page.get_by_label("Borgerreference").fill(citizen.citizen_ref)
    case_page.get_by_label("Udstyr").select_option("scale")
    case_page.get_by_label("Beskrivelse (skriv ikke CPR-nummer)").fill("Vægten viser ingenting, når borgeren vejer sig")
    case_page.get_by_role("button", name="Opret supportsag").click()
    case = SupportCase.objects.get()
    case_page.wait_for_url(f"{base}/telesupport/sager/{case.pk}/")
    assert case.contact_id == contact.pk and case.citizen_id == citizen.pk

    # The problem tree: no display → new batteries do not help → exchange at Logistics.
    assert "Viser vægtens display noget" in case_page.locator("#question").inner_text()
    case_page.locator("#tree-walk").get_by_role("button", name="Nej").click()
    case_page.locator("#tree-walk").get_by_role("button", name="Nej").click()
    assert "bestil en ombytning hos Logistik" in case_page.locator("#outcome").inner_text()
    forward = case_page.locator("#forward")
    assert forward.locator("select[name=forward_to]").input_value() == "logistics"
    forward.locator("select[name=unit]").select_option(str(old_scale.pk))
    forward.get_by_role("button", name="Videresend").click()
    task = LogisticsTask.objects.get(kind="exchange")
    assert task.unit_id == old_scale.pk and task.citizen_id == citizen.pk
    case.refresh_from_db()
    assert case.exchange_task_id == task.pk

    # The technician plans the day on the kits page; the background task solves it; the plan holds the exchange.
    tech = browser.new_page()
    day = timezone.localdate() + dt.timedelta(days=1)
    log_in(tech, base, "logistics-sjaelland", "/telemedicin/udstyr/sjaelland/dagsplaner/")
    tech.get_by_label("Dato").fill(day.isoformat())
    tech.get_by_role("button", name="Planlæg dagen").click()
    plan = DayPlan.objects.get()
    tech.wait_for_url(f"{base}/telemedicin/udstyr/dagsplaner/{plan.pk}/")
    assert run_queued_tasks() == 1
    assert DayPlanStop.objects.filter(plan=plan, task=task).exists()
    tech.goto(f"{base}/telemedicin/udstyr/dagsplaner/{plan.pk}/")
    assert "Karen Hansen" in tech.locator("main").inner_text()
    screenshot(tech, "telemedicine-flow-day-plan-1280")

    # The visit, registered on the task page: the new scale picked from stock (only scales are offered), the
    # checklist ticked; the new scale is installed in the citizen's kit and the old one collected.
    tech.goto(f"{base}/telemedicin/udstyr/opgaver/{task.pk}/")
    exchange = tech.locator("#exchange-form")
    offered = exchange.locator("select[name=new_unit] option").all_inner_texts()
    assert [o for o in offered if o.startswith("SC-")] == ["SC-0002 – Model scale (på lager, Lager Roskilde)"]
    exchange.get_by_label("Ny enhed fra lageret").select_option(str(new_scale.pk))
    for step in ("Ny enhed sat op og parret", "Testet (måling sendt)", "Den defekte enhed taget med"):
        exchange.get_by_label(step).check()
    exchange.get_by_label("Borgeren instrueret (ingen sundhedsfaglig rådgivning)").check()
    exchange.get_by_role("button", name="Registrér ombytningen").click()
    tech.wait_for_url(f"{base}/telemedicin/udstyr/opgaver/{task.pk}/")
    assert "Ombytningen er registreret" in tech.locator(".messages").inner_text()
    assert "SC-0001 byttet med SC-0002" in tech.locator("#result").inner_text()
    screenshot(tech, "telemedicine-flow-exchange-done-1280")
    task.refresh_from_db()
    new_scale.refresh_from_db()
    old_scale.refresh_from_db()
    assert task.state == "done" and task.result_reported_to
    assert (new_scale.status, new_scale.citizen_id) == ("installed", citizen.pk)
    assert old_scale.status == "collected"

    # After the visit the old scale is cleaned and put back in stock (through its unit page).
    for status, location in (("cleaning", "Værksted Roskilde"), ("in_stock", "Lager")):
        _move(tech, base, old_scale, status, location)
    old_scale.refresh_from_db()
    assert old_scale.status == "in_stock" and old_scale.citizen_id is None
    timeline = tech.locator("main").inner_text()
    statuses = list(old_scale.events.order_by("at", "pk").values_list("to_status", flat=True))
    assert statuses[-4:] == ["fault", "collected", "cleaning", "in_stock"]
    for location in ("Hentet hos borgeren", "Værksted Roskilde"):
        assert location in timeline
    screenshot(tech, "telemedicine-flow-old-scale-1280")

    # The support case shows the new scale at the citizen's in the kit's operational status.
    case_page.goto(f"{base}/telesupport/sager/{case.pk}/")
    kit_status = case_page.locator("#kit").inner_text()
    assert "SC-0002" in kit_status and "Leveret og installeret" in kit_status
    assert "SC-0001" not in kit_status  # back in stock, no longer the citizen's

    # Support follows up with the citizen and closes the case.
    case_page.goto(f"{base}/telesupport/sager/{case.pk}/")
    case_page.locator("#follow-up").get_by_label("Opfølgning (hvad sagde borgeren?)").fill("Den nye vægt virker")
    case_page.locator("#follow-up").get_by_role("button", name="Registrér opfølgning").click()
    case_page.get_by_role("button", name="Luk sagen").click()
    case_page.locator("#history").get_by_text("Sag lukket").wait_for()
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.follow_up_note
    history = case_page.locator("#history").inner_text()
    for label in ("Sag oprettet", "Problemtræets resultat", "Videresendt", "Opfølgning", "Sag lukket"):
        assert label in history
    for key in ("opened", "tree_outcome", "forwarded", "followed_up", "closed"):
        assert f"– {key}" not in history
    assert "I KOL-programmet\nJa" in case_page.locator("#citizen").inner_text().replace("\t", "\n")
    screenshot(case_page, "telemedicine-flow-case-1280")
