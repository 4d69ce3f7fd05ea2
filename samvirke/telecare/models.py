"""Telemedicine's fællesskab per landsdel (a region and its municipalities): its settings, enrolments, budgets,
subscription invoices and add-on services (seed 003, ch. 5; docs/models/telecare.md). The populations aged 40+
that the split uses are directory's (PopulationAged40Plus)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from samvirke.core.lib.masking import looks_like_cpr
from samvirke.directory.models import Fellesskab, FellesskabService, Municipality, Person, Region


class Landsdel(models.Model):
    """A region and its municipalities running the telemedicine function together; its municipalities are the
    region's (directory). `fellesskab` numbers its invoices through economy's InvoiceSequence."""

    name = models.CharField("navn", max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="landsdel", verbose_name="region")
    fellesskab = models.OneToOneField(
        Fellesskab,
        on_delete=models.PROTECT,
        related_name="landsdel",
        verbose_name="fællesskab",
        limit_choices_to={"service": FellesskabService.TELEMEDICINE},
    )
    weight = models.DecimalField(
        "vægt w (befolkning 40+)",
        max_digits=5,
        decimal_places=4,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text="Andel af kommunernes betaling fordelt efter indbyggere på 40+; resten efter forbrug.",
    )
    region_share = models.DecimalField(
        "regionens andel",
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.65"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
    )
    first_year = models.PositiveIntegerField("programmets første år (År 1)")

    class Meta:
        ordering = ["name"]
        verbose_name = "landsdel"
        verbose_name_plural = "landsdele"
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gte=0, weight__lte=1), name="landsdel_weight_0_1"),
            models.CheckConstraint(
                condition=models.Q(region_share__gte=0, region_share__lte=1), name="landsdel_region_share_0_1"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def programme_year(self, year: int) -> int:
        """1 for the first calendar year of the programme, 2 for the next …"""
        return year - self.first_year + 1


class Enrolment(models.Model):
    """A citizen in the programme (a kit at home) from a date, until a date or still. `citizen_ref` is
    pseudonymous: never a CPR number."""

    landsdel = models.ForeignKey(Landsdel, on_delete=models.CASCADE, related_name="enrolments")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="kommune")
    citizen_ref = models.CharField("borgerreference (pseudonym)", max_length=64)
    enrolled_from = models.DateField("indskrevet fra")
    enrolled_to = models.DateField("indskrevet til", null=True, blank=True)

    class Meta:
        ordering = ["landsdel", "municipality__name", "enrolled_from", "citizen_ref"]
        verbose_name = "indskrivning"
        verbose_name_plural = "indskrivninger"
        constraints = [
            models.UniqueConstraint(
                fields=["landsdel", "citizen_ref", "enrolled_from"], name="one_enrolment_per_citizen_and_start"
            ),
            models.CheckConstraint(
                condition=models.Q(enrolled_to__isnull=True) | models.Q(enrolled_to__gte=models.F("enrolled_from")),
                name="enrolment_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citizen_ref} ({self.municipality.name}, fra {self.enrolled_from})"

    def clean(self) -> None:
        if looks_like_cpr(self.citizen_ref):
            raise ValidationError({"citizen_ref": "Borgerreferencen ligner et CPR-nummer. Brug et pseudonym."})
        if self.municipality_id and self.landsdel_id and self.municipality.region_id != self.landsdel.region_id:
            raise ValidationError({"municipality": "Kommunen ligger ikke i landsdelens region."})


class TelecareBudget(models.Model):
    """A landsdel's year: the forecast of the payments (made in the spring of the year before), and after the
    accounts close the actual total the year is trued up against. The settings are kept as they were."""

    landsdel = models.ForeignKey(Landsdel, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveIntegerField("år")
    forecast_total = models.DecimalField("budget (prognose), kr.", max_digits=14, decimal_places=2)
    forecast_made_at = models.DateTimeField("prognose lavet")
    forecast_made_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="prognose lavet af"
    )
    weight = models.DecimalField("vægt w", max_digits=5, decimal_places=4)
    region_share = models.DecimalField("regionens andel", max_digits=5, decimal_places=4)
    basis = models.JSONField("grundlag", default=dict, blank=True)
    actual_total = models.DecimalField("faktisk forbrug, kr.", max_digits=14, decimal_places=2, null=True, blank=True)
    closed_at = models.DateTimeField("regnskab afsluttet", null=True, blank=True)
    closed_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="afsluttet af"
    )

    class Meta:
        ordering = ["landsdel", "year"]
        verbose_name = "budget (telemedicin)"
        verbose_name_plural = "budgetter (telemedicin)"
        constraints = [
            models.UniqueConstraint(fields=["landsdel", "year"], name="one_telecare_budget_per_year"),
            models.CheckConstraint(condition=models.Q(forecast_total__gte=0), name="telecare_forecast_not_negative"),
            models.CheckConstraint(
                condition=models.Q(actual_total__isnull=True) | models.Q(actual_total__gte=0),
                name="telecare_actual_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.landsdel} {self.year}"


class SubscriptionKind(models.TextChoices):
    QUARTERLY = "quarterly", "Kvartalsfaktura"
    EXTRA = "extra", "Efterregulering (ekstra faktura)"
    CREDIT_NOTE = "credit_note", "Kreditnota"
    ADDON = "addon", "Tilkøbsydelse"


class SubscriptionInvoice(models.Model):
    """An invoice of the subscription to the region or one municipality: a quarter's instalment of its forecast
    share, or after the year's close the difference to its actual share (an extra invoice or a credit note), or
    an add-on service at a tariff. Numbered per landsdel and year through economy's InvoiceSequence."""

    landsdel = models.ForeignKey(Landsdel, on_delete=models.PROTECT, related_name="invoices")
    number = models.CharField("fakturanummer", max_length=30)
    kind = models.CharField("art", max_length=20, choices=SubscriptionKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="betaler (region)"
    )
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="betaler (kommune)",
    )
    payer_name = models.CharField("betaler", max_length=200)
    year = models.PositiveIntegerField("år")
    quarter = models.PositiveSmallIntegerField(
        "kvartal", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    amount = models.DecimalField("beløb, kr.", max_digits=14, decimal_places=2)
    explanation = models.TextField("forklaring")
    basis = models.JSONField("grundlag", default=dict, blank=True)
    issued_at = models.DateTimeField("udstedt")
    issued_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="udstedt af"
    )

    class Meta:
        ordering = ["landsdel", "year", "number"]
        verbose_name = "abonnementsfaktura"
        verbose_name_plural = "abonnementsfakturaer"
        constraints = [
            models.UniqueConstraint(fields=["landsdel", "number"], name="telecare_invoice_number_unique"),
            models.CheckConstraint(
                condition=(models.Q(region__isnull=True) ^ models.Q(municipality__isnull=True)),
                name="telecare_invoice_one_payer",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4),
                name="telecare_invoice_quarter_1_4",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="quarterly") | models.Q(quarter__isnull=False),
                name="telecare_quarterly_invoice_has_quarter",
            ),
            # Running a quarter twice issues nothing new: the database holds one instalment per payer and quarter.
            models.UniqueConstraint(
                fields=["landsdel", "year", "quarter", "municipality"],
                condition=models.Q(kind="quarterly", municipality__isnull=False),
                name="one_quarterly_invoice_per_municipality",
            ),
            models.UniqueConstraint(
                fields=["landsdel", "year", "quarter"],
                condition=models.Q(kind="quarterly", region__isnull=False),
                name="one_quarterly_invoice_for_the_region",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="credit_note") | models.Q(amount__lt=0), name="telecare_credit_is_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="credit_note") | models.Q(amount__gte=0), name="telecare_invoice_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.payer_name}"

    @property
    def owner_key(self) -> str:
        """Who the amount is owed by, as payments' true-up names owners: "region" or the kommunekode."""
        return "region" if self.region_id is not None else str(self.municipality.code if self.municipality else "")


class AddOnMode(models.TextChoices):
    FOLDED = "folded", "For alle, lagt ind i abonnementet"
    PARALLEL = "parallel", "For alle, parallelt abonnement"
    TARIFF = "tariff", "For nogle, fast takst på faktisk forbrug"


class AddOnService(models.Model):
    """An add-on service (tilkøbsydelse, seed 003 ch. 5). Only the tariff kind is invoiced here, directly to the
    municipalities that use it, and never through the joint split."""

    landsdel = models.ForeignKey(Landsdel, on_delete=models.CASCADE, related_name="addons")
    name = models.CharField("navn", max_length=200)
    mode = models.CharField("form", max_length=20, choices=AddOnMode.choices)
    unit = models.CharField("enhed", max_length=50, default="stk.")
    tariff = models.DecimalField("takst, kr. pr. enhed", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["landsdel", "name"]
        verbose_name = "tilkøbsydelse"
        verbose_name_plural = "tilkøbsydelser"
        constraints = [
            models.UniqueConstraint(fields=["landsdel", "name"], name="one_addon_name_per_landsdel"),
            models.CheckConstraint(
                condition=~models.Q(mode="tariff") | models.Q(tariff__gt=0), name="tariff_addon_has_a_tariff"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.landsdel})"


class AddOnUsage(models.Model):
    """How much a municipality used a tariff add-on in a quarter; `invoice` once it has been invoiced."""

    service = models.ForeignKey(AddOnService, on_delete=models.CASCADE, related_name="usages")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="kommune")
    year = models.PositiveIntegerField("år")
    quarter = models.PositiveSmallIntegerField("kvartal", validators=[MinValueValidator(1), MaxValueValidator(4)])
    quantity = models.DecimalField("mængde", max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    invoice = models.ForeignKey(
        SubscriptionInvoice, on_delete=models.PROTECT, null=True, blank=True, related_name="addon_usages"
    )

    class Meta:
        ordering = ["service", "year", "quarter", "municipality__name"]
        verbose_name = "forbrug af tilkøbsydelse"
        verbose_name_plural = "forbrug af tilkøbsydelser"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "municipality", "year", "quarter"], name="one_addon_usage_per_quarter"
            ),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="addon_usage_quarter_1_4"),
            models.CheckConstraint(condition=models.Q(quantity__gte=0), name="addon_usage_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.service.name}, {self.municipality.name} {self.year} K{self.quarter}"
