"""The agent desk's poll under a contact centre's load (PostgreSQL, gunicorn with 4 workers).

Run:  eval "$(tools/postgres)"; .venv/bin/python bench/desk_poll.py [--agents 60] [--seconds 30]

Every agent's desk asks every 2 seconds what changed (GET /kontaktcenter/skrivebord/ with the keys of the parts it
shows; 204 when nothing changed). This starts the same server as bench/contact_throughput.py (database
`samvirke_bench`, gunicorn 4 sync workers, DEBUG off), logs `--agents` agents in (the login form), makes half of
them ready, and then, for `--seconds`: each agent's desk polls every 2 s as the page does (one thread per agent, the
keys carried from answer to answer), while a telephony load of `--calls-per-second` calls plays each call's life
(offered → answered → ended → ready), so desks change (offers, calls, wrap-ups, the queue). It counts polls per
second, the share answered 204, the latency (p50/p95/p99) and the CPU per poll of gunicorn and PostgreSQL (from
/proc; the events' share is included, so it is an upper bound). Writes bench/results/desk_poll.json.

What it shows: whether the poll — a handful of indexed queries, counted in tests/contact/test_desk_reads.py — stays
cheap when every agent of a contact centre runs it at once. Another job on the machine takes cores from all
parts: compare runs with `load_average_before`.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import secrets
import statistics
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.contact_concurrency import NUMBERS, Driver, http_poster, start_bench_server, stop  # noqa: E402
from bench.contact_throughput import cpu_seconds, percentile, server_pids  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "desk_poll.json"
POLL_SECONDS = 2.0
BENCH_PASSWORD = "bench-desk-poll-1"  # noqa: S105  (a throw-away benchmark database)
SEEN = re.compile(rb'name="seen_(\w+)" value="([0-9a-f]*)"')


def log_in(url: str, names: list[str]) -> dict[str, str]:
    """Each agent logs in through the login form (the server's own secret key signs the sessions); the session
    cookie by username."""
    from django.contrib.auth.hashers import make_password

    from samvirke.directory.models import Person

    Person.objects.filter(username__in=names).update(password=make_password(BENCH_PASSWORD))
    host = urllib.parse.urlsplit(url).netloc
    cookies = {}
    for name in names:
        connection = http.client.HTTPConnection(host, timeout=60)
        connection.request("GET", "/login/")
        response = connection.getresponse()
        page = response.read()
        csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie", "") or "")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert csrf_cookie and token, "no CSRF token on the login page"
        form = urllib.parse.urlencode(
            {"username": name, "password": BENCH_PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
        )
        connection = http.client.HTTPConnection(host, timeout=60)
        connection.request(
            "POST",
            "/login/",
            form,
            {"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={csrf_cookie.group(1)}"},
        )
        response = connection.getresponse()
        response.read()
        session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie", "") or "")
        assert response.status == 302 and session, (name, response.status)
        cookies[name] = session.group(1)
        connection.close()
    return cookies


class Desks:
    """The agents' desks polling, as their pages do."""

    def __init__(self, url: str, session_keys: dict[str, str]) -> None:
        self.host = urllib.parse.urlsplit(url).netloc
        self.session_keys = session_keys
        self.measuring = threading.Event()
        self.stopping = threading.Event()
        self.latencies: list[float] = []
        self.statuses: Counter[int] = Counter()
        self.lock = threading.Lock()

    def _get(self, connection: http.client.HTTPConnection, path: str, cookie: str) -> tuple[int, bytes]:
        connection.request("GET", path, headers={"Cookie": cookie, "HX-Request": "true"})
        response = connection.getresponse()
        body = response.read()
        if response.getheader("Connection", "").lower() == "close":
            connection.close()  # gunicorn's sync workers close after each reply
        return response.status, body

    def desk(self, name: str, offset: float) -> None:
        cookie = f"sessionid={self.session_keys[name]}"
        connection = http.client.HTTPConnection(self.host, timeout=30)
        status, page = self._get(connection, "/kontaktcenter/", cookie)
        assert status == 200, (name, status)
        seen = {f"seen_{part.decode()}": key.decode() for part, key in SEEN.findall(page)}
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        next_poll = time.monotonic() + offset
        while not self.stopping.is_set():
            time.sleep(max(0.0, next_poll - time.monotonic()))
            next_poll += POLL_SECONDS
            begin = time.perf_counter()
            status, body = self._get(connection, "/kontaktcenter/skrivebord/?" + urllib.parse.urlencode(seen), cookie)
            if self.measuring.is_set():
                latencies.append((time.perf_counter() - begin) * 1000)
                statuses[status] += 1
            seen.update({f"seen_{part.decode()}": key.decode() for part, key in SEEN.findall(body)})
        connection.close()
        with self.lock:
            self.latencies += latencies
            self.statuses.update(statuses)


def telephony(url: str, secret: str, prefix: str, per_second: float, stopping: threading.Event) -> Counter[int]:
    """Calls at a steady rate, each played to its end by the agent it reached (answer, end, ready)."""
    post, close = http_poster(url, secret)
    driver = Driver(post, None, prefix=prefix, seed=1, started=time.monotonic(), abandon=0, out_of_order=0)
    statuses: Counter[int] = Counter()
    number = 0
    while not stopping.is_set():
        begin = time.monotonic()
        number += 1
        call_id = f"{prefix}-{number}"
        offer = driver.payload(
            "call_offered", call_id=call_id, called_number=NUMBERS[number % 3], caller_number="20304050"
        )
        status, body = post(offer)
        statuses[status] += 1
        if body.get("agent"):
            for kind in ("call_answered", "call_ended"):
                statuses[post(driver.payload(kind, call_id=call_id))[0]] += 1
            statuses[post(driver.payload("agent_status", agent=body["agent"], status="ready"))[0]] += 1
        time.sleep(max(0.0, 1 / per_second - (time.monotonic() - begin)))
    close()
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agents", type=int, default=60)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=6)
    parser.add_argument("--calls-per-second", type=float, default=2.0)
    parser.add_argument("--workers", type=int, default=4)
    arguments = parser.parse_args()
    load_average = os.getloadavg()[0]
    server, base_url, database_url, secret, names = start_bench_server(arguments.agents, arguments.workers)
    prefix = f"dp{secrets.token_hex(2)}"
    try:
        session_keys = log_in(base_url, names)
        from django.db import connections

        connections.close_all()
        post, close = http_poster(base_url, secret)
        opener = Driver(post, None, prefix=f"{prefix}-open", seed=0, started=time.monotonic())
        for name in names[::2]:
            opener.agent_ready(name)
        close()
        desks = Desks(base_url, session_keys)
        threads = [
            threading.Thread(target=desks.desk, args=(name, POLL_SECONDS * index / len(names)))
            for index, name in enumerate(names)
        ]
        stopping = threading.Event()
        calls: list[Counter[int]] = []
        caller = threading.Thread(
            target=lambda: calls.append(
                telephony(base_url, secret, f"{prefix}-calls", arguments.calls_per_second, stopping)
            )
        )
        for thread in [*threads, caller]:
            thread.start()
        time.sleep(arguments.warmup)
        pids = server_pids(server, database_url)
        cpu_before = {pid: cpu_seconds([pid]) for members in pids.values() for pid in members}
        desks.measuring.set()
        begin = time.perf_counter()
        time.sleep(arguments.seconds)
        desks.measuring.clear()
        elapsed = time.perf_counter() - begin
        # Only processes alive at both ends count (a backend that ended meanwhile would read as negative).
        alive = {pid for pid in cpu_before if Path(f"/proc/{pid}").exists()}
        cpu = {
            group: sum(cpu_seconds([pid]) - cpu_before[pid] for pid in members if pid in alive)
            for group, members in pids.items()
        }
        desks.stopping.set()
        stopping.set()
        for thread in [*threads, caller]:
            thread.join()
    finally:
        stop(server)
    latencies = desks.latencies
    polls = len(latencies)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "server": f"gunicorn {arguments.workers} sync workers (bench/gunicorn_conf.py), DEBUG off, "
        "PostgreSQL (samvirke_bench), same machine",
        "load": f"{arguments.agents} desks polling every {POLL_SECONDS:g} s (half the agents ready), "
        f"{arguments.calls_per_second:g} calls/s played to their end",
        "measured_seconds": round(elapsed, 1),
        "polls": polls,
        "polls_per_second": round(polls / elapsed, 1),
        "answered_204_share": round(desks.statuses[204] / polls, 3) if polls else None,
        "statuses": {str(status): count for status, count in sorted(desks.statuses.items())},
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50), 1),
            "p95": round(percentile(latencies, 0.95), 1),
            "p99": round(percentile(latencies, 0.99), 1),
            "mean": round(statistics.mean(latencies), 1),
            "max": round(max(latencies), 1),
        },
        # Per poll, the telephony events' share included (an upper bound for the poll alone).
        "cpu_ms_per_poll": {group: round(seconds / polls * 1000, 2) for group, seconds in cpu.items()},
        "telephony_statuses": {str(status): count for status, count in sorted(sum(calls, Counter()).items())},
        "load_average_before": round(load_average, 2),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
