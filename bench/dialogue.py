"""Benchmark of the chat's dialogue layer (greeting, thanks, asking for a person, gibberish), which runs before
retrieval on every turn. Run: .venv/bin/python bench/dialogue.py

Measures on one core, after a warm-up, the time recognise() takes per turn over the example and development
questions and tests/data/assistant/dialogue-dev.csv, and on the longest input the chat accepts (500 characters of
words, of keyboard mashing, and of one letter held down). Prints a table and writes bench/results/dialogue.json.
Timing is not a pass/fail test (noisy machines).
"""

from __future__ import annotations

import os

for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import csv  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from samvirke.assistant.lib.dialogue import recognise  # noqa: E402
from samvirke.assistant.lib.text import stem, words  # noqa: E402
from samvirke.knowledge import content  # noqa: E402

DATA = ROOT / "tests" / "data" / "assistant"
MAX_CHARS = 500  # service.MAX_QUESTION_CHARS: the chat cuts longer input before the dialogue layer sees it


def turns_and_vocabulary() -> tuple[list[str], frozenset[str]]:
    guides, extra = content.read_guides(), content.read_extra_examples()
    examples = [e for topic, guide in guides.items() for e in content.all_examples(guide, extra.get(topic, []))]
    known = frozenset(stem(w) for text in [*examples, *(g.body for g in guides.values())] for w in words(text))
    turns = list(examples)
    for path in sorted(DATA.glob("dev*.csv")) + [DATA / "dialogue-dev.csv"]:
        turns += [row["question"] for row in csv.DictReader(path.open(encoding="utf-8"))]
    return turns, known


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def timed(texts: list[str], known: frozenset[str], repeats: int = 3) -> list[float]:
    per_turn = []
    for text in texts:
        started = time.perf_counter()
        for _ in range(repeats):
            recognise(text, known)
        per_turn.append((time.perf_counter() - started) / repeats * 1000)
    return per_turn


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    turns, known = turns_and_vocabulary()
    timed(turns, known, repeats=1)  # warm-up: the stemmer's cache, as in a running worker
    ordinary = timed(turns, known)
    rng = random.Random(7)
    long_words = " ".join(rng.choice(turns) for _ in range(40))[:MAX_CHARS]
    longest = {
        "500 characters of questions": long_words,
        "500 characters of keyboard mashing": ("asdfgh qwerty zxcvb " * 30)[:MAX_CHARS],
        "500 characters of one letter": "j" * MAX_CHARS,
        "500 characters of 'medarbejder'-like words": ("medarbjeder menneske person " * 20)[:MAX_CHARS],
    }
    worst = {name: round(max(timed([text], known, repeats=20)), 3) for name, text in longest.items()}
    result = {
        "turns": len(turns),
        "per_turn_ms": {
            "p50": round(percentile(ordinary, 0.5), 3),
            "p95": round(percentile(ordinary, 0.95), 3),
            "max": round(max(ordinary), 3),
        },
        "longest_input_ms": worst,
        "machine": {"python": platform.python_version(), "processor": platform.processor() or platform.machine()},
    }
    print(f"Dialogue layer, {len(turns)} turns: p50 {result['per_turn_ms']['p50']} ms, "
          f"p95 {result['per_turn_ms']['p95']} ms, max {result['per_turn_ms']['max']} ms")  # fmt: skip
    for name, ms in worst.items():
        print(f"  {name}: {ms} ms")
    out = ROOT / "bench" / "results" / "dialogue.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"→ {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
