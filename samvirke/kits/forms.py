"""The kits pages' forms and their Danish messages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from samvirke.kits.actions import EXCHANGE_STEPS
from samvirke.kits.lib import lifecycle
from samvirke.kits.models import CHECKLIST_STEPS, Unit

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


def _visited_at() -> forms.DateTimeField:
    return forms.DateTimeField(
        label="Besøgstidspunkt",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": "Angiv besøgstidspunktet.", "invalid": "Angiv besøgstidspunktet som dato og tid."},
    )


class UnitChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.serial} – {obj.model.name} ({lifecycle.STATUS_LABELS[obj.status].lower()}, {obj.location})"


class ExchangeForm(forms.Form):
    """The exchange visit: the new unit picked from the stock of the faulty unit's kind, the checklist, the time
    of the visit and the result for the referrer."""

    new_unit = UnitChoice(
        label="Ny enhed fra lageret",
        queryset=Unit.objects.none(),
        empty_label="Vælg enhed",
        error_messages={"required": "Vælg den nye enhed.", "invalid_choice": "Vælg en enhed fra listen."},
    )
    install = forms.BooleanField(label=dict(EXCHANGE_STEPS)["install"], required=False)
    test = forms.BooleanField(label=dict(EXCHANGE_STEPS)["test"], required=False)
    collect = forms.BooleanField(label=dict(EXCHANGE_STEPS)["collect"], required=False)
    instruct = forms.BooleanField(label=dict(EXCHANGE_STEPS)["instruct"], required=False)
    visited_at = _visited_at()
    result = forms.CharField(
        label="Resultat til henviseren",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Tomt: «<gammel> byttet med <ny>; udstyret virker». Ingen sundhedsfaglige oplysninger.",
    )

    def __init__(self, *args: Any, candidates: QuerySet[Unit] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any unit may be posted (the action refuses a wrong one with its reason); the list offers the right ones.
        field = self.fields["new_unit"]
        assert isinstance(field, UnitChoice)
        field.queryset = Unit.objects.select_related("model")
        self.candidates = candidates if candidates is not None else Unit.objects.none()
        field.widget.choices = [("", "Vælg enhed")] + [(u.pk, field.label_from_instance(u)) for u in self.candidates]

    def steps(self) -> dict[str, bool]:
        return {step: bool(self.cleaned_data.get(step)) for step, _label in EXCHANGE_STEPS}


class TakedownForm(forms.Form):
    confirm = forms.BooleanField(
        label="Alt udstyr er hentet hos borgeren",
        error_messages={"required": "Bekræft, at alt udstyr er hentet."},
    )
    visited_at = _visited_at()


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
