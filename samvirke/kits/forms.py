"""The kits pages' forms and their Danish messages."""

from __future__ import annotations

from django import forms

from samvirke.kits.lib import lifecycle
from samvirke.kits.models import CHECKLIST_STEPS

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ChecklistForm(forms.Form):
    """The one-visit install: deliver, set up, test, register, instruct (no health advice), and the result that
    goes back to the referrer."""

    deliver = forms.BooleanField(label=dict(CHECKLIST_STEPS)["deliver"], required=False)
    setup = forms.BooleanField(label=dict(CHECKLIST_STEPS)["setup"], required=False)
    test = forms.BooleanField(label=dict(CHECKLIST_STEPS)["test"], required=False)
    register = forms.BooleanField(label=dict(CHECKLIST_STEPS)["register"], required=False)
    instruct = forms.BooleanField(label=dict(CHECKLIST_STEPS)["instruct"], required=False)
    visited_at = forms.DateTimeField(
        label="Besøgstidspunkt",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Angiv besøgstidspunktet.", "invalid": "Angiv besøgstidspunktet som dato og tid."},
    )
    result = forms.CharField(
        label="Resultat til henviseren",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv resultatet, som meldes tilbage til henviseren."},
        help_text="Fx «Udstyret virker, første måling modtaget». Ingen sundhedsfaglige oplysninger.",
    )

    def steps(self) -> dict[str, bool]:
        return {step: bool(self.cleaned_data.get(step)) for step, _label in CHECKLIST_STEPS}


class MoveForm(forms.Form):
    to_status = forms.ChoiceField(
        label="Ny status",
        choices=[(s, lifecycle.STATUS_LABELS[s]) for s in lifecycle.STATUSES],
        error_messages={"required": "Vælg den nye status.", "invalid_choice": "Vælg en status fra listen."},
    )
    location = forms.CharField(
        label="Placering", max_length=200, error_messages={"required": "Skriv, hvor enheden er nu."}
    )
    note = forms.CharField(label="Note", max_length=300, required=False)


class PlanForm(forms.Form):
    date = forms.DateField(
        label="Dato",
        widget=DATE_INPUT,
        error_messages={"required": "Vælg dagen, der skal planlægges.", "invalid": "Angiv en gyldig dato."},
    )
    shift_start = forms.TimeField(
        label="Vagten begynder", initial="08:00", widget=forms.TimeInput(attrs={"type": "time"})
    )
    shift_end = forms.TimeField(label="Vagten slutter", initial="16:00", widget=forms.TimeInput(attrs={"type": "time"}))
    depot_latitude = forms.FloatField(label="Lagerets breddegrad", required=False, min_value=-90, max_value=90)
    depot_longitude = forms.FloatField(label="Lagerets længdegrad", required=False, min_value=-180, max_value=180)
    avg_speed_kmh = forms.FloatField(label="Gennemsnitsfart (km/t)", initial=40, min_value=5, max_value=130)
