"""A rota build leaves the request (issue 11): the page only queues it, the background worker computes it outside
any transaction and writes it in one short one, the week page shows its progress and result, a second build of
the same week is told about the first, and a build that crashed is marked failed instead of running for good."""

from __future__ import annotations

import datetime as dt
import re
import threading
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from samvirke.audit.models import AuditEntry
from samvirke.contact.models import Queue
from samvirke.directory.models import Fellesskab, Membership, MembershipStatus, Person, Role
from samvirke.staffing import actions, builder, tasks
from samvirke.staffing.lib import builds
from samvirke.staffing.models import BuildState, Rota, RotaBuild, RotaStatus
from tests.conftest import _person, client_for
from tests.staffing.test_rota_pages import BUILD, WEEK
from tests.worker import run_queued_tasks

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def short_opening_hours(db: None) -> None:
    """Mon–Fri 9–14: a week the three test members can cover, solved in a second or two."""
    Queue.objects.filter(is_default=True).update(opening_hours={str(d): [["09:00", "14:00"]] for d in range(5)})


def request_build(client: Client, form: dict[str, str] | None = None) -> Any:
    return client.post("/bemanding/", form or BUILD)


def a_build(
    fellesskab: Fellesskab, state: str, ago: dt.timedelta, by: Person | None = None, **fields: Any
) -> RotaBuild:
    """A build of week 49 in `state`, requested (and in its phase since) `ago`."""
    moment = timezone.now() - ago
    return RotaBuild.objects.create(
        fellesskab=fellesskab,
        week_start=MONDAY,
        state=state,
        requested_by=by,
        requested_at=moment,
        started_at=None if state == BuildState.QUEUED else moment,
        phase_since=None if state == BuildState.QUEUED else moment,
        settings=actions.RotaSettings(time_limit_seconds=30).as_dict(),
        **fields,
    )


# --- the request queues, the worker builds ---------------------------------------------------------------------


def test_the_request_only_queues_the_build_and_returns(secretariat: Person, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_solving_here(*args: object, **kwargs: object) -> None:
        raise AssertionError("the request must not compute the rota")

    monkeypatch.setattr(actions, "plan_rota", no_solving_here)
    monkeypatch.setattr(tasks, "plan_rota", no_solving_here)
    response = request_build(client_for(secretariat))
    assert response.status_code == 302 and response["Location"] == f"/bemanding/{WEEK}/"
    build = RotaBuild.objects.get()
    assert build.state == BuildState.QUEUED and build.requested_by == secretariat and build.week_start == MONDAY
    assert build.settings["calls_per_year"] == 2000 and build.settings["time_limit_seconds"] == 30
    assert not Rota.objects.exists()
    task = DBTaskResult.objects.get()
    assert task.task_path == "samvirke.staffing.tasks.build_rota" and task.args_kwargs["args"] == [build.pk]
    assert AuditEntry.objects.filter(action="staffing.request_rota_build", object_id=str(build.pk)).exists()
    page = client_for(secretariat).get(f"/bemanding/{WEEK}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Vagtplanen bygges" in html and 'aria-current="step">I kø<' in html
    assert 'hx-get="/bemanding/2026-11-30/opbygning/"' in html and "htmx" in html  # polled while it runs


def test_the_worker_builds_the_rota_and_the_page_shows_it_with_the_result(secretariat: Person) -> None:
    request_build(client_for(secretariat))
    assert run_queued_tasks() == 1
    build = RotaBuild.objects.get()
    rota = Rota.objects.get()
    assert build.state == BuildState.DONE and build.rota == rota and build.finished_at is not None
    assert rota.created_by == secretariat and rota.shifts.exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    entry = AuditEntry.objects.get(action="staffing.build_rota")
    assert entry.actor == secretariat and entry.details["build"] == build.pk
    html = client_for(secretariat).get(f"/bemanding/{WEEK}/").content.decode()
    assert 'data-state="done"' in html and "Færdig" in html and 'id="member-hours"' in html
    assert "hx-get" not in html  # nothing left to poll


def test_the_status_card_reloads_the_page_when_a_polled_build_is_done(secretariat: Person) -> None:
    request_build(client_for(secretariat))
    polled = client_for(secretariat).get(f"/bemanding/{WEEK}/opbygning/", headers={"HX-Request": "true"})
    assert polled.status_code == 200 and "HX-Refresh" not in polled and "I kø" in polled.content.decode()
    run_queued_tasks()
    polled = client_for(secretariat).get(f"/bemanding/{WEEK}/opbygning/", headers={"HX-Request": "true"})
    assert polled["HX-Refresh"] == "true"


def test_the_solver_phase_shows_its_time_limit_and_the_time_spent(
    fellesskab: Fellesskab, secretariat: Person, holbaek_agent: Person
) -> None:
    a_build(fellesskab, BuildState.SOLVING, dt.timedelta(seconds=12), by=secretariat)
    html = client_for(holbaek_agent).get(f"/bemanding/{WEEK}/opbygning/").content.decode()
    assert 'aria-current="step">Løser (CP-SAT)<' in html and "step-done" in html
    spent = re.search(r"(\d+) af højst 30 sekunder", html)
    assert spent is not None and 12 <= int(spent.group(1)) <= 14
    bar = re.search(r'<progress class="build-bar" max="100" value="(\d+)"', html)
    assert bar is not None and 40 <= int(bar.group(1)) <= 47
    assert "bestilt af Sekretariat" in html and "tidsgrænse 30 s" in html


def test_the_worker_reports_each_phase_as_it_reaches_it(secretariat: Person, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_advance = actions.do_advance_rota_build

    def advance(build_id: int, state: str, now: dt.datetime | None = None) -> None:
        real_advance(build_id, state, now)
        seen.append(RotaBuild.objects.get(pk=build_id).state)

    monkeypatch.setattr(actions, "do_advance_rota_build", advance)
    request_build(client_for(secretariat))
    run_queued_tasks()
    assert seen == [BuildState.SOLVING, BuildState.SIMULATING]
    assert RotaBuild.objects.get().state == BuildState.DONE


def test_the_forecast_history_ends_the_day_the_build_was_asked_for(
    secretariat: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    days: list[dt.date] = []
    real_plan = tasks.plan_rota

    def plan(fellesskab: Fellesskab, day: dt.date, settings: Any, today: dt.date, **kwargs: Any) -> Any:
        days.append(today)
        return real_plan(fellesskab, day, settings, today, **kwargs)

    monkeypatch.setattr(tasks, "plan_rota", plan)
    request_build(client_for(secretariat))
    asked = dt.datetime(2026, 11, 24, 23, 30, tzinfo=dt.UTC)  # 00.30 on the 25th in Copenhagen
    RotaBuild.objects.update(requested_at=asked)
    monkeypatch.setattr(timezone, "now", lambda: asked + dt.timedelta(minutes=1))
    run_queued_tasks()
    assert days == [dt.date(2026, 11, 25)]


def test_with_the_immediate_backend_the_build_runs_after_the_commit_not_inside_it(
    secretariat: Person, settings: Any, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """TASKS_BACKEND=immediate runs a task where it is enqueued: the build must then start after the request's
    transaction has committed, never inside it (where it would hold SQLite's write lock for the whole solve)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
    planned: list[int] = []
    real_plan = tasks.plan_rota

    def plan(*args: Any, **kwargs: Any) -> Any:
        planned.append(1)
        return real_plan(*args, **kwargs)

    monkeypatch.setattr(tasks, "plan_rota", plan)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = request_build(client_for(secretariat))
    assert response.status_code == 302 and RotaBuild.objects.get().state == BuildState.QUEUED and planned == []
    assert len(callbacks) == 1  # the build waits for the commit
    callbacks[0]()
    assert planned == [1] and RotaBuild.objects.get().state == BuildState.DONE and Rota.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_a_typing_error_in_the_yearly_calls_is_refused(secretariat: Person) -> None:
    response = request_build(client_for(secretariat), {**BUILD, "calls_per_year": "2660000000"})
    assert response.status_code == 400 and not RotaBuild.objects.exists()


# --- one build of a week at a time -----------------------------------------------------------------------------


def test_a_second_request_for_the_same_week_is_told_who_started_the_first(
    secretariat: Person, fellesskab: Fellesskab
) -> None:
    other = _person("sekretariat-2", Role.SECRETARIAT)
    other.first_name, other.last_name = "Karen", "Lund"
    other.save()
    request_build(client_for(other))
    started = timezone.localtime(RotaBuild.objects.get().requested_at)
    client = client_for(secretariat)
    response = request_build(client, {**BUILD, "week": "2026-12-04"})  # another day of the same week
    assert response.status_code == 302 and response["Location"] == f"/bemanding/{WEEK}/"
    html = client.get(response["Location"]).content.decode()
    assert f"En opbygning af uge 49 er allerede i gang, startet af Karen Lund kl. {started:%H.%M}." in html
    assert RotaBuild.objects.count() == 1 and DBTaskResult.objects.count() == 1
    run_queued_tasks()
    assert Rota.objects.count() == 1


def test_when_two_requests_pass_the_check_at_once_the_database_lets_one_through(
    secretariat: Person, fellesskab: Fellesskab, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL runs two requests side by side: both can find no build running. The partial unique constraint
    stops the second insert, and that request is told about the first."""
    first = a_build(fellesskab, BuildState.QUEUED, dt.timedelta(seconds=1), by=secretariat)
    real_active = actions._active_build
    calls = iter([None])  # the check sees nothing, as it would in the race; afterwards the truth

    def racing(fellesskab: Fellesskab, week_start: dt.date) -> RotaBuild | None:
        return next(calls, real_active(fellesskab, week_start))

    monkeypatch.setattr(actions, "_active_build", racing)
    with pytest.raises(actions.BuildAlreadyRunning, match="allerede i gang, startet af Sekretariat") as refused:
        actions.do_request_rota_build(secretariat, fellesskab, MONDAY, actions.RotaSettings())
    assert refused.value.build == first
    assert RotaBuild.objects.count() == 1 and not DBTaskResult.objects.exists()


def test_a_build_for_another_week_may_run_beside_it(secretariat: Person, fellesskab: Fellesskab) -> None:
    a_build(fellesskab, BuildState.SOLVING, dt.timedelta(seconds=5))
    response = request_build(client_for(secretariat), {**BUILD, "week": "2026-12-07"})
    assert response.status_code == 302 and response["Location"] == "/bemanding/2026-12-07/"
    assert RotaBuild.objects.filter(state__in=builds.ACTIVE).count() == 2


def test_a_published_week_is_refused_before_anything_is_queued(secretariat: Person) -> None:
    client = client_for(secretariat)
    request_build(client)
    run_queued_tasks()
    client.post(f"/bemanding/{WEEK}/offentliggoer/")
    response = request_build(client)
    assert response.status_code == 400 and "offentliggjort og kan ikke bygges om" in response.content.decode()
    assert RotaBuild.objects.count() == 1 and DBTaskResult.objects.count() == 1


def test_a_week_published_while_it_was_built_keeps_its_published_rota(
    secretariat: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = client_for(secretariat)
    request_build(client)
    run_queued_tasks()
    rota = Rota.objects.get()
    shifts = sorted(rota.shifts.values_list("pk", flat=True))
    request_build(client)  # a rebuild of the draft
    real_plan = tasks.plan_rota

    def published_meanwhile(*args: Any, **kwargs: Any) -> Any:
        plan = real_plan(*args, **kwargs)
        Rota.objects.filter(pk=rota.pk).update(status=RotaStatus.PUBLISHED)  # e.g. by hand in the admin
        return plan

    monkeypatch.setattr(tasks, "plan_rota", published_meanwhile)
    run_queued_tasks()
    build = RotaBuild.objects.order_by("-pk").first()
    assert build is not None and build.state == BuildState.FAILED
    assert "blev offentliggjort, mens den blev bygget" in build.failure
    assert sorted(rota.shifts.values_list("pk", flat=True)) == shifts  # untouched


def test_publishing_waits_for_a_running_build_of_the_week(secretariat: Person) -> None:
    client = client_for(secretariat)
    request_build(client)
    run_queued_tasks()
    request_build(client)  # a rebuild: the draft on the page is about to be replaced
    html = client.get(f"/bemanding/{WEEK}/").content.decode()
    assert "Offentliggør</button>" not in html
    response = client.post(f"/bemanding/{WEEK}/offentliggoer/", follow=True)
    assert "Offentliggør vagtplanen, når opbygningen er færdig" in response.content.decode()
    assert Rota.objects.get().status == RotaStatus.DRAFT


def test_a_task_delivered_twice_builds_once(secretariat: Person) -> None:
    request_build(client_for(secretariat))
    build = RotaBuild.objects.get()
    run_queued_tasks()
    assert tasks.run_rota_build(build.pk) == f"build {build.pk}: nothing to run"
    assert AuditEntry.objects.filter(action="staffing.build_rota").count() == 1


# --- failures: a Danish reason, never "running" for good ---------------------------------------------------------


def test_what_cannot_be_planned_fails_the_build_with_its_danish_reason(
    secretariat: Person, fellesskab: Fellesskab
) -> None:
    request_build(client_for(secretariat))
    Membership.objects.update(status=MembershipStatus.LEFT)  # between the request and the worker
    run_queued_tasks()
    build = RotaBuild.objects.get()
    assert build.state == BuildState.FAILED and build.failure == "Fællesskabet har ingen aktive medlemmer i den uge."
    assert build.failed_in == BuildState.FORECASTING
    html = client_for(secretariat).get(f"/bemanding/{WEEK}/").content.decode()
    assert 'role="alert"' in html and "Opbygningen fejlede" in html and "ingen aktive medlemmer" in html
    assert AuditEntry.objects.filter(action="staffing.rota_build_failed").exists()


def test_a_crash_in_the_worker_marks_the_build_failed_and_keeps_the_traceback(
    secretariat: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(tasks, "plan_rota", crash)
    request_build(client_for(secretariat))
    run_queued_tasks()
    build = RotaBuild.objects.get()
    assert build.state == BuildState.FAILED and "intern fejl (ZeroDivisionError)" in build.failure
    task = DBTaskResult.objects.get()
    assert task.status == "FAILED" and "a bug" in task.traceback
    assert not Rota.objects.exists()
    # The week is free again.
    monkeypatch.undo()
    assert request_build(client_for(secretariat)).status_code == 302
    assert RotaBuild.objects.filter(state=BuildState.QUEUED).count() == 1


def test_a_worker_that_died_while_solving_leaves_a_failed_build_and_a_free_week(
    fellesskab: Fellesskab, secretariat: Person
) -> None:
    """A build whose worker was killed stays "solving" in the database; past the solver's time limit and a margin
    it shows as failed, and the next request marks it so and starts a new one."""
    dead = a_build(fellesskab, BuildState.SOLVING, dt.timedelta(seconds=30) + builds.SILENCE_MARGIN + dt.timedelta(1))
    html = client_for(secretariat).get(f"/bemanding/{WEEK}/").content.decode()
    assert 'data-state="failed"' in html and "holdt op med at melde tilbage under «løser (cp-sat)»" in html
    assert "hx-get" not in html
    response = request_build(client_for(secretariat))
    assert response.status_code == 302
    dead.refresh_from_db()
    assert dead.state == BuildState.FAILED and "holdt op med at melde tilbage" in dead.failure
    assert RotaBuild.objects.filter(state=BuildState.QUEUED).count() == 1


def test_a_running_build_within_its_time_is_not_taken_for_dead(fellesskab: Fellesskab, secretariat: Person) -> None:
    a_build(fellesskab, BuildState.SOLVING, dt.timedelta(seconds=30) + builds.SILENCE_MARGIN - dt.timedelta(seconds=5))
    response = request_build(client_for(secretariat))
    assert response.status_code == 302 and RotaBuild.objects.count() == 1


def test_a_build_no_worker_took_is_failed_and_a_late_worker_skips_it(
    fellesskab: Fellesskab, secretariat: Person
) -> None:
    request_build(client_for(secretariat))
    RotaBuild.objects.update(requested_at=timezone.now() - builds.QUEUED_TIMEOUT - dt.timedelta(seconds=1))
    html = client_for(secretariat).get(f"/bemanding/{WEEK}/").content.decode()
    assert "kom ikke i gang inden for 10 minutter" in html
    run_queued_tasks()  # the worker starts at last: too late, the build is given up
    build = RotaBuild.objects.get()
    assert build.state == BuildState.FAILED and not Rota.objects.exists()


def test_a_build_given_up_while_it_ran_writes_nothing(secretariat: Person, monkeypatch: pytest.MonkeyPatch) -> None:
    real_plan = tasks.plan_rota

    def slow(*args: Any, **kwargs: Any) -> Any:
        plan = real_plan(*args, **kwargs)
        RotaBuild.objects.update(state=BuildState.FAILED, failure="givet op")  # someone expired it meanwhile
        return plan

    monkeypatch.setattr(tasks, "plan_rota", slow)
    request_build(client_for(secretariat))
    run_queued_tasks()
    assert not Rota.objects.exists() and RotaBuild.objects.get().failure == "givet op"


def test_the_week_list_shows_running_and_failed_builds(fellesskab: Fellesskab, secretariat: Person) -> None:
    a_build(fellesskab, BuildState.SOLVING, dt.timedelta(seconds=3), by=secretariat)
    html = client_for(secretariat).get("/bemanding/").content.decode()
    assert 'id="running-builds"' in html and "uge 49 2026" in html and "Løser med CP-SAT (bestilt af" in html
    assert "ingen vagtplan endnu" in html
    RotaBuild.objects.update(state=BuildState.FAILED, failure="Fællesskabet har ingen aktive medlemmer i den uge.")
    html = client_for(secretariat).get("/bemanding/").content.decode()
    assert 'id="running-builds"' not in html and 'class="build-tag build-failed">Fejlet<' in html


def test_only_the_fellesskab_sees_a_builds_progress(secretariat: Person, outsider: Person) -> None:
    request_build(client_for(secretariat))
    assert Client().get(f"/bemanding/{WEEK}/opbygning/").status_code == 302
    assert client_for(outsider).get(f"/bemanding/{WEEK}/opbygning/").status_code == 403
    assert client_for(secretariat).get("/bemanding/2026-12-07/opbygning/").status_code == 404


# --- the same on PostgreSQL, with real concurrency ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_secretaries_clicking_at_once_start_one_build(fellesskab: Fellesskab, secretariat: Person) -> None:
    """Two requests in two threads (two database connections), released together."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises the two transactions (IMMEDIATE); the race needs PostgreSQL")
    Queue.objects.filter(is_default=True).update(opening_hours={str(d): [["09:00", "14:00"]] for d in range(5)})
    other = _person("sekretariat-2", Role.SECRETARIAT)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def click(person: Person) -> None:
        try:
            start.wait()
            actions.do_request_rota_build(person, fellesskab, MONDAY, builder.RotaSettings())
            outcomes.append("queued")
        except actions.BuildAlreadyRunning:
            outcomes.append("told")
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(person,)) for person in (secretariat, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["queued", "told"]
    assert RotaBuild.objects.count() == 1 and DBTaskResult.objects.count() == 1
