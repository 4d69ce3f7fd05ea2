"""A member still joining (directory's Membership.ready_for_shifts false, set by onboarding) gets no calls: its
agents are passed over when a call comes in, when they press "ready", and when they finish a call."""

from __future__ import annotations

import pytest

from samvirke.directory.models import Membership, Person
from tests.conftest import GREVE, HOLBAEK
from tests.contact.conftest import Telephony, at

pytestmark = pytest.mark.django_db


def _ready(code: int, ready: bool) -> None:
    Membership.objects.filter(municipality__code=code).update(ready_for_shifts=ready)


def test_an_agent_of_a_member_not_ready_gets_no_call(telephony: Telephony, agents: list[Person]) -> None:
    _ready(GREVE, False)
    telephony.agent("agent-greve-1", "ready", at(0))  # the longest idle, but Greve is not ready
    telephony.agent("agent-holbaek-1", "ready", at(10))
    assert telephony.offer("c1", at(20)).json()["agent"] == "agent-holbaek-1"
    reply = telephony.offer("c2", at(21)).json()
    assert reply["state"] == "queued" and reply["agent"] is None


def test_pressing_ready_takes_no_waiting_call_until_the_member_is_ready(
    telephony: Telephony, agents: list[Person]
) -> None:
    _ready(GREVE, False)
    telephony.offer("c1", at(0))
    assert telephony.agent("agent-greve-1", "ready", at(30)).json()["assigned_call_id"] is None
    _ready(GREVE, True)
    telephony.agent("agent-greve-1", "pause", at(40))
    assert telephony.agent("agent-greve-1", "ready", at(50)).json()["assigned_call_id"] == "c1"


def test_the_same_agent_gets_calls_once_its_member_is_ready(telephony: Telephony, agents: list[Person]) -> None:
    _ready(HOLBAEK, False)
    telephony.agent("agent-holbaek-1", "ready", at(0))
    assert telephony.offer("c1", at(10)).json()["agent"] is None
    _ready(HOLBAEK, True)
    assert telephony.offer("c2", at(20)).json()["agent"] == "agent-holbaek-1"
