"""Forms for the economy pages. Labels and messages in Danish; decimals accept a comma ("1,25")."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from samvirke.economy.models import VOLUME_CHANNELS


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
