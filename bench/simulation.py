"""The contact-centre simulation against Erlang C and Erlang A. Run: .venv/bin/python bench/simulation.py

Three parts (samvirke/staffing/lib/simulation.py):
1. Stationary scenarios where Erlang's assumptions hold — Poisson arrivals at a constant rate, exponential handle
   times, constant staffing, one long interval (--hours), callers who never hang up (Erlang C) or who hang up
   after an exponential patience (Erlang A): the simulated service level (answered within 60 s ÷ offered), ASA,
   abandonment and occupancy next to the formulas, with 95 % confidence intervals over --replications runs.
   Two lognormal cases show what Erlang C cannot see (handle times less or more variable than exponential).
2. A realistic week: 266,000 calls a year (Den Digitale Hotline; the 45-member fællesskab is all of it) spread
   by `forecast_from_volume` over the default opening hours (Mon–Fri 8–20: 120 half hours), starting Monday
   3 March 2025 (no holidays); each half hour staffed with Erlang C's raw agents for 80 % in 60 s at AHT 270 s.
   Simulated per interval and for the week, with infinite patience and with a mean patience of 180 s
   (compared with Erlang A on the same staffing). The gap between simulation and Erlang here is the point:
   queues carry over between half hours, and the rota changes every half hour.
3. Speed: seconds per replication of that week (a fresh random week each time).

Prints tables and writes bench/results/simulation.json. Timing depends on the machine; it is not a test.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from samvirke.core.lib.erlang import agents_required, asa, erlang_a, service_level  # noqa: E402
from samvirke.core.lib.hours import OpeningHours  # noqa: E402
from samvirke.staffing.lib.forecast import SLOT_MINUTES, forecast_from_volume, open_fractions  # noqa: E402
from samvirke.staffing.lib.simulation import Estimate, SimulationResult, simulate  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "simulation.json"
AHT = 270.0
TARGET = 60.0
YEARLY_CALLS = 266_000
WEEK_START = dt.date(2025, 3, 3)  # a Monday; no holidays that week
PATIENCE = 180.0

# (load in Erlang, agents, patience in seconds or None, handle-time CV or None for exponential)
STATIONARY: list[tuple[float, int, float | None, float | None]] = [
    (2.0, 3, None, None),
    (5.0, 7, None, None),
    (10.0, 12, None, None),
    (20.0, 23, None, None),
    (40.0, 44, None, None),
    (5.0, 6, 180.0, None),
    (20.0, 21, 150.0, None),
    (20.0, 18, 120.0, None),
    (20.0, 22, None, 0.4),
    (20.0, 22, None, 1.5),
]


def estimate(value: Estimate, digits: int = 4) -> dict[str, float | None]:
    def clean(number: float) -> float | None:
        return None if math.isnan(number) else round(number, digits)

    return {"mean": clean(value.mean), "low": clean(value.low), "high": clean(value.high)}


def pct(value: float) -> str:
    return "   –  " if math.isnan(value) else f"{100 * value:5.1f}%"


def stationary(hours: float, replications: int) -> list[dict[str, Any]]:
    rows = []
    print(f"1. Stationary scenarios: {hours:g} hours per replication, {replications} replications, AHT {AHT:g} s")
    print("   A     N  patience  handle        SL sim (95 % CI)        SL Erlang  diff    ASA sim  Erlang   "
          "aband. sim  Erlang   occ. sim  Erlang")  # fmt: skip
    for seed, (load, agents, patience, cv) in enumerate(STATIONARY):
        result = simulate(
            [load / AHT * hours * 3600],
            [agents],
            aht_seconds=AHT,
            interval_minutes=hours * 60,
            handle_time="exponential" if cv is None else "lognormal",
            handle_time_cv=1.0 if cv is None else cv,
            patience_seconds=patience,
            target_seconds=TARGET,
            replications=replications,
            seed=100 + seed,
        )
        total = result.total
        if patience is None:
            model = "Erlang C"
            sl = service_level(agents, load, AHT, TARGET)
            mean_wait = asa(agents, load, AHT)
            abandonment = 0.0
            occupancy = load / agents
        else:
            model = "Erlang A"
            metrics = erlang_a(agents, load, AHT, TARGET, patience)
            sl, abandonment, occupancy = metrics.service_level, metrics.abandonment, metrics.occupancy
            mean_wait = math.nan  # Erlang A's is over all offered callers; the simulation's ASA is over the answered
        handle = "exponential" if cv is None else f"lognormal {cv:g}"
        sim = total.service_level
        print(
            f"  {load:4g} {agents:4d}  {'∞' if patience is None else f'{patience:g} s':>8}  {handle:<13}"
            f"{pct(sim.mean)} ({pct(sim.low)}–{pct(sim.high)})  {pct(sl)}  {100 * (sim.mean - sl):+5.1f}  "
            f"{total.asa_seconds.mean:7.1f}  {mean_wait:6.1f}   {pct(total.abandonment_rate.mean)}  {pct(abandonment)}"
            f"   {pct(total.occupancy.mean)}  {pct(occupancy)}"
        )
        rows.append(
            {
                "load_erlang": load,
                "agents": agents,
                "patience_seconds": patience,
                "handle_time": "exponential" if cv is None else "lognormal",
                "handle_time_cv": 1.0 if cv is None else cv,
                "model": model,
                "model_valid": cv is None,
                "offered_per_replication": round(total.offered.mean, 1),
                "service_level": {"simulated": estimate(sim), "model": round(sl, 4)},
                "service_level_difference_points": round(100 * (sim.mean - sl), 2),
                "asa_seconds": {
                    "simulated": estimate(total.asa_seconds, 2),
                    "model": None if math.isnan(mean_wait) else round(mean_wait, 2),
                },
                "abandonment": {"simulated": estimate(total.abandonment_rate), "model": round(abandonment, 4)},
                "occupancy": {"simulated": estimate(total.occupancy), "model": round(occupancy, 4)},
            }
        )
    print("  (lognormal rows: Erlang C assumes exponential handle times, so it is not expected to agree there)")
    return rows


def realistic_week() -> tuple[list[float], list[float], list[int]]:
    """Start minutes (from Monday 00:00), expected calls and Erlang C agents of the week's open half hours."""
    hours = OpeningHours.hotline_default()
    counts = forecast_from_volume(YEARLY_CALLS, hours, WEEK_START, weeks=1).counts
    fractions = open_fractions(hours)
    starts, calls, agents = [], [], []
    for day in range(7):
        for slot in range(counts.shape[1]):
            if fractions[day, slot] > 0:
                starts.append(float(day * 1440 + slot * SLOT_MINUTES))
                calls.append(float(counts[day, slot]))
                agents.append(agents_required(float(counts[day, slot]), SLOT_MINUTES, AHT, 0.8, TARGET).raw_agents)
    return starts, calls, agents


def week_part(replications: int) -> dict[str, Any]:
    starts, calls, agents = realistic_week()
    contacts = np.array(calls)
    erlang_c_sl = np.array([service_level(n, c * AHT / 1800, AHT, TARGET) for c, n in zip(calls, agents, strict=True)])
    erlang_a_metrics = [erlang_a(n, c * AHT / 1800, AHT, TARGET, PATIENCE) for c, n in zip(calls, agents, strict=True)]
    erlang_a_sl = np.array([m.service_level for m in erlang_a_metrics])
    erlang_a_abandon = np.array([m.abandonment for m in erlang_a_metrics])

    def weighted(values: np.ndarray) -> float:
        return float((values * contacts).sum() / contacts.sum())

    print(
        f"\n2. A realistic week: {len(starts)} open half hours, {contacts.sum():,.0f} calls expected "
        f"({contacts.sum() / 5:,.0f} a day), {sum(agents) / 2:,.0f} agent hours (Erlang C, 80 % in 60 s, "
        f"AHT {AHT:g} s); {replications} replications"
    )
    out: dict[str, Any] = {
        "week_start": WEEK_START.isoformat(),
        "yearly_calls": YEARLY_CALLS,
        "intervals": len(starts),
        "expected_calls": round(float(contacts.sum()), 1),
        "agent_hours": sum(agents) / 2,
        "agents_min_max": [min(agents), max(agents)],
        "scenarios": {},
    }
    timings: list[float] = []
    for name, patience in (("infinite_patience", None), (f"patience_{PATIENCE:g}s", PATIENCE)):
        started = time.perf_counter()
        result = simulate(
            contacts,
            agents,
            aht_seconds=AHT,
            interval_starts=starts,
            patience_seconds=patience,
            target_seconds=TARGET,
            replications=replications,
            seed=7,
        )
        timings.append((time.perf_counter() - started) / replications)
        model_sl = erlang_c_sl if patience is None else erlang_a_sl
        model_name = "Erlang C" if patience is None else "Erlang A"
        week_model = weighted(model_sl)
        simulated = np.array([summary.service_level.mean for summary in result.intervals])
        differences = simulated - model_sl
        below = int(np.sum(simulated < 0.8))
        worst = np.argsort(differences)[:5]
        total = result.total
        print(
            f"  {name}: week SL simulated {pct(total.service_level.mean)} "
            f"({pct(total.service_level.low)}–{pct(total.service_level.high)}), {model_name} per interval "
            f"(call-weighted) {pct(week_model)}; ASA {total.asa_seconds.mean:.1f} s; "
            f"abandoned {pct(total.abandonment_rate.mean)}"
            + ("" if patience is None else f" ({model_name} {pct(weighted(erlang_a_abandon))})")
            + f"; occupancy {pct(total.occupancy.mean)}"
        )
        print(
            f"    per interval: mean |sim − {model_name}| {100 * np.mean(np.abs(differences)):.1f} points, "
            f"{below} of {len(starts)} intervals below 80 % simulated; worst: "
            + ", ".join(f"{describe(starts[k])} {pct(simulated[k])} vs {pct(model_sl[k])}" for k in worst.tolist())
        )
        out["scenarios"][name] = {
            "patience_seconds": patience,
            "model": model_name,
            "service_level": {"simulated": estimate(total.service_level), "model_call_weighted": round(week_model, 4)},
            "service_level_answered_or_abandoned": estimate(total.service_level_answered_or_abandoned),
            "asa_seconds": estimate(total.asa_seconds, 2),
            "abandonment": {
                "simulated": estimate(total.abandonment_rate),
                "model_call_weighted": None if patience is None else round(weighted(erlang_a_abandon), 4),
            },
            "occupancy": estimate(total.occupancy),
            "waiting_at_close_per_week": round(total.waiting_at_end.mean, 2),
            "intervals_below_80_percent_simulated": below,
            "mean_abs_interval_difference_points": round(100 * float(np.mean(np.abs(differences))), 2),
            "worst_intervals": [
                {
                    "start": describe(starts[k]),
                    "calls": round(calls[k], 1),
                    "agents": agents[k],
                    "simulated": round(float(simulated[k]), 4),
                    "model": round(float(model_sl[k]), 4),
                }
                for k in worst.tolist()
            ],
            "seconds_per_replication": round(timings[-1], 4),
        }
        out["per_interval_" + name] = interval_table(result, starts, calls, agents, model_sl)
    return out


def describe(start_minutes: float) -> str:
    days = ["man", "tir", "ons", "tor", "fre", "lør", "søn"]
    day, minute = divmod(int(start_minutes), 1440)
    return f"{days[day]} {minute // 60:02d}:{minute % 60:02d}"


def interval_table(
    result: SimulationResult, starts: list[float], calls: list[float], agents: list[int], model: np.ndarray
) -> list[dict[str, Any]]:
    return [
        {
            "start": describe(start),
            "calls": round(c, 2),
            "agents": n,
            "sl_simulated": round(summary.service_level.mean, 4),
            "sl_half_width": None
            if math.isnan(summary.service_level.half_width)
            else round(summary.service_level.half_width, 4),
            "sl_model": round(float(m), 4),
            "abandonment_simulated": round(summary.abandonment_rate.mean, 4),
            "occupancy_simulated": round(summary.occupancy.mean, 4),
        }
        for start, c, n, m, summary in zip(starts, calls, agents, model, result.intervals, strict=True)
    ]


def speed(replications: int) -> dict[str, Any]:
    starts, calls, agents = realistic_week()
    timings, offered = [], []
    for seed in range(replications):
        started = time.perf_counter()
        result = simulate(
            calls, agents, aht_seconds=AHT, interval_starts=starts, patience_seconds=PATIENCE, replications=1, seed=seed
        )
        timings.append(time.perf_counter() - started)
        offered.append(result.total.offered.mean)
    per_call = np.array(timings) / np.array(offered)
    print(
        f"\n3. Speed: one replication of the week ({np.mean(offered):,.0f} calls): median "
        f"{1000 * np.median(timings):.1f} ms, max {1000 * max(timings):.1f} ms "
        f"({1e6 * np.median(per_call):.1f} µs per call), {replications} runs"
    )
    return {
        "replications_timed": replications,
        "calls_per_replication": round(float(np.mean(offered)), 1),
        "seconds_per_replication_median": round(float(np.median(timings)), 4),
        "seconds_per_replication_max": round(max(timings), 4),
        "microseconds_per_call_median": round(1e6 * float(np.median(per_call)), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--hours", type=float, default=200.0, help="hours per stationary replication")
    parser.add_argument("--replications", type=int, default=10, help="replications per stationary scenario")
    parser.add_argument("--week-replications", type=int, default=50)
    args = parser.parse_args()

    report = {
        "what": "samvirke.staffing.lib.simulation.simulate vs Erlang C / Erlang A (samvirke.core.lib.erlang)",
        "python": platform.python_version(),
        "numpy": np.__version__,
        "machine": {"cpus": __import__("os").cpu_count(), "platform": platform.platform()},
        "aht_seconds": AHT,
        "target_seconds": TARGET,
        "service_level_definition": "answered within the target (wait ≤ 60 s) ÷ offered",
        "stationary": {
            "hours_per_replication": args.hours,
            "replications": args.replications,
            "scenarios": stationary(args.hours, args.replications),
        },
        "week": week_part(args.week_replications),
        "speed": speed(20),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
