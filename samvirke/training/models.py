"""Training records per agent (seed 000, "Afhængigheder til kommune rekrutteringen"): e-learning, the course
day, med-lyt sessions (a day listening in at an existing member, booked on sessions with a capacity), the
health-app line's module and the telemedicine line's. `Qualification` holds, per agent and line, the first day the
agent is qualified (training.lib.qualification), kept by the actions so routing and the rota can ask in one query."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from samvirke.directory.models import Line, Municipality


class TrainingRecord(models.Model):
    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training", verbose_name="medarbejder"
    )
    elearning_on = models.DateField("e-læring gennemført", null=True, blank=True)
    course_day_on = models.DateField("kursusdag gennemført", null=True, blank=True)
    health_module_on = models.DateField("sundhedsapps-modul gennemført", null=True, blank=True)
    telemedicine_module_on = models.DateField("telemedicin-modul gennemført", null=True, blank=True)

    class Meta:
        verbose_name = "uddannelsesforløb"
        verbose_name_plural = "uddannelsesforløb"

    def __str__(self) -> str:
        return f"Uddannelse for {self.person}"


class MedLytSession(models.Model):
    """A med-lyt day: new agents listen in at a member that already takes calls."""

    date = models.DateField("dato")
    host = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="værtskommune")
    capacity = models.PositiveSmallIntegerField("pladser")
    is_demo = models.BooleanField("demodata", default=False)

    class Meta:
        ordering = ["date", "host__name"]
        verbose_name = "med-lyt-dag"
        verbose_name_plural = "med-lyt-dage"
        constraints = [
            models.UniqueConstraint(fields=["date", "host"], name="one_medlyt_session_per_host_and_day"),
            models.CheckConstraint(condition=models.Q(capacity__gte=1), name="medlyt_capacity_positive"),
        ]

    def __str__(self) -> str:
        return f"Med-lyt {self.date:%d.%m.%Y} hos {self.host}"


class MedLytBooking(models.Model):
    session = models.ForeignKey(MedLytSession, on_delete=models.CASCADE, related_name="bookings")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="medlyt_bookings")
    attended = models.BooleanField("deltog", default=False)
    booked_at = models.DateTimeField("booket")

    class Meta:
        ordering = ["session__date"]
        verbose_name = "booking af med-lyt"
        verbose_name_plural = "bookinger af med-lyt"
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="one_booking_per_session")]

    def __str__(self) -> str:
        return f"{self.person} på {self.session}"


class Qualification(models.Model):
    """The first day `person` may take calls on `line` (derived; written only by training.actions)."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="qualifications")
    line = models.CharField("linje", max_length=30, choices=Line.choices)
    since = models.DateField("kvalificeret fra")

    class Meta:
        verbose_name = "kvalifikation"
        verbose_name_plural = "kvalifikationer"
        constraints = [models.UniqueConstraint(fields=["person", "line"], name="one_qualification_per_line")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_line_display()} fra {self.since}"
