"""Routing under concurrency on PostgreSQL: 300 calls from 8 threads, every event delivered twice (some copies at
once), some out of order. The same checks as bench/contact_concurrency.py, smaller and in-process."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client

from bench.contact_concurrency import NUMBERS, Driver, verify
from samvirke.contact.lib.signature import HEADER, sign
from samvirke.contact.models import AgentState, AgentStatus, Contact
from samvirke.directory.models import Fellesskab, Person, Role
from tests.conftest import GREVE, HOLBAEK, KOEGE
from tests.training.helpers import train

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL's row locks (SQLite serialises writers); run with DATABASE_URL=postgres://…",
)

CALLS, THREADS, AGENTS = 300, 8, 5


def client_poster() -> Any:
    client = Client()

    def post(payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = json.dumps(payload).encode()
        response = client.post(
            "/api/telephony/events",
            body,
            content_type="application/json",
            headers={HEADER: sign(body, settings.TELEPHONY_SECRET)},
        )
        return response.status_code, json.loads(response.content)

    return post


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicated_and_reordered_events_keep_routing_consistent(fellesskab: Fellesskab) -> None:
    codes = (HOLBAEK, GREVE, KOEGE)
    names = []
    for i in range(AGENTS):
        municipality = fellesskab.memberships.get(municipality__code=codes[i % 3]).municipality
        person = Person.objects.create(username=f"cc-agent-{i}", role=Role.AGENT, municipality=municipality)
        train(person)  # routing takes only agents trained for the line
        names.append(person.username)
    started = time.monotonic()
    opener = Driver(client_poster(), None, prefix="cct-open", seed=0, started=started)
    for name in names:
        opener.agent_ready(name)
    call_ids = [f"cct-call-{i:04d}" for i in range(CALLS)]
    logs: list[Any] = []
    errors: list[BaseException] = []

    def worker(index: int) -> None:
        try:
            driver = Driver(
                client_poster(), client_poster(), prefix=f"cct-{index}", seed=index, started=started,
                thread_cleanup=lambda: connection.close(),
            )  # fmt: skip
            for number, call_id in enumerate(call_ids[index::THREADS]):
                driver.offer(call_id, NUMBERS[number % len(NUMBERS)])
            driver.close()
            logs.append(driver.log)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sweeper = Driver(client_poster(), None, prefix="cct-sweep", seed=1, started=started)
    for name in names:
        call = sweeper.agent_ready(name)
        if call:
            sweeper.serve(name, call)
    log = opener.log + [reply for entries in logs for reply in entries] + sweeper.log
    # The only refusal allowed: "ready" from a softphone whose agent another player already has (see Driver).
    assert {status for *_rest, status, _body in log} <= {200, 409}
    report = verify(log, "cct-", names)
    assert report["problems"] == []
    assert report["contacts"] == CALLS
    states = report["states"]
    assert states.get("ended", 0) > 0 and states.get("abandoned", 0) > 0  # agents were busy: some gave up
    assert report["reconcile"]["call_offered applied = contacts"] == {"events": CALLS, "contacts": CALLS}


@pytest.mark.django_db(transaction=True)
def test_a_ready_that_waited_for_the_agent_sees_the_call_given_meanwhile(agents: list[Person]) -> None:
    """The agent's "ready" waits for its row while another transaction gives the agent a queued call. When it gets
    the row it must see that call (it rings: "ready" returns it), not the agent as it was when it started waiting."""
    from samvirke.contact.actions import do_set_agent_status
    from tests.contact.conftest import Telephony, at

    telephony = Telephony()
    greve = agents[1]
    telephony.agent(greve.username, "ready", at(0))
    telephony.offer("c1", at(1))
    telephony.event("call_answered", at(2), call_id="c1")
    telephony.event("call_ended", at(30), call_id="c1")  # wrap-up, holding c1
    telephony.offer("c2", at(31))  # nobody ready: queued
    locked, failures = threading.Event(), []

    def another_worker() -> None:
        try:
            with transaction.atomic():
                assert do_set_agent_status(greve, "ready", at(32)).external_id == "c2"  # type: ignore[union-attr]
                locked.set()
                deadline = time.monotonic() + 20
                while time.monotonic() < deadline:  # commit once the event below waits for the agent's row
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
                        if cursor.fetchone()[0]:
                            break
                    time.sleep(0.05)
        except BaseException as exc:  # reported in the main thread
            failures.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=another_worker)
    thread.start()
    assert locked.wait(20)
    reply = telephony.agent(greve.username, "ready", at(33)).json()
    thread.join()
    assert failures == []
    assert reply["assigned_call_id"] == "c2"
    state = AgentState.objects.get(person=greve)
    assert (state.status, state.current_contact_id) == (AgentStatus.BUSY, Contact.objects.get(external_id="c2").pk)
