"""Throughput and latency of the telephony event API (PostgreSQL, gunicorn with 4 workers).

Run:  eval "$(tools/postgres)"; .venv/bin/python bench/contact_throughput.py [--seconds 30] [--connections 8]

Same set-up as bench/contact_concurrency.py (database `samvirke_bench`, a fællesskab of three members, agents,
gunicorn 4 sync workers with DEBUG off, started with bench/gunicorn_conf.py: the app and its URL modules are
loaded once before the workers fork, so no worker imports during the measurement). This process is the load:
`--connections` threads, each with its own HTTP connection (gunicorn's sync workers close a connection after each
reply, so the client reconnects), run the realistic mix of a call's life: call_offered → (assigned)
call_answered → call_ended → agent_status ready, which also hands the agent the next queued call; calls that find
every agent busy wait in the queue for a "ready". After a warm-up, it counts events per second and the latency of
each request (p50/p95/p99) for `--seconds`, and the CPU per event of this process, the gunicorn processes and the
database's PostgreSQL backends (from /proc): all three share the machine's cores. Target on the 2-core machine:
≥ 300 events/s at p99 ≤ 100 ms. Writes bench/results/contact_throughput.json.

History: 88.7 events/s, p99 155 ms with the event path in the ORM (12.8-14 statements per event, ~14 ms of worker CPU
per event). The event path now runs 7.75 prepared statements per event (samvirke/contact/rows.py) and skips the
browser middleware (samvirke/contact/middleware.py); tests/contact/test_event_statements.py holds the count.
Another job on the machine takes cores from all three parts: compare runs with `load_average_before`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.contact_concurrency import (  # noqa: E402
    NUMBERS,
    Driver,
    http_poster,
    start_bench_server,
    stop,
)

RESULTS = ROOT / "bench" / "results" / "contact_throughput.json"
TARGET_EVENTS_PER_SECOND, TARGET_P99_MS = 300, 100


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of these processes so far (Linux /proc; 0 for a process that has gone)."""
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def server_pids(server: Any, database_url: str) -> dict[str, list[int]]:
    """The processes that do the work: gunicorn's master and workers, and the bench database's PostgreSQL backends."""
    import psycopg

    children = Path(f"/proc/{server.pid}/task/{server.pid}/children")
    gunicorn = [server.pid, *(int(pid) for pid in children.read_text().split())] if children.exists() else []
    others = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
    with psycopg.connect(database_url, autocommit=True) as connection:
        backends = [row[0] for row in connection.execute(others)]
    return {"gunicorn": gunicorn, "postgresql": backends}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Load:
    def __init__(self, url: str, secret: str, prefix: str, started: float) -> None:
        self.url, self.secret, self.prefix, self.started = url, secret, prefix, started
        self.measuring = threading.Event()
        self.stopping = threading.Event()
        self.latencies: list[float] = []
        self.kinds: Counter[str] = Counter()
        self.errors: Counter[int] = Counter()
        self.lock = threading.Lock()

    def worker(self, index: int) -> None:
        post, close = http_poster(self.url, self.secret)
        latencies: list[float] = []
        kinds: Counter[str] = Counter()
        errors: Counter[int] = Counter()

        def timed(payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
            begin = time.perf_counter()
            status, body = post(payload)
            if self.measuring.is_set():
                latencies.append((time.perf_counter() - begin) * 1000)
                kinds[payload["type"]] += 1
                if status != 200:
                    errors[status] += 1
            return status, body

        driver = Driver(timed, None, prefix=f"{self.prefix}-{index}", seed=index, started=self.started, abandon=0,
                        out_of_order=0, transfer=0.1)  # fmt: skip
        number = 0
        while not self.stopping.is_set():
            number += 1
            call_id = f"{self.prefix}-{index}-call-{number}"
            body = timed(driver.payload("call_offered", call_id=call_id, called_number=NUMBERS[number % 3],
                                        caller_number="20304050"))[1]  # fmt: skip
            agent = body.get("agent")
            call: str | None = call_id
            while agent and call:  # play the agent: answer, end, ready (which may bring the next queued call)
                timed(driver.payload("call_answered", call_id=call))
                timed(driver.payload("call_ended", call_id=call))
                call = timed(driver.payload("agent_status", agent=agent, status="ready"))[1].get("assigned_call_id")
        close()
        with self.lock:
            self.latencies += latencies
            self.kinds.update(kinds)
            self.errors.update(errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=5)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    arguments = parser.parse_args()
    load_average = os.getloadavg()[0]  # another job on the machine takes cores from the benchmark
    server, base_url, database_url, secret, names = start_bench_server(arguments.agents, arguments.workers)
    prefix = f"tp{secrets.token_hex(2)}"
    try:
        started = time.monotonic()
        post, close = http_poster(base_url, secret)
        opener = Driver(post, None, prefix=f"{prefix}-open", seed=0, started=started)
        for name in names:
            opener.agent_ready(name)
        close()
        load = Load(base_url, secret, prefix, started)
        threads = [threading.Thread(target=load.worker, args=(i,)) for i in range(arguments.connections)]
        for thread in threads:
            thread.start()
        time.sleep(arguments.warmup)
        pids = server_pids(server, database_url)
        cpu_before = {name: cpu_seconds(group) for name, group in pids.items()}
        client_before = time.process_time()
        load.measuring.set()
        begin = time.perf_counter()
        time.sleep(arguments.seconds)
        load.measuring.clear()
        elapsed = time.perf_counter() - begin
        cpu = {name: cpu_seconds(group) - cpu_before[name] for name, group in pids.items()}
        cpu["client"] = time.process_time() - client_before
        load.stopping.set()
        for thread in threads:
            thread.join()
    finally:
        stop(server)
    latencies = load.latencies
    events_per_second = len(latencies) / elapsed
    p99 = percentile(latencies, 0.99)
    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "server": f"gunicorn {arguments.workers} sync workers (bench/gunicorn_conf.py), DEBUG off, "
        "PostgreSQL (samvirke_bench), same machine",
        "load": f"{arguments.connections} connections from one client process (threads), one request each at a time",
        "agents": arguments.agents,
        "measured_seconds": round(elapsed, 1),
        "events": len(latencies),
        "events_per_second": round(events_per_second, 1),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50), 1),
            "p95": round(percentile(latencies, 0.95), 1),
            "p99": round(p99, 1),
            "mean": round(statistics.mean(latencies), 1),
            "max": round(max(latencies), 1),
        },
        # Where the two cores went, per event: this process (the load), gunicorn (HTTP + Django), PostgreSQL.
        "cpu_ms_per_event": {name: round(seconds / len(latencies) * 1000, 2) for name, seconds in cpu.items()},
        "load_average_before": round(load_average, 2),
        "mix": dict(load.kinds),
        "errors": dict(load.errors),
        "target": f">= {TARGET_EVENTS_PER_SECOND} events/s at p99 <= {TARGET_P99_MS} ms",
        "target_met": events_per_second >= TARGET_EVENTS_PER_SECOND and p99 <= TARGET_P99_MS,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
