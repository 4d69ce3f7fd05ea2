"""Benchmark of the assistant's background retraining (issue 11). Run: .venv/bin/python bench/assistant_retrain.py

On a fresh SQLite database (and on PostgreSQL too when DATABASE_URL points at one: the database
`samvirke_retrain_bench` next to it is dropped and created), each with the demo data (seed-demo):

(a) a full build from nothing: `samvirke assistant-train --from-scratch` (as the worker trains: one BLAS thread,
    nice 10), its wall time and training time; once, without a database, the same training with the machine's
    default BLAS threads and the incremental retrain after one new example, for comparison;
(b) an edit reaching a citizen, end to end: gunicorn (2 workers, DEBUG off) and a real `samvirke db_worker`
    subprocess; the editor adds an example question through the web page (the save's latency is measured), and a
    citizen asks that question every 0.2 s until the answer is the new topic, 4 times in a row (so both gunicorn
    workers have swapped the new model in). Repeated for several edits;
(c) the citizens' answer latency (POST /chat/316/, p50/p95/max) with nothing running, while the incremental
    retrains of (b) run, and while the worker does a full build (`assistant-train --background --from-scratch`),
    the latter with the training thread at nice 10 (as shipped) and at nice 0, to show what the niceness buys.

Writes bench/results/assistant_retrain.json. Timing is not a pass/fail test: the machine is shared and noisy, so
the load average at the start and end of each run is recorded with the figures.
"""

from __future__ import annotations

import argparse
import csv
import http.cookiejar
import json
import os
import platform
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samvirke.limits.lib.rates import unlimited_environment  # noqa: E402  (pure)

SAMVIRKE = str(ROOT / ".venv" / "bin" / "samvirke")
TOPIC_TITLE = "Affald og storskrald"  # the topic the new example questions are added to (waste)
NEW_QUESTIONS = [  # not answerable before; each becomes an example of "waste"
    "hvem henter de døde duer på min altan",
    "må min papegøje flyve frit i opgangen",
    "hvem fjerner væltede træer fra cykelstien",
    "hvem samler æbler op fra fortovet",
    "hvor gør jeg af en død måge i haven",
]
CITIZEN_QUESTIONS = [
    row["question"] for row in csv.DictReader((ROOT / "tests/data/assistant/test-1.csv").open(encoding="utf-8"))
]


# --- processes ------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def environment(database_url: str, var_dir: Path, secret_key: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "SAMVIRKE_VAR_DIR": str(var_dir),
        "DEBUG": "0",
        "SECRET_KEY": secret_key,
        "TELEPHONY_SECRET": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "TASKS_BACKEND": "database",
        # The measuring citizen asks every 0.2 s from 127.0.0.1, over a person's question limit on purpose.
        **unlimited_environment(),
        "LOG_LEVEL": "WARNING",
    }


def start(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=handle, stderr=handle, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except ProcessLookupError:
        pass
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_for_port(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def start_worker(env: dict[str, str], niceness: int, log: Path) -> subprocess.Popen[bytes]:
    """`samvirke db_worker`, with the training thread's niceness set (this script's --run-worker mode)."""
    return start([sys.executable, __file__, "--run-worker", "--niceness", str(niceness)], env, log)


def run_worker(niceness: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from samvirke.assistant import service

    service.TRAINING_NICENESS = niceness
    call_command("db_worker", interval=0.5, reload=False, startup_delay=False)


# --- HTTP clients ---------------------------------------------------------------------------------------------


class Browser:
    """A cookie-keeping client that sends Django's CSRF token."""

    def __init__(self, base: str):
        self.base = base
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def csrf(self) -> str:
        return next((c.value or "" for c in self.cookies if c.name == "csrftoken"), "")

    def get(self, path: str) -> str:
        with self.opener.open(self.base + path, timeout=60) as response:
            return str(response.read().decode())

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str]:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"X-CSRFToken": self.csrf()})
        with self.opener.open(request, timeout=60) as response:
            return response.status, str(response.read().decode())


class Citizen(Browser):
    def __init__(self, base: str):
        super().__init__(base)
        self.get("/chat/316/")

    def ask(self, question: str) -> tuple[float, str]:
        started = time.perf_counter()
        _, page = self.post("/chat/316/", {"question": question})
        return time.perf_counter() - started, page


def answered_with_topic(page: str) -> bool:
    reply = page.rsplit('<li class="turn">', 1)[-1]
    return f'<h2 class="answer-title">{TOPIC_TITLE}</h2>' in reply


class LatencyRecorder(threading.Thread):
    """A citizen asking the test questions one after another, recording (when, seconds) per answer."""

    def __init__(self, base: str):
        super().__init__(daemon=True)
        self.citizen = Citizen(base)
        self.samples: list[tuple[float, float]] = []
        self.errors = 0
        self.running = True

    def run(self) -> None:
        n = 0
        while self.running:
            try:
                seconds, _ = self.citizen.ask(CITIZEN_QUESTIONS[n % len(CITIZEN_QUESTIONS)])
                self.samples.append((time.monotonic(), seconds))
            except OSError:
                self.errors += 1
            n += 1

    def between(self, start: float, end: float) -> list[float]:
        return [seconds for at, seconds in self.samples if start <= at <= end]


def summary(latencies: list[float]) -> dict[str, Any]:
    if not latencies:
        return {"n": 0}
    ordered = sorted(latencies)

    def pick(share: float) -> float:
        return round(ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] * 1000, 1)

    return {"n": len(ordered), "p50_ms": pick(0.5), "p95_ms": pick(0.95), "max_ms": round(ordered[-1] * 1000, 1)}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# --- the measurements -----------------------------------------------------------------------------------------


def newest_build(env: dict[str, str]) -> dict[str, Any]:
    """The newest build's record, read with plain SQL (no Django in this process: it serves two databases)."""
    query = (
        "SELECT id, seconds, warm_started, recalibrated, size_bytes, reason FROM assistant_modelbuild "
        "WHERE signature <> '' ORDER BY knowledge_read_at DESC, id DESC LIMIT 1"
    )
    url = env["DATABASE_URL"]
    if url.startswith("sqlite"):
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            row = connection.execute(query).fetchone()
    else:
        import psycopg

        with psycopg.connect(url) as connection:
            row = connection.execute(query).fetchone()
    keys = ("id", "seconds", "warm_started", "recalibrated", "bytes", "reason")
    return dict(zip(keys, row, strict=True)) if row else {"id": None}


def full_build(env: dict[str, str]) -> dict[str, Any]:
    started = time.perf_counter()
    out = subprocess.run([SAMVIRKE, "assistant-train", "--from-scratch"], env=env, cwd=ROOT, capture_output=True)
    wall = time.perf_counter() - started
    if out.returncode:
        raise RuntimeError(out.stderr.decode())
    build = newest_build(env)
    return {"command_wall_seconds": round(wall, 2), "training_seconds": build["seconds"], "model_bytes": build["bytes"]}


def engine_only_builds() -> dict[str, Any]:
    """The engine alone, without a database: default BLAS threads vs one, and an incremental retrain."""
    code = r"""
import dataclasses, json, time
from threadpoolctl import threadpool_limits, threadpool_info
from samvirke.assistant.lib.engine import AssistantEngine
from samvirke.knowledge import content
docs = content.topic_docs_from_files()
oos, synonyms = content.read_out_of_scope_training(), content.read_synonym_pairs()
result = {"default_blas_threads": sorted({p["num_threads"] for p in threadpool_info()})}
def timed(**kwargs):
    wall, cpu = time.perf_counter(), time.process_time()
    engine = AssistantEngine(kwargs.pop("docs", docs), oos, synonyms, **kwargs)
    wall, cpu = round(time.perf_counter() - wall, 2), round(time.process_time() - cpu, 2)
    return engine, {"wall_seconds": wall, "cpu_seconds": cpu, **dataclasses.asdict(engine.build_info)}
_, result["full_default_threads"] = timed()
with threadpool_limits(limits=1):
    first, result["full_one_thread"] = timed()
    changed = [dataclasses.replace(d, examples=(*d.examples, "hvem henter de døde duer på min altan"))
               if d.topic_id == "waste" else d for d in docs]
    _, result["incremental_one_thread"] = timed(docs=changed, previous=first)
print(json.dumps(result))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, check=True)
    return dict(json.loads(out.stdout.decode().strip().splitlines()[-1]))


def edits_reach_citizens(base: str, edits: int, recorder: LatencyRecorder) -> dict[str, Any]:
    editor = Browser(base)
    editor.get("/login/")
    status, page = editor.post("/login/", {"username": "redaktoer", "password": "samvirke-demo"})
    assert "Log ud" in page, "the editor could not log in"
    citizen = Citizen(base)
    results: list[dict[str, Any]] = []
    reached: list[float] = []
    windows = []
    for question in NEW_QUESTIONS[:edits]:
        _, before = citizen.ask(question)
        saved_at = time.monotonic()
        started = time.perf_counter()
        status, page = editor.post("/vidensbase/waste/eksempler/", {"text": question})
        save_seconds = time.perf_counter() - started
        assert "Assistenten lærer det i baggrunden" in page, "the example was not saved"
        first = None
        in_a_row = 0
        deadline = time.monotonic() + 180
        while in_a_row < 4 and time.monotonic() < deadline:
            _, answer = citizen.ask(question)
            if answered_with_topic(answer):
                in_a_row += 1
                first = first if first is not None else time.monotonic() - saved_at
            else:
                in_a_row = 0
                time.sleep(0.2)
        everywhere = time.monotonic() - saved_at
        if first is not None:
            reached.append(first)
        windows.append((saved_at, saved_at + everywhere))
        results.append(
            {
                "question": question,
                "answered_before": answered_with_topic(before),
                "save_request_ms": round(save_seconds * 1000, 1),
                "reaches_a_citizen_seconds": round(first, 2) if first is not None else None,
                "all_workers_seconds": round(everywhere, 2) if in_a_row >= 4 else None,
            }
        )
        time.sleep(2)
    during = [s for start, end in windows for s in recorder.between(start, end)]
    return {
        "edits": results,
        "reaches_a_citizen_seconds": {
            "median": round(statistics.median(reached), 2) if reached else None,
            "max": round(max(reached), 2) if reached else None,
        },
        "citizen_latency_during_incremental_retrains": summary(during),
    }


def latency_during_full_build(env: dict[str, str], recorder: LatencyRecorder) -> dict[str, Any]:
    before = newest_build(env)["id"]
    subprocess.run([SAMVIRKE, "assistant-train", "--background", "--from-scratch"], env=env, cwd=ROOT, check=True)
    started = time.monotonic()
    deadline = started + 300
    build = before
    while build == before and time.monotonic() < deadline:
        time.sleep(0.5)
        build = newest_build(env)["id"]
    ended = time.monotonic()
    return {
        "build_seconds_seen": round(ended - started, 1),
        "citizen_latency": summary(recorder.between(started, ended)),
        "load_average_after": load(),
    }


def bench_database(kind: str, options: argparse.Namespace, work: Path) -> dict[str, Any]:
    secret_key = secrets.token_urlsafe(50)
    if kind == "sqlite":
        database_url = f"sqlite:///{work / 'bench.sqlite3'}"
    else:
        import psycopg

        parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
        with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as connection:
            connection.execute('DROP DATABASE IF EXISTS "samvirke_retrain_bench" WITH (FORCE)')
            connection.execute('CREATE DATABASE "samvirke_retrain_bench"')
        database_url = parts._replace(path="/samvirke_retrain_bench").geturl()
    env = environment(database_url, work, secret_key)
    log = work / f"{kind}.log"
    print(f"[{kind}] migrate and seed-demo …", flush=True)
    subprocess.run([SAMVIRKE, "migrate", "-v0"], env=env, cwd=ROOT, check=True)
    subprocess.run([SAMVIRKE, "seed-demo", "--quiet-logins", "--no-traffic"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip
    result: dict[str, Any] = {"load_average_at_start": load()}
    print(f"[{kind}] (a) full build from nothing …", flush=True)
    result["full_build_from_nothing"] = full_build(env)

    port = free_port()
    server = start([str(ROOT / ".venv/bin/gunicorn"), "samvirke.wsgi", "-c", str(ROOT / "bench/gunicorn_conf.py"),
                    "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning"], env, log)  # fmt: skip
    worker = start_worker(env, 10, log)
    recorder = None
    try:
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        for _ in range(4):  # each gunicorn worker loads the model at its first question
            Citizen(base).ask("hvordan får jeg et nyt pas")
        recorder = LatencyRecorder(base)
        recorder.start()
        time.sleep(15)
        result["citizen_latency_idle"] = summary(recorder.between(time.monotonic() - 15, time.monotonic()))
        print(f"[{kind}] (b) edits reaching citizens …", flush=True)
        result.update(edits_reach_citizens(base, options.edits, recorder))
        print(f"[{kind}] (c) citizen latency during a full build (nice 10) …", flush=True)
        result["full_build_in_the_worker_nice_10"] = latency_during_full_build(env, recorder)
        if options.compare_niceness:
            stop(worker)
            worker = start_worker(env, 0, log)
            time.sleep(3)
            print(f"[{kind}] (c) citizen latency during a full build (nice 0) …", flush=True)
            result["full_build_in_the_worker_nice_0"] = latency_during_full_build(env, recorder)
        result["citizen_errors"] = recorder.errors
    finally:
        if recorder is not None:
            recorder.running = False
            recorder.join(timeout=60)
        stop(worker)
        stop(server)
    server_log = log.read_text(errors="replace")
    result["server_errors_in_log"] = len(re.findall(r"Traceback|Internal Server Error| 5\d\d ", server_log))
    result["load_average_at_end"] = load()
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--edits", type=int, default=len(NEW_QUESTIONS), choices=range(1, len(NEW_QUESTIONS) + 1))
    parser.add_argument("--no-compare-niceness", dest="compare_niceness", action="store_false")
    parser.add_argument("--no-engine-only", dest="engine_only", action="store_false")
    parser.add_argument("--run-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--niceness", type=int, default=10, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.run_worker:
        run_worker(options.niceness)
        return
    results: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores (shared), Python {platform.python_version()}",
        "when": time.strftime("%Y-%m-%d %H:%M"),
    }
    if options.engine_only:
        print("engine only: full builds (default BLAS threads, one thread) and an incremental one …", flush=True)
        results["engine_only"] = engine_only_builds()
    kinds = ["sqlite"] + (["postgresql"] if os.environ.get("DATABASE_URL", "").startswith("postgres") else [])
    for kind in kinds:
        with tempfile.TemporaryDirectory(prefix=f"retrain-bench-{kind}-") as work:
            results[kind] = bench_database(kind, options, Path(work))
    out = ROOT / "bench" / "results" / "assistant_retrain.json"
    out.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))
    print(f"written: {out}")


if __name__ == "__main__":
    main()
