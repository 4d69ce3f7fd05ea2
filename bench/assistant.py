"""Benchmark of the citizen assistant (issue 4). Run: .venv/bin/python bench/assistant.py

Measures, on the held-out test set tests/data/assistant/test-*.csv (5 unseen phrasings per topic and
40 out-of-scope questions, none among the example questions):
- the assistant: top-1 accuracy, share answered "don't know" (in and out of scope), latency per question
  on one core after start-up (p50/p95/max);
- a plain BM25 baseline on the same set (no stemming, no example questions, no synonyms);
- the build time of the full engine for the 52 topics, and of the lexical index for 7,500 synthetic guides.
Prints a table and writes bench/results/assistant.json. Timing is not a pass/fail test (noisy machines).
"""

from __future__ import annotations

import os

# One core: pin BLAS/OpenMP threads before numpy loads, then the process itself.
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

from samvirke.assistant.lib.engine import AssistantEngine, Bm25, PlainBm25Baseline  # noqa: E402
from samvirke.assistant.lib.evaluation import Case, evaluate  # noqa: E402
from samvirke.assistant.lib.text import analyse, words  # noqa: E402
from samvirke.knowledge import content  # noqa: E402
from samvirke.knowledge.lib.topicdoc import TopicDoc  # noqa: E402

TEST_FILES = sorted((ROOT / "tests" / "data" / "assistant").glob("test-*.csv"))
SYNTHETIC_GUIDES = 7_500


def load_cases() -> list[Case]:
    return [
        Case(row["question"], int(row["municipality_code"]), row["expected_topic"] or None)
        for path in TEST_FILES
        for row in csv.DictReader(path.open(encoding="utf-8"))
    ]


def synthetic_guides(docs: list[TopicDoc], count: int, seed: int = 42) -> list[TopicDoc]:
    """Guides made by recombining the real guides' sentences, so vocabulary and length are realistic."""
    rng = random.Random(seed)
    sentences = [s.strip() for doc in docs for s in doc.text.replace("\n", " ").split(". ") if len(s.split()) > 3]
    return [
        TopicDoc(f"synthetic-{i}", f"Guide {i}: {rng.choice(docs).title}", ". ".join(rng.sample(sentences, 12)))
        for i in range(count)
    ]


def main() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    docs = content.topic_docs_from_files()
    started = time.perf_counter()
    engine = AssistantEngine(docs, content.read_out_of_scope_training(), content.read_synonym_pairs())
    build_seconds = time.perf_counter() - started
    cases = load_cases()
    engine.decide("varm op")  # first call loads caches; "after start-up"
    assistant = evaluate(engine.decide, cases)
    baseline = evaluate(PlainBm25Baseline(docs).decide, cases)

    synthetic = synthetic_guides(docs, SYNTHETIC_GUIDES)
    started = time.perf_counter()
    vocabulary = frozenset(t for doc in synthetic[:500] for t in analyse(doc.text))
    Bm25([analyse(f"{doc.title} {doc.title} {doc.text}", vocabulary) for doc in synthetic])
    index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    Bm25([words(f"{doc.title} {doc.text}") for doc in synthetic])
    plain_index_seconds = time.perf_counter() - started

    result = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, 1 core used",
        "test_set": {"in_scope": assistant.in_scope, "out_of_scope": assistant.out_of_scope,
                     "files": [p.name for p in TEST_FILES]},
        "assistant": assistant.as_dict(),
        "plain_bm25_baseline": baseline.as_dict(),
        "engine_build_seconds_52_topics": round(build_seconds, 2),
        "threshold": round(engine.threshold, 4),
        "index_build_seconds_7500_synthetic_guides": round(index_seconds, 2),
        "plain_index_build_seconds_7500_synthetic_guides": round(plain_index_seconds, 2),
    }  # fmt: skip
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "assistant.json").write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")

    rows = [
        ("top-1 accuracy (target ≥ 0.90)", "top1_accuracy"),
        ("answered correctly (no ask-back, no handoff)", "answered_correctly"),
        ('out of scope → "don\'t know" (target ≥ 0.85)', "out_of_scope_recall"),
        ('"don\'t know" that were out of scope (precision)', "out_of_scope_precision"),
        ('in scope wrongly "don\'t know" (target ≤ 0.05)', "in_scope_dont_know"),
        ("latency p50 ms", "latency_p50_ms"),
        ("latency p95 ms (target ≤ 20)", "latency_p95_ms"),
    ]
    print(f"{'':52} {'assistant':>10} {'plain BM25':>11}")
    for label, key in rows:
        print(f"{label:52} {assistant.as_dict()[key]!s:>10} {baseline.as_dict()[key]!s:>11}")
    print(f"engine build, 52 topics: {build_seconds:.2f} s (threshold {engine.threshold:.3f})")
    print(f"index build, {SYNTHETIC_GUIDES} synthetic guides: {index_seconds:.2f} s with stemming and compounds, "
          f"{plain_index_seconds:.2f} s plain (target ≤ 10 s)")  # fmt: skip
    print(f"written: {out / 'assistant.json'}")


if __name__ == "__main__":
    main()
