"""Writes by the assistant: unanswered questions and feedback, always masked before they are stored."""

from __future__ import annotations

from django.db import transaction

from samvirke.assistant.lib.masking import mask_personal_data
from samvirke.assistant.models import AnswerFeedback, UnansweredQuestion
from samvirke.directory.models import Municipality

MAX_STORED_CHARS = 500


@transaction.atomic
def do_record_unanswered(
    municipality: Municipality, question: str, best_topic: str, confidence: float
) -> UnansweredQuestion:
    # Citizens are anonymous here: nothing identifies them, and the text is masked (CPR, phone, e-mail).
    return UnansweredQuestion.objects.create(
        municipality=municipality,
        masked_text=mask_personal_data(question)[:MAX_STORED_CHARS],
        best_topic=best_topic,
        confidence=confidence,
    )


@transaction.atomic
def do_record_feedback(municipality: Municipality, topic_id: str, helpful: bool, question: str) -> AnswerFeedback:
    return AnswerFeedback.objects.create(
        municipality=municipality,
        topic_id=topic_id[:80],
        helpful=helpful,
        masked_question=mask_personal_data(question)[:MAX_STORED_CHARS],
    )
