from __future__ import annotations

from django import forms

from samvirke.directory.models import Municipality

STEP_CHOICES = [
    ("elearning", "E-læring (2 timer)"),
    ("course_day", "Kursusdag"),
    ("health_module", "Modul om sundhedsapps-linjen"),
    ("telemedicine_module", "Modul om telemedicin-linjen"),
]


class StepForm(forms.Form):
    step = forms.ChoiceField(label="Trin", choices=STEP_CHOICES, error_messages={"invalid_choice": "Vælg et trin."})
    on = forms.DateField(
        label="Gennemført den",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"invalid": "Skriv en gyldig dato."},
    )


class SessionForm(forms.Form):
    host = forms.ModelChoiceField(
        label="Værtskommune",
        queryset=Municipality.objects.filter(memberships__isnull=False).distinct().order_by("name"),
        error_messages={"required": "Vælg en værtskommune.", "invalid_choice": "Vælg en værtskommune."},
    )
    date = forms.DateField(
        label="Dato",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Skriv en dato.", "invalid": "Skriv en gyldig dato."},
    )
    capacity = forms.IntegerField(
        label="Pladser",
        min_value=1,
        max_value=20,
        error_messages={
            "required": "Skriv antal pladser.",
            "invalid": "Antal pladser skal være et helt tal.",
            "min_value": "En med-lyt-dag skal have mindst én plads.",
            "max_value": "En med-lyt-dag kan højst have 20 pladser.",
        },
    )


class BookingForm(forms.Form):
    session = forms.IntegerField(error_messages={"required": "Vælg en med-lyt-dag.", "invalid": "Vælg en med-lyt-dag."})
