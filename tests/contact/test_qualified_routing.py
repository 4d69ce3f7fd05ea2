"""Routing uses agents trained for the line (issue 14; seed 000, "Afhængigheder til kommune rekrutteringen"): a
health-app call that has waited past its
overflow never reaches an agent without the health-line training while ROUTING_OVERFLOW_TO_UNQUALIFIED is off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from samvirke.contact.actions import ContactError, do_pick_contact
from samvirke.contact.models import AgentState, Contact
from samvirke.contact.selectors import unqualified_overflow_counts
from samvirke.directory.models import HotlineNumber, Membership, Person
from samvirke.training.actions import do_record_step
from tests.contact.conftest import Telephony, at
from tests.training.helpers import train

HEALTH_NUMBER = "70300316"


@pytest.fixture
def health_line(agents: list[Person]) -> None:
    HotlineNumber.objects.create(
        membership=Membership.objects.get(municipality__code=316), line="health_apps", number=HEALTH_NUMBER
    )


def _holder(call_id: str) -> str | None:
    contact = Contact.objects.select_related("agent").get(external_id=call_id)
    return contact.agent.username if contact.agent else None


def test_a_health_call_never_reaches_an_untrained_agent_with_overflow_off(
    telephony: Telephony, agents: list[Person], health_line: None
) -> None:
    # The fixture's Holbæk and Greve agents are trained for the general line only.
    telephony.agent("agent-holbaek-1", "ready", at(0))
    telephony.agent("agent-greve-1", "ready", at(0))
    telephony.offer("health-1", at(5), called=HEALTH_NUMBER)
    for seconds in (130, 300, 900):  # long past the 120 s overflow; events and timers come and go
        telephony.offer(f"citizen-{seconds}", at(seconds))
        telephony.event("call_abandoned", at(seconds + 1), call_id=f"citizen-{seconds}")
    assert _holder("health-1") is None and Contact.objects.get(external_id="health-1").state == "queued"
    # Picking it from the desk is refused as well.
    with pytest.raises(ContactError, match="ikke uddannet til Sundhedsapps-linje"):
        do_pick_contact(agents[1], Contact.objects.get(external_id="health-1").pk, at(901))
    # Trained for the health line (without the skill), the next ready agent takes it.
    train(agents[1], health=True)
    telephony.agent("agent-greve-1", "pause", at(902))
    telephony.agent("agent-greve-1", "ready", at(903))
    assert _holder("health-1") == "agent-greve-1"
    assert unqualified_overflow_counts(at(0), at(1000)) == {}


def test_training_dated_after_the_call_does_not_count(
    telephony: Telephony, agents: list[Person], health_line: None
) -> None:
    do_record_step(None, agents[1], "health_module", dt.date(2026, 11, 24))  # the day after the tests' Monday
    telephony.agent("agent-greve-1", "ready", at(0))
    telephony.offer("health-1", at(5), called=HEALTH_NUMBER)
    telephony.offer("citizen-1", at(200))
    assert _holder("health-1") is None and _holder("citizen-1") == "agent-greve-1"


def test_with_the_setting_overflow_reaches_anyone_and_is_counted(
    telephony: Telephony, agents: list[Person], health_line: None, settings: Any
) -> None:
    settings.ROUTING_OVERFLOW_TO_UNQUALIFIED = True
    telephony.agent("agent-greve-1", "ready", at(0))  # not trained for the health line
    telephony.offer("health-1", at(5), called=HEALTH_NUMBER)
    telephony.offer("citizen-1", at(200))
    assert _holder("health-1") == "agent-greve-1"
    assert unqualified_overflow_counts(at(0), at(1000)) == {"health_apps": 1}
    # The skill holder (Køge) is not counted: the skill is the line's own pool.
    assert AgentState.objects.get(person=agents[2]).skills.filter(slug="health_apps").exists()


def test_the_report_shows_the_count_per_line(
    telephony: Telephony, agents: list[Person], health_line: None, settings: Any, secretariat: Person
) -> None:
    from tests.conftest import client_for

    settings.ROUTING_OVERFLOW_TO_UNQUALIFIED = True
    telephony.agent("agent-greve-1", "ready", at(0))
    telephony.offer("health-1", at(5), called=HEALTH_NUMBER)
    telephony.offer("citizen-1", at(200))
    page = client_for(secretariat).get("/kontaktcenter/rapporter/?fra=2026-11-23&til=2026-11-23&periode=day")
    html = page.content.decode()
    assert page.status_code == 200 and "ROUTING_OVERFLOW_TO_UNQUALIFIED er slået til" in html
    assert '<td>Sundhedsapps-linje</td><td class="num">1</td>' in html


def test_a_hotline_call_goes_only_to_an_agent_trained_for_the_hotline(
    telephony: Telephony, fellesskab: Any, settings: Any
) -> None:
    from samvirke.directory.models import Role
    from tests.conftest import HOLBAEK, _person

    novice = _person("agent-holbaek-9", Role.AGENT, HOLBAEK)  # no training at all
    telephony.agent("agent-holbaek-9", "ready", at(0))
    telephony.offer("citizen-1", at(5))
    telephony.offer("citizen-2", at(300))  # long past any overflow: the hotline has none
    assert _holder("citizen-1") is None and _holder("citizen-2") is None
    with pytest.raises(ContactError, match="ikke uddannet til Borgerservice-hotline endnu"):
        do_pick_contact(novice, Contact.objects.get(external_id="citizen-1").pk, at(301))
    train(novice)
    telephony.agent("agent-holbaek-9", "pause", at(302))
    telephony.agent("agent-holbaek-9", "ready", at(303))
    assert _holder("citizen-1") == "agent-holbaek-9"
    # With the rule switched off (an installation entering its records), an untrained agent takes calls again.
    settings.ROUTING_REQUIRES_TRAINING = False
    _person("agent-holbaek-8", Role.AGENT, HOLBAEK)
    telephony.agent("agent-holbaek-8", "ready", at(304))
    assert _holder("citizen-2") == "agent-holbaek-8"


def test_many_untrained_ready_agents_do_not_hide_a_trained_one_from_a_waiting_call(
    telephony: Telephony, fellesskab: Any
) -> None:
    from samvirke.contact.actions import dispatch_waiting
    from samvirke.contact.models import AgentStatus
    from samvirke.directory.models import Role
    from tests.conftest import HOLBAEK, _person

    for n in range(25):  # more than routing passes over when it pairs a ready agent with a waiting contact
        _person(f"novice-{n:02d}", Role.AGENT, HOLBAEK)
        telephony.agent(f"novice-{n:02d}", "ready", at(n))
    telephony.offer("citizen-1", at(30))
    trained = _person("agent-holbaek-7", Role.AGENT, HOLBAEK)
    train(trained)
    # Ready, but the ready event's own pairing is undone: the call is left for dispatch_waiting to find.
    telephony.agent("agent-holbaek-7", "pause", at(31))
    AgentState.objects.filter(person=trained).update(status=AgentStatus.READY, ready_since=at(100))
    assert _holder("citizen-1") is None
    assert dispatch_waiting(at(101)) == 1
    assert _holder("citizen-1") == "agent-holbaek-7"
