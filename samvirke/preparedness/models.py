"""Crisis mode (seed 002 l.86–104: when a member's power fails, the other members take over its phones, and the chatbot
gives crisis information around the clock): one open crisis at a time, and one open drill."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from samvirke.directory.models import Municipality
from samvirke.knowledge.models import CrisisNotice
from samvirke.preparedness.lib.crisis import HOURS_CHOICES, HOURS_NONE


class CrisisScope(models.TextChoices):
    FELLESSKAB = "fellesskab", "Hele fællesskabet"
    MEMBER = "member", "Én ramt kommune"


class Reroute(models.TextChoices):
    NONE = "none", "Ingen omstilling"
    POOL = "pool", "Til fællesskabets øvrige medarbejdere"
    MEMBERS = "members", "Til udvalgte kommuners medarbejdere"


class Crisis(models.Model):
    """A crisis switched on (ended_at empty) or over. A drill does the same on the test line only."""

    is_drill = models.BooleanField("øvelse", default=False)
    title = models.CharField("overskrift", max_length=200)
    notice_text = models.TextField("meddelelse")
    scope = models.CharField("omfang", max_length=20, choices=CrisisScope.choices)
    stricken = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="crises",
        verbose_name="ramt kommune",
    )
    reroute = models.CharField("omstilling", max_length=20, choices=Reroute.choices, default=Reroute.NONE)
    reroute_to = models.ManyToManyField(
        Municipality, blank=True, related_name="crisis_takeovers", verbose_name="overtages af"
    )
    extended_hours = models.CharField("åbningstid", max_length=20, choices=HOURS_CHOICES, default=HOURS_NONE)
    notice = models.ForeignKey(
        CrisisNotice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="chatbesked"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="slået til af"
    )
    started_at = models.DateTimeField("slået til")
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="slået fra af",
    )
    ended_at = models.DateTimeField("slået fra", null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = "krise"
        verbose_name_plural = "kriser"
        constraints = [
            models.UniqueConstraint(
                fields=["is_drill"], condition=models.Q(ended_at__isnull=True), name="one_open_crisis_per_kind"
            ),
            models.CheckConstraint(
                condition=models.Q(scope="fellesskab", stricken__isnull=True)
                | models.Q(scope="member", stricken__isnull=False),
                name="member_crisis_names_the_stricken",
            ),
        ]

    def __str__(self) -> str:
        return f"{'Øvelse: ' if self.is_drill else ''}{self.title}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None


class CrisisLogEntry(models.Model):
    """What happened during a crisis, in order: switched on, what was published and rerouted, switched off."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField("tidspunkt")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    text = models.CharField("hændelse", max_length=500)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "krisens log"
        verbose_name_plural = "krisens log"

    def __str__(self) -> str:
        return self.text


class SurgeAnswer(models.TextChoices):
    PENDING = "pending", "Ikke besvaret"
    YES = "yes", "Ja"
    NO = "no", "Nej"


class SurgeRequest(models.Model):
    """A crisis's request to one member for extra agents, and the member's coordinator's answer."""

    crisis = models.ForeignKey(Crisis, on_delete=models.CASCADE, related_name="surge_requests")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("spurgt")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    answer = models.CharField("svar", max_length=10, choices=SurgeAnswer.choices, default=SurgeAnswer.PENDING)
    agents = models.PositiveSmallIntegerField("ekstra medarbejdere", null=True, blank=True)
    answered_at = models.DateTimeField("besvaret", null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = "anmodning om forstærkning"
        verbose_name_plural = "anmodninger om forstærkning"
        constraints = [
            models.UniqueConstraint(fields=["crisis", "municipality"], name="one_surge_request_per_member"),
            models.CheckConstraint(
                condition=models.Q(answer="yes", agents__gte=1) | ~models.Q(answer="yes"),
                name="a_yes_names_the_agents",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.crisis}: {self.municipality}"
