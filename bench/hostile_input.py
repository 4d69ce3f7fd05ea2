"""Benchmark of hostile citizen input (issue 12, findings 1 and 10): how long the chat takes to answer (refuse)
a 2 MB question, 40,000 × "y", a question with a NUL, and how long masking takes on long hostile texts.

Run against a migrated, seeded database (the worktree's var/, or SAMVIRKE_VAR_DIR):
    .venv/bin/samvirke migrate && .venv/bin/samvirke seed-demo && .venv/bin/python bench/hostile_input.py
Requests go through the whole middleware stack in-process (Django's test client, no network), median of 7 after a
warm-up. Prints a table and writes bench/results/hostile_input.json. Timing is not a pass/fail test.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "samvirke.settings")

import django  # noqa: E402

django.setup()

from django.test import Client  # noqa: E402

from samvirke.core.lib.masking import mask_personal_data  # noqa: E402

REPEATS = 7


def median_ms(run: Callable[[], object]) -> float:
    run()
    times = []
    for _ in range(REPEATS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    client = Client()
    requests = {
        "2 MB question → 413": {"question": "y" * 2_000_000},
        "40,000 × y → 413": {"question": "y" * 40_000},
        "question with NUL → 400": {"question": "hej\x00"},
        "20,000 × y (under the limit) → cut, 200": {"question": "y" * 20_000},
        "ordinary question → 200": {"question": "hvornår har borgerservice åbent?"},
    }
    results: dict[str, dict[str, float | int]] = {}
    for name, data in requests.items():
        status = client.post("/chat/316/", data).status_code
        results[name] = {"status": status, "median_ms": median_ms(lambda data=data: client.post("/chat/316/", data))}
    masking = {
        "40,000 × y": "y" * 40_000,
        "40,000 digits": "1" * 40_000,
        "20,000 × 'a.'": "a." * 20_000,
        "20,000 × 'x@'": "x@" * 20_000,
        "2 MB of 'a'": "a" * 2_000_000,
    }
    for name, text in masking.items():
        results[f"mask_personal_data({name})"] = {"median_ms": median_ms(lambda text=text: mask_personal_data(text))}
    width = max(len(name) for name in results)
    for name, figures in results.items():
        status = f"  HTTP {figures['status']}" if "status" in figures else ""
        print(f"{name.ljust(width)}  {figures['median_ms']:>9.2f} ms{status}")
    out = ROOT / "bench" / "results" / "hostile_input.json"
    out.write_text(
        json.dumps({"machine": platform.platform(), "python": platform.python_version(), "results": results}, indent=2)
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
