"""Measuring the assistant on a labelled set: top-1 accuracy, out-of-scope precision and recall, latency."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from samvirke.assistant.lib.engine import Decision


@dataclass(frozen=True)
class Case:
    question: str
    municipality_code: int
    expected_topic: str | None  # None: out of scope, the assistant should say it does not know


@dataclass(frozen=True)
class Report:
    in_scope: int
    out_of_scope: int
    top1_accuracy: float  # the best-ranked topic is the expected one (whatever the decision)
    answered_correctly: float  # answered (not asked back, not handed over) with the expected topic
    in_scope_dont_know: float  # share of in-scope questions wrongly answered "don't know"
    out_of_scope_recall: float  # share of out-of-scope questions answered "don't know"
    out_of_scope_precision: float  # share of "don't know" answers that were out of scope
    clarified: float  # share of in-scope questions answered with "which one do you mean?"
    latency_p50_ms: float
    latency_p95_ms: float
    latency_max_ms: float
    errors: list[tuple[str, str | None, str | None]]

    def as_dict(self) -> dict[str, object]:
        return {key: value for key, value in self.__dict__.items() if key != "errors"}


def _percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


def evaluate(
    decide: Callable[[str], Decision], cases: Sequence[Case], clock: Callable[[], float] = time.perf_counter
) -> Report:
    """Run every case through `decide` and count. `clock` is passed in so this stays free of side effects."""
    in_scope = [case for case in cases if case.expected_topic]
    out_of_scope = [case for case in cases if not case.expected_topic]
    top1 = answered = dont_know_in = clarified = dont_know_out = 0
    latencies: list[float] = []
    errors: list[tuple[str, str | None, str | None]] = []
    for case in cases:
        started = clock()
        decision = decide(case.question)
        latencies.append((clock() - started) * 1000)
        best = decision.candidates[0].topic_id if decision.candidates else decision.topic_id
        if case.expected_topic:
            top1 += best == case.expected_topic
            answered += decision.kind == "answer" and decision.topic_id == case.expected_topic
            dont_know_in += decision.kind == "handoff"
            clarified += decision.kind == "clarify"
            if best != case.expected_topic:
                errors.append((case.question, case.expected_topic, best))
        else:
            dont_know_out += decision.kind == "handoff"
            if decision.kind != "handoff":
                errors.append((case.question, None, decision.topic_id))
    handoffs = dont_know_in + dont_know_out
    return Report(
        in_scope=len(in_scope),
        out_of_scope=len(out_of_scope),
        top1_accuracy=round(top1 / len(in_scope), 4) if in_scope else 0.0,
        answered_correctly=round(answered / len(in_scope), 4) if in_scope else 0.0,
        in_scope_dont_know=round(dont_know_in / len(in_scope), 4) if in_scope else 0.0,
        out_of_scope_recall=round(dont_know_out / len(out_of_scope), 4) if out_of_scope else 0.0,
        out_of_scope_precision=round(dont_know_out / handoffs, 4) if handoffs else 0.0,
        clarified=round(clarified / len(in_scope), 4) if in_scope else 0.0,
        latency_p50_ms=round(_percentile(latencies, 0.5), 3),
        latency_p95_ms=round(_percentile(latencies, 0.95), 3),
        latency_max_ms=round(max(latencies, default=0.0), 3),
        errors=errors,
    )
