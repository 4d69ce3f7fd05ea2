"""The kits pages: who sees which landsdel (403 for outsiders and another landsdel's operator), the checklist form,
the move form's bad input, and the day plan queued for the worker, polled and shown in order."""

import datetime as dt
import re

import pytest

from samvirke.consent.models import Disclosure
from samvirke.kits import actions
from samvirke.kits.lib import lifecycle as lc
from samvirke.kits.models import (
    DayPlan,
    DayPlanState,
    DayPlanStop,
    LogisticsTask,
    ReorderPoint,
    TaskKind,
    TaskState,
    UnitEvent,
)
from samvirke.kits.planner import PlanSettings
from tests.conftest import client_for
from tests.consent.conftest import operator_person
from tests.worker import run_queued_tasks

pytestmark = pytest.mark.django_db
DAY = dt.date(2025, 3, 12)
PLAN_FORM = {"date": DAY.isoformat(), "shift_start": "08:00", "shift_end": "16:00", "avg_speed_kmh": "40"}


@pytest.fixture
def logistics(operators):
    return operators["logistics"]


def setup_task(citizen):
    return LogisticsTask.objects.get(citizen=citizen, kind=TaskKind.SETUP)


def test_scoping_of_every_page(
    citizen, stock, operators, secretariat, region_staff, greve_coordinator, other_landsdel, outsider
):
    task = setup_task(citizen)
    pages = ["/telemedicin/udstyr/sjaelland/", "/telemedicin/udstyr/sjaelland/opgaver/",
             "/telemedicin/udstyr/sjaelland/dagsplaner/", f"/telemedicin/udstyr/opgaver/{task.pk}/",
             f"/telemedicin/udstyr/enheder/{stock[0].pk}/"]  # fmt: skip
    stranger = operator_person(other_landsdel, "logistics", "logistik-hovedstaden")
    for person in (operators["logistics"], secretariat, region_staff):
        for url in pages:
            assert client_for(person).get(url).status_code == 200, (person, url)
    for person in (stranger, operators["support"], greve_coordinator, outsider):
        for url in pages:
            assert client_for(person).get(url).status_code == 403, (person, url)
    # region staff read only: no forms, and a POST is refused
    html = client_for(region_staff).get(f"/telemedicin/udstyr/enheder/{stock[0].pk}/").content.decode()
    assert 'id="move-form"' not in html
    post = client_for(region_staff).post(
        f"/telemedicin/udstyr/enheder/{stock[0].pk}/", {"to_status": lc.PREPARING, "location": "x"}
    )
    assert post.status_code == 403 and UnitEvent.objects.filter(unit=stock[0]).count() == 2


def test_stock_shows_the_reorder_warning(landsdel, stock, secretariat):
    ReorderPoint.objects.create(landsdel=landsdel, kind="scale", minimum=3)
    ReorderPoint.objects.create(landsdel=landsdel, kind="tablet", minimum=0)
    html = client_for(secretariat).get("/telemedicin/udstyr/sjaelland/").content.decode()
    assert "Genbestil bluetooth-vægt: 3 på lager, genbestillingspunkt 3." in html
    assert "Genbestil tablet" in html  # 0 tablets ≤ 0
    ReorderPoint.objects.filter(kind="scale").update(minimum=2)
    html = client_for(secretariat).get("/telemedicin/udstyr/sjaelland/").content.decode()
    assert "Genbestil bluetooth-vægt" not in html


def test_tasks_list_highlights_the_benchmark_state(citizen, secretariat):
    html = client_for(secretariat).get("/telemedicin/udstyr/sjaelland/opgaver/").content.decode()
    # referred 3 March 2025, due 19 March 2025: long past today, so breached
    assert 'class="bench-row-breached"' in html and "Fristen overskredet" in html and "SJ-0001" in html
    assert "Karen Hansen" not in html  # the list shows the pseudonymous reference only


def test_the_checklist_form_completes_the_install_and_logs_the_disclosure(citizen, landsdel, stock, logistics):
    task = setup_task(citizen)
    actions.do_build_kit(None, landsdel, stock[:1])
    url = f"/telemedicin/udstyr/opgaver/{task.pk}/"
    page = client_for(logistics).get(url).content.decode()
    assert "Karen Hansen" in page and "ingen sundhedsfaglig rådgivning" in page.lower()
    assert Disclosure.objects.filter(person=logistics, citizen=citizen, refused=False).exists()
    form = {
        "deliver": "on",
        "setup": "on",
        "test": "on",
        "register": "on",
        "visited_at": "2025-03-12T10:00",
        "result": "Virker",
    }
    missing = client_for(logistics).post(url, form)
    assert missing.status_code == 400 and "Tjeklisten mangler: Borgeren instrueret" in missing.content.decode()
    task.refresh_from_db()
    assert task.state == TaskState.OPEN
    done = client_for(logistics).post(url, {**form, "instruct": "on"})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.state == TaskState.DONE and task.result_reported_to == "Hospitalet: Lungemedicinsk afd., Roskilde"
    assert "Meldt til henviseren" in client_for(logistics).get(url).content.decode()


def test_the_move_form_refuses_bad_input_in_danish_and_changes_nothing(stock, logistics):
    unit = actions.do_move_unit(None, stock[0], lc.SCRAPPED, "Genbrug")
    url = f"/telemedicin/udstyr/enheder/{unit.pk}/"
    events = UnitEvent.objects.filter(unit=unit).count()
    for data, message in (
        ({"to_status": lc.IN_USE, "location": "Hos borgeren"}, "kan ikke flyttes"),
        ({"to_status": "flying", "location": "x"}, "Vælg en status fra listen."),
        ({"to_status": lc.IN_STOCK, "location": ""}, "Skriv, hvor enheden er nu."),
    ):
        response = client_for(logistics).post(url, data)
        assert response.status_code == 400 and message in response.content.decode(), data
    unit.refresh_from_db()
    assert (unit.status, unit.location) == (lc.SCRAPPED, "Genbrug")
    assert UnitEvent.objects.filter(unit=unit).count() == events
    ok = client_for(logistics).post(
        f"/telemedicin/udstyr/enheder/{stock[1].pk}/", {"to_status": lc.PREPARING, "location": "Værksted"}
    )
    assert ok.status_code == 302
    html = client_for(logistics).get(f"/telemedicin/udstyr/enheder/{stock[1].pk}/").content.decode()
    assert "På lager → <strong>Klargøres</strong>" in html and "Værksted" in html


# --- the day plan --------------------------------------------------------------------------------------------


def five_visits(landsdel, consent_text):
    """Five citizens around Roskilde with consent, each with an open set-up task, windows staggered through the day."""
    from samvirke.consent.actions import do_record_consent
    from tests.consent.conftest import refer

    places = [(55.64, 12.08), (55.66, 12.10), (55.62, 12.05), (55.68, 12.12), (55.60, 12.02)]
    tasks = []
    for index, (lat, lon) in enumerate(places):
        citizen = refer(landsdel, f"SJ-05{index}", name=f"Borger {index}", latitude=str(lat), longitude=str(lon))
        do_record_consent(None, citizen, operator_kinds=["logistics"], given_at=dt.datetime(2025, 3, 4, tzinfo=dt.UTC))
        task = LogisticsTask.objects.get(citizen=citizen)
        start = dt.datetime.combine(DAY, dt.time(8 + index), tzinfo=dt.timezone(dt.timedelta(hours=1)))
        actions.do_set_window(None, task, start, start + dt.timedelta(minutes=90))
        tasks.append(task)
    return tasks


def test_the_request_only_queues_the_plan_and_the_worker_plans_five_visits_in_order(
    landsdel, consent_text, logistics, monkeypatch
):
    from samvirke.kits import planner

    tasks = five_visits(landsdel, consent_text)
    real_solve = planner.solve
    monkeypatch.setattr(planner, "solve", lambda problem: pytest.fail("the request must not solve"))
    client = client_for(logistics)
    response = client.post("/telemedicin/udstyr/sjaelland/dagsplaner/", {**PLAN_FORM, "shift_start": "07:30"})
    plan = DayPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/telemedicin/udstyr/dagsplaner/{plan.pk}/"
    assert plan.state == DayPlanState.QUEUED and not DayPlanStop.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert f'hx-get="/telemedicin/udstyr/dagsplaner/{plan.pk}/status/"' in page and "I kø" in page
    polled = client.get(f"/telemedicin/udstyr/dagsplaner/{plan.pk}/status/", headers={"HX-Request": "true"})
    assert "HX-Refresh" not in polled
    monkeypatch.setattr(planner, "solve", real_solve)
    assert run_queued_tasks() == 1
    plan.refresh_from_db()
    assert plan.state == DayPlanState.DONE and plan.unplanned == [] and plan.changes == []
    polled = client.get(f"/telemedicin/udstyr/dagsplaner/{plan.pk}/status/", headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"
    stops = list(DayPlanStop.objects.filter(plan=plan).order_by("arrival"))
    assert [s.task_id for s in stops] == [t.pk for t in tasks]  # the windows force the order
    for stop, task in zip(stops, tasks, strict=True):
        task.refresh_from_db()
        assert task.window_start <= stop.arrival <= task.window_end
        assert task.state == TaskState.PLANNED and task.technician == logistics
    html = client.get(f"/telemedicin/udstyr/dagsplaner/{plan.pk}/").content.decode()
    names = re.findall(r"Borger (\d)", html)
    assert names == ["0", "1", "2", "3", "4"] and "hx-get" not in html and "data-print" in html
    # the baseline's figures are shown beside the plan's, a saving only when both fit the same visits
    assert "5 besøg, kørsel i alt" in html and f"metoden når {plan.baseline_planned} besøg" in html
    assert plan.baseline_planned is not None
    assert plan.baseline_planned < 5 or "% mindre" in html
    assert Disclosure.objects.filter(person=logistics, purpose__startswith="Dagsplan").count() == 5


def test_a_plan_notes_tasks_that_changed_while_it_was_solved(landsdel, consent_text, logistics, monkeypatch):
    from samvirke.kits import planner

    tasks = five_visits(landsdel, consent_text)
    real_solve = planner.solve

    def solve_while_a_task_changes(problem):
        actions.do_self_collect(None, tasks[2])  # the citizen collects the kit meanwhile
        return real_solve(problem)

    monkeypatch.setattr(planner, "solve", solve_while_a_task_changes)
    plan = actions.do_request_day_plan(logistics, landsdel, DAY, PlanSettings(shift_start="07:30"))
    run_queued_tasks()
    plan.refresh_from_db()
    assert plan.state == DayPlanState.DONE and plan.changes == [{"task": tasks[2].pk, "change": "gone"}]
    assert not DayPlanStop.objects.filter(task=tasks[2]).exists() and DayPlanStop.objects.count() == 4
    html = client_for(logistics).get(f"/telemedicin/udstyr/dagsplaner/{plan.pk}/").content.decode()
    assert "Opgaverne er ændret, mens planen blev lagt" in html


def test_a_plan_without_technicians_is_refused_at_once(landsdel, secretariat):
    response = client_for(secretariat).post("/telemedicin/udstyr/sjaelland/dagsplaner/", PLAN_FORM)
    assert response.status_code == 400 and "ingen teknikere" in response.content.decode()
    assert not DayPlan.objects.exists()


def test_a_failing_solver_ends_the_plan_as_failed(landsdel, consent_text, logistics, monkeypatch):
    from samvirke.kits import planner

    five_visits(landsdel, consent_text)
    monkeypatch.setattr(planner, "solve", lambda problem: (_ for _ in ()).throw(planner.PlanningError("Øv.")))
    plan = actions.do_request_day_plan(logistics, landsdel, DAY)
    run_queued_tasks()
    plan.refresh_from_db()
    assert plan.state == DayPlanState.FAILED and plan.error == "Øv."
    assert (
        "Planlægningen fejlede: Øv."
        in client_for(logistics).get(f"/telemedicin/udstyr/dagsplaner/{plan.pk}/").content.decode()
    )
