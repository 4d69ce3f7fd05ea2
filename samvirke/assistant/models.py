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


class ModelBuild(models.Model):
    """One trained assistant model (see service.py): every web worker, on any host, serves the newest servable
    one, so a retrain done by the background worker reaches them all. The model is a pickle; it is unpickled
    only when its HMAC-SHA256 (keyed with SECRET_KEY) matches, so whoever can write this table without the key
    cannot run code in the workers."""

    digest = models.CharField("indhold", max_length=64, db_index=True)  # sha256: what it learnt from + the code
    code_version = models.CharField("kodeversion", max_length=64)  # sha256 of the engine's code and shipped files
    # When the build read the knowledge: the newest knowledge is served, not the last build to finish.
    knowledge_read_at = models.DateTimeField("viden læst")
    reason = models.CharField("ændring", max_length=40, blank=True)  # the change that asked for it
    built_at = models.DateTimeField("trænet")
    seconds = models.FloatField("træningstid (s)")
    topics = models.PositiveIntegerField("emner")
    examples = models.PositiveIntegerField("eksempelspørgsmål")
    warm_started = models.BooleanField("startet fra forrige model", default=False)
    recalibrated = models.BooleanField("kalibreret igen", default=True)
    size_bytes = models.PositiveIntegerField("størrelse (bytes)", default=0)
    payload = models.BinaryField("model", editable=False)  # emptied once superseded (see do_store_model_build)
    signature = models.CharField("HMAC-SHA256", max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["-knowledge_read_at", "-pk"]
        indexes = [models.Index(fields=["-knowledge_read_at", "-id"], name="assistant_newest_build")]
        verbose_name = "assistentmodel"
        verbose_name_plural = "assistentmodeller"

    def __str__(self) -> str:
        return f"model {self.pk} ({self.built_at:%Y-%m-%d %H:%M}, {self.reason or 'ukendt ændring'})"


class TrainingState(models.Model):
    """One row: what the background retraining is doing. A change marks a retrain as queued (`pending_since`)
    unless one is already waiting, so a burst of edits queues one retrain (plus the one running); the retrain
    clears the mark when it starts, before it reads the knowledge, so no change is missed."""

    changed_at = models.DateTimeField("viden ændret", null=True)
    change_reason = models.CharField("ændring", max_length=40, blank=True)
    pending_since = models.DateTimeField("i kø siden", null=True)
    # A retrain found that the newest build already knows the knowledge as read at this time (nothing stored).
    confirmed_at = models.DateTimeField("bekræftet aktuel", null=True)
    training_since = models.DateTimeField("træner siden", null=True)
    failed_at = models.DateTimeField("fejlede", null=True)
    failure = models.TextField("fejl", blank=True)

    class Meta:
        verbose_name = "træningsstatus"
        verbose_name_plural = "træningsstatus"

    def __str__(self) -> str:
        return "træningsstatus"


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
