"""The shared guides: topics, one shared guide per topic, municipality variants, revisions, crisis notices."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from samvirke.directory.models import Municipality
from samvirke.knowledge.lib.editing import GuideContent


class Topic(models.Model):
    """A question area the hotline and the chatbot answer (ids fixed by samvirke/knowledge/data/topics.csv)."""

    id = models.SlugField("emne-id", primary_key=True, max_length=80)
    category = models.CharField("kategori", max_length=100)
    title = models.CharField("titel", max_length=200)
    must_cover = models.TextField("skal dække", blank=True)
    # "hotline", or "forward:<target>" (the citizen's own municipality, the region's MinSP support, ...).
    handled_by = models.CharField("håndteres af", max_length=80, default="hotline")
    synonyms = models.TextField("synonymer", blank=True, help_text="Kommaseparerede ord borgere bruger om emnet")

    class Meta:
        ordering = ["category", "title"]
        verbose_name = "emne"
        verbose_name_plural = "emner"

    def __str__(self) -> str:
        return self.title

    @property
    def forward_target(self) -> str | None:
        return self.handled_by.split(":", 1)[1] if self.handled_by.startswith("forward:") else None


class GuideStatus(models.TextChoices):
    DRAFT = "draft", "Kladde"
    PUBLISHED = "published", "Udgivet"


class Guide(models.Model):
    """The shared answer for a topic, in Markdown with ## sections and {placeholders}.

    With status=published, `body` is what citizens and the assistant see. Changes to a published guide wait in its
    GuideDraft until they are published; a guide that is not published is edited in place.
    """

    topic = models.OneToOneField(Topic, on_delete=models.CASCADE, related_name="guide")
    body = models.TextField("tekst (Markdown)")
    status = models.CharField("status", max_length=20, choices=GuideStatus.choices, default=GuideStatus.DRAFT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    review_date = models.DateField("næste gennemsyn", null=True, blank=True)
    updated_at = models.DateTimeField("ændret", auto_now=True)
    # Counts every write to the guide or its draft. An edit form carries the version it was based on, so the second
    # of two editors working at once is told instead of silently overwriting the first.
    version = models.PositiveIntegerField("version", default=1)

    class Meta:
        ordering = ["topic__category", "topic__title"]
        verbose_name = "guide"
        verbose_name_plural = "guides"

    def __str__(self) -> str:
        return self.topic.title

    @property
    def is_published(self) -> bool:
        return self.status == GuideStatus.PUBLISHED

    def pending_draft(self) -> GuideDraft | None:
        try:
            return self.draft
        except GuideDraft.DoesNotExist:
            return None

    def saved_content(self) -> GuideContent:
        """The guide as it is stored: what citizens see when it is published."""
        return GuideContent(self.topic.title, self.topic.synonyms, self.body, self.review_date)

    def working_content(self) -> GuideContent:
        """What an editor continues from: the pending draft if there is one, else the guide itself."""
        draft = self.pending_draft()
        return draft.content() if draft is not None else self.saved_content()


class GuideDraft(models.Model):
    """Saved, not yet published changes to a published guide. Until they are published, citizens and the assistant
    keep getting the guide's published text, title and synonyms."""

    guide = models.OneToOneField(Guide, on_delete=models.CASCADE, related_name="draft")
    title = models.CharField("titel", max_length=200)
    synonyms = models.TextField("synonymer", blank=True)
    body = models.TextField("tekst (Markdown)")
    review_date = models.DateField("næste gennemsyn", null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    saved_at = models.DateTimeField("gemt")

    class Meta:
        verbose_name = "kladde"
        verbose_name_plural = "kladder"

    def __str__(self) -> str:
        return f"Kladde: {self.title}"

    def content(self) -> GuideContent:
        return GuideContent(self.title, self.synonyms, self.body, self.review_date)


class VariantMode(models.TextChoices):
    SECTIONS = "sections", "Erstatter navngivne afsnit"
    REPLACE = "replace", "Erstatter hele teksten"


class GuideVariant(models.Model):
    """A municipality's own version of (parts of) a guide."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="variants")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="guide_variants")
    mode = models.CharField("type", max_length=20, choices=VariantMode.choices, default=VariantMode.SECTIONS)
    body = models.TextField("tekst (Markdown)")
    is_demo = models.BooleanField("demodata", default=False)
    updated_at = models.DateTimeField("ændret", auto_now=True)
    version = models.PositiveIntegerField("version", default=1)  # as Guide.version: two editors at once

    class Meta:
        ordering = ["guide", "municipality__name"]
        verbose_name = "kommunal variant"
        verbose_name_plural = "kommunale varianter"
        constraints = [
            models.UniqueConstraint(fields=["guide", "municipality"], name="one_variant_per_guide_and_municipality")
        ]

    def __str__(self) -> str:
        return f"{self.guide.topic.title} – {self.municipality.name}"


class ExampleQuestion(models.Model):
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="examples")
    text = models.CharField("spørgsmål", max_length=500)

    class Meta:
        ordering = ["topic", "id"]
        constraints = [models.UniqueConstraint(fields=["topic", "text"], name="one_example_text_per_topic")]

    def __str__(self) -> str:
        return self.text


class RevisionEvent(models.TextChoices):
    SAVED = "saved", "Gemt"  # a variant (live at once), and guide revisions from before drafts existed
    CREATED = "created", "Oprettet som kladde"
    DRAFT = "draft", "Kladde gemt"
    PUBLISHED = "published", "Udgivet"
    DISCARDED = "discarded", "Kladde kasseret"
    UNPUBLISHED = "unpublished", "Taget offline"


class GuideRevision(models.Model):
    """Every saved version of a guide or a variant, so editors can see who changed what (with a diff).

    `body` is the text being edited after the event: the draft's text for a saved draft, the published text after
    publishing, and the published text again when a draft is discarded.
    """

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="revisions")
    variant = models.ForeignKey(GuideVariant, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions")
    event = models.CharField("hændelse", max_length=20, choices=RevisionEvent.choices, default=RevisionEvent.SAVED)
    # The guide's (or variant's) version after this event: the text a stale edit form was based on is found by it.
    version = models.PositiveIntegerField(null=True, blank=True)
    body = models.TextField()
    # Publishing below the quality bar: the problems the editor published anyway, and why.
    overridden_problems = models.JSONField("kvalitetsproblemer ved udgivelsen", default=list, blank=True)
    override_reason = models.CharField("begrundelse for at udgive alligevel", max_length=300, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    note = models.CharField("bemærkning", max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.guide} {self.created_at:%Y-%m-%d %H:%M}"


class ServiceInfo(models.Model):
    """What fills a guide's placeholders for one municipality: Borgerservice's hours, phone, address, booking."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="service_info")
    opening_hours = models.CharField("åbningstider", max_length=300)
    phone = models.CharField("telefon", max_length=20)
    address = models.CharField("adresse", max_length=200)
    booking_url = models.URLField("tidsbestilling", blank=True)
    self_service_url = models.URLField("selvbetjening", blank=True)
    is_demo = models.BooleanField("demodata", default=False)

    class Meta:
        verbose_name = "borgerservice-oplysninger"
        verbose_name_plural = "borgerservice-oplysninger"

    def __str__(self) -> str:
        return f"Borgerservice {self.municipality.name}"


class CrisisNotice(models.Model):
    """A crisis notice (power cut, flooding …) answered first, day and night, for the municipalities it covers."""

    title = models.CharField("overskrift", max_length=200)
    body = models.TextField("tekst")
    municipalities = models.ManyToManyField(Municipality, related_name="crisis_notices")
    keywords = models.CharField("nøgleord", max_length=300, blank=True, help_text="Kommaseparerede ord")
    published = models.BooleanField("udgivet", default=False)
    starts_at = models.DateTimeField("gælder fra")
    ends_at = models.DateTimeField("gælder til", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = "krisemeddelelse"
        verbose_name_plural = "krisemeddelelser"

    def __str__(self) -> str:
        return self.title
