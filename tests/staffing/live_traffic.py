"""Live telephony traffic while a rota is built, on a real database file (SQLite) or server (PostgreSQL), with the
real background worker in its own process. Run as a program (the test test_live_traffic_during_a_build.py and
bench/rota_live_traffic.py start it in a subprocess, since the test suite's own database is in memory):

    DATABASE_URL=sqlite:////tmp/x/live.sqlite3 python -m tests.staffing.live_traffic --time-limit 12
    DATABASE_URL=postgres://…/samvirke_rota python -m tests.staffing.live_traffic   # uses test_samvirke_rota

It creates a fresh test database beside the one named (/tmp/x/test-live.sqlite3, or test_<name> on PostgreSQL;
dropped at the end), the test
fællesskab and its agents, starts `samvirke db_worker`, asks for a build through the week page's form as the
secretariat, and posts signed telephony events through the real middleware (tests/contact/conftest.py `Telephony`)
until the build has finished. It prints one JSON object: each event's status and whether it was applied, the build
phases the events met, how the build ended, and the events' latencies (figures for bench/, not for pass/fail).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[2]


def _database_url(settings_db: Any) -> str:
    """The URL of the database Django is now connected to (after create_test_db renamed it)."""
    if settings_db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_db['NAME']}"
    return (
        f"postgres://{settings_db['USER']}:{settings_db['PASSWORD']}@{settings_db['HOST']}:{settings_db['PORT']}/"
        f"{settings_db['NAME']}"
    )


def _worker_command() -> list[str]:
    script = Path(sys.executable).with_name("samvirke")
    launcher = [str(script)] if script.exists() else [sys.executable, "-m", "samvirke.manage"]
    return [*launcher, "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload", "--max-tasks", "1"]


def _seed() -> tuple[Any, Any]:
    """The test fællesskab (Holbæk, Greve, Køge) with two agents each and the secretariat, as in tests/conftest.py."""
    from samvirke.contact.models import Queue, Skill
    from samvirke.contact.reference_data import ensure_queues
    from samvirke.directory.models import (
        Fellesskab,
        HotlineNumber,
        Membership,
        MembershipStatus,
        Municipality,
        Region,
        Role,
    )
    from samvirke.directory.reference_data import ensure_reference_data
    from tests.conftest import GREVE, HOLBAEK, KOEGE, _person
    from tests.training.helpers import train

    if not Region.objects.exists():
        ensure_reference_data(Region, Municipality)
        ensure_queues(Skill, Queue)
    fellesskab = Fellesskab.objects.create(name="Testfællesskabet", slug="test")
    sjaelland = Region.objects.get(code=1085)
    for code in (HOLBAEK, GREVE, KOEGE):
        membership = Membership.objects.create(
            fellesskab=fellesskab,
            municipality=Municipality.objects.get(code=code),
            status=MembershipStatus.ACTIVE,
            member_since=dt.date(2025, 2, 1),
            pilot_start=dt.date(2025, 2, 1),
            pilot_end=dt.date(2027, 1, 31),
            pilot_payer=sjaelland,
        )
        HotlineNumber.objects.create(membership=membership, line="citizen_service", number=f"70200{code}")
    names = {HOLBAEK: "holbaek", GREVE: "greve", KOEGE: "koege"}
    for code, name in names.items():
        for n in (1, 2):
            train(_person(f"agent-{name}-{n}", Role.AGENT, code))  # routing and the rota take trained agents only
    return fellesskab, _person("sekretariat", Role.SECRETARIAT)


WEEK = dt.timedelta(days=7)
AGENTS = ("agent-holbaek-1", "agent-greve-1", "agent-koege-1", "agent-holbaek-2", "agent-greve-2")


def _post_event(telephony: Any, number: int, moment: dt.datetime) -> tuple[str, Any]:
    """Event `number` of a busy day's mix: an agent ready, a call offered, that caller giving up while waiting, an
    agent on a break. Each of them writes to the database."""
    agent = AGENTS[number // 4 % len(AGENTS)]
    step = number % 4
    if step == 0:
        return "agent_ready", telephony.agent(agent, "ready", moment)
    if step == 1:
        return "call_offered", telephony.offer(f"call-{number}", moment)
    if step == 2:
        return "call_abandoned", telephony.event("call_abandoned", moment, call_id=f"call-{number - 1}")
    return "agent_pause", telephony.agent(agent, "pause", moment, pause_reason="break")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _seed_demo() -> Any:
    """The demo instead (17 members, ~50 agents, availability and weekly maximums): a realistic solve."""
    from django.core.management import call_command

    from samvirke.directory.models import Person

    call_command("seed_demo", "--no-traffic", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    return Person.objects.get(username="sekretariat")


def run(time_limit: float, timeout: float, demo: bool = False) -> dict[str, Any]:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
    django.setup()
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        # A file beside the one named (never that file itself), not an in-memory database: test-<name>.
        named = Path(database["NAME"])
        database.setdefault("TEST", {})["NAME"] = str(named.with_name(f"test-{named.name}"))
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    env = {**os.environ, "DATABASE_URL": _database_url(database), "TASKS_BACKEND": "database"}
    log_path = Path(os.environ.get("LIVE_TRAFFIC_WORKER_LOG", os.devnull))
    with log_path.open("ab") as log:
        worker = subprocess.Popen(_worker_command(), cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            return _scenario(time_limit, timeout, demo)
        finally:
            _stop(worker)
            connection.close()
            connection.creation.destroy_test_db(database["NAME"], verbosity=0)


def _scenario(time_limit: float, timeout: float, demo: bool) -> dict[str, Any]:
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from samvirke.contact.models import TelephonyEvent
    from samvirke.staffing.models import RotaBuild
    from tests.contact.conftest import MONDAY_10, Telephony

    secretariat = _seed_demo() if demo else _seed()[1]
    browser = Client()
    browser.force_login(secretariat)
    form = {"week": "2026-11-30", "calls_per_year": "", "aht_seconds": "270", "target_service_level": "0.8",
            "target_seconds": "60", "shrinkage": "0.3", "time_limit_seconds": str(round(time_limit))}  # fmt: skip
    started = time.perf_counter()
    requested = browser.post("/bemanding/", form)
    assert requested.status_code == 302, requested.content.decode()[:500]
    build = RotaBuild.objects.get()

    # The events replay a fixed Monday; the API takes events from a window around now only (settings.py).
    settings.TELEPHONY_EVENT_MAX_AGE = max(settings.TELEPHONY_EVENT_MAX_AGE, timezone.now() - MONDAY_10 + WEEK)
    telephony = Telephony(Client())
    events: list[dict[str, Any]] = []
    number = 0
    while time.perf_counter() - started < timeout:
        build.refresh_from_db()
        if build.state in ("done", "failed") and number >= 8:
            break
        phase = build.state
        sent = time.perf_counter()
        kind, response = _post_event(telephony, number, MONDAY_10 + dt.timedelta(seconds=number))
        latency = time.perf_counter() - sent
        events.append(
            {"n": number, "kind": kind, "status": response.status_code, "phase": phase, "seconds": round(latency, 4)}
        )
        number += 1
        time.sleep(0.02)
    build.refresh_from_db()
    # Telephony numbers its events ev-1, ev-2, …: the n-th event posted is ev-(n + 1).
    outcomes = dict(TelephonyEvent.objects.values_list("event_id", "outcome"))
    not_applied = [e for e in events if outcomes.get(f"ev-{e['n'] + 1}") != "applied"]
    latencies = sorted(e["seconds"] for e in events)
    database = settings.DATABASES["default"]
    return {
        "database": database["ENGINE"].rsplit(".", 1)[-1],
        "fellesskab": "demo (17 members)" if demo else "test (3 members)",
        "busy_timeout_seconds": database.get("OPTIONS", {}).get("timeout"),
        "time_limit_seconds": time_limit,
        "build": {
            "state": build.state,
            "failure": build.failure,
            "seconds": round((build.finished_at - build.requested_at).total_seconds(), 1)
            if build.finished_at
            else None,
            "shifts": build.rota.shifts.count() if build.rota else 0,
        },
        "events": len(events),
        "statuses": {
            str(code): sum(1 for e in events if e["status"] == code) for code in {e["status"] for e in events}
        },
        "not_applied": not_applied[:20],
        "phases_met": sorted({e["phase"] for e in events}),
        "events_per_phase": {
            p: sum(1 for e in events if e["phase"] == p) for p in sorted({e["phase"] for e in events})
        },
        "latency_seconds": {
            "median": round(statistics.median(latencies), 4) if latencies else None,
            "p99": round(latencies[int(0.99 * (len(latencies) - 1))], 4) if latencies else None,
            "max": latencies[-1] if latencies else None,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=12, help="the solver's time limit in seconds")
    parser.add_argument("--timeout", type=float, default=180, help="give up after this many seconds")
    parser.add_argument("--demo", action="store_true", help="the demo's 17 members instead of the test's 3")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        parser.error("set DATABASE_URL to the database to make a test database beside")
    sys.path.insert(0, str(PROJECT))
    print(json.dumps(run(args.time_limit, args.timeout, args.demo)))


if __name__ == "__main__":
    main()
