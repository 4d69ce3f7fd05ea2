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


class ChatbotConversation(models.Model):
    """One citizen's conversation with the assistant (a browser session), counted for the chatbot share.
    Holds no text: what was asked is not kept here."""

    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(db_index=True)
    questions = models.PositiveIntegerField(default=0)
    handed_over = models.BooleanField("overdraget til medarbejder", default=False)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = "chatbotsamtale"
        verbose_name_plural = "chatbotsamtaler"

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} ({self.questions} spørgsmål)"


class AnsweredTopic(models.Model):
    """How many questions the assistant answered with each topic on a day, fællesskab-wide. Counts only, no text:
    the chat's quick replies offer the topics asked about most."""

    day = models.DateField(db_index=True)
    topic_id = models.CharField(max_length=80)
    answers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day", "-answers"]
        verbose_name = "besvaret emne pr. dag"
        verbose_name_plural = "besvarede emner pr. dag"
        constraints = [models.UniqueConstraint(fields=["day", "topic_id"], name="answered_topic_once_a_day")]

    def __str__(self) -> str:
        return f"{self.day}: {self.topic_id} ({self.answers})"
