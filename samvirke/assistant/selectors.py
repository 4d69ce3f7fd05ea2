"""Reads about the assistant for pages: the state of its model (trained when, from which change, learning now),
and what it could not answer (the editors' missing-answers report)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from samvirke.assistant.models import AnswerFeedback, ModelBuild, TrainingState, UnansweredQuestion
from samvirke.knowledge.models import Topic

# What started a build or a retrain, as the knowledge pages say it.
CHANGE_TEXT = {
    "guide_saved": "en guide blev gemt",
    "example_added": "et eksempelspørgsmål blev tilføjet",
    "example_deleted": "et eksempelspørgsmål blev slettet",
    "loaded": "guiderne blev indlæst",
    "seed_demo": "demodata blev indlæst",
    "no_model": "første træning",
    "new_code": "en ny version af Samvirke",
    "ask": "en kommando",
    "assistant_eval": "en kommando",
    "command": "en kommando",
}
STALLED_AFTER = dt.timedelta(minutes=10)  # a retrain running this long has died with its worker
WORKER_HINT_AFTER = dt.timedelta(minutes=1)  # a retrain waiting this long: is the background worker running?


def change_text(reason: str) -> str:
    return CHANGE_TEXT.get(reason, "en ændring")


@dataclass(frozen=True)
class ModelStatus:
    """state: "none" (no model yet), "ready" (knows the latest change), "learning" (a retrain runs), "waiting"
    (a retrain is queued), "failed" (the latest retrain failed) or "behind" (a change not learnt, nothing queued).
    Whatever the state, the newest model (built_at) answers until a newer one is ready."""

    state: str
    built_at: dt.datetime | None = None
    built_after: str = ""  # the change the newest model learnt, in Danish
    changed_at: dt.datetime | None = None  # the latest change to what the assistant learns from
    since: dt.datetime | None = None  # learning or waiting since
    worker_hint: bool = False  # waiting so long that the background worker may not be running

    @property
    def in_progress(self) -> bool:
        return self.state in ("learning", "waiting")


def model_status(now: dt.datetime | None = None) -> ModelStatus:
    now = now or timezone.now()
    newest = (
        ModelBuild.objects.exclude(signature="")
        .order_by("-knowledge_read_at", "-pk")
        .values_list("built_at", "reason", "knowledge_read_at")
        .first()
    )
    state = TrainingState.objects.filter(pk=1).first()
    built_at, built_reason, read_at = newest if newest is not None else (None, "", None)
    built_after = change_text(built_reason) if newest is not None else ""
    changed_at = state.changed_at if state is not None else None
    # What the newest build is known to have learnt: the knowledge as it read it, or as a later retrain found it
    # unchanged.
    known_at = max((t for t in (read_at, state.confirmed_at if state else None) if t is not None), default=None)
    behind = changed_at is not None and (newest is None or known_at is None or changed_at > known_at)
    if state is None or not behind:
        return ModelStatus("ready" if newest is not None else "none", built_at, built_after, changed_at)
    if state.training_since is not None and now - state.training_since < STALLED_AFTER:
        return ModelStatus("learning", built_at, built_after, changed_at, since=state.training_since)
    if state.pending_since is not None:
        hint = now - state.pending_since > WORKER_HINT_AFTER
        return ModelStatus("waiting", built_at, built_after, changed_at, state.pending_since, worker_hint=hint)
    if state.failed_at is not None and changed_at is not None and state.failed_at >= changed_at:
        return ModelStatus("failed", built_at, built_after, changed_at, since=state.failed_at)
    return ModelStatus("behind" if newest is not None else "none", built_at, built_after, changed_at)


MAX_REPORT_ROWS = 200


def missing_answers(chosen: str | None) -> dict[str, Any]:
    """The missing-answers report: the questions the assistant could not answer, counted by the topic it thought
    closest, the topics whose answers citizens found unhelpful, and the latest questions (of the `chosen` closest
    topic only, "" for those with none, when one is chosen): the page's context."""
    titles = dict(Topic.objects.values_list("pk", "title"))
    by_topic = [
        {"topic_id": row["best_topic"], "title": titles.get(row["best_topic"], ""), "count": row["n"]}
        for row in UnansweredQuestion.objects.values("best_topic").annotate(n=Count("pk")).order_by("-n", "best_topic")
    ]
    feedback = [
        {"topic_id": row["topic_id"], "title": titles.get(row["topic_id"], ""), "no": row["no"], "yes": row["yes"]}
        for row in AnswerFeedback.objects.values("topic_id")
        .annotate(no=Count("pk", filter=Q(helpful=False)), yes=Count("pk", filter=Q(helpful=True)))
        .filter(no__gt=0)
        .order_by("-no", "topic_id")
    ]
    questions = UnansweredQuestion.objects.select_related("municipality").order_by("-asked_at", "-pk")
    if chosen is not None:
        questions = questions.filter(best_topic=chosen)
    total = questions.count()
    rows = [
        {"question": q, "title": titles.get(q.best_topic, ""), "percent": round(q.confidence * 100)}
        for q in questions[:MAX_REPORT_ROWS]
    ]
    return {
        "by_topic": by_topic,
        "feedback": feedback,
        "rows": rows,
        "total": total,
        "shown": len(rows),
        "chosen": chosen,
        "chosen_title": titles.get(chosen or "", "Intet bud") if chosen is not None else "",
        "all_count": UnansweredQuestion.objects.count(),
    }
