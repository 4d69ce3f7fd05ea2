"""The consent pages' forms: referral, enrolment, end of course, consent, and the data processing agreements'
writes. Labels and messages in Danish. The forms check input only; every write is consent.actions' (audited).

A value that looks like a CPR number is refused with a message that does not repeat it, and the re-rendered form
does not hold it either (`CprRefusingForm`): CPR numbers are never stored, nor echoed back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from samvirke.consent.actions import DATA_CATEGORIES, PURPOSES
from samvirke.consent.models import (
    ConsentText,
    DataProcessingAgreement,
    Operator,
    OperatorKind,
    ProgrammeCitizen,
    ReferrerKind,
    SubProcessor,
    Urgency,
)
from samvirke.core.lib.masking import looks_like_cpr
from samvirke.directory.models import Municipality
from samvirke.telecare.models import Landsdel

CPR_REFUSED = "Feltet ligner et CPR-nummer. CPR-numre gemmes ikke; brug et pseudonym eller fjern nummeret."


def _required(label: str) -> dict[str, str]:
    return {"required": f"Angiv {label}."}


def _date_field(label: str, what: str, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"],
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": f"Angiv {what}.", "invalid": f"Skriv {what} som en dato, fx 3.3.2025."},
    )


def _holds_cpr(value: object) -> bool:
    if isinstance(value, str):
        return bool(value) and looks_like_cpr(value)
    return isinstance(value, list) and any(isinstance(v, str) and looks_like_cpr(v) for v in value)


class CprRefusingForm(forms.Form):
    """Refuses any text field that looks like a CPR number, and blanks it in the form shown again."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        refused = [name for name, value in cleaned.items() if _holds_cpr(value)]
        if refused:
            data = self.data.copy() if isinstance(self.data, QueryDict) else dict(self.data)
            for name in refused:
                self.add_error(name, CPR_REFUSED)
                data[self.add_prefix(name)] = ""
            self.data = data
        return cleaned


class ReferForm(CprRefusingForm):
    """A referral: the fields of ProgrammeCitizen except the measurements (the controllers may not see those, so
    they do not write them either) and the course dates (enrolment and end of course are their own steps)."""

    landsdel = forms.ModelChoiceField(
        label="Landsdel",
        queryset=Landsdel.objects.none(),
        error_messages={**_required("landsdelen"), "invalid_choice": "Vælg en af dine landsdele."},
    )
    municipality = forms.ModelChoiceField(
        label="Borgerens kommune",
        queryset=Municipality.objects.none(),
        error_messages={
            **_required("borgerens kommune"),
            "invalid_choice": "Du kan ikke henvise borgere fra den kommune.",
        },
    )
    citizen_ref = forms.CharField(
        label="Borgerreference (pseudonym)",
        max_length=64,
        help_text="Aldrig et CPR-nummer.",
        error_messages={**_required("en borgerreference (et pseudonym)"), "max_length": "Højst 64 tegn."},
    )
    name = forms.CharField(label="Navn", max_length=200, error_messages=_required("borgerens navn"))
    address = forms.CharField(label="Adresse", max_length=200, error_messages=_required("adressen"))
    postcode = forms.RegexField(
        label="Postnummer",
        regex=r"^\d{4}$",
        error_messages={**_required("postnummeret"), "invalid": "Postnummeret er fire cifre."},
    )
    city = forms.CharField(label="By", max_length=100, error_messages=_required("byen"))
    phone = forms.CharField(label="Telefon", max_length=20, required=False)
    latitude = forms.DecimalField(
        label="Breddegrad",
        required=False,
        min_value=-90,
        max_value=90,
        max_digits=9,
        decimal_places=6,
        localize=True,
        error_messages={
            "invalid": "Breddegraden skal være et tal, fx 55,583.",
            "min_value": "Breddegraden ligger mellem -90 og 90.",
            "max_value": "Breddegraden ligger mellem -90 og 90.",
            "max_decimal_places": "Højst 6 decimaler.",
            "max_digits": "Breddegraden ligger mellem -90 og 90.",
        },
    )
    longitude = forms.DecimalField(
        label="Længdegrad",
        required=False,
        min_value=-180,
        max_value=180,
        max_digits=9,
        decimal_places=6,
        localize=True,
        error_messages={
            "invalid": "Længdegraden skal være et tal, fx 12,3.",
            "min_value": "Længdegraden ligger mellem -180 og 180.",
            "max_value": "Længdegraden ligger mellem -180 og 180.",
            "max_decimal_places": "Højst 6 decimaler.",
            "max_digits": "Længdegraden ligger mellem -180 og 180.",
        },
    )
    diagnosis = forms.CharField(label="Diagnose", max_length=50, initial="KOL", error_messages=_required("diagnosen"))
    referred_at = _date_field("Henvist", "henvisningsdatoen")
    referrer_kind = forms.ChoiceField(
        label="Henvist af",
        choices=ReferrerKind.choices,
        error_messages={**_required("hvem der henviser"), "invalid_choice": "Vælg kommunen eller hospitalet."},
    )
    referrer_name = forms.CharField(label="Henviser", max_length=200, required=False)
    urgency = forms.ChoiceField(
        label="Hastegrad",
        choices=Urgency.choices,
        initial=Urgency.STANDARD,
        error_messages={**_required("hastegraden"), "invalid_choice": "Vælg standard eller hastende."},
    )
    self_collect = forms.BooleanField(label="Henter selv udstyret (det fleksible koncept)", required=False)

    def __init__(self, *args: Any, landsdele: QuerySet[Landsdel], municipalities: QuerySet[Municipality], **kw: Any):
        super().__init__(*args, **kw)
        landsdel_field = self.fields["landsdel"]
        municipality_field = self.fields["municipality"]
        assert isinstance(landsdel_field, forms.ModelChoiceField)
        assert isinstance(municipality_field, forms.ModelChoiceField)
        landsdel_field.queryset = landsdele
        municipality_field.queryset = municipalities
        if not self.is_bound:
            self.initial.setdefault("referred_at", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        landsdel, municipality = cleaned.get("landsdel"), cleaned.get("municipality")
        if landsdel is not None and municipality is not None and municipality.region_id != landsdel.region_id:
            self.add_error("municipality", "Kommunen ligger ikke i landsdelens region.")
        ref = cleaned.get("citizen_ref")
        taken = ProgrammeCitizen.objects.filter(landsdel=landsdel, citizen_ref=ref)
        if landsdel is not None and ref and taken.exists():
            self.add_error("citizen_ref", "Referencen findes allerede i landsdelen; brug en anden.")
        referred_at = cleaned.get("referred_at")
        if referred_at is not None and referred_at > timezone.localdate():
            self.add_error("referred_at", "Henvisningen kan ikke ligge i fremtiden.")
        return cleaned

    def action_fields(self) -> dict[str, Any]:
        """The cleaned fields as do_refer_citizen takes them (the landsdel apart)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "landsdel"}


class DayForm(forms.Form):
    """Enrolment or end of course: one date."""

    day = _date_field("Dato", "datoen")

    def clean_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["day"]
        if day > timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError("Datoen ligger mere end et år ude i fremtiden.")
        return day


def _split(raw: str) -> list[str]:
    return [part.strip() for part in raw.replace(";", ",").split(",") if part.strip()]


class ConsentForm(CprRefusingForm):
    """A consent on a standard text version: data categories, purposes, operator kinds (types, never named
    operators), one or more diagnoses in advance; by proxy only with the proxy's name and authority together."""

    text_version = forms.ModelChoiceField(
        label="Standardtekst (version)",
        queryset=ConsentText.objects.filter(active=True),
        required=False,  # none chosen: the active standard text (as do_record_consent)
        empty_label=None,
        error_messages={
            **_required("standardteksten"),
            "invalid_choice": "Vælg en aktiv version af standardteksten.",
        },
    )
    data_categories = forms.MultipleChoiceField(
        label="Datakategorier",
        choices=[(c, c) for c in DATA_CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        initial=list(DATA_CATEGORIES),
        error_messages={"required": "Vælg mindst én datakategori.", "invalid_choice": "Ukendt datakategori."},
    )
    purposes = forms.MultipleChoiceField(
        label="Formål",
        choices=[(p, p) for p in PURPOSES],
        widget=forms.CheckboxSelectMultiple,
        initial=list(PURPOSES),
        error_messages={"required": "Vælg mindst ét formål.", "invalid_choice": "Ukendt formål."},
    )
    operator_kinds = forms.MultipleChoiceField(
        label="Operatørtyper (typer, ikke navngivne operatører)",
        choices=OperatorKind.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(OperatorKind.values),
        error_messages={"required": "Vælg mindst én operatørtype.", "invalid_choice": "Ukendt operatørtype."},
    )
    diagnoses = forms.CharField(
        label="Diagnoser (kommasepareret; flere på forhånd)",
        max_length=300,
        initial="KOL",
        error_messages={**_required("mindst én diagnose"), "max_length": "Højst 300 tegn."},
    )
    by_proxy = forms.BooleanField(label="Givet ved stedfortræder", required=False)
    proxy_name = forms.CharField(label="Stedfortræder", max_length=200, required=False)
    proxy_authority = forms.CharField(label="Hjemmel (fx fuldmagt, værgemål)", max_length=200, required=False)

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        field = self.fields["text_version"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ConsentText.objects.filter(active=True).order_by("-created_at", "-id")

    def clean_diagnoses(self) -> list[str]:
        diagnoses = list(dict.fromkeys(_split(self.cleaned_data["diagnoses"])))
        if not diagnoses:
            raise forms.ValidationError("Angiv mindst én diagnose.")
        if any(len(d) > 50 for d in diagnoses):
            raise forms.ValidationError("En diagnose er højst 50 tegn.")
        return diagnoses

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        name, authority = cleaned.get("proxy_name", ""), cleaned.get("proxy_authority", "")
        if cleaned.get("by_proxy"):
            if not name and "proxy_name" not in self.errors:
                self.add_error("proxy_name", "Et samtykke ved stedfortræder kræver stedfortræderens navn.")
            if not authority and "proxy_authority" not in self.errors:
                self.add_error("proxy_authority", "Et samtykke ved stedfortræder kræver stedfortræderens hjemmel.")
        elif name or authority:
            self.add_error(
                "by_proxy",
                "Markér «Givet ved stedfortræder», når du angiver stedfortræder og hjemmel – eller fjern dem.",
            )
        return cleaned


# --- data processing agreements -----------------------------------------------------------------------------


class SignAgreementForm(forms.Form):
    """An agreement between an operator and one controller (the region or a municipality), from the template of
    the operator's kind."""

    operator = forms.ModelChoiceField(
        label="Operatør (databehandler)",
        queryset=Operator.objects.none(),
        error_messages={**_required("operatøren"), "invalid_choice": "Vælg en operatør, du kan indgå aftale med."},
    )
    controller = forms.ChoiceField(
        label="Dataansvarlig",
        choices=[],
        error_messages={**_required("den dataansvarlige"), "invalid_choice": "Vælg en dataansvarlig, du handler for."},
    )
    signed_at = _date_field("Underskrevet", "datoen for underskriften")

    def __init__(
        self,
        *args: Any,
        operators: QuerySet[Operator],
        controllers: Iterable[tuple[str, str]],
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        operator_field = self.fields["operator"]
        controller_field = self.fields["controller"]
        assert isinstance(operator_field, forms.ModelChoiceField)
        assert isinstance(controller_field, forms.ChoiceField)
        operator_field.queryset = operators
        controller_field.choices = list(controllers)


class AccessionForm(forms.Form):
    participant = forms.CharField(label="Deltager", max_length=200, error_messages=_required("deltageren"))
    acceded_at = _date_field("Tiltrådt", "datoen for tiltrædelsen")


class AuditStatementForm(forms.Form):
    received_at = _date_field("Modtaget", "datoen, revisionserklæringen er modtaget")

    def clean_received_at(self) -> dt.date:
        day: dt.date = self.cleaned_data["received_at"]
        if day > timezone.localdate():
            raise forms.ValidationError("Revisionserklæringen kan ikke være modtaget i fremtiden.")
        return day


class TerminateForm(forms.Form):
    terminated_at = _date_field("Ophører", "ophørsdatoen")
    handling = forms.ChoiceField(
        label="Data ved ophør",
        choices=[("returned", "Tilbageleveret"), ("deleted", "Slettet")],
        error_messages={
            "required": "Angiv om data er tilbageleveret eller slettet.",
            "invalid_choice": "Angiv om data er tilbageleveret eller slettet.",
        },
    )
    handled_at = _date_field("Tilbageleveret/slettet", "datoen, data er tilbageleveret eller slettet")


class SubProcessorForm(forms.Form):
    operator = forms.ModelChoiceField(
        label="Operatør",
        queryset=Operator.objects.none(),
        error_messages={**_required("operatøren"), "invalid_choice": "Vælg en af dine operatører."},
    )
    name = forms.CharField(label="Underdatabehandler", max_length=200, error_messages=_required("navnet"))
    service = forms.CharField(label="Ydelse", max_length=200, error_messages=_required("ydelsen"))
    country = forms.CharField(label="Land", max_length=100, initial="Danmark", error_messages=_required("landet"))
    since = _date_field("Fra", "startdatoen")
    replaces = forms.ModelChoiceField(
        label="Erstatter",
        queryset=SubProcessor.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Vælg en af operatørens aktuelle underdatabehandlere."},
    )
    notified_at = _date_field("Dataansvarlige underrettet", "datoen for underretningen", required=False)

    def __init__(self, *args: Any, operators: QuerySet[Operator], **kw: Any) -> None:
        super().__init__(*args, **kw)
        operator_field = self.fields["operator"]
        replaces_field = self.fields["replaces"]
        assert isinstance(operator_field, forms.ModelChoiceField)
        assert isinstance(replaces_field, forms.ModelChoiceField)
        operator_field.queryset = operators
        replaces_field.queryset = SubProcessor.objects.filter(operator__in=operators, until__isnull=True)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        operator, replaces = cleaned.get("operator"), cleaned.get("replaces")
        if operator is not None and replaces is not None and replaces.operator_id != operator.pk:
            self.add_error("replaces", "Den erstattede underdatabehandler hører til en anden operatør.")
        if replaces is not None and cleaned.get("notified_at") is None and "notified_at" not in self.errors:
            self.add_error("notified_at", "En udskiftning kræver, at de dataansvarlige er underrettet; angiv datoen.")
        return cleaned


def agreement_forms(agreement: DataProcessingAgreement) -> dict[str, forms.Form]:
    """The blank per-agreement forms, prefixed by the agreement so a page can hold one set per agreement."""
    prefix = f"dpa{agreement.pk}"
    return {
        "accede": AccessionForm(prefix=prefix),
        "audit": AuditStatementForm(prefix=prefix),
        "terminate": TerminateForm(prefix=prefix),
    }
