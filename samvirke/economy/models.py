"""The fællesskab's economics: yearly settings, invoices and credit notes, contact volumes, business cases."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from samvirke.contact.models import Channel
from samvirke.directory.models import Fellesskab, Membership, Municipality, Region
from samvirke.economy.lib.fees import EconomyParams


class EconomySettings(models.Model):
    """One year's economic model for a fællesskab (seed 000): price or budget, hour rule, band, hourly rate."""

    fellesskab = models.ForeignKey(Fellesskab, on_delete=models.CASCADE, related_name="economy_settings")
    year = models.PositiveIntegerField("år")
    price_per_citizen = models.DecimalField(
        "pris pr. borger (kr.)", max_digits=10, decimal_places=4, null=True, blank=True
    )
    budget = models.DecimalField("samlet budget (kr.)", max_digits=14, decimal_places=2, null=True, blank=True)
    hours_per_1000 = models.DecimalField("vagttimer pr. 1.000 indbyggere", max_digits=6, decimal_places=2, default=8)
    weeks = models.PositiveIntegerField("arbejdsuger pr. år", default=48, validators=[MinValueValidator(1)])
    band_min = models.DecimalField("bånd, nedre faktor", max_digits=4, decimal_places=2, default=Decimal("0.7"))
    band_max = models.DecimalField("bånd, øvre faktor", max_digits=4, decimal_places=2, default=Decimal("1.3"))
    hourly_rate = models.DecimalField("timepris (kr.)", max_digits=8, decimal_places=2, default=343)

    class Meta:
        ordering = ["-year"]
        verbose_name = "økonomimodel"
        verbose_name_plural = "økonomimodeller"
        constraints = [
            models.UniqueConstraint(fields=["fellesskab", "year"], name="one_economy_model_per_year"),
            models.CheckConstraint(
                condition=(models.Q(price_per_citizen__isnull=True) ^ models.Q(budget__isnull=True)),
                name="price_or_budget_not_both",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fellesskab.name} {self.year}"

    def params(self) -> EconomyParams:
        """The year's model as the fee formulas' input (economy/lib/fees.py)."""
        return EconomyParams(
            price_per_citizen=self.price_per_citizen,
            budget=self.budget,
            hours_per_1000=self.hours_per_1000,
            weeks=self.weeks,
            band=(self.band_min, self.band_max),
            hourly_rate=self.hourly_rate,
        )


class InvoiceKind(models.TextChoices):
    INVOICE = "invoice", "Faktura"
    CREDIT_NOTE = "credit_note", "Kreditnota"


class PayerKind(models.TextChoices):
    MUNICIPALITY = "municipality", "Kommunen"
    REGION = "region", "Regionen (pilotfinansiering)"


class Invoice(models.Model):
    """An invoice or credit note for one member's operations fee for one year, to one payer.

    Everything the amount was computed from is copied onto the invoice, so it still explains itself after
    populations or memberships change. A credit note cancels one invoice in full (negative amount).
    """

    number = models.CharField("fakturanummer", max_length=30, unique=True)
    kind = models.CharField("type", max_length=20, choices=InvoiceKind.choices, default=InvoiceKind.INVOICE)
    fellesskab = models.ForeignKey(Fellesskab, on_delete=models.PROTECT, related_name="invoices")
    year = models.PositiveIntegerField("år")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="invoices")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="invoices")
    payer_kind = models.CharField("betaler", max_length=20, choices=PayerKind.choices)
    payer_region = models.ForeignKey(Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    payer_name = models.CharField("betalers navn", max_length=200)
    period_start = models.DateField("periode fra")
    period_end = models.DateField("periode til")
    days_billed = models.PositiveIntegerField("dage faktureret")
    days_in_year = models.PositiveIntegerField("dage i året")
    population = models.PositiveIntegerField("indbyggertal")
    population_year = models.PositiveIntegerField("indbyggertal, år")
    population_source = models.CharField("indbyggertal, kilde", max_length=200)
    full_year_fee = models.DecimalField("helårsbidrag (kr.)", max_digits=14, decimal_places=2)
    price_per_citizen = models.DecimalField("pris pr. borger (kr.)", max_digits=10, decimal_places=4)
    amount = models.DecimalField("beløb (kr.)", max_digits=14, decimal_places=2)
    explanation = models.TextField("beregning")
    credits = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="credited_by", verbose_name="krediterer"
    )
    issued_at = models.DateTimeField("udstedt", auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-year", "number"]
        verbose_name = "faktura"
        verbose_name_plural = "fakturaer"
        indexes = [models.Index(fields=["fellesskab", "year"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def is_cancelled(self) -> bool:
        return self.kind == InvoiceKind.INVOICE and hasattr(self, "credited_by")


class InvoiceSequence(models.Model):
    """The last invoice number used per fællesskab and year; locked while numbering so numbers never repeat."""

    fellesskab = models.ForeignKey(Fellesskab, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["fellesskab", "year"], name="one_sequence_per_year")]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


CHATBOT = "chatbot"
# The channels a year's contacts are counted in: the contact centre's own (samvirke.contact.models.Channel, whose
# counts economy reads) plus the chatbot. On the economy pages the chat is "with a person", set apart from the
# chatbot, so its label here is longer than the contact centre's.
VOLUME_CHANNELS: list[tuple[str, str]] = [
    (Channel.PHONE.value, str(Channel.PHONE.label)),
    (Channel.CHAT.value, "Chat med medarbejder"),
    (CHATBOT, "Chatbot"),
]


class ContactVolume(models.Model):
    """Contacts handled in a year per channel, typed in or (once the contact centre runs) counted from it."""

    fellesskab = models.ForeignKey(Fellesskab, on_delete=models.CASCADE, related_name="contact_volumes")
    year = models.PositiveIntegerField("år")
    channel = models.CharField("kanal", max_length=20, choices=VOLUME_CHANNELS)
    contacts = models.PositiveIntegerField("henvendelser")
    source = models.CharField("kilde", max_length=200)

    class Meta:
        ordering = ["-year", "channel"]
        verbose_name = "henvendelsesvolumen"
        verbose_name_plural = "henvendelsesvolumener"
        constraints = [
            models.UniqueConstraint(fields=["fellesskab", "year", "channel"], name="one_volume_per_year_and_channel")
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.year}: {self.contacts}"


# --- business cases (seed 004) ----------------------------------------------------------------------


class BusinessCaseStatus(models.TextChoices):
    DRAFT = "draft", "Udkast"
    APPROVED = "approved", "Godkendt"
    REJECTED = "rejected", "Afvist"


class BusinessCase(models.Model):
    """A municipality's business case for an investment: Tabel 1's lines plus the qualitative sections.

    Amounts are in 1,000 kr. at a fixed price level (`price_level`, e.g. "2016 p/l"), negative = saving.
    """

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="business_cases")
    title = models.CharField("titel", max_length=300)
    portfolio_area = models.CharField("område i porteføljen", max_length=100, blank=True)
    summary = models.TextField("resumé", blank=True)
    proposing_administration = models.CharField("forslagsstiller", max_length=200, blank=True)
    other_administrations = models.CharField("andre berørte forvaltninger", max_length=300, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=BusinessCaseStatus.choices, default=BusinessCaseStatus.DRAFT
    )
    price_level = models.CharField("prisniveau", max_length=40, blank=True, default="")
    years = models.JSONField("år", default=list)
    # Totals as printed in the source document or typed by a user, to be checked against the computed rows.
    printed = models.JSONField("trykte totaler", default=dict, blank=True)
    purpose = models.TextField("baggrund og formål", blank=True)
    content = models.TextField("indhold", blank=True)
    implementation = models.TextField("implementering", blank=True)
    involvement = models.TextField("inddragelse", blank=True)
    effects_staff = models.TextField("effekter for medarbejdere", blank=True)
    effects_citizens = models.TextField("effekter for borgere", blank=True)
    evaluation = models.TextField("opfølgning og evaluering", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("oprettet", auto_now_add=True)
    updated_at = models.DateTimeField("ændret", auto_now=True)

    class Meta:
        ordering = ["municipality__name", "title"]
        verbose_name = "business case"
        verbose_name_plural = "business cases"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "title"], name="one_case_title_per_municipality")
        ]

    def __str__(self) -> str:
        return self.title


class CaseBlock(models.TextChoices):
    VARIG = "varig", "Varige ændringer"
    IMPLEMENTERING = "implementering", "Implementeringsomkostninger"


class CaseArea(models.TextChoices):
    SERVICE = "Service", "Service"
    ANLAEG = "Anlæg", "Anlæg"
    INNOVATIONSPULJEN = "Innovationspuljen", "Innovationspuljen"


class BusinessCaseLine(models.Model):
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="lines")
    position = models.PositiveIntegerField("rækkefølge")
    label = models.CharField("linje", max_length=300)
    block = models.CharField("blok", max_length=20, choices=CaseBlock.choices)
    area = models.CharField("styringsområde", max_length=30, choices=CaseArea.choices)
    values = models.JSONField("beløb pr. år (1.000 kr.)", default=list)
    excluded_from_payback = models.BooleanField("tæller ikke med i tilbagebetalingstiden", default=False)

    class Meta:
        ordering = ["case", "position"]
        constraints = [models.UniqueConstraint(fields=["case", "position"], name="one_line_per_position")]

    def __str__(self) -> str:
        return self.label


class BusinessCaseRisk(models.Model):
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="risks")
    risk = models.TextField("risiko")
    mitigation = models.TextField("håndteres ved")

    class Meta:
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return self.risk[:80]


class BusinessCaseKpi(models.Model):
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="kpis")
    criterion = models.TextField("succeskriterie")
    measurement = models.TextField("hvordan måles")
    owner = models.CharField("ansvarlig", max_length=200)
    timing = models.CharField("hvornår", max_length=200)

    class Meta:
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return self.criterion[:80]


class BusinessCaseMilestone(models.Model):
    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="milestones")
    when = models.CharField("hvornår", max_length=100)
    what = models.TextField("hvad")

    class Meta:
        ordering = ["case", "id"]

    def __str__(self) -> str:
        return f"{self.when}: {self.what[:60]}"


class BusinessCaseScenario(models.Model):
    """A variant of a case: per line label, amounts added to the base case's values (1,000 kr. per year)."""

    case = models.ForeignKey(BusinessCase, on_delete=models.CASCADE, related_name="scenarios")
    name = models.CharField("navn", max_length=200)
    description = models.TextField("beskrivelse", blank=True)
    adjustments = models.JSONField("justeringer", default=dict)

    class Meta:
        ordering = ["case", "name"]
        constraints = [models.UniqueConstraint(fields=["case", "name"], name="one_scenario_name_per_case")]

    def __str__(self) -> str:
        return self.name


class PilotGrant(models.Model):
    """A region's grant for a pilot (seed 001: Region Sjælland's 2.000.000 kr. from its regional development funds,
    early 2025 – early 2027). What is spent of it is computed from the invoices' region part (economy/lib/grant.py)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+", verbose_name="region")
    name = models.CharField("navn", max_length=200)
    amount = models.DecimalField(
        "bevilget beløb (kr.)", max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    start = models.DateField("fra")
    end = models.DateField("til og med")
    is_demo = models.BooleanField("demodata", default=False)

    class Meta:
        ordering = ["start", "name"]
        verbose_name = "pilotbevilling"
        verbose_name_plural = "pilotbevillinger"
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")), name="grant_ends_after_it_starts"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.name
