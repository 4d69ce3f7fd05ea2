"""The secretariat's forms on a landsdel's telemedicine page. Labels and messages in Danish; decimals accept a
comma ("0,65"). The forms check input only; the writes are telecare.actions'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from samvirke.core.cli import MAX_INPUT_FILE_BYTES
from samvirke.directory.models import Municipality
from samvirke.telecare.models import AddOnMode, AddOnService, Landsdel

# An enrolment file is one line per citizen: 12,000 citizens nationally are well under 1 MB. The commands' bound
# (core.cli) is 5 MB; an upload is held in memory, so the page takes the same bound and no more.
MAX_ENROLMENT_UPLOAD_BYTES = MAX_INPUT_FILE_BYTES


class SettingsForm(forms.Form):
    weight = forms.DecimalField(
        label="Vægt w (befolkning 40+)",
        min_value=Decimal(0),
        max_value=Decimal(1),
        help_text="0–1: andelen af kommunernes betaling, der fordeles efter indbyggere på 40+; resten efter forbrug.",
        error_messages={
            "min_value": "Vægten w skal ligge mellem 0 og 1.",
            "max_value": "Vægten w skal ligge mellem 0 og 1.",
            "invalid": "Vægten w skal være et tal mellem 0 og 1, fx 0,5.",
            "required": "Angiv vægten w.",
            "max_decimal_places": "Vægten w har højst 4 decimaler.",
            "max_digits": "Vægten w skal ligge mellem 0 og 1.",
        },
        max_digits=5,
        decimal_places=4,
        localize=True,
    )
    region_share = forms.DecimalField(
        label="Regionens andel",
        min_value=Decimal(0),
        max_value=Decimal(1),
        help_text="0–1, fx 0,65 for 65/35.",
        error_messages={
            "min_value": "Regionens andel skal ligge mellem 0 og 1.",
            "max_value": "Regionens andel skal ligge mellem 0 og 1.",
            "invalid": "Regionens andel skal være et tal mellem 0 og 1, fx 0,65.",
            "required": "Angiv regionens andel.",
            "max_decimal_places": "Regionens andel har højst 4 decimaler.",
            "max_digits": "Regionens andel skal ligge mellem 0 og 1.",
        },
        max_digits=5,
        decimal_places=4,
        localize=True,
    )
    first_year = forms.IntegerField(
        label="Programmets første år (År 1)",
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": "Programmets første år skal ligge mellem 2000 og 2100.",
            "max_value": "Programmets første år skal ligge mellem 2000 og 2100.",
            "invalid": "Programmets første år skal være et årstal, fx 2025.",
            "required": "Angiv programmets første år.",
        },
    )


class EnrolmentFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        uploaded = super().clean(data, initial)
        if uploaded is not None and uploaded.size > MAX_ENROLMENT_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"Filen er for stor: højst {MAX_ENROLMENT_UPLOAD_BYTES // (1024 * 1024)} MB; intet er ændret."
            )
        return uploaded


class EnrolmentUploadForm(forms.Form):
    file = EnrolmentFileField(
        label="Indskrivninger (CSV)",
        help_text="Kolonnerne kommunekode, citizen_ref, enrolled_from, enrolled_to (tom: stadig indskrevet). "
        "citizen_ref er et pseudonym, aldrig et CPR-nummer. Alt eller intet.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Vælg en CSV-fil.", "empty": "Filen er tom."},
    )

    def text(self) -> str:
        """The file as text (UTF-8, BOM tolerated); a ValidationError in Danish otherwise (call after is_valid)."""
        uploaded: UploadedFile = self.cleaned_data["file"]
        raw = uploaded.read(MAX_ENROLMENT_UPLOAD_BYTES + 1)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("Filen er ikke UTF-8-tekst. Gem den som CSV (UTF-8).") from None
        if any(ord(ch) < 32 and ch not in "\t\r\n" or ord(ch) == 127 for ch in text):
            raise forms.ValidationError("Filen indeholder et kontroltegn (fx NUL); ret eller fjern tegnet.")
        return text


def _year_field(label: str = "År") -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": "Året skal ligge mellem 2000 og 2100.",
            "max_value": "Året skal ligge mellem 2000 og 2100.",
            "invalid": "Året skal være et årstal, fx 2026.",
            "required": "Angiv året.",
        },
    )


def _quarter_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label="Kvartal",
        choices=[(q, f"{q}. kvartal") for q in (1, 2, 3, 4)],
        coerce=int,
        error_messages={
            "invalid_choice": "Kvartalet skal være 1, 2, 3 eller 4.",
            "required": "Vælg et kvartal.",
        },
    )


def _amount_field(label: str, *, required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
        localize=True,
        error_messages={
            "min_value": "Beløbet kan ikke være negativt.",
            "invalid": "Beløbet skal være et tal i kr. uden tusindtalsseparator, fx 5580000 eller 5580000,50.",
            "required": "Angiv beløbet.",
            "max_decimal_places": "Beløbet har højst 2 decimaler (øre).",
            "max_digits": "Beløbet er for stort.",
            "max_whole_digits": "Beløbet er for stort.",
        },
    )


class ForecastForm(forms.Form):
    year = _year_field("Budgetår")
    total = _amount_field("Samlet budget (kr.)", required=False)
    total.help_text = "Tom: landsdelens omkostningstabel for programåret (seed 003, Bilag B)."


class QuarterForm(forms.Form):
    year = _year_field()
    quarter = _quarter_field()


class CloseYearForm(forms.Form):
    year = _year_field()
    actual_total = _amount_field("Faktisk forbrug (kr.)", required=True)


class AddOnUsageForm(forms.Form):
    service = forms.ModelChoiceField(
        label="Tilkøbsydelse",
        queryset=AddOnService.objects.none(),
        error_messages={"invalid_choice": "Vælg en tilkøbsydelse med takst.", "required": "Vælg en tilkøbsydelse."},
    )
    municipality = forms.ModelChoiceField(
        label="Kommune",
        queryset=Municipality.objects.none(),
        error_messages={"invalid_choice": "Kommunen ligger ikke i landsdelen.", "required": "Vælg en kommune."},
    )
    year = _year_field()
    quarter = _quarter_field()
    quantity = forms.DecimalField(
        label="Mængde",
        min_value=Decimal(0),
        max_digits=12,
        decimal_places=2,
        localize=True,
        error_messages={
            "min_value": "Mængden kan ikke være negativ.",
            "invalid": "Mængden skal være et tal, fx 12 eller 2,5.",
            "required": "Angiv mængden.",
            "max_decimal_places": "Mængden har højst 2 decimaler.",
            "max_digits": "Mængden er for stor.",
            "max_whole_digits": "Mængden er for stor.",
        },
    )

    def __init__(self, *args: Any, landsdel: Landsdel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = self.fields["service"]
        municipality = self.fields["municipality"]
        assert isinstance(service, forms.ModelChoiceField) and isinstance(municipality, forms.ModelChoiceField)
        service.queryset = AddOnService.objects.filter(landsdel=landsdel, mode=AddOnMode.TARIFF).order_by("name")
        municipality.queryset = Municipality.objects.filter(region=landsdel.region_id).order_by("name")


class AddOnInvoiceForm(forms.Form):
    year = _year_field()
    quarter = _quarter_field()


def first_error(form: forms.Form) -> str:
    """The form's errors as one Danish sentence for a message (every field's first error, then the form's)."""
    texts = [str(errors[0]) for errors in form.errors.values() if errors]
    return " ".join(texts) + " Intet er ændret."
