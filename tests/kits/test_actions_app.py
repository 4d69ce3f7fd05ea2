import datetime as dt

import pytest

from samvirke.audit.models import AuditEntry
from samvirke.consent.actions import do_withdraw_consent
from samvirke.kits import actions
from samvirke.kits.lib import lifecycle as lc
from samvirke.kits.models import CHECKLIST_STEPS, Kit, KitUnit, LogisticsTask, TaskKind, TaskState, UnitEvent
from tests.consent.conftest import refer

pytestmark = pytest.mark.django_db
ALL_DONE = {step: True for step, _ in CHECKLIST_STEPS}


def refusals():
    return list(AuditEntry.objects.filter(action="kits.refused").values_list("details", flat=True))


def test_units_move_through_the_lifecycle_with_an_event_each(stock):
    unit = stock[0]
    for status in (lc.PREPARING, lc.INSTALLED, lc.IN_USE, lc.FAULT, lc.COLLECTED, lc.CLEANING, lc.IN_STOCK):
        unit = actions.do_move_unit(None, unit, status, "Lager Sorø")
    trail = list(UnitEvent.objects.filter(unit=unit).values_list("from_status", "to_status"))
    assert trail[:3] == [("", lc.ORDERED), (lc.ORDERED, lc.IN_STOCK), (lc.IN_STOCK, lc.PREPARING)]
    assert trail[-1] == (lc.CLEANING, lc.IN_STOCK)


def test_scrapped_to_in_use_is_refused_nothing_changed_and_logged(stock):
    unit = actions.do_move_unit(None, stock[0], lc.SCRAPPED, "Genbrugsstation")
    events = UnitEvent.objects.count()
    with pytest.raises(actions.KitsActionError, match="Kasseret"):
        actions.do_move_unit(None, unit, lc.IN_USE, "Hos borgeren")
    unit.refresh_from_db()
    assert (unit.status, unit.location) == (lc.SCRAPPED, "Genbrugsstation")
    assert UnitEvent.objects.count() == events
    assert refusals()[-1]["action"] == "move_unit" and refusals()[-1]["to"] == lc.IN_USE


def test_a_unit_in_two_kits_is_refused(landsdel, stock):
    kit = actions.do_build_kit(None, landsdel, stock[:2])
    with pytest.raises(actions.KitsActionError, match="allerede i et andet kit: S-2"):
        actions.do_build_kit(None, landsdel, stock[1:])
    assert Kit.objects.count() == 1 and KitUnit.objects.filter(kit=kit).count() == 2
    assert refusals()[-1]["action"] == "build_kit"
    assert actions.do_pair_kit(None, kit).paired


def test_a_task_for_a_citizen_without_consent_is_refused(landsdel, consent_text):
    citizen = refer(landsdel, "SJ-0099")  # referred, no consent recorded: the referral makes no task either
    assert not LogisticsTask.objects.exists()
    with pytest.raises(actions.KitsActionError, match="samtykke"):
        actions.do_create_setup(None, citizen)
    assert not LogisticsTask.objects.exists()
    assert refusals()[-1]["action"] == "create_setup"


def test_withdrawn_consent_stops_new_tasks(citizen):
    do_withdraw_consent(None, citizen.consents.get())
    with pytest.raises(actions.KitsActionError):
        actions.do_create_takedown(None, citizen)


def test_setup_is_due_by_the_benchmark_and_completes_with_the_checklist(citizen, landsdel, stock):
    task = actions.do_create_setup(None, citizen, kit=actions.do_build_kit(None, landsdel, stock[:1]))
    assert task.due == dt.date(2025, 3, 19)  # referred Mon 3 March 2025, standard: 12 working days
    start = dt.datetime(2025, 3, 12, 9, tzinfo=dt.UTC)
    task = actions.do_set_window(None, task, start, start + dt.timedelta(hours=2))
    with pytest.raises(actions.KitsActionError, match="Tjeklisten mangler: Borgeren instrueret"):
        actions.do_complete_install(None, task, {**ALL_DONE, "instruct": False}, start, "ok")
    with pytest.raises(actions.KitsActionError, match="uden for opgavens tidsvindue"):
        actions.do_complete_install(None, task, ALL_DONE, start + dt.timedelta(hours=3), "ok")
    task.refresh_from_db()
    assert task.state == TaskState.OPEN and task.completed_at is None
    assert stock[0].__class__.objects.get(pk=stock[0].pk).status == lc.IN_STOCK
    done = actions.do_complete_install(None, task, ALL_DONE, start + dt.timedelta(minutes=30), "Målinger modtages")
    assert done.state == TaskState.DONE
    assert done.result_reported_to == "Hospitalet: Lungemedicinsk afd., Roskilde"
    unit = stock[0].__class__.objects.get(pk=stock[0].pk)
    assert (unit.status, unit.citizen_id) == (lc.INSTALLED, citizen.pk)


def test_a_bad_window_is_refused(citizen):
    task = actions.do_create_takedown(None, citizen)
    at = dt.datetime(2025, 3, 12, 9, tzinfo=dt.UTC)
    with pytest.raises(actions.KitsActionError, match="slutte efter"):
        actions.do_set_window(None, task, at, at)


def test_exchange_marks_the_unit_faulty_and_end_of_course_makes_a_takedown(citizen, stock):
    from samvirke.consent.actions import do_end_course

    unit = stock[0]
    for status in (lc.PREPARING, lc.INSTALLED, lc.IN_USE):
        unit = actions.do_move_unit(None, unit, status, "Hos borgeren", citizen=citizen)
    task = actions.do_create_exchange(None, citizen, unit, "Vægten viser ikke noget")
    unit.refresh_from_db()
    assert (task.kind, unit.status) == (TaskKind.EXCHANGE, lc.FAULT)
    do_end_course(None, citizen, dt.date(2025, 9, 1))
    assert LogisticsTask.objects.filter(citizen=citizen, kind=TaskKind.TAKEDOWN).count() == 1


def test_self_collect(citizen):
    task = actions.do_create_setup(None, citizen)
    assert actions.do_self_collect(None, task).state == TaskState.SELF_COLLECT
    with pytest.raises(actions.KitsActionError):
        actions.do_self_collect(None, task)
