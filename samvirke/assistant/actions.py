"""Writes by the assistant: unanswered questions and feedback (always masked before they are stored), and the
counts of conversations and of the topics answered.

Citizens are anonymous here, so there is no actor to write in the audit log: nothing stored identifies anyone.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from samvirke.assistant.lib.masking import bounded, mask_personal_data
from samvirke.assistant.models import AnsweredTopic, AnswerFeedback, ChatbotConversation, UnansweredQuestion
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
