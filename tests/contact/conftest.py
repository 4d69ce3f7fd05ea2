"""A signed telephony platform for the contact-centre tests, and agents ready to take calls.

Times are on Monday 23 November 2026 (an ordinary working day); the hotline is open 8–20."""

from __future__ import annotations

import datetime as dt
import itertools
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from samvirke.contact.lib.signature import HEADER, sign
from samvirke.contact.models import AgentState, Queue, Skill
from samvirke.directory.models import Fellesskab, Person, Role
from tests.conftest import GREVE, HOLBAEK, KOEGE, _person

LOCAL = ZoneInfo("Europe/Copenhagen")
MONDAY_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=LOCAL)
RECORDED_SPAN = dt.timedelta(days=60)
HOLBAEK_NUMBER, GREVE_NUMBER, KOEGE_NUMBER = "70200316", "70200253", "70200259"


def at(seconds: float) -> dt.datetime:
    """A moment `seconds` after Monday 10:00."""
    return MONDAY_10 + dt.timedelta(seconds=seconds)


class Telephony:
    """Posts events the way the telephony platform does: JSON, HMAC-signed, each with its own event id."""

    def __init__(self, client: Client | None = None, secret: str | None = None) -> None:
        self.client = client or Client()
        self.secret = secret or settings.TELEPHONY_SECRET
        self._ids = itertools.count(1)

    def post(self, payload: dict[str, Any], *, signature: str | None = None) -> Any:
        body = json.dumps(payload).encode()
        headers = {HEADER: signature if signature is not None else sign(body, self.secret)}
        return self.client.post("/api/telephony/events", body, content_type="application/json", headers=headers)

    def assignments(self, *, signature: str | None = None) -> Any:
        """The platform's poll for assigned, unanswered calls, signed over the path."""
        path = "/api/telephony/assignments"
        headers = {HEADER: signature if signature is not None else sign(path.encode(), self.secret)}
        return self.client.get(path, headers=headers)

    def event(self, kind: str, when: dt.datetime, event_id: str | None = None, **fields: Any) -> Any:
        payload = {"event_id": event_id or f"ev-{next(self._ids)}", "type": kind, "occurred_at": when.isoformat()}
        payload.update(fields)
        return self.post(payload)

    def offer(self, call_id: str, when: dt.datetime, called: str = HOLBAEK_NUMBER, **fields: Any) -> Any:
        return self.event(
            "call_offered", when, call_id=call_id, called_number=called, caller_number="20304050", **fields
        )

    def agent(self, username: str, status: str, when: dt.datetime, **fields: Any) -> Any:
        return self.event("agent_status", when, agent=username, status=status, **fields)


@pytest.fixture(autouse=True)
def _the_tests_weeks_are_within_the_event_window(settings: Any) -> None:
    """These tests replay fixed days around Monday 23 November 2026 (to Christmas and past). The API takes events
    from a window around now only (30 days back, a day ahead by default), so here the window reaches two months
    either side of that Monday, whatever today is; tests/security tests the window itself."""
    now = timezone.now()
    settings.TELEPHONY_EVENT_MAX_AGE = max(settings.TELEPHONY_EVENT_MAX_AGE, now - MONDAY_10 + RECORDED_SPAN)
    settings.TELEPHONY_EVENT_MAX_AHEAD = max(settings.TELEPHONY_EVENT_MAX_AHEAD, MONDAY_10 + RECORDED_SPAN - now)


def open_all_hours() -> None:
    """Open every queue around the clock: tests on the real clock must not fail at night or at weekends."""
    Queue.objects.update(opening_hours={str(day): [["00:00", "24:00"]] for day in range(7)})


@pytest.fixture
def open_hotline(db: None) -> None:
    open_all_hours()


@pytest.fixture
def telephony(db: None) -> Telephony:
    return Telephony()


@pytest.fixture
def agents(fellesskab: Fellesskab) -> list[Person]:
    """Three agents trained for the hotline (training app): one of Holbæk, one of Greve, one of Køge with the
    health-app skill and the health line's training."""
    from tests.training.helpers import train

    people = [
        _person("agent-holbaek-1", Role.AGENT, HOLBAEK),
        _person("agent-greve-1", Role.AGENT, GREVE),
        _person("agent-koege-1", Role.AGENT, KOEGE),
    ]
    state = AgentState.objects.create(person=people[2], status_since=MONDAY_10)
    state.skills.add(Skill.objects.get(slug="health_apps"))
    train(people[0])
    train(people[1])
    train(people[2], health=True)
    return people


@pytest.fixture
def holbaek_agent(holbaek_agent: Person) -> Person:
    """tests/conftest.py's Holbæk agent, trained for the hotline: the contact centre routes only trained agents."""
    from tests.training.helpers import train

    train(holbaek_agent)
    return holbaek_agent


@pytest.fixture
def greve_coordinator(greve_coordinator: Person) -> Person:
    """tests/conftest.py's Greve coordinator, who also takes calls: trained for the hotline."""
    from tests.training.helpers import train

    train(greve_coordinator)
    return greve_coordinator
