"""Devices, kits, their lifecycle and stock; logistics tasks and day plans (issue 16, seed 003 ch. 3).

Citizens are consent's ProgrammeCitizen rows; their personal fields are never read here directly for a page —
pages go through consent.disclosure (logged). Units move only through kits.actions (each change a UnitEvent)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from samvirke.kits.lib import lifecycle
from samvirke.kits.lib.benchmark import STANDARD, URGENT


class DeviceKind(models.TextChoices):
    TABLET = "tablet", "Tablet (SIM og MDM)"
    APP = "app", "App"
    SCALE = "scale", "Bluetooth-vægt"
    SATURATION_METER = "saturation_meter", "Saturationsmåler"


STATUS_CHOICES = [(status, lifecycle.STATUS_LABELS[status]) for status in lifecycle.STATUSES]


class DeviceModel(models.Model):
    name = models.CharField("model", max_length=120)
    kind = models.CharField("type", max_length=20, choices=DeviceKind.choices)
    supplier = models.CharField("leverandør", max_length=120)

    class Meta:
        verbose_name = "enhedsmodel"
        verbose_name_plural = "enhedsmodeller"
        constraints = [models.UniqueConstraint(fields=["name", "supplier"], name="kits_devicemodel_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()}, {self.supplier})"


class Unit(models.Model):
    serial = models.CharField("serienummer", max_length=80, unique=True)
    model = models.ForeignKey(DeviceModel, on_delete=models.PROTECT, related_name="units", verbose_name="model")
    landsdel = models.ForeignKey("telecare.Landsdel", on_delete=models.PROTECT, related_name="units")
    status = models.CharField("status", max_length=24, choices=STATUS_CHOICES, default=lifecycle.ORDERED)
    location = models.CharField("placering", max_length=200, blank=True)
    citizen = models.ForeignKey(
        "consent.ProgrammeCitizen", on_delete=models.PROTECT, null=True, blank=True, related_name="units"
    )

    class Meta:
        verbose_name = "enhed"
        verbose_name_plural = "enheder"
        ordering = ["serial"]

    def __str__(self) -> str:
        return f"{self.serial} ({self.model.name})"


class UnitEvent(models.Model):
    """One status or location change of a unit: who, when, from → to, where (append-only, written by actions)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField("tidspunkt")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    from_status = models.CharField(max_length=24, choices=STATUS_CHOICES, blank=True)
    to_status = models.CharField(max_length=24, choices=STATUS_CHOICES)
    location = models.CharField("placering", max_length=200, blank=True)
    note = models.CharField("note", max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = "hændelse"
        verbose_name_plural = "hændelser"

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.from_status or '–'} → {self.to_status}"


class Kit(models.Model):
    """A bundle of units for one citizen (tablet, scale, saturation meter …), paired when the devices talk."""

    landsdel = models.ForeignKey("telecare.Landsdel", on_delete=models.PROTECT, related_name="kits")
    citizen = models.ForeignKey(
        "consent.ProgrammeCitizen", on_delete=models.PROTECT, null=True, blank=True, related_name="kits"
    )
    paired = models.BooleanField("parret", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "kit"
        verbose_name_plural = "kits"

    def __str__(self) -> str:
        return f"Kit {self.pk}"


class KitUnit(models.Model):
    """A unit in a kit. `unit` is unique: a unit is in at most one kit (the database refuses a second)."""

    kit = models.ForeignKey(Kit, on_delete=models.CASCADE, related_name="members")
    unit = models.OneToOneField(Unit, on_delete=models.PROTECT, related_name="kit_membership")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit"], name="kits_unit_in_one_kit")]

    def __str__(self) -> str:
        return f"Kit {self.kit_id}: enhed {self.unit_id}"


class ReorderPoint(models.Model):
    """Order more when a landsdel's ready stock of a device kind falls to or below `minimum`."""

    landsdel = models.ForeignKey("telecare.Landsdel", on_delete=models.CASCADE, related_name="reorder_points")
    kind = models.CharField("type", max_length=20, choices=DeviceKind.choices)
    minimum = models.PositiveIntegerField("genbestillingspunkt")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landsdel", "kind"], name="kits_reorder_unique")]

    def __str__(self) -> str:
        return f"{self.kind} ≤ {self.minimum}"


class TaskKind(models.TextChoices):
    SETUP = "setup", "Opsætning"
    EXCHANGE = "exchange", "Ombytning"
    TAKEDOWN = "takedown", "Nedtagning"


class TaskState(models.TextChoices):
    OPEN = "open", "Åben"
    PLANNED = "planned", "Planlagt"
    DONE = "done", "Udført"
    SELF_COLLECT = "self_collect", "Afhentes af borgeren"
    CANCELLED = "cancelled", "Annulleret"


class Urgency(models.TextChoices):
    STANDARD = STANDARD, "Standard (12 arbejdsdage)"
    URGENT = URGENT, "Akut (2 arbejdsdage)"


CHECKLIST_STEPS = (
    ("deliver", "Udstyret leveret"),
    ("setup", "Sat op"),
    ("test", "Testet (måling sendt)"),
    ("register", "Registreret"),
    ("instruct", "Borgeren instrueret (ingen sundhedsfaglig rådgivning)"),
)


class LogisticsTask(models.Model):
    kind = models.CharField("opgave", max_length=12, choices=TaskKind.choices)
    citizen = models.ForeignKey("consent.ProgrammeCitizen", on_delete=models.PROTECT, related_name="logistics_tasks")
    landsdel = models.ForeignKey("telecare.Landsdel", on_delete=models.PROTECT, related_name="logistics_tasks")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    kit = models.ForeignKey(Kit, on_delete=models.PROTECT, null=True, blank=True, related_name="tasks")
    reason = models.CharField("årsag", max_length=300, blank=True)
    urgency = models.CharField("hastegrad", max_length=10, choices=Urgency.choices, default=STANDARD)
    created_at = models.DateTimeField("oprettet")
    referred_on = models.DateField("henvist")
    due = models.DateField("frist")
    window_start = models.DateTimeField("tidsvindue fra", null=True, blank=True)
    window_end = models.DateTimeField("tidsvindue til", null=True, blank=True)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="logistics_tasks"
    )
    state = models.CharField("status", max_length=14, choices=TaskState.choices, default=TaskState.OPEN)
    checklist = models.JSONField("tjekliste", default=dict, blank=True)
    completed_at = models.DateTimeField("udført", null=True, blank=True)
    result = models.CharField("resultat", max_length=500, blank=True)
    result_reported_to = models.CharField("resultat meldt til", max_length=200, blank=True)
    result_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        verbose_name = "logistikopgave"
        verbose_name_plural = "logistikopgaver"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(window_start__isnull=True)
                | models.Q(window_end__isnull=True)
                | models.Q(window_start__lt=models.F("window_end")),
                name="kits_task_window_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"


class DayPlanState(models.TextChoices):
    QUEUED = "queued", "I kø"
    RUNNING = "running", "Planlægges"
    DONE = "done", "Færdig"
    FAILED = "failed", "Fejlet"


class DayPlan(models.Model):
    """The day's routes for a landsdel's technicians, built in the background (kits.tasks.plan_day)."""

    landsdel = models.ForeignKey("telecare.Landsdel", on_delete=models.PROTECT, related_name="day_plans")
    date = models.DateField("dato")
    state = models.CharField(max_length=10, choices=DayPlanState.choices, default=DayPlanState.QUEUED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True)
    requested_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    solver_status = models.CharField(max_length=60, blank=True)
    travel_seconds = models.PositiveIntegerField(default=0)
    baseline_travel_seconds = models.PositiveIntegerField(null=True, blank=True)
    unplanned = models.JSONField(default=list, blank=True)  # [{"task": id, "reason": "…"}]
    error = models.CharField(max_length=300, blank=True)
    # What the planner was asked: depot, shift, speed, service minutes per task kind (kits.actions.PlanSettings).
    settings = models.JSONField(default=dict, blank=True)
    # Tasks that changed (new, changed, gone) between the planner's read and the plan's write: the plan says so.
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"Dagsplan {self.date}"


class DayPlanStop(models.Model):
    plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="stops")
    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="day_stops")
    task = models.ForeignKey(LogisticsTask, on_delete=models.PROTECT, related_name="stops")
    sequence = models.PositiveSmallIntegerField()
    arrival = models.DateTimeField()
    departure = models.DateTimeField()
    travel_seconds = models.PositiveIntegerField()

    class Meta:
        ordering = ["technician_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["plan", "task"], name="kits_stop_once_per_plan")]

    def __str__(self) -> str:
        return f"Stop {self.sequence}"
