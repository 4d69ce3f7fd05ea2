"""Support's writes: set-up (the telemedicine line reaches its own queue), cases critical first, the tree walk,
forwarding (Logistics creates kits' exchange task; Service a request), closing only after follow-up, masking."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from samvirke.audit.models import AuditEntry
from samvirke.consent.actions import do_withdraw_consent
from samvirke.consent.models import ProgrammeCitizen
from samvirke.contact import selectors as contact_selectors
from samvirke.contact.models import Queue
from samvirke.directory.models import LineNumber, Person
from samvirke.kits.models import LogisticsTask, Unit
from samvirke.telecare.models import Landsdel
from samvirke.telesupport import selectors
from samvirke.telesupport.actions import (
    SupportActionError,
    do_close_case,
    do_follow_up,
    do_forward,
    do_open_case,
    do_record_lesson,
    do_resolve,
    do_setup_landsdel_support,
    do_walk_tree,
)
from samvirke.telesupport.models import CaseState, ProblemTree, ServiceRequest, SupportCase, TelesupportSettings
from tests.telesupport.conftest import LINE_NUMBER

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_setup_makes_the_line_its_queue_settings_and_trees_once(
    landsdel: Landsdel, support: TelesupportSettings
) -> None:
    queue = Queue.objects.get(line="telemedicine")
    assert queue.skill is not None and queue.skill.slug == "telemedicine_support"
    assert queue.opening_hours["0"] == [["08:00", "16:00"]] and "5" not in queue.opening_hours
    assert ProblemTree.objects.filter(landsdel=landsdel).count() == 4
    # a call to the region's number on the line is routed to the line's own queue
    contact_selectors.forget_cached_queues()
    info = contact_selectors.hotline_number(LINE_NUMBER)
    assert info is not None and info[0] == "telemedicine"
    assert contact_selectors.queue_for_line(info[0]).pk == queue.pk
    entries = AuditEntry.objects.filter(action="telesupport.setup").count()
    do_setup_landsdel_support(None, landsdel, line_number=LINE_NUMBER)
    assert Queue.objects.filter(line="telemedicine").count() == 1
    assert LineNumber.objects.filter(line="telemedicine").count() == 1
    assert ProblemTree.objects.filter(landsdel=landsdel).count() == 4
    assert AuditEntry.objects.filter(action="telesupport.setup").count() == entries + 1  # the number, re-stated


def test_setup_refuses_a_bad_number_and_one_in_use(landsdel: Landsdel, support: TelesupportSettings) -> None:
    with pytest.raises(SupportActionError, match="8 cifre"):
        do_setup_landsdel_support(None, landsdel, line_number="12ab")
    LineNumber.objects.create(region=landsdel.region, line="health_apps", number="71717171")
    with pytest.raises(SupportActionError, match="bruges allerede"):
        do_setup_landsdel_support(None, landsdel, line_number="71717171")
    assert LineNumber.objects.get(line="telemedicine").number == LINE_NUMBER


def test_cases_are_listed_critical_first_then_by_age(
    landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    agent = operators["support"]
    opened = {}
    for minutes, priority in ((0, "low"), (10, "normal"), (20, "critical"), (30, "high"), (40, "critical")):
        case = do_open_case(
            agent,
            landsdel,
            device_kind="tablet",
            description=f"Sag {minutes}",
            priority=priority,
            citizen_ref=citizen.citizen_ref,
            at=T0 + dt.timedelta(minutes=minutes),
        )
        opened[minutes] = case.pk
    order = [c.pk for c in selectors.desk_cases(landsdel)]
    assert order == [opened[20], opened[40], opened[30], opened[10], opened[0]]


def test_open_case_refuses_bad_input_and_changes_nothing(
    landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person]
) -> None:
    agent = operators["support"]
    for kwargs, message in (
        ({"device_kind": "toaster", "description": "x y z"}, "udstyret"),
        ({"device_kind": "scale", "description": "  "}, "beskrivelse"),
        ({"device_kind": "scale", "description": "Vægt", "priority": "urgent!"}, "prioritet"),
        ({"device_kind": "scale", "description": "Vægt", "citizen_ref": "SJ-9999"}, "ingen borger"),
    ):
        with pytest.raises(SupportActionError, match=message):
            do_open_case(agent, landsdel, **kwargs)  # type: ignore[arg-type]
    assert not SupportCase.objects.exists()


def test_free_text_is_masked(landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person]) -> None:
    case = do_open_case(
        operators["support"], landsdel, device_kind="app", description="Borger 010203-1234 kan ikke logge ind"
    )
    assert "010203" not in case.description and "[CPR-nummer]" in case.description
    assert all("010203" not in e.note for e in case.events.all())


def test_walk_records_answers_and_the_outcome_and_a_wrong_answer_changes_nothing(
    landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    agent = operators["support"]
    case = do_open_case(agent, landsdel, device_kind="scale", description="Vægten viser intet", citizen_ref="SJ-0001")
    result = do_walk_tree(agent, case, ["Nej"])
    assert not result.done
    case.refresh_from_db()
    assert case.tree_answers == ["Nej"] and case.outcome_node == ""
    with pytest.raises(SupportActionError, match="ikke et svar"):
        do_walk_tree(agent, case, ["Nej", "Måske"])
    case.refresh_from_db()
    assert case.tree_answers == ["Nej"]
    result = do_walk_tree(agent, case, ["Nej", "Nej"])
    assert result.done
    case.refresh_from_db()
    assert case.outcome_node == "ombyt-vaegt" and case.cause == "Vægt defekt"
    assert case.events.filter(kind="tree_outcome").exists()


def test_forwarding_to_logistics_creates_an_exchange_task(
    landsdel: Landsdel,
    support: TelesupportSettings,
    operators: dict[str, Person],
    citizen: ProgrammeCitizen,
    scale: Unit,
) -> None:
    agent = operators["support"]
    case = do_open_case(agent, landsdel, device_kind="scale", description="Vægten er død", citizen_ref="SJ-0001")
    do_walk_tree(agent, case, ["Nej", "Nej"])
    do_forward(agent, case, "logistics", unit=scale)
    case.refresh_from_db()
    assert case.state == CaseState.FORWARDED and case.forwarded_to == "logistics"
    task = LogisticsTask.objects.get(kind="exchange", citizen=citizen)
    assert case.exchange_task_id == task.pk and task.unit_id == scale.pk
    assert case.follow_up_at is not None


def test_forwarding_to_logistics_needs_the_unit_and_consent(
    landsdel: Landsdel,
    support: TelesupportSettings,
    operators: dict[str, Person],
    citizen: ProgrammeCitizen,
    scale: Unit,
) -> None:
    agent = operators["support"]
    case = do_open_case(agent, landsdel, device_kind="scale", description="Vægten er død", citizen_ref="SJ-0001")
    with pytest.raises(SupportActionError, match="enhed"):
        do_forward(agent, case, "logistics")
    for consent in citizen.consents.all():
        do_withdraw_consent(None, consent)
    with pytest.raises(SupportActionError, match="samtykke"):
        do_forward(agent, case, "logistics", unit=scale)
    assert not LogisticsTask.objects.filter(kind="exchange").exists()
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_forwarding_to_service_creates_a_request(
    landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person], citizen: ProgrammeCitizen
) -> None:
    agent = operators["support"]
    case = do_open_case(agent, landsdel, device_kind="tablet", description="Intet net", citizen_ref="SJ-0001")
    do_walk_tree(agent, case, ["Tabletten", "Ja", "Nej", "Nej", "Nej"])
    do_forward(agent, case, "service", "Tjek SIM i MDM")
    request = ServiceRequest.objects.get(case=case)
    assert request.text == "Tjek SIM i MDM"
    with pytest.raises(SupportActionError):
        do_forward(agent, case, "plumber")


def test_closing_needs_the_follow_up(
    landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person]
) -> None:
    agent = operators["support"]
    case = do_open_case(agent, landsdel, device_kind="app", description="Appen starter ikke")
    do_resolve(agent, case, "Genstart hjalp")
    with pytest.raises(SupportActionError, match="fulgt op"):
        do_close_case(agent, case)
    case.refresh_from_db()
    assert case.state == CaseState.FOLLOW_UP and case.closed_at is None
    with pytest.raises(SupportActionError, match="opfølgningen"):
        do_follow_up(agent, case, "  ")
    do_follow_up(agent, case, "Borgeren bekræfter, at appen virker")
    do_close_case(agent, case, at=timezone.now())
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED and case.closed_at is not None
    with pytest.raises(SupportActionError, match="lukket"):
        do_walk_tree(agent, case, [])
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["opened", "resolved", "followed_up", "closed"]


def test_a_lesson_can_propose_a_tree_change(
    landsdel: Landsdel, other_landsdel: Landsdel, support: TelesupportSettings, operators: dict[str, Person]
) -> None:
    agent = operators["support"]
    case = do_open_case(agent, landsdel, device_kind="scale", description="Parring fejler")
    lesson = do_record_lesson(agent, landsdel, "Spørg om tabletten er tæt på", case=case, proposes_tree_change=True)
    assert lesson.device_kind == "scale" and lesson.proposes_tree_change
    with pytest.raises(SupportActionError, match="anden landsdel"):
        do_record_lesson(agent, other_landsdel, "Forkert landsdel", case=case)
