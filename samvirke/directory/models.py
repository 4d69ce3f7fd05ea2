"""Regions, municipalities, the fællesskab and its members, hotline numbers and people."""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models

from samvirke.core.lib.formatting import phone_da


class Region(models.Model):
    code = models.PositiveIntegerField("regionskode", unique=True)
    name = models.CharField("navn", max_length=100, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "region"
        verbose_name_plural = "regioner"

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.PositiveIntegerField("kommunekode", unique=True)
    name = models.CharField("navn", max_length=100, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    population = models.PositiveIntegerField("indbyggertal", validators=[MinValueValidator(1)])
    population_year = models.PositiveIntegerField("indbyggertal, år")
    population_source = models.CharField("indbyggertal, kilde", max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"

    def __str__(self) -> str:
        return f"{self.name} Kommune"


class FellesskabService(models.TextChoices):
    """What a fællesskab runs. An installation runs one hotline fællesskab (directory.selectors.the_fellesskab) and
    may hold a telemedicine fællesskab per landsdel beside it (telecare.Landsdel: its invoice numbering)."""

    HOTLINE = "hotline", "Borgerservice-hotline"
    TELEMEDICINE = "telemedicine", "Telemedicin"


class Fellesskab(models.Model):
    """A fællesskab: municipalities (and a region) running a shared citizen service together."""

    name = models.CharField("navn", max_length=200, unique=True)
    slug = models.SlugField(unique=True)
    description = models.TextField("beskrivelse", blank=True)
    service = models.CharField(
        "opgave", max_length=20, choices=FellesskabService.choices, default=FellesskabService.HOTLINE
    )

    class Meta:
        verbose_name = "fællesskab"
        verbose_name_plural = "fællesskaber"

    def __str__(self) -> str:
        return self.name


class MembershipStatus(models.TextChoices):
    PROSPECTIVE = "prospective", "Interesseret"
    ONBOARDING = "onboarding", "Under onboarding"
    ACTIVE = "active", "Aktiv"
    LEFT = "left", "Udtrådt"


class Membership(models.Model):
    fellesskab = models.ForeignKey(Fellesskab, on_delete=models.CASCADE, related_name="memberships")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(
        "status", max_length=20, choices=MembershipStatus.choices, default=MembershipStatus.PROSPECTIVE
    )
    member_since = models.DateField("medlem siden", null=True, blank=True)
    left_on = models.DateField("udtrådt den", null=True, blank=True)
    # During a region's pilot the region pays the operations fee for the member (seed 002: two years).
    pilot_start = models.DateField("pilotfinansiering fra", null=True, blank=True)
    pilot_end = models.DateField("pilotfinansiering til", null=True, blank=True)
    pilot_payer = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="financed_memberships",
        verbose_name="betaler i pilotperioden",
    )

    # The fact the contact centre and the rota read before giving a member's agents calls or shifts: a member that is
    # joining is not ready until its onboarding checklist is done (or the secretariat overrides it); set only by
    # onboarding's actions, which sit above directory, so the apps below them never import onboarding.
    ready_for_shifts = models.BooleanField(
        "klar til vagter",
        default=True,
        help_text="Kommunens agenter får opkald og vagter. Sættes af optagelsen, når tjeklisten er færdig.",
    )

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = "medlemskab"
        verbose_name_plural = "medlemskaber"
        constraints = [
            models.UniqueConstraint(fields=["fellesskab", "municipality"], name="one_membership_per_municipality"),
            models.CheckConstraint(
                condition=models.Q(pilot_end__isnull=True)
                | models.Q(pilot_start__isnull=True)
                | models.Q(pilot_end__gte=models.F("pilot_start")),
                name="pilot_ends_after_it_starts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} i {self.fellesskab.name}"


class Line(models.TextChoices):
    CITIZEN_SERVICE = "citizen_service", "Borgerservice-hotline"
    HEALTH_APPS = "health_apps", "Sundhedsapps-linje"
    # The telemedicine support line (seed 003, ch. 3): telesupport's queue and the regions' numbers on it.
    TELEMEDICINE = "telemedicine", "Telemedicin-linje"


class HotlineNumber(models.Model):
    """A phone number citizens of one member call; the called number tells routing whose citizen it is."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="hotline_numbers")
    line = models.CharField("linje", max_length=30, choices=Line.choices)
    number = models.CharField("telefonnummer", max_length=20, unique=True, help_text="8 cifre, fx 72363636")
    is_demo = models.BooleanField("demodata", default=False)

    class Meta:
        ordering = ["membership__municipality__name", "line"]
        verbose_name = "hotline-nummer"
        verbose_name_plural = "hotline-numre"
        constraints = [
            models.UniqueConstraint(fields=["membership", "line"], name="one_number_per_member_and_line"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_line_display()})"

    @property
    def display_number(self) -> str:
        return phone_da(self.number)


class LineNumber(models.Model):
    """A line's one number for all citizens of a region: the health-app line has one DDH number for Region Sjælland
    (seed 001, "Der oprettes et særligt DDH-telefonnr."), not one per member. The called number tells routing the
    line only; the citizen's municipality comes from the telephone menu (or stays unknown)."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="line_numbers", verbose_name="region")
    line = models.CharField("linje", max_length=30, choices=Line.choices)
    number = models.CharField("telefonnummer", max_length=20, unique=True, help_text="8 cifre, fx 70210000")
    is_demo = models.BooleanField("demodata", default=False)

    class Meta:
        ordering = ["region__code", "line"]
        verbose_name = "regionalt linjenummer"
        verbose_name_plural = "regionale linjenumre"
        constraints = [
            models.UniqueConstraint(fields=["region", "line"], name="one_number_per_region_and_line"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_line_display()}, {self.region})"

    @property
    def display_number(self) -> str:
        return phone_da(self.number)

    def clean(self) -> None:
        if HotlineNumber.objects.filter(number=self.number).exists():
            raise ValidationError({"number": "Nummeret er allerede en kommunes hotline-nummer."})


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", "Sekretariat"
    COORDINATOR = "coordinator", "Kommunal koordinator"
    AGENT = "agent", "Medarbejder (agent)"
    GUIDE_EDITOR = "guide_editor", "Guideredaktør"
    REGION_STAFF = "region_staff", "Regionsmedarbejder"
    NONE = "", "Ingen rolle"


class Person(AbstractUser):
    """A user of Samvirke. Role and municipality decide what they may see (see directory/access.py)."""

    role = models.CharField("rolle", max_length=20, choices=Role.choices, blank=True, default=Role.NONE)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        verbose_name="kommune",
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name="region"
    )
    # An agent that `simulate-traffic` drives (made by seed-demo), never a person: it cannot log in (inactive,
    # no usable password — both held by the database), it is named "(simuleret)" wherever people are listed,
    # and the rota, which plans only active people, leaves it out.
    is_simulated = models.BooleanField(
        "simuleret",
        default=False,
        help_text="En agent, som trafiksimulatoren styrer. Den kan aldrig logge ind.",
    )

    class Meta:
        ordering = ["first_name", "last_name", "username"]
        verbose_name = "person"
        verbose_name_plural = "personer"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["coordinator", "agent"]) | models.Q(municipality__isnull=False),
                name="coordinators_and_agents_belong_to_a_municipality",
            ),
            models.CheckConstraint(
                condition=~models.Q(role="region_staff") | models.Q(region__isnull=False),
                name="region_staff_belong_to_a_region",
            ),
            models.CheckConstraint(
                condition=models.Q(is_simulated=False)
                | (models.Q(is_active=False) & models.Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)),
                name="simulated_people_cannot_log_in",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_full_name(self) -> str:
        name = super().get_full_name()
        if self.is_simulated:
            return f"{name or self.username} (simuleret)"
        return name


# Who a request acts as: `request.user` is a Person once signed in, else Django's AnonymousUser. The access checks
# (*/access.py) take this; after one of their guards says yes, the type checker knows it is a Person.
Actor: TypeAlias = Person | AnonymousUser


class PopulationAged40Plus(models.Model):
    """Inhabitants aged 40 or more in a municipality in a year: the demand-independent key (D) of telemedicine's
    split between municipalities (seed 003, ch. 5), imported per year with its source (import-population-40plus)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="populations_40plus", verbose_name="kommune"
    )
    year = models.PositiveIntegerField("år")
    count = models.PositiveIntegerField("indbyggere på 40 år og derover", validators=[MinValueValidator(1)])
    source = models.CharField("kilde", max_length=200)

    class Meta:
        ordering = ["year", "municipality__name"]
        verbose_name = "indbyggertal 40+"
        verbose_name_plural = "indbyggertal 40+"
        constraints = [
            models.UniqueConstraint(fields=["municipality", "year"], name="one_population_40plus_per_year"),
            models.CheckConstraint(condition=models.Q(count__gt=0), name="population_40plus_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality.name} {self.year}: {self.count}"
