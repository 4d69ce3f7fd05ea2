"""Onboarding's forms and their Danish messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from samvirke.directory.models import Membership, MembershipStatus, Municipality
from samvirke.onboarding.models import Intake

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IntakeForm(forms.Form):
    municipality = forms.ModelChoiceField(
        label="Kommune",
        queryset=Municipality.objects.none(),
        error_messages={"required": "Vælg kommunen.", "invalid_choice": "Vælg en kommune fra listen."},
    )
    contact_name = forms.CharField(
        label="Kontaktperson", max_length=200, error_messages={"required": "Skriv kontaktpersonens navn."}
    )
    contact_email = forms.EmailField(
        label="Kontaktpersonens e-mail",
        error_messages={"required": "Skriv kontaktpersonens e-mail.", "invalid": "Skriv en gyldig e-mailadresse."},
    )
    notified_on = forms.DateField(
        label="Sekretariatet fik besked den",
        widget=DATE_INPUT,
        error_messages={"required": "Skriv datoen, sekretariatet fik besked.", "invalid": "Skriv en dato."},
    )
    wished_start = forms.DateField(
        label="Ønsket første vagt (valgfri)",
        required=False,
        widget=DATE_INPUT,
        error_messages={"invalid": "Skriv en dato."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = Intake.objects.values_list("municipality_id", flat=True)
        members = Membership.objects.filter(
            status__in=[MembershipStatus.ACTIVE, MembershipStatus.ONBOARDING]
        ).values_list("municipality_id", flat=True)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.exclude(pk__in=taken).exclude(pk__in=members).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        notified: dt.date | None = data.get("notified_on")
        wished: dt.date | None = data.get("wished_start")
        if notified and wished and wished < notified:
            self.add_error("wished_start", "Ønsket start kan ikke ligge før den dag, sekretariatet fik besked.")
        return data


class CohortForm(forms.Form):
    intakes = forms.ModelMultipleChoiceField(
        queryset=Intake.objects.all(),
        error_messages={"required": "Vælg mindst én kommune.", "invalid_choice": "En valgt kommune findes ikke."},
    )
    first_shift = forms.DateField(
        label="Første vagt", widget=DATE_INPUT, error_messages={"required": "Skriv holdets første vagt."}
    )


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Begrundelse",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Skriv en begrundelse for at tilsidesætte tjeklisten."},
    )


class PlanForm(forms.Form):
    """The planner's parameters on the proposal page (seed 000: cohorts of at most 5–7)."""

    max_cohort = forms.IntegerField(
        label="Højst kommuner pr. hold",
        min_value=1,
        max_value=7,
        initial=7,
        error_messages={
            "invalid": "Skriv et helt tal.",
            "min_value": "Et hold skal have plads til mindst 1 kommune.",
            "max_value": "Et hold har højst 7 kommuner (seed 000: grupper af højst 5–7).",
        },
    )
