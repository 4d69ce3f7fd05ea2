"""Looking at the desk writes nothing, and its poll — every two seconds per agent — stays a handful of queries.

The budgets below are per poll, counted with the session and user lookups of the login included. A change that adds
a query to the poll should be a decision, not an accident."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from samvirke.contact import actions
from samvirke.contact.models import AgentState, Contact
from samvirke.directory.models import Municipality, Person
from tests.conftest import client_for
from tests.contact.conftest import Telephony
from tests.contact.test_desk import Desk

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")
# One of them (issue 14) asks whether a crisis or a drill is on, so its banner reaches every open desk at the next poll.
POLL_BUDGET = {"idle": 9, "working on a call": 9, "working on a chat": 10}


@contextmanager
def statements() -> Iterator[list[str]]:
    """Every statement sent to the database meanwhile, as written (also the contact centre's prepared ones)."""
    seen: list[str] = []

    def record(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        seen.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield seen


def _writes(queries: list[str]) -> list[str]:
    return [sql for sql in queries if sql.lstrip().upper().startswith(WRITES)]


def test_looking_at_the_desk_creates_no_presence_and_writes_nothing(holbaek_agent: Person) -> None:
    client = client_for(holbaek_agent)
    with statements() as queries:
        assert client.get("/kontaktcenter/").status_code == 200
        assert client.get("/kontaktcenter/skrivebord/").status_code == 200
    assert _writes(queries) == []
    assert not AgentState.objects.exists()  # created by the first status change, not by looking
    client.post("/kontaktcenter/status/", {"status": "ready"})
    assert AgentState.objects.get(person=holbaek_agent).status == "ready"


def test_a_poll_writes_nothing_even_when_an_overflowed_call_waits(
    greve_coordinator: Person, open_hotline: None
) -> None:
    """The poll used to be the clock that handed over overflowed calls; that is a background task now."""
    from samvirke.directory.models import HotlineNumber, Membership

    HotlineNumber.objects.create(
        membership=Membership.objects.get(municipality__code=316), line="health_apps", number="70300316"
    )
    telephony = Telephony()
    now = timezone.now()
    telephony.agent("koordinator-greve", "ready", now - dt.timedelta(seconds=300))
    telephony.offer("health-1", now - dt.timedelta(seconds=200), called="70300316")
    desk = Desk(greve_coordinator)
    desk.open()
    with statements() as queries:
        desk.poll()
    assert _writes(queries) == []
    assert Contact.objects.get().state == "queued"


def _poll_queries(desk: Desk) -> int:
    desk.open()
    with statements() as queries:
        status, _parts, _body = desk.poll()
    assert status == 204
    assert _writes(queries) == []
    return len(queries)


def test_the_desk_poll_stays_within_its_query_budget(holbaek_agent: Person, open_hotline: None) -> None:
    telephony = Telephony()
    desk = Desk(holbaek_agent)
    desk.post("/kontaktcenter/status/", {"status": "ready"})
    counts = {"idle": _poll_queries(desk)}
    telephony.offer("call-1", timezone.now())
    telephony.event("call_answered", timezone.now(), call_id="call-1")
    counts["working on a call"] = _poll_queries(desk)
    telephony.event("call_ended", timezone.now(), call_id="call-1")
    actions.do_register_contact(
        holbaek_agent, Contact.objects.get().pk, actions.Registration("mitid-get", True), timezone.now()
    )
    chat = actions.do_start_chat(Municipality.objects.get(code=316), "Borger: hej", timezone.now())
    actions.do_answer_contact(holbaek_agent, chat.pk, timezone.now())
    counts["working on a chat"] = _poll_queries(desk)
    assert counts == POLL_BUDGET
