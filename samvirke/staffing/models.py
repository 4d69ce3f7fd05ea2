"""Staffing: one rota per fællesskab and week, its shifts per member, and what it was built from.

The maths lives in lib/ (forecast, Erlang, the CP-SAT rota, the simulation); these tables keep the result."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from samvirke.directory.models import Fellesskab, Municipality
from samvirke.staffing.lib import builds


class RotaStatus(models.TextChoices):
    DRAFT = "draft", "Kladde"
    PUBLISHED = "published", "Offentliggjort"


class Rota(models.Model):
    fellesskab = models.ForeignKey(Fellesskab, on_delete=models.CASCADE, related_name="rotas")
    week_start = models.DateField("uge (mandag)")
    status = models.CharField(max_length=20, choices=RotaStatus.choices, default=RotaStatus.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    # What the requirement was computed from (shown on the page, so a reader can check it).
    forecast_source = models.CharField("prognose", max_length=200)
    aht_seconds = models.PositiveIntegerField("behandlingstid (sek.)")
    target_service_level = models.FloatField("servicemål")
    target_seconds = models.PositiveIntegerField("svartid (sek.)")
    shrinkage = models.FloatField("svind")
    max_occupancy = models.FloatField("maks. belægning")
    # Per interval, in the week's order: [weekday, "HH:MM", minutes], expected contacts, required agents.
    intervals = models.JSONField(default=list)
    volumes = models.JSONField(default=list)
    requirement = models.JSONField(default=list)
    report = models.JSONField("rapport", default=dict)

    class Meta:
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["fellesskab", "week_start"], name="one_rota_per_week")]
        verbose_name = "vagtplan"
        verbose_name_plural = "vagtplaner"

    def __str__(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"Vagtplan uge {week} {year}"


class BuildState(models.TextChoices):
    QUEUED = builds.QUEUED, builds.PHASE_NAMES[builds.QUEUED]
    FORECASTING = builds.FORECASTING, builds.PHASE_NAMES[builds.FORECASTING]
    SOLVING = builds.SOLVING, builds.PHASE_NAMES[builds.SOLVING]
    SIMULATING = builds.SIMULATING, builds.PHASE_NAMES[builds.SIMULATING]
    DONE = builds.DONE, builds.PHASE_NAMES[builds.DONE]
    FAILED = builds.FAILED, builds.PHASE_NAMES[builds.FAILED]


class RotaBuild(models.Model):
    """One request to build a week's rota, run by the background worker (staffing/tasks.py): who asked, with what
    settings, how far it is, and how it ended (the rota it wrote, or a Danish reason). At most one build per week is
    active at a time (the partial unique constraint), so a double click or two secretaries cannot start two."""

    fellesskab = models.ForeignKey(Fellesskab, on_delete=models.CASCADE, related_name="rota_builds")
    week_start = models.DateField("uge (mandag)")
    state = models.CharField("status", max_length=20, choices=BuildState.choices, default=BuildState.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField("bestilt")
    # The RotaSettings it builds with (actions.RotaSettings as a dict), so the worker builds what was asked.
    settings = models.JSONField("indstillinger", default=dict)
    started_at = models.DateTimeField("startet", null=True, blank=True)  # when the worker claimed it
    phase_since = models.DateTimeField("fase siden", null=True, blank=True)  # the worker's last sign of life
    finished_at = models.DateTimeField("afsluttet", null=True, blank=True)
    failure = models.CharField("årsag", max_length=500, blank=True)
    failed_in = models.CharField("fejlede under", max_length=20, choices=BuildState.choices, blank=True)
    rota = models.ForeignKey(Rota, on_delete=models.SET_NULL, null=True, blank=True, related_name="builds")

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["fellesskab", "week_start"],
                condition=models.Q(state__in=builds.ACTIVE),
                name="one_active_rota_build_per_week",
            )
        ]
        verbose_name = "opbygning af vagtplan"
        verbose_name_plural = "opbygninger af vagtplaner"

    def __str__(self) -> str:
        year, week, _ = self.week_start.isocalendar()
        return f"Opbygning af uge {week} {year} ({self.get_state_display()})"

    @property
    def time_limit_seconds(self) -> float:
        return float(self.settings.get("time_limit_seconds", 30))

    @property
    def is_active(self) -> bool:
        return self.state in builds.ACTIVE


class Shift(models.Model):
    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="shifts")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="shifts")
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="shifts"
    )
    starts_at = models.DateTimeField("fra")
    ends_at = models.DateTimeField("til")
    evening = models.BooleanField("aften/fredag", default=False)

    class Meta:
        ordering = ["starts_at", "municipality__name"]
        verbose_name = "vagt"
        verbose_name_plural = "vagter"

    def __str__(self) -> str:
        return f"{self.municipality} {self.starts_at:%Y-%m-%d %H:%M}–{self.ends_at:%H:%M}"

    @property
    def hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class Weekday(models.IntegerChoices):
    MONDAY = 0, "mandag"
    TUESDAY = 1, "tirsdag"
    WEDNESDAY = 2, "onsdag"
    THURSDAY = 3, "torsdag"
    FRIDAY = 4, "fredag"
    SATURDAY = 5, "lørdag"
    SUNDAY = 6, "søndag"


class AgentAvailability(models.Model):
    """When an agent can take shifts: one row per weekday and time span. An agent with no rows can work
    whenever the hotline is open."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="availability")
    weekday = models.PositiveSmallIntegerField("ugedag", choices=Weekday.choices)
    starts = models.TimeField("fra")
    ends = models.TimeField("til")

    class Meta:
        ordering = ["person", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends__gt=models.F("starts")), name="availability_ends_after_start"
            ),
        ]
        verbose_name = "tilgængelighed"
        verbose_name_plural = "tilgængelighed"

    def __str__(self) -> str:
        return f"{self.person} {self.get_weekday_display()} {self.starts:%H.%M}–{self.ends:%H.%M}"


class AgentHours(models.Model):
    """The most hours a week an agent may be put on the rota (without a row: `DEFAULT_MAX_HOURS`)."""

    DEFAULT_MAX_HOURS = 37

    person = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rota_hours")
    max_hours_per_week = models.DecimalField("højst timer pr. uge", max_digits=4, decimal_places=1)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(max_hours_per_week__gte=0), name="agent_hours_not_negative"),
        ]
        verbose_name = "agents timeloft"
        verbose_name_plural = "agenters timeloft"

    def __str__(self) -> str:
        return f"{self.person}: højst {self.max_hours_per_week} timer/uge"


class SwapRequestState(models.TextChoices):
    PENDING = "pending", "afventer svar"
    ACCEPTED = "accepted", "accepteret"
    DECLINED = "declined", "afvist"
    STALE = "stale", "forældet"  # a shift changed after the request: it can no longer be carried out as asked


class SwapRequest(models.Model):
    """A coordinator's request to move one of its member's shifts to another member (a hand-over), or to
    exchange it for one of theirs. Nothing in the rota changes until the other member's coordinator (or the
    secretariat) accepts; the shifts' member and agent at the time of the request are kept, so an acceptance
    after the rota changed is refused rather than carried out on a different rota than the one agreed to."""

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="swap_requests")
    from_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="swap_requests_made", verbose_name="fra"
    )
    to_municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="swap_requests_received", verbose_name="til"
    )
    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="+", verbose_name="vagten")
    shift_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    other_shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name="byttes med"
    )
    other_shift_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    taker = models.ForeignKey(  # the requesting member's agent for the shift that comes back, if chosen
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=20, choices=SwapRequestState.choices, default=SwapRequestState.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="swap_requests"
    )
    requested_at = models.DateTimeField("anmodet", auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("besvaret", null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = "anmodning om vagtbytte"
        verbose_name_plural = "anmodninger om vagtbytte"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_municipality=models.F("to_municipality")), name="swap_request_two_members"
            )
        ]

    def __str__(self) -> str:
        return f"{self.from_municipality} → {self.to_municipality}: {self.shift} ({self.get_state_display()})"

    @property
    def is_exchange(self) -> bool:
        return self.other_shift_id is not None
