"""Telephony events while a rota is built in the background (issue 11): how long each event takes while the worker
forecasts, solves and writes, on SQLite (a database file, WAL, the settings' 10 s busy timeout) and, when
$BENCH_POSTGRES_URL names a PostgreSQL database, on PostgreSQL.

Run:  .venv/bin/python bench/rota_live_traffic.py [--time-limit 30]
      BENCH_POSTGRES_URL=postgres://samvirke:samvirke@127.0.0.1:5432/samvirke_bench \
          .venv/bin/python bench/rota_live_traffic.py

Each run is tests/staffing/live_traffic.py in a subprocess: a fresh database, the test fællesskab (3 members, 6
agents; the solver proves its plan optimal in seconds) or the demo's (17 members, ~50 agents with availability;
the solver runs to its time limit), the real `samvirke db_worker`, a build asked for through the week page's
form, and signed events posted one after another through the middleware until the build is done. Reported: the
build's time, the events per phase, their HTTP statuses, and the events' latency (median, 99th percentile, max)
in seconds.

Writes bench/results/rota_live_traffic.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
RESULTS = PROJECT / "bench" / "results" / "rota_live_traffic.json"


def scenario(database_url: str, time_limit: float, demo: bool) -> dict[str, Any]:
    env = {**os.environ, "DATABASE_URL": database_url, "TASKS_BACKEND": "database"}
    env.pop("SQLITE_BUSY_TIMEOUT", None)  # the settings' own (10 s)
    done = subprocess.run(
        [sys.executable, "-m", "tests.staffing.live_traffic", "--time-limit", str(time_limit)]
        + (["--demo"] if demo else []),
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result.pop("not_applied", None)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30, help="the solver's time limit (the page's default)")
    args = parser.parse_args()
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for demo in (False, True):
            runs.append(scenario(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", args.time_limit, demo))
    if os.environ.get("BENCH_POSTGRES_URL"):
        for demo in (False, True):
            runs.append(scenario(os.environ["BENCH_POSTGRES_URL"], args.time_limit, demo))
    report = {
        "what": "telephony events posted one after another while the background worker builds a week's rota",
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "runs": runs,
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    for run in runs:
        latency, build = run["latency_seconds"], run["build"]
        print(
            f"{run['database']}, {run['fellesskab']}: build {build['state']} in {build['seconds']} s; "
            f"{run['events']} events {run['statuses']}; latency median {latency['median']} s, p99 {latency['p99']} s, "
            f"max {latency['max']} s"
        )
    print(f"→ {RESULTS.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
