"""Reads about the assistant for pages: the state of its model (trained when, from which change, learning now)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from samvirke.assistant.models import ModelBuild, TrainingState

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
