"""Support for telemedicine (seed 003, ch. 3, Tabel 12, l. 1872–1900; docs/sources.md#seed-003): a case per
problem from the telemedicine line, screened and prioritised (critical first), walked through the device kind's
problem tree, forwarded (problem solving, Service, Logistics, health staff), followed up and closed; lessons that
feed the trees; requests to the Service operator; the landsdel's support model.

Citizens' personal fields are never copied here: a case points to consent's ProgrammeCitizen, and pages read the
fields through consent.disclosure (logged). Free text is masked (CPR, phone, e-mail) before it is stored."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from samvirke.consent.models import ProgrammeCitizen
from samvirke.contact.models import Contact
from samvirke.kits.models import LogisticsTask, Unit
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.lib.trees import DEVICE_KINDS, FORWARDS

MAX_FREE_TEXT = 2000


class SupportModel(models.TextChoices):
    """Seed 003, ch. 3 (l. 1902): the two ways of placing support found in the pilots."""

    HEALTH_FIRST = "health_first", "Sundhedspersonale i første linje, teknisk anden linje"
    TECHNICAL = "technical", "Teknisk første og anden linje, sundhedsfaglige spørgsmål henvises"


class TelesupportSettings(models.Model):
    landsdel = models.OneToOneField(Landsdel, on_delete=models.CASCADE, related_name="telesupport_settings")
    support_model = models.CharField(
        "supportmodel", max_length=20, choices=SupportModel.choices, default=SupportModel.TECHNICAL
    )
    follow_up_days = models.PositiveSmallIntegerField("opfølgning efter (dage)", default=2)

    class Meta:
        verbose_name = "supportindstillinger"
        verbose_name_plural = "supportindstillinger"

    def __str__(self) -> str:
        return f"Support i {self.landsdel}"


class DeviceKind(models.TextChoices):
    """The kit's device kinds (kits' DeviceModel.kind; lib/trees.py DEVICE_KINDS)."""

    TABLET = "tablet", "Tablet"
    APP = "app", "App"
    SCALE = "scale", "Vægt"
    SATURATION_METER = "saturation_meter", "Saturationsmåler"


class ForwardTo(models.TextChoices):
    """lib/trees.py FORWARDS."""

    PROBLEM_SOLVING = "problem_solving", "Problemløsning"
    SERVICE = "service", "Service"
    LOGISTICS = "logistics", "Logistik (ombytning)"
    HEALTH_STAFF = "health_staff", "Sundhedspersonale"


assert dict(DeviceKind.choices) == dict(DEVICE_KINDS) and dict(ForwardTo.choices) == dict(FORWARDS)


class CallerKind(models.TextChoices):
    CITIZEN = "citizen", "Borger"
    HEALTH_STAFF = "health_staff", "Sundhedspersonale"


class Priority(models.TextChoices):
    CRITICAL = "critical", "Kritisk"
    HIGH = "high", "Høj"
    NORMAL = "normal", "Normal"
    LOW = "low", "Lav"


PRIORITY_RANK = {Priority.CRITICAL: 0, Priority.HIGH: 1, Priority.NORMAL: 2, Priority.LOW: 3}


class CaseState(models.TextChoices):
    OPEN = "open", "Åben"
    FORWARDED = "forwarded", "Videresendt"
    FOLLOW_UP = "follow_up", "Til opfølgning"
    CLOSED = "closed", "Lukket"


class ProblemTree(models.Model):
    """A device kind's problem tree in a landsdel (JSON, see lib/trees.py); `version` counts the edits."""

    landsdel = models.ForeignKey(Landsdel, on_delete=models.CASCADE, related_name="problem_trees")
    device_kind = models.CharField("udstyr", max_length=20, choices=DeviceKind.choices)
    data = models.JSONField("træ")
    version = models.PositiveIntegerField("version", default=1)
    updated_at = models.DateTimeField("ændret", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["landsdel", "device_kind"]
        verbose_name = "problemtræ"
        verbose_name_plural = "problemtræer"
        constraints = [
            models.UniqueConstraint(fields=["landsdel", "device_kind"], name="one_problem_tree_per_device_kind")
        ]

    def __str__(self) -> str:
        return f"Problemtræ for {self.get_device_kind_display()} ({self.landsdel})"


class SupportCase(models.Model):
    landsdel = models.ForeignKey(Landsdel, on_delete=models.PROTECT, related_name="support_cases")
    citizen = models.ForeignKey(
        ProgrammeCitizen, on_delete=models.PROTECT, null=True, blank=True, related_name="support_cases"
    )
    caller_kind = models.CharField("henvender sig", max_length=20, choices=CallerKind.choices)
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_cases")
    priority = models.CharField("prioritet", max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    priority_rank = models.PositiveSmallIntegerField(default=2, editable=False)
    device_kind = models.CharField("udstyr", max_length=20, choices=DeviceKind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_cases")
    description = models.TextField("beskrivelse", max_length=MAX_FREE_TEXT)
    cause = models.CharField("årsag", max_length=60, blank=True)
    state = models.CharField("status", max_length=20, choices=CaseState.choices, default=CaseState.OPEN)
    tree_version = models.PositiveIntegerField(null=True, blank=True)
    tree_answers = models.JSONField("svar i problemtræet", default=list)
    outcome_node = models.CharField("resultat (knude)", max_length=40, blank=True)
    outcome_text = models.TextField("resultat", blank=True)
    forwarded_to = models.CharField("videresendt til", max_length=20, choices=ForwardTo.choices, blank=True)
    forwarded_at = models.DateTimeField("videresendt", null=True, blank=True)
    exchange_task = models.ForeignKey(
        LogisticsTask, on_delete=models.SET_NULL, null=True, blank=True, related_name="support_cases"
    )
    opened_at = models.DateTimeField("oprettet", db_index=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    follow_up_at = models.DateTimeField("opfølgning senest", null=True, blank=True)
    followed_up_at = models.DateTimeField("fulgt op", null=True, blank=True)
    follow_up_note = models.TextField("opfølgning", blank=True)
    closed_at = models.DateTimeField("lukket", null=True, blank=True)

    class Meta:
        ordering = ["priority_rank", "opened_at", "pk"]
        verbose_name = "supportsag"
        verbose_name_plural = "supportsager"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="closed") | models.Q(followed_up_at__isnull=False, closed_at__isnull=False),
                name="support_case_closed_after_follow_up",
            ),
        ]
        indexes = [models.Index(fields=["landsdel", "state", "priority_rank", "opened_at"])]

    def __str__(self) -> str:
        return f"Supportsag {self.pk} ({self.get_priority_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.priority_rank = PRIORITY_RANK.get(Priority(self.priority), 2)
        super().save(*args, **kwargs)


class CaseEvent(models.Model):
    """The case's history: every step, with time and actor."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("tid")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    kind = models.CharField("hændelse", max_length=30)
    note = models.TextField("note", blank=True)

    class Meta:
        ordering = ["case", "at", "pk"]
        verbose_name = "sagshændelse"
        verbose_name_plural = "sagshændelser"

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"


class ServiceRequestState(models.TextChoices):
    OPEN = "open", "Åben"
    DONE = "done", "Besvaret"


class ServiceRequest(models.Model):
    """A request from support to the Service operator (MDM, SIM, software, pairing)."""

    landsdel = models.ForeignKey(Landsdel, on_delete=models.PROTECT, related_name="service_requests")
    case = models.ForeignKey(
        SupportCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="service_requests"
    )
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="service_requests")
    text = models.TextField("anmodning", max_length=MAX_FREE_TEXT)
    state = models.CharField(max_length=10, choices=ServiceRequestState.choices, default=ServiceRequestState.OPEN)
    created_at = models.DateTimeField("oprettet")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    answer = models.TextField("svar", blank=True)
    answered_at = models.DateTimeField("besvaret", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = "anmodning til Service"
        verbose_name_plural = "anmodninger til Service"

    def __str__(self) -> str:
        return f"Anmodning {self.pk} til Service"


class LessonState(models.TextChoices):
    PROPOSED = "proposed", "Foreslået"
    ADOPTED = "adopted", "Indarbejdet"
    REJECTED = "rejected", "Afvist"


class Lesson(models.Model):
    """Seed 003, Tabel 12 (l. 1898): "Erfaringsopsamling og videreformidle til rette funktion om nødvendige
    ændringer" — a lesson from a case, which may propose a change to a problem tree or a guide."""

    landsdel = models.ForeignKey(Landsdel, on_delete=models.CASCADE, related_name="support_lessons")
    case = models.ForeignKey(SupportCase, on_delete=models.SET_NULL, null=True, blank=True, related_name="lessons")
    device_kind = models.CharField("udstyr", max_length=20, choices=DeviceKind.choices, blank=True)
    text = models.TextField("erfaring", max_length=MAX_FREE_TEXT)
    proposes_tree_change = models.BooleanField("foreslår ændring af problemtræet", default=False)
    state = models.CharField(max_length=10, choices=LessonState.choices, default=LessonState.PROPOSED)
    created_at = models.DateTimeField("oprettet")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = "erfaring"
        verbose_name_plural = "erfaringer"

    def __str__(self) -> str:
        return f"Erfaring {self.pk}"
