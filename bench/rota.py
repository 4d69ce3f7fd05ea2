"""The rota builder on a realistic week: 45 member municipalities, 60 opening hours, Erlang C requirement.

Run:  .venv/bin/python bench/rota.py [--time-limit 60] [--pyworkforce-python PYTHON]

The instance:
- members: the 45 most populous municipalities in samvirke/directory/data/municipalities.csv (Danmarks Statistik
  2024), with the fee model's weekly target and band (`samvirke.economy.lib.fees.hours_for`: 8 hours per 1,000
  inhabitants a year, 48 weeks, band 0.7–1.3);
- the week: Mon–Fri 08–20 (60 hours, 120 half-hours), the week of Monday 3 March 2025 (no holidays);
- the requirement: `forecast_from_volume` with 266,000 contacts a year (the default profile) and Erlang C for
  80 % answered within 60 s, AHT 4.5 min, shrinkage 0.3, max occupancy 0.85;
- shifts 2–4 hours in half-hour steps, starting and ending within the opening hours.

A second scenario with 200,000 contacts a year, where the obligations exceed the requirement, shows the other
side: the rota then keeps over-staffing at its minimum and members below their targets (inside their bands).

Reported per scenario: every interval covered? every member inside its band? solve time (target ≤ 60 s on this
2-core machine) and the two stages; over-staffing against the requirement and scheduled hours against the
obligations; fairness of the unpopular hours; and pyworkforce 0.5.1's MinRequiredResources on the same requirement
and the same shifts (it knows nothing of members, obligations or bands; run twice: with each shift costing its
length, which minimises agent-intervals like our over-staffing term, and with its default cost of 1 a shift,
which minimises the number of shifts). pyworkforce runs in its own venv, as in bench/erlang.py:

    python3.11 -m venv var/pyworkforce-venv    # the same Python as .venv
    var/pyworkforce-venv/bin/pip install -r bench/requirements-pyworkforce.txt

or point $PYWORKFORCE_PYTHON (or --pyworkforce-python) at another interpreter that has it.

Writes bench/results/rota.json.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samvirke.core.lib.hours import OpeningHours  # noqa: E402
from samvirke.staffing.lib.forecast import forecast_from_volume  # noqa: E402
from samvirke.staffing.lib.rota import (  # noqa: E402
    RotaMember,
    RotaProblem,
    RotaResult,
    ShiftRules,
    intervals_from_opening_hours,
    requirement_from_volumes,
    solve_rota,
)

RESULTS = ROOT / "bench" / "results" / "rota.json"
MUNICIPALITIES = ROOT / "samvirke" / "directory" / "data" / "municipalities.csv"
DEFAULT_PWF_PYTHON = str(ROOT / "var" / "pyworkforce-venv" / "bin" / "python")
MEMBERS = 45
WEEK_START = dt.date(2025, 3, 3)  # a Monday; no holidays that week
ERLANG: dict[str, Any] = {
    "interval_minutes": 30,
    "aht_seconds": 270,
    "target_service_level": 0.8,
    "target_seconds": 60,
    "shrinkage": 0.3,
    "max_occupancy": 0.85,
}
SCENARIOS = {"266k": 266_000, "200k": 200_000}

# Runs in pyworkforce's interpreter: reads {"days", "periods", "shifts", "required", "time_limit"} on stdin.
WORKER = r"""
import json, sys, time
from importlib.metadata import version
from pyworkforce.scheduling import MinRequiredResources

def run(data):
    days, periods = data["days"], data["periods"]
    coverage = {}
    for first, length in data["shifts"]:
        coverage[f"s{first}_{length}"] = [1 if first <= p < first + length else 0 for p in range(periods)]
    out = {"version": version("pyworkforce"), "runs": {}}
    for name, costs in (("cost_length", {k: sum(v) for k, v in coverage.items()}), ("cost_one", None)):
        started = time.perf_counter()
        scheduler = MinRequiredResources(
            num_days=days, periods=periods, shifts_coverage=coverage, required_resources=data["required"],
            max_period_concurrency=1000, max_shift_concurrency=200, cost_dict=costs,
            max_search_time=data["time_limit"], num_search_workers=2,
        )
        solution = scheduler.solve()
        seconds = time.perf_counter() - started
        scheduled = [[0] * periods for _ in range(days)]
        shifts = 0
        for row in solution["resources_shifts"]:
            if row["resources"] > 0:
                shifts += row["resources"]
                for p, on in enumerate(coverage[row["shift"]]):
                    scheduled[row["day"]][p] += on * row["resources"]
        out["runs"][name] = {"status": solution["status"], "cost": solution["cost"], "seconds": seconds,
                             "scheduled": scheduled, "shifts": shifts}
    return out

if __name__ == "__main__":
    json.dump(run(json.load(sys.stdin)), sys.stdout)
"""


def load_members(count: int = MEMBERS) -> list[tuple[int, str, int]]:
    with MUNICIPALITIES.open(encoding="utf-8") as handle:
        rows = [(int(row["kommunekode"]), row["name"], int(row["population"])) for row in csv.DictReader(handle)]
    rows.sort(key=lambda row: (-row[2], row[0]))
    return rows[:count]


def build_problem(yearly_volume: int) -> tuple[RotaProblem, list[float]]:
    hours = OpeningHours.hotline_default()
    intervals = intervals_from_opening_hours(hours)
    forecast = forecast_from_volume(yearly_volume, hours, WEEK_START, 1)
    volumes = [
        float(forecast.counts[interval.weekday, (interval.start.hour * 60 + interval.start.minute) // 30])
        for interval in intervals
    ]
    requirement = requirement_from_volumes(volumes, **ERLANG)
    members = [RotaMember.from_population(code, name, population) for code, name, population in load_members()]
    problem = RotaProblem(tuple(intervals), tuple(requirement), tuple(members), rules=ShiftRules.between(2, 4))
    return problem, volumes


def run_pyworkforce(problem: RotaProblem, python: str, time_limit: float) -> dict[str, Any]:
    days = sorted({interval.weekday for interval in problem.intervals})
    periods = len(problem.intervals) // len(days)
    by_day = [
        [need for interval, need in zip(problem.intervals, problem.requirement, strict=True) if interval.weekday == day]
        for day in days
    ]
    if any(len(row) != periods for row in by_day):
        sys.exit("pyworkforce needs the same periods every day")
    lengths = [length // problem.interval_minutes for length in problem.rules.lengths_minutes]
    shifts = [(first, length) for first in range(periods) for length in lengths if first + length <= periods]
    payload = {"days": len(days), "periods": periods, "shifts": shifts, "required": by_day, "time_limit": time_limit}
    if importlib.util.find_spec("pyworkforce") is not None:
        namespace: dict[str, Any] = {"__name__": "pyworkforce_worker"}
        exec(compile(WORKER, "pyworkforce_worker", "exec"), namespace)  # noqa: S102 - our own code, above
        return namespace["run"](payload)  # type: ignore[no-any-return,unused-ignore]
    if not Path(python).exists():
        sys.exit(f"pyworkforce is neither importable here nor found at {python}; see the top of bench/rota.py.")
    completed = subprocess.run(
        [python, "-c", WORKER], input=json.dumps(payload), capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        sys.exit(f"The pyworkforce worker failed:\n{completed.stderr}")
    return json.loads(completed.stdout)  # type: ignore[no-any-return,unused-ignore]


def summarise_ours(problem: RotaProblem, result: RotaResult) -> dict[str, Any]:
    required = sum(problem.requirement)
    scheduled = sum(row.scheduled for row in result.coverage)
    fairness = [abs(member.unpopular_share - member.obligation_share) for member in result.members]
    deviation = [member.scheduled_hours - member.target for member in result.members]
    relative = [member.scheduled_hours / member.target for member in result.members if member.target]
    first_full = next(
        (seconds for seconds, objective in result.stages[0].progress if objective < problem.weights.over),
        None,
    )
    return {
        "status": result.status,
        "solve_seconds": result.solve_seconds,
        "stages": [
            {
                "name": stage.name,
                "status": stage.status,
                "seconds": stage.seconds,
                "objective": stage.objective,
                "best_bound": stage.best_bound,
                "solutions": len(stage.progress),
            }
            for stage in result.stages
        ],
        "seconds_to_full_coverage_without_over_staffing": first_full,
        "every_interval_covered": result.coverage_met,
        "every_member_in_band": result.bands_held,
        "shortfall_agent_intervals": result.shortfall,
        "scheduled_agent_intervals": scheduled,
        "over_staffing_agent_intervals": result.over,
        "over_staffing_vs_requirement_pct": round(100 * result.over / required, 2),
        "scheduled_hours": result.scheduled_hours,
        "scheduled_minus_obligation_hours": result.scheduled_hours - result.obligation_hours,
        "scheduled_vs_obligation_pct": round(100 * result.scheduled_hours / result.obligation_hours, 2),
        "shifts": len(result.shifts),
        "members_at_or_above_target": sum(1 for value in deviation if value >= 0),
        "hours_over_target_min_max": [min(deviation), max(deviation)],
        "hours_to_target_ratio_min_max": [round(min(relative), 3), round(max(relative), 3)],
        "unpopular_hours": sum(member.unpopular_hours for member in result.members),
        "unpopular_share_max_abs_deviation_from_obligation_share": round(max(fairness), 4),
        "unpopular_share_mean_abs_deviation_from_obligation_share": round(sum(fairness) / len(fairness), 4),
        "problems": list(result.problems),
        "notes": list(result.notes),
        "members": [
            {
                "kommunekode": member.kommunekode,
                "name": member.name,
                "target": member.target,
                "band": [member.band_min, member.band_max],
                "scheduled_hours": member.scheduled_hours,
                "unpopular_hours": member.unpopular_hours,
                "unpopular_share": round(member.unpopular_share, 4),
                "obligation_share": round(member.obligation_share, 4),
            }
            for member in result.members
        ],
    }


def summarise_pyworkforce(problem: RotaProblem, run: dict[str, Any]) -> dict[str, Any]:
    flat = [count for row in run["scheduled"] for count in row]
    over = sum(max(0, got - need) for got, need in zip(flat, problem.requirement, strict=True))
    short = sum(max(0, need - got) for got, need in zip(flat, problem.requirement, strict=True))
    return {
        "status": run["status"],
        "seconds": round(run["seconds"], 3),
        "shifts": run["shifts"],
        "scheduled_agent_intervals": sum(flat),
        "scheduled_hours": sum(flat) * problem.interval_minutes / 60,
        "over_staffing_agent_intervals": over,
        "over_staffing_vs_requirement_pct": round(100 * over / sum(problem.requirement), 2),
        "shortfall_agent_intervals": short,
    }


def run_scenario(name: str, volume: int, args: argparse.Namespace) -> dict[str, Any]:
    problem, volumes = build_problem(volume)
    result = solve_rota(problem, time_limit_seconds=args.time_limit, seed=0, workers=2)
    ours = summarise_ours(problem, result)
    theirs = run_pyworkforce(problem, args.pyworkforce_python, args.time_limit)
    required_hours = float(problem.required_hours)
    obligation = sum(float(member.target) for member in problem.members)
    report: dict[str, Any] = {
        "yearly_contacts": volume,
        "week_contacts": round(sum(volumes), 1),
        "intervals": len(problem.intervals),
        "requirement": {
            "agent_intervals": sum(problem.requirement),
            "hours": required_hours,
            "peak_agents": max(problem.requirement),
            "per_interval": list(problem.requirement),
        },
        "obligations": {
            "members": len(problem.members),
            "population": sum(population for _code, _name, population in load_members()),
            "target_hours": obligation,
            "band_min_hours": sum(float(member.band_min) for member in problem.members),
            "band_max_hours": sum(float(member.band_max) for member in problem.members),
            "obligation_minus_requirement_hours": obligation - required_hours,
        },
        "ours": ours,
        "pyworkforce_min_required_resources": {
            "version": theirs["version"],
            "cost_length": summarise_pyworkforce(problem, theirs["runs"]["cost_length"]),
            "cost_one": summarise_pyworkforce(problem, theirs["runs"]["cost_one"]),
        },
    }
    print(
        f"[{name}] {volume:,} contacts/year: requirement {required_hours:g} h ({sum(problem.requirement)} agent-"
        f"intervals, peak {max(problem.requirement)}), obligations {obligation:g} h "
        f"(bands {report['obligations']['band_min_hours']:g}–{report['obligations']['band_max_hours']:g} h)"
    )
    print(
        f"  ours: {result.status} in {result.solve_seconds:.1f} s "
        f"({', '.join(f'{stage.name} {stage.status} {stage.seconds:.1f} s' for stage in result.stages)}); "
        f"covered {result.coverage_met}, bands held {result.bands_held}; over-staffing {result.over} agent-intervals "
        f"({ours['over_staffing_vs_requirement_pct']} %); scheduled {result.scheduled_hours:g} h = "
        f"{ours['scheduled_vs_obligation_pct']} % of obligations; unpopular share max dev "
        f"{ours['unpopular_share_max_abs_deviation_from_obligation_share']}"
    )
    for variant in ("cost_length", "cost_one"):
        row = report["pyworkforce_min_required_resources"][variant]
        print(
            f"  pyworkforce {variant}: {row['status']} in {row['seconds']:.1f} s, {row['shifts']} shifts, "
            f"{row['scheduled_agent_intervals']} agent-intervals, over-staffing {row['over_staffing_agent_intervals']} "
            f"({row['over_staffing_vs_requirement_pct']} %)"
        )
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--time-limit", type=float, default=55.0)
    parser.add_argument("--pyworkforce-python", default=os.environ.get("PYWORKFORCE_PYTHON", DEFAULT_PWF_PYTHON))
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), action="append")
    args = parser.parse_args()
    started = time.perf_counter()
    scenarios = {name: run_scenario(name, SCENARIOS[name], args) for name in (args.scenario or SCENARIOS)}
    report = {
        "what": "samvirke.staffing.lib.rota.solve_rota on 45 members, 60 opening hours, Erlang C requirement; "
        "pyworkforce MinRequiredResources on the same requirement and shifts",
        "python": platform.python_version(),
        "ortools": version("ortools"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "settings": {
            "time_limit_seconds": args.time_limit,
            "workers": 2,
            "seed": 0,
            "week": WEEK_START.isoformat(),
            "opening_hours": "Mon–Fri 08–20",
            "shift_lengths_hours": "2–4 in half-hour steps",
            "erlang": ERLANG,
            "members": "the 45 most populous municipalities, municipalities.csv (2024)",
        },
        "scenarios": scenarios,
        "target_solve_seconds": 60,
        "target_met": all(s["ours"]["solve_seconds"] <= 60 for s in scenarios.values()),
        "bench_seconds": round(time.perf_counter() - started, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"Wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
