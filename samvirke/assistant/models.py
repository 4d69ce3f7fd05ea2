"""What the assistant keeps: unanswered questions (masked) and citizens' feedback on answers."""

from __future__ import annotations

from django.db import models

from samvirke.directory.models import Municipality


class UnansweredQuestion(models.Model):
    """A question the assistant did not know the answer to; the text is masked before it is stored."""

    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, related_name="+")
    masked_text = models.TextField("spørgsmål (maskeret)")
    best_topic = models.CharField("bedste bud", max_length=80, blank=True)
    confidence = models.FloatField("sikkerhed")
    asked_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-asked_at"]
        verbose_name = "ubesvaret spørgsmål"
        verbose_name_plural = "ubesvarede spørgsmål"

    def __str__(self) -> str:
        return self.masked_text[:80]


class AnswerFeedback(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, related_name="+")
    topic_id = models.CharField(max_length=80)
    helpful = models.BooleanField("hjalp svaret")
    masked_question = models.TextField(blank=True)
    given_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.topic_id}: {'ja' if self.helpful else 'nej'}"
