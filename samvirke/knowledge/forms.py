"""The knowledge base's forms: a guide's edit form and the create form, publishing with an override, variants,
example questions and crisis notices. Danish messages; the actions check again what they must not trust."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from samvirke.directory.models import Municipality
from samvirke.knowledge.actions import MAX_BODY_CHARS, MAX_NEW_EXAMPLES, MAX_REASON_CHARS, MAX_SYNONYMS_CHARS
from samvirke.knowledge.lib.editing import (
    GUIDE_TEMPLATE,
    TOPIC_ID_MAX,
    GuideContent,
    normalize_examples,
    normalize_synonyms,
    topic_id_problem,
)
from samvirke.knowledge.lib.guides import sections
from samvirke.knowledge.models import CrisisNotice, Guide, GuideVariant, Topic, VariantMode

DATETIME_INPUT = "%Y-%m-%dT%H:%M"
HANDLED_BY_CHOICES = [
    ("hotline", "Hotlinen svarer selv"),
    ("forward:municipality", "Borgerens egen kommune (stilles videre)"),
    ("forward:region-minsp-support", "Regionens MinSP-support (stilles videre)"),
]


class VersionField(forms.CharField):
    """The version a form was opened on, in a hidden field. Missing or unreadable counts as 0, i.e. stale: the save
    is refused as a conflict with the editor's text kept, never as bad input the editor cannot see or fix."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> int:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        return int(text) if text.isdigit() and len(text) <= 9 else 0


def _markdown(value: str) -> str:
    """Textarea text as guides store it: Unix line ends, no surrounding blank lines, one final newline."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() + "\n"


class _ContentFields(forms.Form):
    """What a guide's edit form and the create form share: the title, synonyms, text and review date."""

    title = forms.CharField(
        label="Titel",
        max_length=200,
        error_messages={"required": "Guiden skal have en titel."},
        help_text="Som borgerne ser den over svaret, fx »Nyt sundhedskort«",
    )
    synonyms = forms.CharField(
        label="Synonymer",
        max_length=MAX_SYNONYMS_CHARS,
        required=False,
        widget=forms.TextInput(),
        help_text="Kommaseparerede ord og udtryk, borgere bruger om emnet (assistenten lærer af dem)",
    )
    body = forms.CharField(
        label="Tekst (Markdown)",
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 26, "class": "markdown", "spellcheck": "true"}),
        error_messages={"required": "Guiden skal have en tekst."},
    )
    review_date = forms.DateField(
        label="Næste gennemsyn",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"],
        error_messages={"invalid": "Skriv datoen som ÅÅÅÅ-MM-DD eller DD.MM.ÅÅÅÅ."},
    )

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("Guiden skal have en titel.")
        return title

    def clean_synonyms(self) -> str:
        return normalize_synonyms(self.cleaned_data["synonyms"])

    def clean_body(self) -> str:
        return _markdown(self.cleaned_data["body"])

    def content(self) -> GuideContent:
        data = self.cleaned_data
        return GuideContent(data["title"], data["synonyms"], data["body"], data["review_date"])


class GuideForm(_ContentFields):
    """Editing a guide. Saving makes a draft; a published guide stays online until the draft is published."""

    version = VersionField()
    note = forms.CharField(
        label="Bemærkning til ændringen", max_length=300, required=False, help_text="Fx hvad du har rettet og hvorfor"
    )

    field_order = ["version", "title", "synonyms", "body", "review_date", "note"]

    @classmethod
    def for_guide(cls, guide: Guide) -> GuideForm:
        """The edit form opened on the guide's working content (its pending draft, if any)."""
        working = guide.working_content()
        return cls(
            initial={
                "version": guide.version,
                "title": working.title,
                "synonyms": working.synonyms,
                "body": working.body,
                "review_date": working.review_date,
            }
        )

    def base_version(self) -> int:
        """The version the editor started from; a form without one (an old page) is treated as stale."""
        return int(self.cleaned_data.get("version") or 0)


class NewGuideForm(_ContentFields):
    """A new topic with its guide (saved as a draft) and its first example questions."""

    topic_id = forms.CharField(
        label="Emne-id",
        max_length=TOPIC_ID_MAX,
        error_messages={"required": "Skriv et emne-id."},
        help_text="Små bogstaver a–z, tal og bindestreger, fx »sundhedskort-nyt«. Det bliver en del af guidens "
        "adresse og kan ikke ændres bagefter.",
    )
    category = forms.CharField(
        label="Kategori",
        max_length=100,
        error_messages={"required": "Vælg eller skriv en kategori."},
        help_text="Vælg en af de eksisterende, eller skriv en ny",
    )
    handled_by = forms.ChoiceField(label="Hvem behandler emnet", choices=HANDLED_BY_CHOICES)
    examples = forms.CharField(
        label="Eksempelspørgsmål",
        required=False,
        max_length=25_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Ét spørgsmål pr. linje, skrevet som borgere skriver dem (små bogstaver, talesprog). "
        "Assistenten lærer af dem, når guiden udgives.",
    )

    field_order = ["topic_id", "title", "category", "handled_by", "synonyms", "body", "review_date", "examples"]

    def __init__(self, *args: Any, categories: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.fields["category"].widget.attrs["list"] = "kb-categories"

    @classmethod
    def blank(cls, categories: list[str], today: dt.date) -> NewGuideForm:
        """The create form as it opens: the guide template, answered by the hotline, reviewed in a year."""
        return cls(
            initial={"body": GUIDE_TEMPLATE, "handled_by": "hotline", "review_date": today + dt.timedelta(days=365)},
            categories=categories,
        )

    def clean_topic_id(self) -> str:
        topic_id = self.cleaned_data["topic_id"].strip()
        problem = topic_id_problem(topic_id)
        if problem:
            raise forms.ValidationError(problem)
        existing = Topic.objects.filter(pk=topic_id).first()
        if existing is not None:
            raise forms.ValidationError(f"Emne-id'et »{topic_id}« er allerede brugt af emnet »{existing.title}«.")
        return topic_id

    def clean_category(self) -> str:
        category = " ".join(self.cleaned_data["category"].split())
        if not category:
            raise forms.ValidationError("Vælg eller skriv en kategori.")
        return category

    def clean_examples(self) -> list[str]:
        examples = normalize_examples(self.cleaned_data["examples"])
        if len(examples) > MAX_NEW_EXAMPLES:
            raise forms.ValidationError(
                f"Skriv højst {MAX_NEW_EXAMPLES} eksempelspørgsmål her; flere kan tilføjes bagefter."
            )
        too_long = [number for number, text in enumerate(examples, start=1) if len(text) > 500]
        if too_long:
            raise forms.ValidationError(f"Eksempelspørgsmål nr. {too_long[0]} er over 500 tegn.")
        return examples


class PublishForm(forms.Form):
    """Publishing a draft: below the quality bar only with »Udgiv alligevel« ticked and a reason."""

    version = VersionField()
    override = forms.BooleanField(label="Udgiv alligevel", required=False)
    reason = forms.CharField(
        label="Begrundelse",
        max_length=MAX_REASON_CHARS,
        required=False,
        widget=forms.TextInput(),
        help_text="Hvorfor skal guiden udgives, selv om den ikke opfylder standarden? Gemmes i revisionen og "
        "revisionsloggen.",
    )


class VersionForm(forms.Form):
    """Buttons that change a guide without a text (discard the draft, take offline): the version they saw."""

    version = VersionField()


class VariantForm(forms.Form):
    mode = forms.ChoiceField(label="Type", choices=VariantMode.choices, widget=forms.RadioSelect)
    body = forms.CharField(
        label="Kommunens tekst (Markdown)",
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 20, "class": "markdown", "spellcheck": "true"}),
        error_messages={"required": "Varianten skal have en tekst."},
    )
    note = forms.CharField(label="Bemærkning til ændringen", max_length=300, required=False)
    version = VersionField()

    @classmethod
    def for_variant(cls, variant: GuideVariant | None) -> VariantForm:
        """The form opened on the municipality's variant, or empty (named sections) when it has none."""
        if variant is None:
            return cls(initial={"mode": VariantMode.SECTIONS, "body": "", "version": 0})
        return cls(initial={"mode": variant.mode, "body": variant.body, "version": variant.version})

    def base_version(self) -> int:
        """The variant's version the coordinator started from; 0 when there was no variant."""
        return int(self.cleaned_data.get("version") or 0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        body, mode = data.get("body"), data.get("mode")
        if body is None or mode != VariantMode.SECTIONS:
            return data
        body = _markdown(body)
        data["body"] = body
        parts = sections(body)
        if not any(heading for heading, _ in parts):
            self.add_error(
                "body",
                "En variant, der erstatter navngivne afsnit, skal have mindst ét afsnit med en overskrift "
                "som »## Kort svar«.",
            )
        elif parts[0][0] == "":
            self.add_error(
                "body",
                "Tekst før den første ## overskrift bliver ikke vist. Flyt den ind under en overskrift, "
                "eller vælg typen »Erstatter hele teksten«.",
            )
        return data

    def clean_body(self) -> str:
        return _markdown(self.cleaned_data["body"])


class ExampleForm(forms.Form):
    text = forms.CharField(
        label="Nyt eksempelspørgsmål",
        max_length=500,
        error_messages={"required": "Skriv spørgsmålet, før du tilføjer det."},
    )


class CrisisNoticeForm(forms.Form):
    title = forms.CharField(label="Overskrift", max_length=200)
    body = forms.CharField(label="Tekst", widget=forms.Textarea(attrs={"rows": 5}), max_length=5_000)
    municipalities = forms.MultipleChoiceField(
        label="Kommuner",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Vælg mindst én kommune, meddelelsen gælder for."},
    )
    keywords = forms.CharField(label="Nøgleord", max_length=300, required=False, help_text="Kommaseparerede ord")
    starts_at = forms.DateTimeField(
        label="Gælder fra",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        error_messages={"invalid": "Skriv tidspunktet som DD.MM.ÅÅÅÅ TT:MM."},
    )
    ends_at = forms.DateTimeField(
        label="Gælder til",
        required=False,
        help_text="Tom: indtil meddelelsen afpubliceres",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_INPUT),
        input_formats=[DATETIME_INPUT, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
        error_messages={"invalid": "Skriv tidspunktet som DD.MM.ÅÅÅÅ TT:MM."},
    )
    published = forms.BooleanField(label="Udgiv med det samme", required=False)

    def __init__(self, *args: Any, municipalities: list[Municipality], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_code = {str(m.code): m for m in municipalities}
        field = self.fields["municipalities"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(m.code), m.name) for m in municipalities]

    @classmethod
    def for_notice(
        cls, data: Any = None, notice: CrisisNotice | None = None, *, municipalities: list[Municipality]
    ) -> CrisisNoticeForm:
        """The form for a new notice (starting now) or opened on `notice`; `data`: what was posted."""
        if notice is None:
            initial: dict[str, Any] = {"starts_at": timezone.localtime().replace(second=0, microsecond=0)}
        else:
            initial = {
                "title": notice.title,
                "body": notice.body,
                "municipalities": [str(m.code) for m in notice.municipalities.all()],
                "keywords": notice.keywords,
                "starts_at": timezone.localtime(notice.starts_at),
                "ends_at": timezone.localtime(notice.ends_at) if notice.ends_at else None,
                "published": notice.published,
            }
        form = cls(data, initial=initial, municipalities=municipalities)
        if notice is not None:
            form.fields["published"].label = "Udgivet"
        return form

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "Slut-tidspunktet skal ligge efter start-tidspunktet.")
        return data

    def chosen_municipalities(self) -> list[Municipality]:
        return [self.by_code[code] for code in self.cleaned_data["municipalities"]]
