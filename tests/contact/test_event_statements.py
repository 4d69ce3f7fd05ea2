"""Each event of a call's usual life is one short transaction with a fixed number of statements. Every statement
costs CPU in the web worker and in PostgreSQL, and the event API must take hundreds of events a second
(bench/contact_throughput.py), so a change that adds one should be a decision, not an accident."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from samvirke.directory.models import Person
from tests.contact.conftest import Telephony, at

pytestmark = pytest.mark.django_db

# BEGIN and COMMIT included; "ready" also looks, after its commit, whether a call waits (see dispatch_waiting).
# "ended" puts the agent in wrap-up and schedules the wrap-up's end (one INSERT of a background task: the agent is
# made ready when the queue's wrap-up time has passed, without a request doing it).
# "agent_status" reads the person first: only an active agent of a member may be made ready (issue 12).
# "call_offered" reads whether a crisis is on (preparedness, issue 14), and an agent who looks for work ("ready")
# whether a crisis reroutes a stricken member's waiting calls: one SELECT each, uncached, so a crisis switched on or
# off reaches the very next event in every worker.
BUDGET = {"agent_status": 11, "call_offered": 10, "call_answered": 5, "call_ended": 9}


def _statements(kind: str, post: Callable[[], Any]) -> tuple[str, int]:
    # The test runs inside a transaction: the after-commit work runs when the event's own transaction ends, as in
    # production.
    with CaptureQueriesContext(connection) as queries, TestCase.captureOnCommitCallbacks(execute=True):
        response = post()
    assert response.status_code == 200, response.content
    return kind, len(queries)


def test_a_calls_usual_life_stays_within_its_statement_budget(telephony: Telephony, agents: list[Person]) -> None:
    name = agents[0].username
    telephony.agent(name, "ready", at(0))
    telephony.offer("warm-up", at(1))  # the first offer reads the queues and numbers into the worker's cache
    telephony.event("call_answered", at(2), call_id="warm-up")
    telephony.event("call_ended", at(3), call_id="warm-up")
    counts = dict(
        [
            _statements("agent_status", lambda: telephony.agent(name, "ready", at(4))),
            _statements("call_offered", lambda: telephony.offer("c1", at(5))),
            _statements("call_answered", lambda: telephony.event("call_answered", at(6), call_id="c1")),
            _statements("call_ended", lambda: telephony.event("call_ended", at(60), call_id="c1")),
        ]
    )
    assert counts == BUDGET
