"""The telemedicine line as a line of the contact centre (issue 16): directory's Line, the training's module that
qualifies for it, routing that gives its calls only to agents qualified for it, the KPIs per line, and the agent's
desk offering "Opret supportsag" on its calls (contact/desk_actions.py, filled by telesupport at start-up)."""

from __future__ import annotations

import datetime as dt

import pytest

from samvirke.consent.models import Operator, OperatorKind, OperatorUser, ProgrammeCitizen
from samvirke.contact import selectors as contact_selectors
from samvirke.contact.models import AgentState, Contact, Skill
from samvirke.directory.models import Line, Person, Role
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.models import SupportCase, TelesupportSettings
from samvirke.training.lib.qualification import TELEMEDICINE_LINE, TrainingState, is_qualified, missing_steps
from samvirke.training.models import Qualification
from tests.conftest import GREVE, HOLBAEK, _person, client_for
from tests.contact.conftest import MONDAY_10, Telephony, at, telephony  # noqa: F401  (fixture)
from tests.telesupport.conftest import LINE_NUMBER
from tests.training.helpers import train

pytestmark = pytest.mark.django_db
DONE = dt.date(2026, 10, 1)


def test_the_line_is_one_of_directorys_lines_with_the_queues_value() -> None:
    assert Line.TELEMEDICINE == "telemedicine" == TELEMEDICINE_LINE
    assert Line.TELEMEDICINE.label == "Telemedicin-linje"


def test_the_telemedicine_line_needs_its_own_module() -> None:
    hotline_only = TrainingState(elearning=DONE, course_day=DONE, medlyt=DONE)
    assert not is_qualified(hotline_only, TELEMEDICINE_LINE, DONE)
    assert missing_steps(hotline_only, TELEMEDICINE_LINE, DONE) == ["modul om telemedicin-linjen"]
    # the health-app line's module is another line's
    assert not is_qualified(TrainingState(DONE, DONE, DONE, health_module=DONE), TELEMEDICINE_LINE, DONE)
    trained = TrainingState(DONE, DONE, DONE, telemedicine_module=DONE + dt.timedelta(days=3))
    assert not is_qualified(trained, TELEMEDICINE_LINE, DONE + dt.timedelta(days=2))
    assert is_qualified(trained, TELEMEDICINE_LINE, DONE + dt.timedelta(days=3))


def _support_agent(username: str, code: int, landsdel: Landsdel, *, telemedicine: bool) -> Person:
    """An agent of a member municipality who works for the landsdel's support operator, with the line's skill."""
    person = _person(username, Role.AGENT, code)
    operator, _ = Operator.objects.get_or_create(
        landsdel=landsdel, kind=OperatorKind.SUPPORT, defaults={"name": "Support A/S"}
    )
    OperatorUser.objects.create(person=person, operator=operator)
    state = AgentState.objects.create(person=person, status_since=MONDAY_10)
    state.skills.add(Skill.objects.get(slug="telemedicine_support"))
    train(person, telemedicine=telemedicine, on=DONE)
    return person


@pytest.fixture
def line_agents(landsdel: Landsdel, support: TelesupportSettings) -> tuple[Person, Person]:
    contact_selectors.forget_cached_queues()
    return (
        _support_agent("agent-holbaek-tm", HOLBAEK, landsdel, telemedicine=False),
        _support_agent("agent-greve-tm", GREVE, landsdel, telemedicine=True),
    )


def _holder(call_id: str) -> str | None:
    contact = Contact.objects.select_related("agent").get(external_id=call_id)
    return contact.agent.username if contact.agent else None


def test_a_telemedicine_call_reaches_only_an_agent_qualified_for_the_line(
    telephony: Telephony,  # noqa: F811
    line_agents: tuple[Person, Person],
) -> None:
    untrained, trained = line_agents
    assert Qualification.objects.filter(person=trained, line="telemedicine").exists()
    assert not Qualification.objects.filter(person=untrained, line="telemedicine").exists()
    telephony.agent(untrained.username, "ready", at(0))
    telephony.offer("tm-1", at(5), called=LINE_NUMBER)
    contact = Contact.objects.get(external_id="tm-1")
    assert contact.queue.line == "telemedicine"
    telephony.offer("tm-2", at(400), called=LINE_NUMBER)  # later events: the untrained agent stays passed over
    assert _holder("tm-1") is None and contact.state == "queued"
    telephony.agent(trained.username, "ready", at(401))
    assert _holder("tm-1") == trained.username


def test_the_kpis_per_line_list_the_telemedicine_line(
    telephony: Telephony,  # noqa: F811
    line_agents: tuple[Person, Person],
    secretariat: Person,
) -> None:
    _, trained = line_agents
    telephony.agent(trained.username, "ready", at(0))
    telephony.offer("tm-1", at(5), called=LINE_NUMBER)
    telephony.event("call_answered", at(15), call_id="tm-1")
    telephony.event("call_ended", at(300), call_id="tm-1")
    page = client_for(secretariat).get("/kontaktcenter/rapporter/?fra=2026-11-23&til=2026-11-23&periode=day")
    assert page.status_code == 200
    assert "Telemedicin-linje" in page.context["by_line"]
    assert page.context["by_line"]["Telemedicin-linje"].offered == 1


def test_the_desk_offers_a_support_case_on_a_telemedicine_call_and_the_case_is_linked(
    telephony: Telephony,  # noqa: F811
    line_agents: tuple[Person, Person],
    citizen: ProgrammeCitizen,
) -> None:
    _, agent = line_agents
    telephony.agent(agent.username, "ready", at(0))
    telephony.offer("tm-1", at(5), called=LINE_NUMBER)
    telephony.event("call_answered", at(15), call_id="tm-1")
    contact = Contact.objects.get(external_id="tm-1")
    desk = client_for(agent)
    html = desk.get("/kontaktcenter/").content.decode()
    assert "Opret supportsag" in html and f"/telesupport/kontakter/{contact.pk}/sag/" in html
    form = desk.get(f"/telesupport/kontakter/{contact.pk}/sag/")
    assert form.status_code == 200 and "Ny supportsag fra opkaldet" in form.content.decode()
    # a bad form changes nothing and says why in Danish
    bad = desk.post(f"/telesupport/kontakter/{contact.pk}/sag/", {"device_kind": "toaster", "description": "x"})
    assert bad.status_code == 400 and "Vælg udstyret" in bad.content.decode()
    assert not SupportCase.objects.exists()
    response = desk.post(
        f"/telesupport/kontakter/{contact.pk}/sag/",
        {
            "citizen_ref": citizen.citizen_ref,
            "caller_kind": "citizen",
            "device_kind": "scale",
            "priority": "high",
            "description": "Vægten viser ingenting",
        },
    )
    case = SupportCase.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/telesupport/sager/{case.pk}/"
    assert case.contact_id == contact.pk and case.citizen_id == citizen.pk and case.opened_by_id == agent.pk
    # the desk now links to the case, and the form page sends there too (one case per call)
    html = desk.get("/kontaktcenter/").content.decode()
    assert f"Supportsag {case.pk}" in html and "Opret supportsag" not in html
    assert desk.get(f"/telesupport/kontakter/{contact.pk}/sag/")["Location"] == f"/telesupport/sager/{case.pk}/"
    assert SupportCase.objects.count() == 1


def test_no_support_action_for_an_agent_outside_support_or_one_who_did_not_answer(
    telephony: Telephony,  # noqa: F811
    line_agents: tuple[Person, Person],
    landsdel: Landsdel,
) -> None:
    _, agent = line_agents
    # an agent qualified for the line who is not the support operator's user gets no action, and the page refuses
    outsider = _person("agent-greve-other", Role.AGENT, GREVE)
    AgentState.objects.create(person=outsider, status_since=MONDAY_10).skills.add(
        Skill.objects.get(slug="telemedicine_support")
    )
    train(outsider, telemedicine=True, on=DONE)
    telephony.agent(outsider.username, "ready", at(0))
    telephony.offer("tm-1", at(5), called=LINE_NUMBER)
    telephony.event("call_answered", at(15), call_id="tm-1")
    contact = Contact.objects.get(external_id="tm-1")
    assert contact.agent_id == outsider.pk
    html = client_for(outsider).get("/kontaktcenter/").content.decode()
    assert "Opret supportsag" not in html
    assert client_for(outsider).get(f"/telesupport/kontakter/{contact.pk}/sag/").status_code == 403
    # the support agent who did not answer it may not open a case from it either
    response = client_for(agent).post(
        f"/telesupport/kontakter/{contact.pk}/sag/", {"device_kind": "scale", "description": "x"}
    )
    assert response.status_code == 403 and not SupportCase.objects.exists()
