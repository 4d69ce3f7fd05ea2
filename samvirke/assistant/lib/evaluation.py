"""Measuring the assistant on a labelled set: top-1 accuracy, out-of-scope precision and recall, latency; and the
dialogue layer on a set of conversational turns (intent recall, and how many were answered with a guide)."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from samvirke.assistant.lib.engine import Decision

POINTS_TO_A_GUIDE = ("answer", "clarify")  # every other kind (don't know, a turn of dialogue) gives no guide


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
    in_scope_dont_know: float  # share of in-scope questions wrongly refused ("don't know", or taken for dialogue)
    out_of_scope_recall: float  # share of out-of-scope questions refused (not answered with a guide, not asked back)
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
        refused = decision.kind not in POINTS_TO_A_GUIDE
        if case.expected_topic:
            top1 += best == case.expected_topic
            answered += decision.kind == "answer" and decision.topic_id == case.expected_topic
            dont_know_in += refused
            clarified += decision.kind == "clarify"
            if best != case.expected_topic:
                errors.append((case.question, case.expected_topic, best))
        else:
            dont_know_out += refused
            if not refused:
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


@dataclass(frozen=True)
class DialogueCase:
    question: str
    expected_intent: str  # "greeting" | "thanks" | "human" | "gibberish"


@dataclass(frozen=True)
class DialogueReport:
    turns: int
    recognised: float  # share whose kind was the expected intent
    per_intent: dict[str, float]  # the same per intent
    answered_with_a_guide: float  # share given a guide (or asked "which one?"), the failure that matters most
    errors: list[tuple[str, str, str]]  # question, expected, got

    def as_dict(self) -> dict[str, object]:
        return {key: value for key, value in self.__dict__.items() if key != "errors"}


def evaluate_dialogue(decide: Callable[[str], Decision], cases: Sequence[DialogueCase]) -> DialogueReport:
    hits: dict[str, list[bool]] = {}
    guided = 0
    errors: list[tuple[str, str, str]] = []
    for case in cases:
        decision = decide(case.question)
        hits.setdefault(case.expected_intent, []).append(decision.kind == case.expected_intent)
        guided += decision.kind in POINTS_TO_A_GUIDE
        if decision.kind != case.expected_intent:
            errors.append((case.question, case.expected_intent, decision.topic_id or decision.kind))
    total = sum(len(results) for results in hits.values())
    return DialogueReport(
        turns=total,
        recognised=round(sum(sum(results) for results in hits.values()) / total, 4) if total else 0.0,
        per_intent={intent: round(sum(results) / len(results), 4) for intent, results in sorted(hits.items())},
        answered_with_a_guide=round(guided / total, 4) if total else 0.0,
        errors=errors,
    )
