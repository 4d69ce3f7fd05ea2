"""Forms for the economy pages and the business cases. Labels and messages in Danish; decimals accept a
comma ("1,25"), business-case amounts the Danish way ("-1.022", "12,5")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone

from samvirke.directory.models import Municipality
from samvirke.economy.lib.business_case import FILE_TOO_LARGE_DA, MAX_UPLOAD_BYTES, BusinessCaseInputError
from samvirke.economy.lib.business_case.excel import DESCRIPTION_FIELDS, amounts_from_texts
from samvirke.economy.models import VOLUME_CHANNELS, BusinessCase, BusinessCaseStatus


class EconomySettingsForm(forms.Form):
    price_per_citizen = forms.DecimalField(
        label="Pris pr. borger (kr.)", required=False, max_digits=10, decimal_places=4, min_value=0, localize=True
    )
    budget = forms.DecimalField(
        label="Eller: samlet budget (kr.)", required=False, max_digits=14, decimal_places=2, min_value=0, localize=True
    )
    hours_per_1000 = forms.DecimalField(
        label="Vagttimer pr. 1.000 indbyggere", initial=Decimal(8), max_digits=6, decimal_places=2, min_value=0,
        localize=True,
    )  # fmt: skip
    weeks = forms.IntegerField(label="Arbejdsuger pr. år", initial=48, min_value=1, max_value=53)
    band_min = forms.DecimalField(
        label="Bånd, nedre faktor", initial=Decimal("0.7"), max_digits=4, decimal_places=2, min_value=0, localize=True
    )
    band_max = forms.DecimalField(
        label="Bånd, øvre faktor", initial=Decimal("1.3"), max_digits=4, decimal_places=2, min_value=0, localize=True
    )
    hourly_rate = forms.DecimalField(
        label="Timepris (kr.)", initial=Decimal(343), max_digits=8, decimal_places=2, min_value=0, localize=True
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        price, budget = data.get("price_per_citizen"), data.get("budget")
        if price is None and budget is None and not self.errors:
            raise forms.ValidationError("Angiv enten en pris pr. borger eller et samlet budget.")
        if price is not None and budget is not None:
            raise forms.ValidationError("Angiv enten en pris pr. borger eller et samlet budget, ikke begge.")
        band_min, band_max = data.get("band_min"), data.get("band_max")
        if band_min is not None and band_max is not None and band_min > band_max:
            self.add_error("band_max", "Den øvre faktor skal være mindst lige så stor som den nedre.")
        return data


class ContactVolumeForm(forms.Form):
    channel = forms.ChoiceField(label="Kanal", choices=VOLUME_CHANNELS)
    contacts = forms.IntegerField(label="Henvendelser", min_value=0, max_value=100_000_000)
    source = forms.CharField(label="Kilde", max_length=200)


class ScenarioForm(forms.Form):
    """Two scenarios side by side: which members join, and price per citizen or budget (seed 000)."""

    a_members = forms.MultipleChoiceField(
        label="Medlemmer i scenarie A", required=True, widget=forms.CheckboxSelectMultiple
    )
    a_price = forms.DecimalField(label="Pris pr. borger", required=False, min_value=0, max_digits=10, decimal_places=4,
                                 localize=True)  # fmt: skip
    a_budget = forms.DecimalField(label="Eller budget", required=False, min_value=0, max_digits=14, decimal_places=2,
                                  localize=True)  # fmt: skip
    b_members = forms.MultipleChoiceField(
        label="Medlemmer i scenarie B", required=True, widget=forms.CheckboxSelectMultiple
    )
    b_price = forms.DecimalField(label="Pris pr. borger", required=False, min_value=0, max_digits=10, decimal_places=4,
                                 localize=True)  # fmt: skip
    b_budget = forms.DecimalField(label="Eller budget", required=False, min_value=0, max_digits=14, decimal_places=2,
                                  localize=True)  # fmt: skip

    def __init__(self, *args: Any, municipality_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("a_members", "b_members"):
            field = self.fields[name]
            assert isinstance(field, forms.MultipleChoiceField)
            field.choices = municipality_choices
            field.error_messages["required"] = "Vælg mindst én kommune."

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for side in ("a", "b"):
            price, budget = data.get(f"{side}_price"), data.get(f"{side}_budget")
            already_wrong = f"{side}_price" in self.errors or f"{side}_budget" in self.errors
            if (price is None) == (budget is None) and not already_wrong:
                self.add_error(f"{side}_price", "Angiv enten en pris pr. borger eller et budget (ikke begge).")
        return data


# --- business cases (seed 004) ------------------------------------------------------------------------


class BusinessCaseFileField(forms.FileField):
    def clean(self, data: Any, initial: Any = None) -> Any:
        uploaded = super().clean(data, initial)
        if uploaded is not None and uploaded.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(FILE_TOO_LARGE_DA)
        return uploaded


class BusinessCaseImportForm(forms.Form):
    file = BusinessCaseFileField(
        label="Fil (.xlsx eller .json)",
        help_text="Et Excel-ark med overskriftsrækken Linje | Blok | Styringsområde | Udelades af tilbagebetaling | "
        "2016 | 2017 …, eller en JSON-fil i Samvirkes format.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )
    municipality = forms.ModelChoiceField(label="Kommune", queryset=Municipality.objects.none(), empty_label=None)
    title = forms.CharField(
        label="Titel", required=False, max_length=300, help_text="Valgfri: erstatter titlen fra filen."
    )
    portfolio_area = forms.CharField(
        label="Område i porteføljen",
        required=False,
        max_length=100,
        help_text="Fx Hjemmeplejen, Borgere med handicap eller Tværgående.",
    )

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["municipality"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Municipality.objects.filter(pk__in=[m.pk for m in municipalities]).order_by("name")
        if len(municipalities) == 1:
            field.initial = municipalities[0].pk
            field.widget = forms.HiddenInput()


class BusinessCaseSectionsForm(forms.Form):
    title = forms.CharField(label="Titel", max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in DESCRIPTION_FIELDS:
            limit = getattr(BusinessCase._meta.get_field(key), "max_length", None)
            if limit:
                self.fields[key] = forms.CharField(label=label, max_length=limit, required=False)
            else:
                self.fields[key] = forms.CharField(
                    label=label, required=False, widget=forms.Textarea(attrs={"rows": 4})
                )


class BusinessCaseRiskForm(forms.Form):
    risk = forms.CharField(label="Risiko", widget=forms.Textarea(attrs={"rows": 2}))
    mitigation = forms.CharField(label="Håndteres ved", widget=forms.Textarea(attrs={"rows": 2}))


class BusinessCaseKpiForm(forms.Form):
    criterion = forms.CharField(label="Succeskriterie", widget=forms.Textarea(attrs={"rows": 2}))
    measurement = forms.CharField(label="Hvordan måles", widget=forms.Textarea(attrs={"rows": 2}))
    owner = forms.CharField(label="Ansvarlig", max_length=200)
    timing = forms.CharField(label="Hvornår", max_length=200)


class BusinessCaseMilestoneForm(forms.Form):
    when = forms.CharField(label="Hvornår", max_length=100, help_text="Fx Primo 2017 eller 2. halvår 2016.")
    what = forms.CharField(label="Hvad", widget=forms.Textarea(attrs={"rows": 2}))


class BusinessCaseScenarioForm(forms.Form):
    name = forms.CharField(
        label="Scenariets navn",
        max_length=200,
        help_text="Findes navnet, tilføjes linjen til scenariet (eller erstatter linjens justering).",
    )
    description = forms.CharField(label="Beskrivelse", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    line = forms.ChoiceField(label="Linje, der justeres")

    def __init__(self, *args: Any, case: BusinessCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = list(dict.fromkeys(line.label for line in case.lines.all()))
        line_field = self.fields["line"]
        assert isinstance(line_field, forms.ChoiceField)
        line_field.choices = [(label, label) for label in labels]
        self.years = list(case.years)
        for year in self.years:
            self.fields[f"year_{year}"] = forms.CharField(
                label=str(year), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 7})
            )

    def year_fields(self) -> list[forms.BoundField]:
        return [self[f"year_{year}"] for year in self.years]

    def other_fields(self) -> list[forms.BoundField]:
        return [self["name"], self["description"], self["line"]]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        texts = [cleaned.get(f"year_{year}", "") or "" for year in self.years]
        try:
            amounts = amounts_from_texts(texts, self.years, "Beløbet")
        except BusinessCaseInputError as error:
            raise forms.ValidationError(str(error)) from None
        if not any(amounts):
            raise forms.ValidationError("Skriv mindst ét beløb (1.000 kr.), der ikke er 0, fx -100 i 2019.")
        cleaned["amounts"] = amounts
        return cleaned


class BusinessCaseLinesForm(forms.Form):
    file = BusinessCaseFileField(
        label="Ny Tabel 1 (.xlsx eller .json)",
        help_text="Erstatter år, linjer og trykte totaler. Titel og beskrivelse bevares.",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.json"}),
    )


class BusinessCaseStatusForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=BusinessCaseStatus.choices)


class BusinessCaseDeleteForm(forms.Form):
    confirm = forms.BooleanField(label="Ja, slet business casen med alle linjer, risici, KPI'er og scenarier")


def year_asked(request: HttpRequest) -> int:
    """The year in ?aar= (2000–2100), else this year: the economy pages' year picker."""
    raw = request.GET.get("aar", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year
