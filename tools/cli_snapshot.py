"""Run the command line's computing commands on the repo's test data and keep what they print.

A redesign must not change what the commands say. This script sets up a database of its own (SQLite in a
temporary directory: migrate, the guides and the directory, a fixed simulated history), runs
`hotline-economy`, `business-case`, `erlang`, `forecast` and `ask` with fixed arguments, and writes each
one's standard output to a file (the batch's answer times, a measurement, cut out). With `--compare DIR` it
diffs the new outputs against an earlier run's and exits 1 on any difference, byte for byte. `ask` says whether
the hotline is open now: compare two runs made on the same side of the opening hours.

    .venv/bin/python tools/cli_snapshot.py --output var/cli-before
    … change the code …
    .venv/bin/python tools/cli_snapshot.py --output var/cli-after --compare var/cli-before
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMVIRKE = [sys.executable, "-m", "samvirke.manage"]
CASES = ROOT / "samvirke" / "economy" / "data" / "business_cases"
MEMBERS = "tests/data/sjaelland17.csv"

# name → arguments. Every run is deterministic: fixed seeds, fixed dates, no clock in the output.
RUNS: dict[str, list[str]] = {
    "hotline-economy-price.json": [
        "hotline-economy",
        "--members",
        MEMBERS,
        "--price-per-citizen",
        "1.25",
        "--format",
        "json",
    ],
    "hotline-economy-price.txt": [
        "hotline-economy",
        "--members",
        MEMBERS,
        "--price-per-citizen",
        "1.25",
        "--format",
        "table",
    ],
    "hotline-economy-budget.json": [
        "hotline-economy",
        "--members",
        MEMBERS,
        "--budget",
        "1480120.65",
        "--format",
        "json",
    ],
    "hotline-economy-compare.json": [
        "hotline-economy",
        "--members",
        MEMBERS,
        "--price-per-citizen",
        "1.25",
        "--compare-price",
        "1.7375",
        "--hours-per-1000",
        "6.5",
        "--format",
        "json",
    ],
    **{
        f"business-case-{case}.json": ["business-case", str(CASES / f"{case}.json"), "--format", "json"]
        for case in ("case1", "case2", "case3", "case4", "case5")
    },
    "business-case-case2.txt": ["business-case", str(CASES / "case2.json"), "--format", "table"],
    "business-case-overview.json": [
        "business-case",
        "--overview",
        str(CASES / "overview.json"),
        *(str(CASES / f"case{n}.json") for n in range(1, 6)),
        "--format",
        "json",
    ],
    "erlang-c.json": [
        "erlang",
        "--calls",
        "100",
        "--interval-minutes",
        "30",
        "--aht-seconds",
        "180",
        "--target-sl",
        "0.8",
        "--target-seconds",
        "20",
        "--format",
        "json",
    ],
    "erlang-a.json": [
        "erlang",
        "--calls",
        "100",
        "--interval-minutes",
        "30",
        "--aht-seconds",
        "180",
        "--target-sl",
        "0.8",
        "--target-seconds",
        "20",
        "--patience-seconds",
        "120",
        "--format",
        "json",
    ],
    "erlang-c.txt": [
        "erlang",
        "--calls",
        "37",
        "--interval-minutes",
        "30",
        "--aht-seconds",
        "240",
        "--target-sl",
        "0.8",
        "--target-seconds",
        "60",
        "--format",
        "table",
    ],
    "forecast-per-year.json": ["forecast", "--week", "2026-12-21", "--calls-per-year", "266000", "--format", "json"],
    "forecast-history.json": ["forecast", "--week", "2026-11-30", "--today", "2026-11-28", "--format", "json"],
    "forecast-history.txt": ["forecast", "--week", "2026-11-30", "--today", "2026-11-28", "--format", "table"],
    "ask-mitid.json": ["ask", "jeg har mistet min telefon med mitid", "--municipality", "316", "--format", "json"],
    "ask-batch.json": ["ask", "--batch", "tests/data/assistant/test-1.csv", "--format", "json"],
}

# What a command measures rather than computes: the batch's answer times. Cut from the output before it is
# kept (the lines of that JSON object), so everything else is compared byte for byte.
MEASURED = re.compile(rb',\n *"latency_ms": \{[^{}]*\}')

SETUP: list[list[str]] = [
    ["migrate", "--noinput"],
    ["seed-demo", "--quiet-logins", "--no-traffic", "--no-rota"],
    ["simulate-traffic", "--start", "2026-10-26", "--days", "25", "--seed", "7", "--prefix", "snap"],
]


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[bytes]:
    # Our own interpreter running our own commands with the fixed arguments above.
    return subprocess.run([*SAMVIRKE, *args], cwd=ROOT, env=env, capture_output=True, check=False)  # noqa: S603


def snapshot(output: Path) -> None:
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="samvirke-cli-") as var:
        env = {
            **os.environ,
            "SAMVIRKE_VAR_DIR": var,
            "DATABASE_URL": f"sqlite:///{var}/cli.sqlite3",
            "TZ": "Europe/Copenhagen",
            # The fixed history lies in the past of any day this runs on; the telephony API takes it.
            "TELEPHONY_EVENT_MAX_AGE_DAYS": "36500",
        }
        for args in SETUP:
            done = run(args, env)
            if done.returncode:
                sys.exit(f"opsætningen fejlede: samvirke {' '.join(args)}\n{done.stderr.decode()}")
        for name, args in RUNS.items():
            done = run(args, env)
            (output / name).write_bytes(MEASURED.sub(b"", done.stdout) + f"\n[exit {done.returncode}]\n".encode())
            if done.returncode:
                sys.exit(f"samvirke {' '.join(args)} gav exit {done.returncode}\n{done.stderr.decode()}")
    print(f"{len(RUNS)} uddata skrevet i {output}")


def compare(before: Path, after: Path) -> int:
    differing = 0
    for name in RUNS:
        old, new = (before / name).read_bytes(), (after / name).read_bytes()
        if old == new:
            print(f"ens      {name} ({len(new)} bytes)")
            continue
        differing += 1
        print(f"FORSKEL  {name}")
        sys.stdout.writelines(
            difflib.unified_diff(
                old.decode().splitlines(keepends=True)[:2000],
                new.decode().splitlines(keepends=True)[:2000],
                str(before / name),
                str(after / name),
                n=1,
            )
        )
    print(f"{len(RUNS) - differing} af {len(RUNS)} ens byte for byte")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, required=True, help="mappe til uddata")
    parser.add_argument("--compare", type=Path, help="en tidligere kørsels mappe at sammenligne med")
    options = parser.parse_args()
    snapshot(options.output)
    return compare(options.compare, options.output) if options.compare else 0


if __name__ == "__main__":
    sys.exit(main())
