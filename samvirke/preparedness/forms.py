"""The crisis switch's form, with Danish messages."""

from __future__ import annotations

from typing import Any

from django import forms

from samvirke.directory.models import Municipality
from samvirke.preparedness.actions import MAX_SURGE_AGENTS, MAX_TEXT_CHARS, MAX_TITLE_CHARS
from samvirke.preparedness.lib.crisis import HOURS_CHOICES, HOURS_NONE
from samvirke.preparedness.models import CrisisScope, Reroute


class CrisisForm(forms.Form):
    title = forms.CharField(label="Overskrift", max_length=MAX_TITLE_CHARS)
    text = forms.CharField(
        label="Meddelelse til borgerne",
        max_length=MAX_TEXT_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Vises i chatten, læses op i telefonmenuen og står på alle skriveborde.",
    )
    scope = forms.ChoiceField(label="Omfang", choices=CrisisScope.choices, widget=forms.RadioSelect)
    stricken = forms.ModelChoiceField(
        label="Ramt kommune", queryset=Municipality.objects.none(), required=False, empty_label="Vælg kommune …"
    )
    reroute = forms.ChoiceField(label="Den ramte kommunes opkald", choices=Reroute.choices, initial=Reroute.POOL)
    reroute_to = forms.ModelMultipleChoiceField(
        label="Overtages af", queryset=Municipality.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    extended_hours = forms.ChoiceField(label="Åbningstid", choices=HOURS_CHOICES, initial=HOURS_NONE)
    drill = forms.BooleanField(
        label="Øvelse (kun øvelseslinjen og et mærket banner; borgerne ser intet)", required=False
    )

    def __init__(self, *args: Any, members: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [m.pk for m in members]
        stricken = self.fields["stricken"]
        reroute_to = self.fields["reroute_to"]
        assert isinstance(stricken, forms.ModelChoiceField)
        assert isinstance(reroute_to, forms.ModelMultipleChoiceField)
        stricken.queryset = Municipality.objects.filter(pk__in=ids).order_by("name")
        reroute_to.queryset = Municipality.objects.filter(pk__in=ids).order_by("name")
        messages = {
            "title": "Skriv en overskrift.",
            "text": "Skriv en meddelelse til borgerne.",
            "scope": "Vælg, om krisen gælder hele fællesskabet eller én kommune.",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        for name in ("scope", "reroute", "extended_hours"):
            self.fields[name].error_messages["invalid_choice"] = "Vælg en mulighed fra listen."
        stricken.error_messages["invalid_choice"] = "Vælg en kommune fra listen."
        reroute_to.error_messages["invalid_choice"] = "Vælg kommuner fra listen."
        reroute_to.error_messages["invalid_pk_value"] = "Vælg kommuner fra listen."
        self.fields["title"].error_messages["max_length"] = f"Overskriften må højst være {MAX_TITLE_CHARS} tegn."
        self.fields["text"].error_messages["max_length"] = f"Meddelelsen må højst være {MAX_TEXT_CHARS} tegn."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("scope") == CrisisScope.MEMBER and not data.get("stricken"):
            self.add_error("stricken", "Vælg den ramte kommune.")
        return data


class SurgeRequestForm(forms.Form):
    municipalities = forms.ModelMultipleChoiceField(
        label="Bed om ekstra medarbejdere fra",
        queryset=Municipality.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Vælg mindst én kommune.",
            "invalid_choice": "Vælg kommuner fra listen.",
            "invalid_pk_value": "Vælg kommuner fra listen.",
        },
    )

    def __init__(self, *args: Any, members: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipalities"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in members]).order_by("name")


class SurgeAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="Svar",
        choices=[("yes", "Ja"), ("no", "Nej")],
        widget=forms.RadioSelect,
        error_messages={"required": "Svar ja eller nej.", "invalid_choice": "Svar ja eller nej."},
    )
    agents = forms.IntegerField(
        label="Antal ekstra medarbejdere",
        required=False,
        min_value=1,
        max_value=MAX_SURGE_AGENTS,
        error_messages={
            "invalid": "Skriv antallet som et helt tal.",
            "min_value": "Mindst 1 medarbejder.",
            "max_value": f"Højst {MAX_SURGE_AGENTS} medarbejdere.",
        },
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("answer") == "yes" and not data.get("agents"):
            self.add_error("agents", "Skriv, hvor mange ekstra medarbejdere I kan stille.")
        return data
