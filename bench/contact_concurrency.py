"""Correctness of contact routing under concurrency (PostgreSQL, gunicorn with 4 workers).

Run:  eval "$(tools/postgres)"; .venv/bin/python bench/contact_concurrency.py [--calls 10000] [--agents 50]

Creates (drops first) the database `samvirke_bench` next to DATABASE_URL's, migrates it, adds a fællesskab
of three members and the agents, starts gunicorn (4 sync workers, DEBUG off, bench/gunicorn_conf.py: the app
loaded before the workers fork) and offers the calls from
several client processes × threads over HTTP. Every event is delivered twice (a fifth of them both copies at
once, on two connections) and some out of order (call_ended before call_answered). Agents go ready, get
calls, are busy and become ready again; some queued callers hang up. Whoever reads an assignment in a reply
(the offer's `agent`, or `assigned_call_id` after "ready") plays that agent until its chain of calls ends.

Then it checks, from the database and from every reply:
- every contact is answered (ended/transferred/answered), abandoned, or still queued / assigned to an agent
  who holds it;
- no contact was given to two agents (replies), and each reply's agent is the contact's agent;
- no agent held two calls: in each agent's PresenceChange log (written under the agent's row lock) every
  "busy" follows "ready", and the number of "busy" entries equals the contacts the agent was given;
- each delivery pair gave exactly one first reply and one `duplicate` with the same body; deliveries = 2;
- the event log reconciles with the contacts (applied events per type vs contacts per state);
- assignments the platform learnt only by polling `GET /api/telephony/assignments` (made after a commit, in no
  reply): after the load the platform polls once and plays those agents;
- stranded contacts: queued while an agent stood ready (found by a final "ready" sweep, after the poll).
Writes bench/results/contact_concurrency.json.

The pieces (`Driver`, `verify`) are reused by tests/contact/test_concurrency_postgres.py with django.test.Client.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import http.client
import itertools
import json
import multiprocessing
import os
import platform
import random
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samvirke.contact.lib.signature import HEADER, sign  # noqa: E402  (pure, no Django settings needed)
from samvirke.limits.lib.rates import unlimited_environment  # noqa: E402  (pure)

LOCAL = ZoneInfo("Europe/Copenhagen")
# Simulated time: the hotline is open on Monday 23 November 2026 from 08:00; events carry BASE + elapsed.
BASE = dt.datetime(2026, 11, 23, 9, 0, tzinfo=LOCAL)
NUMBERS = ("70200316", "70200253", "70200259")  # Holbæk, Greve, Køge (citizen_service)
RESULTS = ROOT / "bench" / "results" / "contact_concurrency.json"

Post = Callable[[dict[str, Any]], tuple[int, dict[str, Any]]]
Reply = tuple[str, str, str, int, dict[str, Any]]  # (event_id, type, call_id or agent, status, body)


# ---------------------------------------------------------------------------------------------------------------
# The client side: a telephony platform with agents' softphones


class Driver:
    """Drives calls and agents through one or two `post` functions (two: duplicates can go at once)."""

    def __init__(
        self,
        post: Post,
        post_again: Post | None,
        *,
        prefix: str,
        seed: int,
        started: float,
        out_of_order: float = 0.15,
        at_once: float = 0.2,
        abandon: float = 0.3,
        transfer: float = 0.1,
        talk_seconds: tuple[float, float] = (0.0, 0.0),
        thread_cleanup: Callable[[], None] | None = None,
    ) -> None:
        self.post, self.post_again = post, post_again
        self.prefix, self.started = prefix, started
        self.rng = random.Random(seed)  # noqa: S311  (load generation, not cryptography)
        self.out_of_order, self.at_once, self.abandon, self.transfer = out_of_order, at_once, abandon, transfer
        self.talk_seconds = talk_seconds
        self.log: list[Reply] = []
        self._ids = itertools.count(1)
        self._pool = concurrent.futures.ThreadPoolExecutor(1) if post_again else None
        self._thread_cleanup = thread_cleanup

    def close(self) -> None:
        if self._pool:
            if self._thread_cleanup:
                self._pool.submit(self._thread_cleanup).result()  # e.g. close the helper thread's DB connection
            self._pool.shutdown()

    def now(self, ahead: float = 0.0) -> str:
        return (BASE + dt.timedelta(seconds=time.monotonic() - self.started + ahead)).isoformat()

    def payload(self, kind: str, ahead: float = 0.0, **fields: Any) -> dict[str, Any]:
        event_id = f"{self.prefix}-{next(self._ids)}"
        return {"event_id": event_id, "type": kind, "occurred_at": self.now(ahead), **fields}

    def deliver_twice(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Both deliveries' replies are logged; the first reply (no `duplicate`) is returned."""
        if self._pool is not None and self.post_again is not None and self.rng.random() < self.at_once:
            second = self._pool.submit(self.post_again, payload)
            replies = [self.post(payload), second.result()]
        else:
            replies = [self.post(payload), self.post(payload)]
        key = payload.get("call_id") or payload.get("agent", "")
        for status, body in replies:
            self.log.append((payload["event_id"], payload["type"], key, status, body))
        firsts = [body for status, body in replies if not body.get("duplicate")]
        return firsts[0] if firsts else replies[0][1]

    def agent_ready(self, agent: str) -> str | None:
        """The call the agent got (or still has ringing), or None. A 409 ("in a conversation") means another
        player has this agent now: when a caller hangs up while the call rings, the contact centre frees the
        agent at once and the next offer may take it before this softphone says "ready"."""
        body = self.deliver_twice(self.payload("agent_status", agent=agent, status="ready"))
        return body.get("assigned_call_id")

    def serve(self, agent: str, call_id: str | None) -> int:
        """Play `agent` from the call it was given until "ready" brings no new call. Returns calls served."""
        served = 0
        while call_id:
            served += 1
            talk = self.rng.uniform(*self.talk_seconds)
            answered = self.payload("call_answered", call_id=call_id)
            if self.rng.random() < self.transfer:
                ended = self.payload(
                    "call_transferred", ahead=talk + 1, call_id=call_id, transfer_target="Borgerens kommune"
                )
            else:
                ended = self.payload("call_ended", ahead=talk + 1, call_id=call_id)
            if self.rng.random() < self.out_of_order:
                self.deliver_twice(ended)  # the platform's end overtook its answer
                self.deliver_twice(answered)
            else:
                self.deliver_twice(answered)
                if talk:
                    time.sleep(talk)
                self.deliver_twice(ended)
            call_id = self.agent_ready(agent)
        return served

    def offer(self, call_id: str, number: str) -> None:
        body = self.deliver_twice(
            self.payload("call_offered", call_id=call_id, called_number=number, caller_number="20304050")
        )
        if body.get("agent"):
            self.serve(str(body["agent"]), call_id)
        elif body.get("state") == "queued" and self.rng.random() < self.abandon:
            self.deliver_twice(self.payload("call_abandoned", call_id=call_id))


def http_poster(url: str, secret: str) -> tuple[Post, Callable[[], None]]:
    """A keep-alive connection (reopened when the server closes it)."""
    parts = urllib.parse.urlsplit(url)
    state: dict[str, http.client.HTTPConnection] = {"c": http.client.HTTPConnection(parts.netloc, timeout=60)}

    def post(payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json", HEADER: sign(body, secret)}
        for attempt in range(3):
            try:
                state["c"].request("POST", "/api/telephony/events", body, headers)
                response = state["c"].getresponse()
                data = response.read()
                return response.status, json.loads(data or b"{}")
            except (ConnectionError, http.client.HTTPException, OSError):
                state["c"].close()
                state["c"] = http.client.HTTPConnection(parts.netloc, timeout=60)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    return post, lambda: state["c"].close()


# ---------------------------------------------------------------------------------------------------------------
# Verification (Django ORM; run where DATABASE_URL points at the database the server used)


def verify(log: list[Reply], prefix: str, agent_names: list[str]) -> dict[str, Any]:
    from django.db.models import Count

    from samvirke.contact.models import AgentState, AgentStatus, Contact, ContactState, PresenceChange, TelephonyEvent

    problems: list[str] = []
    contacts = Contact.objects.filter(external_id__startswith=prefix)
    states = dict(contacts.values_list("state").annotate(n=Count("id")))
    agents = {a.person.username: a for a in AgentState.objects.select_related("person", "current_contact")}
    contact_agent = dict(contacts.values_list("external_id", "agent__username"))

    # 1. Final states.
    allowed = {ContactState.ENDED, ContactState.TRANSFERRED, ContactState.ANSWERED, ContactState.ABANDONED,
               ContactState.QUEUED, ContactState.ASSIGNED}  # fmt: skip
    for state in set(states) - allowed:
        problems.append(f"{states[state]} contacts in state {state}")
    for contact in contacts.filter(state=ContactState.ASSIGNED).select_related("agent"):
        holder = agents.get(contact.agent.username) if contact.agent else None
        if holder is None or holder.current_contact_id != contact.pk or holder.status != AgentStatus.BUSY:
            problems.append(f"{contact.external_id} assigned to an agent who does not hold it")
    answered_without_time = contacts.filter(
        state__in=[ContactState.ENDED, ContactState.TRANSFERRED, ContactState.ANSWERED], answered_at__isnull=True
    ).count()
    if answered_without_time:
        problems.append(f"{answered_without_time} answered contacts without answered_at")

    # 2. No contact given to two agents; replies agree with the contacts.
    given: dict[str, set[str]] = defaultdict(set)
    for _event_id, kind, key, status, body in log:
        if status != 200 or body.get("duplicate"):
            continue
        if kind == "call_offered" and body.get("agent"):
            given[key].add(str(body["agent"]))
        elif kind == "agent_status" and body.get("assigned_call_id"):
            given[str(body["assigned_call_id"])].add(key)
    two_agents = {call: sorted(names) for call, names in given.items() if len(names) > 1}
    if two_agents:
        problems.append(f"{len(two_agents)} contacts given to two agents, e.g. {list(two_agents.items())[:3]}")
    disagree = [call for call, names in given.items() if contact_agent.get(call) not in names]
    if disagree:
        problems.append(f"{len(disagree)} contacts whose agent differs from the reply, e.g. {disagree[:3]}")

    # 3. No agent holding two calls: each busy follows ready, one busy per contact given.
    assigned_per_agent = Counter(name for name in contact_agent.values() if name)
    log_by_agent: dict[str, list[str]] = defaultdict(list)
    for username, presence in (
        PresenceChange.objects.filter(person__username__in=agent_names)
        .order_by("id")
        .values_list("person__username", "status")
    ):
        log_by_agent[username].append(presence)
    busy_not_after_ready = 0
    for username in agent_names:
        sequence = log_by_agent[username]
        busy_not_after_ready += sum(
            1
            for i, status in enumerate(sequence)
            if status == AgentStatus.BUSY and (i == 0 or sequence[i - 1] != AgentStatus.READY)
        )
        busy, given_count = sequence.count(AgentStatus.BUSY), assigned_per_agent[username]
        if busy != given_count:
            problems.append(f"{username}: {busy} busy periods for {given_count} contacts")
    if busy_not_after_ready:
        problems.append(f"{busy_not_after_ready} busy periods that did not start from ready")
    holders = Counter(a.current_contact_id for a in agents.values() if a.current_contact_id)
    if any(n > 1 for n in holders.values()):
        problems.append("a contact is current for two agents")

    # 4. Duplicates: one first reply and one duplicate with the same body per event.
    by_event: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for event_id, _kind, _key, _status, body in log:
        by_event[event_id].append(body)
    bad_pairs = 0
    for bodies in by_event.values():
        firsts = [b for b in bodies if not b.get("duplicate")]
        dups = [{k: v for k, v in b.items() if k != "duplicate"} for b in bodies if b.get("duplicate")]
        if len(firsts) != 1 or len(dups) != 1 or dups[0] != firsts[0]:
            bad_pairs += 1
    if bad_pairs:
        problems.append(f"{bad_pairs} events whose two deliveries did not give one reply and one duplicate")
    events = TelephonyEvent.objects.filter(event_id__startswith=prefix)
    wrong_deliveries = events.exclude(deliveries=2).count()
    if wrong_deliveries:
        problems.append(f"{wrong_deliveries} events not counted as delivered twice")

    # 5. The event log reconciles with the contacts.
    applied = Counter(
        dict(((kind, outcome), n) for kind, outcome, n in events.values_list("type", "outcome").annotate(n=Count("id")))
    )
    reconcile = {
        "call_offered applied = contacts": (applied[("call_offered", "applied")], contacts.count()),
        "call_ended applied = ended contacts": (applied[("call_ended", "applied")], states.get("ended", 0)),
        "call_transferred applied = transferred contacts": (
            applied[("call_transferred", "applied")], states.get("transferred", 0)),
        "call_abandoned applied = abandoned contacts": (
            applied[("call_abandoned", "applied")], states.get("abandoned", 0)),
        "events logged = events sent": (events.count(), len(by_event)),
    }  # fmt: skip
    answered_events = applied[("call_answered", "applied")]
    answered_contacts = contacts.filter(answered_at__isnull=False).count()
    reconcile["call_answered applied = contacts with an answer time"] = (answered_events, answered_contacts)
    for name, (left, right) in reconcile.items():
        if left != right:
            problems.append(f"does not reconcile: {name}: {left} ≠ {right}")

    refused = Counter(
        f"{kind} {status}: {body.get('detail', '')}" for _e, kind, _k, status, body in log if status != 200
    )
    unexpected = {reason: n for reason, n in refused.items() if not reason.startswith("agent_status 409")}
    if unexpected:
        problems.append(f"unexpected refusals: {unexpected}")

    return {
        "contacts": contacts.count(),
        "refused_replies": dict(refused),
        "states": dict(sorted(states.items())),
        "events_logged": events.count(),
        "deliveries": len(log),
        "event_outcomes": {f"{k}/{o}": n for (k, o), n in sorted(applied.items())},
        "contacts_given_to_two_agents": len(two_agents),
        "busy_periods_not_from_ready": busy_not_after_ready,
        "reconcile": {name: {"events": left, "contacts": right} for name, (left, right) in reconcile.items()},
        "problems": problems,
        "ok": not problems,
    }


# ---------------------------------------------------------------------------------------------------------------
# The benchmark run: database, gunicorn, client processes


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bench_database(url: str, name: str = "samvirke_bench") -> str:
    """Drop and create `name` on DATABASE_URL's server; returns its URL."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return parts._replace(path=f"/{name}").geturl()


def server_environment(database_url: str, secret: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "TELEPHONY_SECRET": secret,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        # The events replay a fixed Monday (BASE); the API takes events within a window around now only.
        "TELEPHONY_EVENT_MAX_AGE_DAYS": str(max(30, (dt.datetime.now(LOCAL) - BASE).days + 2)),
        # Every simulated agent logs in from 127.0.0.1: the per-address login limit would count them as one.
        **unlimited_environment(),
    }


def prepare(database_url: str, secret: str, agent_count: int) -> list[str]:
    """Migrate, then a fællesskab of three members with numbers, and the agents. Returns the agents' names."""
    env = server_environment(database_url, secret)
    subprocess.run([str(ROOT / ".venv/bin/samvirke"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "SECRET_KEY", "TELEPHONY_SECRET", "DEBUG")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
    import django

    django.setup()
    from samvirke.directory.models import Fellesskab, HotlineNumber, Membership, MembershipStatus, Municipality, Person

    fellesskab = Fellesskab.objects.create(name="Benchmark", slug="bench")
    codes = (316, 253, 259)
    for code, number in zip(codes, NUMBERS, strict=True):
        membership = Membership.objects.create(
            fellesskab=fellesskab, municipality=Municipality.objects.get(code=code), status=MembershipStatus.ACTIVE
        )
        HotlineNumber.objects.create(membership=membership, line="citizen_service", number=number)
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=codes)}
    names = [f"bench-agent-{i:03d}" for i in range(agent_count)]
    Person.objects.bulk_create(
        Person(username=name, role="agent", municipality=municipalities[codes[i % 3]], password="!")
        for i, name in enumerate(names)
    )
    # Routing takes only agents trained for the line: each completed the course a month ago (20 to a med-lyt day).
    from django.utils import timezone

    from samvirke.training.actions import do_record_training
    from samvirke.training.models import MedLytSession

    done = timezone.localdate() - dt.timedelta(days=30)
    for i, person in enumerate(Person.objects.filter(username__in=names).order_by("username")):
        session, _ = MedLytSession.objects.get_or_create(
            date=done - dt.timedelta(days=i // 20), host=municipalities[316], defaults={"capacity": 20}
        )
        do_record_training(None, person, elearning=done, course_day=done, medlyt=session)
    return names


def start_gunicorn(database_url: str, secret: str, port: int, workers: int = 4) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "samvirke.wsgi", "-c", str(ROOT / "bench/gunicorn_conf.py"),
         "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        env=server_environment(database_url, secret),
        cwd=ROOT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not start")


class BenchServer(NamedTuple):
    process: subprocess.Popen[bytes]
    base_url: str
    database_url: str
    secret: str  # the telephony secret the server checks signatures with
    agents: list[str]  # usernames


def start_bench_server(agents: int, workers: int = 4) -> BenchServer:
    """The benchmark database next to DATABASE_URL's (fresh, with `agents` agents) and gunicorn serving it."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit('DATABASE_URL must point at PostgreSQL: eval "$(tools/postgres)"')
    secret = secrets.token_urlsafe(32)
    database_url = bench_database(url)
    names = prepare(database_url, secret, agents)
    from django.db import connections

    connections.close_all()  # the server's workers must not share this process's connection
    port = _free_port()
    process = start_gunicorn(database_url, secret, port, workers)
    return BenchServer(process, f"http://127.0.0.1:{port}", database_url, secret, names)


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(process.pid, signal.SIGKILL)


def poll_assignments(url: str, secret: str) -> list[dict[str, Any]]:
    """What the platform polls: the assigned, unanswered phone calls (signed over the path)."""
    path = "/api/telephony/assignments"
    request = urllib.request.Request(url + path, headers={HEADER: sign(path.encode(), secret)})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310  (our own local server)
        return list(json.loads(response.read()))


def client_process(args: tuple[str, str, str, list[str], int, int, float, tuple[float, float]]) -> list[Reply]:
    url, secret, prefix, call_ids, threads, seed, started, talk = args
    logs: list[list[Reply]] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        post, close = http_poster(url, secret)
        post2, close2 = http_poster(url, secret)
        driver = Driver(post, post2, prefix=f"{prefix}-{seed}-{index}", seed=seed * 1000 + index, started=started,
                        talk_seconds=talk)  # fmt: skip
        for number, call_id in enumerate(call_ids[index::threads]):
            driver.offer(call_id, NUMBERS[number % len(NUMBERS)])
        driver.close()
        close()
        close2()
        with lock:
            logs.append(driver.log)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return [reply for log in logs for reply in log]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=10_000)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=16, help="per client process")
    parser.add_argument("--talk-ms", type=float, default=20.0, help="max talk time between answer and end")
    parser.add_argument("--label", default=None, help="name of this run in the results file (default: calls×agents)")
    arguments = parser.parse_args()
    server, base_url, _database_url, secret, names = start_bench_server(arguments.agents)
    prefix = f"cc{secrets.token_hex(2)}"
    try:
        started = time.monotonic()
        post, close = http_poster(base_url, secret)
        opener = Driver(post, None, prefix=f"{prefix}-open", seed=0, started=started)
        for name in names:
            opener.agent_ready(name)
        call_ids = [f"{prefix}-call-{i:05d}" for i in range(arguments.calls)]
        talk = (0.0, arguments.talk_ms / 1000)
        jobs = [
            (base_url, secret, prefix, call_ids[p :: arguments.processes], arguments.threads, p + 1, started, talk)
            for p in range(arguments.processes)
        ]
        load_started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool(arguments.processes) as pool:
            results = pool.map(client_process, jobs)
        load_seconds = time.perf_counter() - load_started
        log = opener.log + [reply for replies in results for reply in replies]
        # The platform polls for assignments no reply announced (see the API) and rings those agents.
        sweeper = Driver(post, None, prefix=f"{prefix}-sweep", seed=1, started=started)
        announced_by_poll = poll_assignments(base_url, secret)
        for assignment in announced_by_poll:
            if assignment["agent"]:
                sweeper.serve(str(assignment["agent"]), str(assignment["call_id"]))
        # Sweep: every agent says "ready" once more; a call it gets now was stranded in the queue.
        stranded = 0
        for name in names:
            call = sweeper.agent_ready(name)
            if call:
                stranded += 1
                sweeper.serve(name, call)
        log += sweeper.log
        close()
    finally:
        stop(server)
    report = verify(log, prefix, names)
    statuses = Counter(status for *_rest, status, _body in log)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "server": "gunicorn 4 sync workers (bench/gunicorn_conf.py), DEBUG off, PostgreSQL (samvirke_bench)",
        "clients": f"{arguments.processes} processes × {arguments.threads} threads, keep-alive HTTP",
        "calls": arguments.calls,
        "agents": arguments.agents,
        "deliveries": len(log),
        "http_statuses": dict(statuses),
        "load_seconds": round(load_seconds, 1),
        "deliveries_per_second": round(len(log) / load_seconds, 1),
        "assigned_after_a_commit_found_by_polling": len(announced_by_poll),
        "stranded_in_queue_while_an_agent_stood_ready": stranded,
        **report,
    }
    # Several runs (e.g. many agents, and fewer agents than callers so that queues form) share the file.
    runs: dict[str, Any] = {}
    if RESULTS.exists():
        runs = json.loads(RESULTS.read_text(encoding="utf-8")).get("runs", {})
    runs[arguments.label or f"{arguments.calls}-calls-{arguments.agents}-agents"] = result
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"runs": runs}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
