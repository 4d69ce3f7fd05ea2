"""Building a week's rota: the forecast from the history before today, reports without NaN, named agents planned by
the solver (availability, most hours a week), and the yearly balance carried into the next week."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from django.utils import timezone

from samvirke.contact.lib.traffic import CALLS_PER_YEAR, DENMARK_POPULATION
from samvirke.contact.models import Contact, Queue
from samvirke.directory.models import Fellesskab, Municipality, Person, Role
from samvirke.staffing import actions, builder
from samvirke.staffing.lib.forecast import History
from samvirke.staffing.models import AgentAvailability, AgentHours, Rota, RotaStatus, Shift
from tests.conftest import client_for
from tests.training.helpers import train
from tests.worker import run_queued_tasks

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 25)  # a Wednesday; the week of 30 November is next week
MONDAY_THIS_WEEK = dt.date(2026, 11, 23)
SETTINGS = actions.RotaSettings(calls_per_year=2000, shrinkage=0, time_limit_seconds=10)
WEEKDAYS_9_TO_14 = {str(d): [["09:00", "14:00"]] for d in range(5)}


@pytest.fixture(autouse=True)
def short_opening_hours(db: None) -> None:
    """Mon–Fri 9–14: a 25-hour week the test fællesskab's three members (22–41 hours a week) can cover."""
    Queue.objects.filter(is_default=True).update(opening_hours=WEEKDAYS_9_TO_14)


def history(weeks: int, per_weekday: int = 30, last_day: dt.date = TODAY - dt.timedelta(days=1)) -> int:
    """`per_weekday` calls every weekday (9.00–14.00) for `weeks` weeks up to `last_day`: 150 a week."""
    hotline = Queue.objects.get(is_default=True)
    local = timezone.get_current_timezone()
    contacts = []
    day = last_day - dt.timedelta(weeks=weeks) + dt.timedelta(days=1)
    while day <= last_day:
        if day.weekday() < 5:
            for n in range(per_weekday):
                contacts.append(
                    Contact(
                        channel="phone",
                        external_id=f"h{day}-{n}",
                        queue=hotline,
                        state="ended",
                        municipality_source="unknown",
                        offered_at=dt.datetime.combine(day, dt.time(9), tzinfo=local) + dt.timedelta(minutes=9 * n),
                    )
                )
        day += dt.timedelta(days=1)
    Contact.objects.bulk_create(contacts)
    return len(contacts)


def hours_now() -> object:
    from samvirke.core.lib.opening import parse_opening_hours

    return parse_opening_hours(WEEKDAYS_9_TO_14)


# --- 1. the forecast for weeks that have not started ---------------------------------------------------------


@pytest.mark.parametrize("weeks_ahead", [0, 1, 2, 3])
def test_a_week_ahead_is_forecast_at_the_weekly_volume_from_the_history_before_today(
    fellesskab: Fellesskab, weeks_ahead: int
) -> None:
    history(10)  # 150 calls a week, up to yesterday
    week = MONDAY_THIS_WEEK + dt.timedelta(weeks=weeks_ahead)
    predicted = builder.forecast_week(week, hours_now(), 0, 0.01, TODAY)
    assert predicted.history_end == min(week, TODAY)  # not the Monday of a week that has not happened yet
    assert predicted.forecast.start == week and predicted.forecast.days == 7
    assert predicted.forecast.total() == pytest.approx(150, rel=0.05)
    assert predicted.error is not None and predicted.error["holdout_weeks"] == 4
    assert predicted.error["wape_day"] < 0.05 and abs(predicted.error["bias"]) < 0.05


def test_a_past_week_is_forecast_from_the_history_before_it(fellesskab: Fellesskab) -> None:
    history(10)
    predicted = builder.forecast_week(MONDAY_THIS_WEEK - dt.timedelta(weeks=2), hours_now(), 0, 0.01, TODAY)
    assert predicted.history_end == MONDAY_THIS_WEEK - dt.timedelta(weeks=2)
    assert predicted.forecast.total() == pytest.approx(150, rel=0.05)


def test_planning_three_weeks_ahead_builds_the_page_from_history(
    secretariat: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    calls = history(10)
    week = MONDAY_THIS_WEEK + dt.timedelta(weeks=3)
    form = {"week": week.isoformat(), "calls_per_year": "", "aht_seconds": "270", "target_service_level": "0.8",
            "target_seconds": "60", "shrinkage": "0"}  # fmt: skip
    response = client_for(secretariat).post("/bemanding/", form)
    assert response.status_code == 302, response.content.decode()[:1000]
    assert run_queued_tasks() == 1
    rota = Rota.objects.get()
    assert rota.forecast_source.startswith(f"{calls} henvendelser")
    assert sum(rota.volumes) == pytest.approx(150, rel=0.05)
    error = rota.report["forecast_error"]
    assert error["holdout_weeks"] == 4 and all(math.isfinite(error[key]) for key in ("wape_day", "bias"))
    html = client_for(secretariat).get(f"/bemanding/{week.isoformat()}/").content.decode()
    assert 'id="forecast-error"' in html and "WAPE" in html and "skævhed" in html and "sidste 4 uger" in html


# --- 2. nothing non-finite in the report ---------------------------------------------------------------------


def test_opening_hours_shorter_than_the_shortest_shift_give_a_danish_report_and_dashes(
    secretariat: Person, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(timezone, "localdate", lambda *args: TODAY)
    Queue.objects.filter(is_default=True).update(opening_hours={str(d): [["09:00", "10:00"]] for d in range(5)})
    form = {"week": "2026-11-30", "calls_per_year": "20000", "aht_seconds": "270", "target_service_level": "0.8",
            "target_seconds": "60", "shrinkage": "0"}  # fmt: skip
    response = client_for(secretariat).post("/bemanding/", form)
    assert response.status_code == 302
    assert run_queued_tasks() == 1
    rota = Rota.objects.get()
    assert not rota.shifts.exists() and rota.report["coverage_met"] is False
    assert rota.report["simulation"]["asa_seconds"] is None  # nobody answers: no mean wait, not NaN
    assert any("Ingen vagt på 2–4 timer kan ligge inden for åbningstiden" in p for p in rota.report["problems"])
    page = client_for(secretariat).get("/bemanding/2026-11-30/")
    html = page.content.decode()
    assert page.status_code == 200 and "gns. ventetid –" in html and "Prognosens fejl: –" in html


def test_the_holdout_error_is_none_when_the_held_out_weeks_had_no_contacts() -> None:
    counts = np.zeros((42, 48))
    for day in range(14):
        if (dt.date(2026, 9, 7) + dt.timedelta(days=day)).weekday() < 5:
            counts[day, 20] = 10.0  # two weeks of calls, then four quiet weeks
    assert builder._holdout_error(History(dt.date(2026, 9, 7), counts), hours_now()) is None


def test_finite_turns_nan_and_infinity_into_none_anywhere() -> None:
    report = {"a": math.nan, "b": [1.0, math.inf, {"c": -math.inf}], "d": "tekst", "e": 2}
    assert builder._finite(report) == {"a": None, "b": [1.0, None, {"c": None}], "d": "tekst", "e": 2}


# --- 4. named agents planned by the solver -------------------------------------------------------------------


def _agent(username: str, code: int = 316, trained: bool = True) -> Person:
    """An agent of the member; trained for the hotline (training app) unless told otherwise."""
    person = Person.objects.create(
        username=username,
        first_name=username.title(),
        role=Role.AGENT,
        municipality=Municipality.objects.get(code=code),
    )
    if trained:
        train(person)
    return person


def test_an_agent_unavailable_on_fridays_never_gets_a_friday_shift(fellesskab: Fellesskab) -> None:
    anna, bo = _agent("anna"), _agent("bo")
    for weekday in range(4):
        AgentAvailability.objects.create(person=anna, weekday=weekday, starts=dt.time(9), ends=dt.time(14))
    rota = actions.do_build_rota(None, fellesskab, dt.date(2026, 11, 30), SETTINGS, today=TODAY)
    holbaek = list(rota.shifts.filter(municipality__code=316))
    assert holbaek and all(s.agent in (anna, bo) for s in holbaek)  # the solver named them, no greedy leftovers
    assert not [s for s in holbaek if s.agent == anna and s.starts_at.astimezone(timezone.get_current_timezone())
                .weekday() == 4]  # fmt: skip
    assert rota.report["bands_held"] is True
    row = next(m for m in rota.report["members"] if m["kommunekode"] == 316)
    assert row["named_agents"] == 2


def test_an_agents_most_hours_a_week_hold(fellesskab: Fellesskab) -> None:
    anna, bo = _agent("anna"), _agent("bo")
    AgentHours.objects.create(person=anna, max_hours_per_week=3)
    rota = actions.do_build_rota(None, fellesskab, dt.date(2026, 11, 30), SETTINGS, today=TODAY)
    assert sum(s.hours for s in rota.shifts.filter(agent=anna)) <= 3
    assert sum(s.hours for s in rota.shifts.filter(agent=bo)) > 0
    mine = sorted((s.starts_at, s.ends_at) for s in rota.shifts.filter(agent=bo))
    assert all(a[1] <= b[0] for a, b in zip(mine, mine[1:], strict=False))  # no overlaps


def test_when_availability_makes_the_band_impossible_the_report_names_member_and_agent(
    fellesskab: Fellesskab,
) -> None:
    anna = _agent("anna")
    AgentAvailability.objects.create(person=anna, weekday=0, starts=dt.time(9), ends=dt.time(11))
    rota = actions.do_build_rota(None, fellesskab, dt.date(2026, 11, 30), SETTINGS, today=TODAY)
    assert rota.report["bands_held"] is False
    problem = next(p for p in rota.report["problems"] if "Holbæk" in p)
    assert "Anna" in problem and "tilgængelighed" in problem and "højst 2 timer" in problem
    local = timezone.get_current_timezone()
    assert all(s.starts_at.astimezone(local).hour == 9 for s in rota.shifts.filter(agent=anna))


def test_agents_not_trained_for_the_hotline_get_no_shifts_and_are_named_in_the_notes(fellesskab: Fellesskab) -> None:
    anna = _agent("anna")
    bo = _agent("bo", trained=False)
    late = _agent("carl", trained=False)
    train(late, on=dt.date(2026, 12, 1))  # qualified only after the week's Monday
    rota = actions.do_build_rota(None, fellesskab, dt.date(2026, 11, 30), SETTINGS, today=TODAY)
    holbaek = list(rota.shifts.filter(municipality__code=316))
    assert holbaek and {s.agent for s in holbaek} == {anna}
    assert not rota.shifts.filter(agent__in=[bo, late]).exists()
    row = next(m for m in rota.report["members"] if m["kommunekode"] == 316)
    assert row["named_agents"] == 1
    assert any("Holbæk: 2 agent(er) er ikke uddannet til hotlinen" in n for n in rota.report["notes"])


def test_members_without_agents_are_still_planned_anonymously(fellesskab: Fellesskab) -> None:
    rota = actions.do_build_rota(None, fellesskab, dt.date(2026, 11, 30), SETTINGS, today=TODAY)
    assert rota.shifts.exists() and not rota.shifts.exclude(agent=None).exists()
    assert rota.report["coverage_met"] is True and rota.report["bands_held"] is True


# --- 5. the yearly balance ---------------------------------------------------------------------------------------


def test_a_member_behind_its_obligation_gets_more_hours_the_next_week(fellesskab: Fellesskab) -> None:
    first = actions.do_build_rota(None, fellesskab, dt.date(2026, 11, 23), SETTINGS, today=TODAY)
    before = {row["kommunekode"]: row for row in first.report["members"]}
    assert before[316]["balance_hours"] == 0
    worked = before_hours(first, 316)
    Shift.objects.filter(rota=first, municipality__code=316).delete()  # Holbæk's week was not worked
    Rota.objects.filter(pk=first.pk).update(status=RotaStatus.PUBLISHED)
    second = actions.do_build_rota(None, fellesskab, dt.date(2026, 11, 30), SETTINGS, today=TODAY)
    after = {row["kommunekode"]: row for row in second.report["members"]}
    assert after[316]["balance_hours"] == pytest.approx(-after[316]["target"])  # one week owed, none worked
    assert after[316]["adjusted_target"] > after[316]["target"]
    holbaek = sum(s.hours for s in second.shifts.filter(municipality__code=316))
    assert holbaek > worked  # it catches up
    for code in (253, 259):  # the others: what they worked less one week's target
        assert after[code]["balance_hours"] == pytest.approx(
            before_hours(first, code) - after[code]["target"], abs=0.01
        )


def before_hours(rota: Rota, code: int) -> float:
    return sum(s.hours for s in rota.shifts.filter(municipality__code=code))


# --- many named agents: stage 1 pools them -------------------------------------------------------------------


def test_with_many_agents_the_solver_pools_them_and_still_honours_availability_and_hours(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from samvirke.staffing.lib import rota as lib
    from samvirke.staffing.lib.rota import model

    monkeypatch.setattr(model, "EXACT_AGENT_VARIABLES", 0)  # as if there were hundreds of agents
    intervals = lib.intervals_from_opening_hours({d: [(dt.time(9), dt.time(14))] for d in range(5)})
    not_friday = tuple(lib.Window(d, dt.time(9), dt.time(14)) for d in range(4))
    members = (
        lib.RotaMember(101, "A", 8, 16, 12, agents=(lib.Agent("a1", availability=not_friday), lib.Agent("a2"))),
        lib.RotaMember(102, "B", 8, 16, 12, agents=(lib.Agent("b1", max_hours=4), lib.Agent("b2"), lib.Agent("b3"))),
    )
    problem = lib.RotaProblem(tuple(intervals), (1,) * len(intervals), members, rules=lib.ShiftRules.between(2, 4))
    result = lib.solve_rota(problem, time_limit_seconds=10)
    assert result.has_plan and result.coverage_met and result.bands_held
    assert all(shift.agent_id for shift in result.shifts)  # every shift on a named agent
    assert not [s for s in result.shifts if s.agent_id == "a1" and s.weekday == 4]
    assert sum(s.hours for s in result.shifts if s.agent_id == "b1") <= 4
    for agent in ("a1", "a2", "b1", "b2", "b3"):
        days = [s.weekday for s in result.shifts if s.agent_id == agent]
        assert len(days) == len(set(days))  # at most one shift a day


def test_the_demo_rota_is_built_and_published_once_for_this_week_and_the_next(fellesskab: Fellesskab) -> None:
    from samvirke.staffing.demo import load_demo_rota

    holbaek = _agent("agent-holbaek-2")
    summary = load_demo_rota(fellesskab, TODAY)
    assert summary.startswith("Vagtplan: uge 48 og uge 49 bygget og offentliggjort")
    rotas = list(Rota.objects.order_by("week_start"))
    assert [r.week_start for r in rotas] == [MONDAY_THIS_WEEK, MONDAY_THIS_WEEK + dt.timedelta(weeks=1)]
    # Without two weeks of history: the hotline's calls scaled by the members' share of Denmark's population.
    population = sum(m.municipality.population for m in fellesskab.memberships.select_related("municipality"))
    volume = f"{round(CALLS_PER_YEAR * population / DENMARK_POPULATION):,} opkald om året".replace(",", ".")
    assert all(r.status == RotaStatus.PUBLISHED and r.forecast_source == volume for r in rotas)
    local = timezone.get_current_timezone()
    mornings = [s for s in Shift.objects.filter(agent=holbaek)]
    assert all(s.ends_at.astimezone(local).time() <= dt.time(12) for s in mornings)  # mornings only
    assert AgentHours.objects.get(person=holbaek).max_hours_per_week == 15
    assert load_demo_rota(fellesskab, TODAY) == "Vagtplan: 2 uger havde allerede en vagtplan; intet bygget."
    assert Rota.objects.count() == 2


def test_the_admin_lists_availability_and_weekly_maximums(admin_client: object, fellesskab: Fellesskab) -> None:
    anna = _agent("anna")
    AgentAvailability.objects.create(person=anna, weekday=0, starts=dt.time(9), ends=dt.time(11))
    AgentHours.objects.create(person=anna, max_hours_per_week=15)
    for url in ("/admin/staffing/agentavailability/", "/admin/staffing/agenthours/"):
        response = admin_client.get(url)  # type: ignore[attr-defined]
        assert response.status_code == 200 and "Anna" in response.content.decode()
