"""Joining the fællesskab (seed 000 p. 8–9): an intake per municipality, cohorts that share a first shift, and a
checklist per joining member. Whether a member may take calls and shifts is directory's
`Membership.ready_for_shifts`, which only onboarding's actions set."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from samvirke.directory.models import Fellesskab, Municipality
from samvirke.onboarding.lib.checklist import OWNER_LABELS, RULES, Owner, Step


class Cohort(models.Model):
    fellesskab = models.ForeignKey(Fellesskab, on_delete=models.CASCADE, related_name="cohorts")
    first_shift = models.DateField("første vagt")
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["first_shift", "id"]
        verbose_name = "hold"
        verbose_name_plural = "hold"

    def __str__(self) -> str:
        return f"Hold med første vagt {self.first_shift:%d.%m.%Y}"


class Intake(models.Model):
    """A municipality's wish to join: who to talk to, when DDH was told, and when it wishes to start."""

    fellesskab = models.ForeignKey(Fellesskab, on_delete=models.CASCADE, related_name="intakes")
    municipality = models.OneToOneField(Municipality, on_delete=models.PROTECT, related_name="intake")
    contact_name = models.CharField("kontaktperson", max_length=200)
    contact_email = models.EmailField("kontaktpersonens e-mail")
    notified_on = models.DateField("varslet den")
    wished_start = models.DateField("ønsket start", null=True, blank=True)
    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, null=True, blank=True, related_name="intakes", verbose_name="hold"
    )
    # The secretariat may let a member take calls and shifts before its checklist is done (audited, with a reason).
    override_reason = models.CharField("begrundelse for at tilsidesætte tjeklisten", max_length=500, blank=True)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)

    class Meta:
        ordering = ["notified_on", "municipality__name"]
        verbose_name = "optagelse"
        verbose_name_plural = "optagelser"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wished_start__isnull=True) | models.Q(wished_start__gte=models.F("notified_on")),
                name="wished_start_not_before_notified_on",
            )
        ]

    def __str__(self) -> str:
        return f"Optagelse af {self.municipality.name}"


class ChecklistItem(models.Model):
    intake = models.ForeignKey(Intake, on_delete=models.CASCADE, related_name="checklist")
    step = models.CharField("trin", max_length=30, choices=[(s.value, RULES[s].label) for s in Step])
    owner = models.CharField("ansvarlig", max_length=20, choices=[(o.value, OWNER_LABELS[o]) for o in Owner])
    due = models.DateField("frist")
    done_on = models.DateField("udført den", null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["due", "id"]
        verbose_name = "tjeklistepunkt"
        verbose_name_plural = "tjeklistepunkter"
        constraints = [models.UniqueConstraint(fields=["intake", "step"], name="one_item_per_step")]

    def __str__(self) -> str:
        return f"{self.get_step_display()} ({self.intake.municipality.name})"

    @property
    def what(self) -> str:
        return RULES[Step(self.step)].what
