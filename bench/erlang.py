"""Samvirke's Erlang C against pyworkforce's ErlangC: the same answers, and at least as fast.

Run:  .venv/bin/python bench/erlang.py [--repeats 5] [--pyworkforce-python PYTHON]

pyworkforce is not a dependency of the project and is not installed in .venv: pyworkforce 0.5.1 (the release
that installs on Python 3.11) pulls in ortools, pandas, protobuf, absl-py and immutabledict, none of which the
project pins (the rota will pin its own OR-Tools). It lives in a venv of its own:

    python3.11 -m venv var/pyworkforce-venv    # the same Python as .venv
    var/pyworkforce-venv/bin/pip install -r bench/requirements-pyworkforce.txt

This script then runs that venv's python in a subprocess for the pyworkforce side (the worker below is sent on
stdin, the cases as JSON), and times both sides inside their own processes, so process start-up is not
counted. If pyworkforce happens to be importable here, it is used in-process instead. Override the interpreter
with --pyworkforce-python or $PYWORKFORCE_PYTHON.

Two parts:
1. Agreement: `agents_required` and pyworkforce's `ErlangC.required_positions` on a grid of volumes, handling
   times, answer-time targets, service-level targets, shrinkage and maximum occupancies; raw agents and agents
   must be equal and service level, occupancy and waiting probability equal to 1e-9. Every difference is listed
   with its cause.
2. Speed: a year of half-hour intervals (60 opening hours a week × 52 weeks = 6,240 intervals, volumes from a
   daily and weekly profile), best of --repeats runs per side. Target: ours at least as fast.

Writes bench/results/erlang.json.
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import math
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samvirke.core.lib.erlang import agents_required, agents_required_erlang_a  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "erlang.json"
DEFAULT_PWF_PYTHON = str(ROOT / "var" / "pyworkforce-venv" / "bin" / "python")
INTERVAL_MINUTES = 30
TOLERANCE = 1e-9

# Runs in pyworkforce's interpreter: reads {"cases": [...], "year": [...], "repeats": n} on stdin.
WORKER = r"""
import json, sys, time
from importlib.metadata import version
from pyworkforce.queuing import ErlangC

def solve(calls, interval, aht_s, target_s, sl, shrinkage, max_occ):
    erlang = ErlangC(transactions=calls, aht=aht_s / 60, asa=target_s / 60, interval=interval, shrinkage=shrinkage)
    return erlang.required_positions(service_level=sl, max_occupancy=max_occ)

def run(data):
    results = [solve(*case) for case in data["cases"]]
    timings = []
    for _ in range(data["repeats"]):
        started = time.perf_counter()
        year = [solve(*case)["positions"] for case in data["year"]]
        timings.append(time.perf_counter() - started)
    return {"version": version("pyworkforce"), "python": sys.version.split()[0], "results": results,
            "year_agents": sum(year), "timings": timings}

if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
"""

Case = tuple[float, int, float, float, float, float, float]  # calls, interval, aht s, target s, SL, shrinkage, occ


def grid() -> list[Case]:
    calls = [1, 3, 7.5, 10, 25, 46, 50, 100, 173, 250, 400, 800, 1600]
    ahts = [60, 180, 240, 300, 600]
    targets = [10, 20, 60, 180, 900]
    levels = [0.5, 0.8, 0.9, 0.95]
    shrinkages = [0.0, 0.3]
    occupancies = [0.85, 1.0]
    return [
        (float(c), INTERVAL_MINUTES, float(a), float(t), sl, sh, occ)
        for c, a, t, sl, sh, occ in itertools.product(calls, ahts, targets, levels, shrinkages, occupancies)
    ]


def year_of_intervals() -> list[Case]:
    """60 opening hours a week: Mon–Thu 8–20, Fri 8–20 (12 h × 5), half-hour intervals, 52 weeks."""
    weekday_factor = [1.25, 1.05, 1.0, 0.95, 0.8]
    cases: list[Case] = []
    for week in range(52):
        season = 1.0 + 0.15 * math.cos(2 * math.pi * (week - 2) / 52)  # January peak, summer dip
        for day in range(5):
            for slot in range(24):  # 12 hours
                hour = 8 + slot / 2
                shape = 0.35 + math.exp(-((hour - 10.5) ** 2) / 4) + 0.6 * math.exp(-((hour - 14) ** 2) / 3)
                calls = max(1.0, round(60 * shape * weekday_factor[day] * season))
                cases.append((calls, INTERVAL_MINUTES, 240.0, 20.0, 0.8, 0.3, 0.85))
    return cases


def ours(case: Case) -> dict[str, Any]:
    calls, interval, aht, target, sl, shrinkage, occ = case
    result = agents_required(calls, interval, aht, sl, target, shrinkage=shrinkage, max_occupancy=occ)
    return {
        "raw_positions": result.raw_agents,
        "positions": result.agents,
        "service_level": result.service_level,
        "occupancy": result.occupancy,
        "waiting_probability": result.waiting_probability,
    }


def run_pyworkforce(payload: dict[str, Any], python: str) -> dict[str, Any]:
    if importlib.util.find_spec("pyworkforce") is not None:
        namespace: dict[str, Any] = {"__name__": "pyworkforce_worker"}
        exec(compile(WORKER, "pyworkforce_worker", "exec"), namespace)  # noqa: S102 - our own code, above
        return namespace["run"](payload)  # type: ignore[no-any-return]
    if not Path(python).exists():
        sys.exit(
            f"pyworkforce is neither importable here nor found at {python}. Create the venv as described at "
            "the top of bench/erlang.py, or pass --pyworkforce-python."
        )
    completed = subprocess.run(
        [python, "-c", WORKER], input=json.dumps(payload), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.exit(f"The pyworkforce worker failed:\n{completed.stderr}")
    return json.loads(completed.stdout)  # type: ignore[no-any-return]


def explain(case: Case, mine: dict[str, Any], theirs: dict[str, Any]) -> str:
    calls, interval, aht, target, sl, shrinkage, occ = case
    load = calls * aht / (interval * 60)
    if mine["raw_positions"] < theirs["raw_positions"] and mine["raw_positions"] < round(load + 1):
        return (
            f"pyworkforce starts its search at round(A + 1) = {round(load + 1)} (A = {load:g}); "
            f"{mine['raw_positions']} agents already meet the target"
        )
    if mine["raw_positions"] == theirs["raw_positions"] and mine["positions"] != theirs["positions"]:
        return "rounding up raw / (1 − shrinkage): float noise in pyworkforce's ceil"
    if mine["raw_positions"] != theirs["raw_positions"] and abs(load / occ - round(load / occ)) < 1e-9:
        return "rounding up A / max occupancy: float noise in pyworkforce's ceil"
    return "unexplained"


def compare(cases: list[Case], theirs: list[dict[str, Any]]) -> tuple[int, list[dict[str, Any]], float]:
    differences = []
    worst = 0.0
    for case, other in zip(cases, theirs, strict=True):
        mine = ours(case)
        same_counts = (mine["raw_positions"], mine["positions"]) == (other["raw_positions"], other["positions"])
        gaps = {key: abs(mine[key] - other[key]) for key in ("service_level", "occupancy", "waiting_probability")}
        if same_counts:
            worst = max(worst, *gaps.values())
        if not same_counts or max(gaps.values()) > TOLERANCE:
            differences.append(
                {
                    "case": dict(
                        zip(
                            (
                                "calls",
                                "interval_minutes",
                                "aht_seconds",
                                "target_seconds",
                                "target_sl",
                                "shrinkage",
                                "max_occupancy",
                            ),
                            case,
                            strict=True,
                        )
                    ),
                    "ours": mine,
                    "pyworkforce": other,
                    "cause": explain(case, mine, other) if not same_counts else "values differ beyond 1e-9",
                }
            )
    return len(cases) - len(differences), differences, worst


def time_ours(year: list[Case], repeats: int) -> tuple[list[float], int]:
    timings = []
    total = 0
    for _ in range(repeats):
        started = time.perf_counter()
        total = sum(ours(case)["positions"] for case in year)
        timings.append(time.perf_counter() - started)
    return timings, total


def time_erlang_a(year: list[Case], repeats: int, patience: float) -> list[float]:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        for calls, interval, aht, target, sl, shrinkage, occ in year:
            agents_required_erlang_a(calls, interval, aht, sl, target, patience, shrinkage=shrinkage, max_occupancy=occ)
        timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--pyworkforce-python", default=os.environ.get("PYWORKFORCE_PYTHON", DEFAULT_PWF_PYTHON))
    args = parser.parse_args()

    cases, year = grid(), year_of_intervals()
    other = run_pyworkforce({"cases": cases, "year": year, "repeats": args.repeats}, args.pyworkforce_python)
    agree, differences, worst = compare(cases, other["results"])
    our_timings, our_year_agents = time_ours(year, args.repeats)
    erlang_a_timings = time_erlang_a(year, args.repeats, patience=120.0)
    ours_best, theirs_best = min(our_timings), min(other["timings"])

    causes: dict[str, int] = {}
    for difference in differences:
        key = difference["cause"].split(";")[0].split(" = ")[0]
        causes[key] = causes.get(key, 0) + 1
    report = {
        "what": "samvirke.core.lib.erlang.agents_required vs pyworkforce ErlangC.required_positions",
        "python": platform.python_version(),
        "pyworkforce": {"version": other["version"], "python": other["python"]},
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "agreement": {
            "cases": len(cases),
            "agree": agree,
            "differ": len(differences),
            "causes": causes,
            "max_abs_difference_when_agents_agree": worst,
            "tolerance": TOLERANCE,
            "differences": differences,
        },
        "year": {
            "intervals": len(year),
            "calls": sum(case[0] for case in year),
            "settings": {
                "aht_seconds": 240,
                "target_seconds": 20,
                "target_sl": 0.8,
                "shrinkage": 0.3,
                "max_occupancy": 0.85,
            },
            "agent_intervals": {"ours": our_year_agents, "pyworkforce": other["year_agents"]},
            "seconds_best_of": args.repeats,
            "ours_seconds": round(ours_best, 4),
            "pyworkforce_seconds": round(theirs_best, 4),
            "speedup": round(theirs_best / ours_best, 2),
            "ours_per_interval_us": round(ours_best / len(year) * 1e6, 2),
            "pyworkforce_per_interval_us": round(theirs_best / len(year) * 1e6, 2),
            "erlang_a_seconds_patience_120s": round(min(erlang_a_timings), 4),
            "target_met": ours_best <= theirs_best,
        },
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    print(f"Agreement: {agree}/{len(cases)} cases identical (values to {TOLERANCE:g}); {len(differences)} differ")
    for cause, count in causes.items():
        print(f"  {count:4d} × {cause}")
    for difference in differences[:5]:
        print(
            f"  e.g. {difference['case']}: ours {difference['ours']['raw_positions']}/"
            f"{difference['ours']['positions']}, pyworkforce {difference['pyworkforce']['raw_positions']}/"
            f"{difference['pyworkforce']['positions']} — {difference['cause']}"
        )
    print(f"  largest value gap where the agents agree: {worst:.2e}")
    year_report = report["year"]
    print(
        f"Year ({len(year)} half-hour intervals, best of {args.repeats}): ours {ours_best * 1000:.1f} ms, "
        f"pyworkforce {theirs_best * 1000:.1f} ms → {year_report['speedup']}× "
        f"({'target met' if year_report['target_met'] else 'TARGET MISSED'}); "
        f"Erlang A {min(erlang_a_timings) * 1000:.1f} ms"
    )
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
