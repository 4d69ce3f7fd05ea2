"""Writes by the assistant: unanswered questions and feedback (always masked before they are stored), the
counts of conversations and of the topics answered, and the model's background training (its state and the stored
builds).

Citizens are anonymous here, so there is no actor to write in the audit log: nothing stored identifies anyone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from samvirke.assistant.models import (
    AnsweredTopic,
    AnswerFeedback,
    ChatbotConversation,
    ModelBuild,
    TrainingState,
    UnansweredQuestion,
)
from samvirke.audit.actions import record
from samvirke.core.lib.masking import bounded, mask_personal_data
from samvirke.directory.models import Municipality

MAX_STORED_CHARS = 500


@transaction.atomic
def do_record_unanswered(
    municipality: Municipality, question: str, best_topic: str, confidence: float
) -> UnansweredQuestion:
    # Citizens are anonymous here: nothing identifies them, and the text is masked (CPR, phone, e-mail).
    return UnansweredQuestion.objects.create(
        municipality=municipality,
        masked_text=mask_personal_data(bounded(question, MAX_STORED_CHARS)),
        best_topic=best_topic,
        confidence=confidence,
    )


@transaction.atomic
def do_record_feedback(municipality: Municipality, topic_id: str, helpful: bool, question: str) -> AnswerFeedback:
    return AnswerFeedback.objects.create(
        municipality=municipality,
        topic_id=topic_id[:80],
        helpful=helpful,
        masked_question=mask_personal_data(bounded(question, MAX_STORED_CHARS)),
    )


def do_count_question(
    conversation_id: int | None, municipality: Municipality, at: dt.datetime, answered_topic: str | None = None
) -> int:
    """Count a question in the citizen's conversation, starting one if needed, and the topic it was answered with
    (for the quick replies); returns the conversation id."""
    with transaction.atomic():
        if answered_topic:
            _count_answer(timezone.localdate(at), answered_topic[:80])
        if conversation_id is not None:
            updated = ChatbotConversation.objects.filter(pk=conversation_id).update(questions=F("questions") + 1)
            if updated:
                return conversation_id
        return ChatbotConversation.objects.create(municipality=municipality, started_at=at, questions=1).pk


def _count_answer(day: dt.date, topic_id: str) -> None:
    if AnsweredTopic.objects.filter(day=day, topic_id=topic_id).update(answers=F("answers") + 1):
        return
    try:
        with transaction.atomic():  # a savepoint: another worker may create the day's row at the same moment
            AnsweredTopic.objects.create(day=day, topic_id=topic_id, answers=1)
    except IntegrityError:
        AnsweredTopic.objects.filter(day=day, topic_id=topic_id).update(answers=F("answers") + 1)


def do_mark_handed_over(conversation_id: int | None) -> None:
    if conversation_id is not None:
        ChatbotConversation.objects.filter(pk=conversation_id).update(handed_over=True)


# --- the model's background training (see service.py) ---------------------------------------------------------

# A queued retrain that has not started after this long is taken as lost (its worker died, or enqueueing failed
# after the mark was set): the next change queues another one.
PENDING_RETRAIN_EXPIRES = dt.timedelta(minutes=10)
KEEP_SERVABLE_BUILDS = 3  # the newest builds keep their model (a fallback when one is refused); older ones are
KEEP_BUILD_RECORDS = 100  # … emptied, and records beyond this many are deleted


def _training_state() -> TrainingState:
    TrainingState.objects.get_or_create(pk=1)
    return TrainingState.objects.select_for_update().get(pk=1)


def do_note_knowledge_changed(reason: str, at: dt.datetime) -> bool:
    """What the assistant learns from changed. True: queue a retrain now; False: one is already waiting (it
    has not started, so it will read this change too). Not audited: the change itself is (knowledge.*)."""
    with transaction.atomic():
        state = _training_state()
        queue_now = state.pending_since is None or at - state.pending_since > PENDING_RETRAIN_EXPIRES
        state.changed_at, state.change_reason = at, reason[:40]
        if queue_now:
            state.pending_since = at
        state.save(update_fields=["changed_at", "change_reason", "pending_since"])
    return queue_now


def do_forget_pending_retrain() -> None:
    """Enqueueing the retrain failed after the mark was set: clear it, so the next change tries again."""
    with transaction.atomic():
        TrainingState.objects.filter(pk=1).update(pending_since=None)


def do_start_retrain(at: dt.datetime) -> str:
    """A retrain starts: changes from now on queue the next one. Called before the knowledge is read. Returns the
    latest change's reason (the retrain learns every change queued up to now)."""
    with transaction.atomic():
        state = _training_state()
        state.pending_since, state.training_since = None, at
        state.save(update_fields=["pending_since", "training_since"])
    return state.change_reason


def do_store_model_build(
    *,
    payload: bytes,
    signature: str,
    digest: str,
    code_version: str,
    knowledge_read_at: dt.datetime,
    reason: str,
    built_at: dt.datetime,
    seconds: float,
    topics: int,
    examples: int,
    warm_started: bool,
    recalibrated: bool,
) -> ModelBuild:
    """Store a trained model (computed outside, written here in one short transaction); the workers swap it in
    at their next question. Older builds lose their model beyond the newest few."""
    with transaction.atomic():
        build = ModelBuild.objects.create(
            payload=payload,
            signature=signature,
            size_bytes=len(payload),
            digest=digest,
            code_version=code_version,
            knowledge_read_at=knowledge_read_at,
            reason=reason[:40],
            built_at=built_at,
            seconds=round(seconds, 3),
            topics=topics,
            examples=examples,
            warm_started=warm_started,
            recalibrated=recalibrated,
        )
        newest = list(ModelBuild.objects.order_by("-knowledge_read_at", "-pk").values_list("pk", flat=True))
        ModelBuild.objects.filter(pk__in=newest[KEEP_SERVABLE_BUILDS:]).exclude(signature="").update(
            payload=b"", signature=""
        )
        ModelBuild.objects.filter(pk__in=newest[KEEP_BUILD_RECORDS:]).delete()
        state = _training_state()
        if state.training_since is not None and state.training_since <= knowledge_read_at:
            state.training_since = None
        state.save(update_fields=["training_since"])
        record(
            None,
            "assistant.model_built",
            build,
            {"reason": build.reason, "seconds": build.seconds, "warm_started": warm_started,
             "recalibrated": recalibrated, "bytes": len(payload), "digest": digest[:16]},
        )  # fmt: skip
    return build


def do_confirm_newest_build(knowledge_read_at: dt.datetime) -> None:
    """A retrain found the newest build already knows the knowledge as read at `knowledge_read_at`: nothing is
    stored, but the pages must not go on saying the change is being learnt. Not audited: nothing changed."""
    with transaction.atomic():
        state = _training_state()
        if state.confirmed_at is None or state.confirmed_at < knowledge_read_at:
            state.confirmed_at = knowledge_read_at
        if state.training_since is not None and state.training_since <= knowledge_read_at:
            state.training_since = None
        state.save(update_fields=["confirmed_at", "training_since"])


def do_record_build_failure(at: dt.datetime, reason: str, error: str) -> None:
    """A retrain failed: the previous model keeps answering; the knowledge pages say so."""
    with transaction.atomic():
        state = _training_state()
        state.training_since, state.failed_at, state.failure = None, at, error[:2000]
        state.save(update_fields=["training_since", "failed_at", "failure"])
        record(None, "assistant.model_build_failed", None, {"reason": reason[:40], "error": error[:500]})


def do_record_chatbot_conversations(conversations: Iterable[tuple[Municipality | None, dt.datetime, int]]) -> int:
    """Conversations counted for the chatbot share without a citizen's session: (municipality, started at, questions)
    each, written in batches (the traffic simulator writes a year of them). Returns how many."""
    rows = [
        ChatbotConversation(municipality=municipality, started_at=started_at, questions=questions)
        for municipality, started_at, questions in conversations
    ]
    ChatbotConversation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
