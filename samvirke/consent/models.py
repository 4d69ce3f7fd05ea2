"""Citizens in the telemedicine programme, consent, data processing agreements, operators and the disclosure log
(seed 003, ch. 6 and appendix C; docs/models/telecare.md).

A citizen's personal fields leave this app only through `consent.disclosure.disclose` (and `citizen_card`), which
checks the operator kind's field list (`consent.access.FIELDS_BY_KIND`) and the citizen's active consent, and logs
every disclosure and every refused attempt here (`Disclosure`). CPR numbers are never stored."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models

from samvirke.core.lib.masking import looks_like_cpr
from samvirke.directory.models import Municipality, Person, Region
from samvirke.telecare.models import Landsdel


class OperatorKind(models.TextChoices):
    SERVICE = "service", "Serviceoperatør"
    SUPPORT = "support", "Supportoperatør"
    LOGISTICS = "logistics", "Logistikoperatør"
    HEALTH = "health", "Sundhedsfagligt monitoreringspersonale"


class Operator(models.Model):
    """A processor of the landsdel's telemedicine: the service, support or logistics operator, or the monitoring
    health staff."""

    name = models.CharField("navn", max_length=200)
    kind = models.CharField("type", max_length=20, choices=OperatorKind.choices)
    landsdel = models.ForeignKey(Landsdel, on_delete=models.CASCADE, related_name="operators")
    cvr = models.CharField("CVR-nummer", max_length=8, blank=True)

    class Meta:
        ordering = ["landsdel", "kind", "name"]
        verbose_name = "operatør"
        verbose_name_plural = "operatører"
        constraints = [models.UniqueConstraint(fields=["landsdel", "name"], name="one_operator_name_per_landsdel")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class OperatorUser(models.Model):
    """A person working for an operator: they see citizens of the operator's landsdel, the fields of its kind."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="operator_user")
    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="users")

    class Meta:
        verbose_name = "operatørbruger"
        verbose_name_plural = "operatørbrugere"

    def __str__(self) -> str:
        return f"{self.person} ({self.operator})"


class ReferrerKind(models.TextChoices):
    MUNICIPALITY = "municipality", "Kommunen"
    HOSPITAL = "hospital", "Hospitalet"


class Urgency(models.TextChoices):
    STANDARD = "standard", "Standard"
    URGENT = "urgent", "Hastende"


# The personal fields of a citizen, in the order a card shows them; what each operator kind may see is in access.py.
CITIZEN_FIELDS: tuple[str, ...] = (
    "citizen_ref",
    "name",
    "address",
    "postcode",
    "city",
    "phone",
    "latitude",
    "longitude",
    "diagnosis",
    "in_programme",
    "municipality",
    "referred_at",
    "referrer_kind",
    "referrer_name",
    "urgency",
    "enrolled_at",
    "ended_at",
    "self_collect",
    "measurements_note",
)


class ProgrammeCitizen(models.Model):
    """A citizen in a landsdel's COPD programme, from referral to the end of the course. `citizen_ref` is
    pseudonymous (never a CPR number) and links to telecare.Enrolment's citizen_ref. `measurements_note` stands
    in for the measurement data: only the service operator and the monitoring health staff may see it."""

    landsdel = models.ForeignKey(Landsdel, on_delete=models.PROTECT, related_name="citizens")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+", verbose_name="kommune")
    citizen_ref = models.CharField("borgerreference (pseudonym)", max_length=64)
    name = models.CharField("navn", max_length=200)
    address = models.CharField("adresse", max_length=200)
    postcode = models.CharField("postnummer", max_length=4)
    city = models.CharField("by", max_length=100)
    phone = models.CharField("telefon", max_length=20, blank=True)
    latitude = models.DecimalField("breddegrad", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("længdegrad", max_digits=9, decimal_places=6, null=True, blank=True)
    diagnosis = models.CharField("diagnose", max_length=50, default="KOL")
    referred_at = models.DateField("henvist")
    referrer_kind = models.CharField("henvist af", max_length=20, choices=ReferrerKind.choices)
    referrer_name = models.CharField("henviser", max_length=200, blank=True)
    urgency = models.CharField("hastegrad", max_length=20, choices=Urgency.choices, default=Urgency.STANDARD)
    enrolled_at = models.DateField("indskrevet", null=True, blank=True)
    ended_at = models.DateField("forløb afsluttet", null=True, blank=True)
    self_collect = models.BooleanField("henter selv udstyret", default=False)
    measurements_note = models.TextField("målinger (notat)", blank=True)

    class Meta:
        ordering = ["landsdel", "citizen_ref"]
        verbose_name = "borger i telemedicin"
        verbose_name_plural = "borgere i telemedicin"
        constraints = [
            models.UniqueConstraint(fields=["landsdel", "citizen_ref"], name="one_citizen_ref_per_landsdel"),
            models.CheckConstraint(
                condition=models.Q(ended_at__isnull=True)
                | models.Q(enrolled_at__isnull=True)
                | models.Q(ended_at__gte=models.F("enrolled_at")),
                name="citizen_course_ends_after_enrolment",
            ),
        ]

    def __str__(self) -> str:
        # Pseudonymous on purpose: str() ends up in audit entries and logs.
        return f"Borger {self.citizen_ref}"

    @property
    def in_programme(self) -> bool:
        return self.enrolled_at is not None and self.ended_at is None

    def clean(self) -> None:
        if looks_like_cpr(self.citizen_ref):
            raise ValidationError({"citizen_ref": "Borgerreferencen ligner et CPR-nummer. Brug et pseudonym."})
        if self.municipality_id and self.landsdel_id and self.municipality.region_id != self.landsdel.region_id:
            raise ValidationError({"municipality": "Kommunen ligger ikke i landsdelens region."})


class ConsentText(models.Model):
    """The standard consent text, versioned: a consent points at the version the citizen was shown."""

    version = models.CharField("version", max_length=20, unique=True)
    body = models.TextField("tekst")
    active = models.BooleanField("aktiv", default=True)
    created_at = models.DateTimeField("oprettet", auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "samtykketekst"
        verbose_name_plural = "samtykketekster"

    def __str__(self) -> str:
        return f"Samtykketekst {self.version}"


class Consent(models.Model):
    """A citizen's consent to disclosure: data categories, purposes, operator *kinds* (never named operators) and
    diagnoses (several in advance); by proxy with who and on what authority. Withdrawal stops disclosure at once."""

    citizen = models.ForeignKey(ProgrammeCitizen, on_delete=models.CASCADE, related_name="consents")
    text_version = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="consents")
    data_categories = models.JSONField("datakategorier", default=list)
    purposes = models.JSONField("formål", default=list)
    operator_kinds = models.JSONField("operatørtyper", default=list)
    diagnoses = models.JSONField("diagnoser", default=list)
    given_at = models.DateTimeField("givet")
    by_proxy = models.BooleanField("givet ved stedfortræder", default=False)
    proxy_name = models.CharField("stedfortræder", max_length=200, blank=True)
    proxy_authority = models.CharField("stedfortræderens hjemmel", max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="registreret af"
    )
    withdrawn_at = models.DateTimeField("tilbagekaldt", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="tilbagekaldt af"
    )

    class Meta:
        ordering = ["citizen", "-given_at"]
        verbose_name = "samtykke"
        verbose_name_plural = "samtykker"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(by_proxy=False) | (~models.Q(proxy_name="") & ~models.Q(proxy_authority="")),
                name="proxy_consent_names_who_and_authority",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self) -> str:
        return f"Samtykke for {self.citizen} ({self.text_version.version})"

    def is_active(self, at: dt.datetime) -> bool:
        return self.given_at <= at and (self.withdrawn_at is None or self.withdrawn_at > at)


class ControllerKind(models.TextChoices):
    REGION = "region", "Region"
    MUNICIPALITY = "municipality", "Kommune"


class DpaTemplate(models.Model):
    """The data processing agreement template for one operator kind."""

    operator_kind = models.CharField("operatørtype", max_length=20, choices=OperatorKind.choices, unique=True)
    version = models.CharField("version", max_length=20)
    body = models.TextField("tekst")

    class Meta:
        ordering = ["operator_kind"]
        verbose_name = "skabelon for databehandleraftale"
        verbose_name_plural = "skabeloner for databehandleraftaler"

    def __str__(self) -> str:
        return f"Skabelon {self.get_operator_kind_display()} {self.version}"


class DataProcessingAgreement(models.Model):
    """One agreement per operator (processor) and controller (the region or a municipality), from the template
    of the operator's kind. Signed, then acceded to by each participant; terminated with return or deletion of
    the data recorded; a yearly audit statement from the processor is due."""

    operator = models.ForeignKey(Operator, on_delete=models.PROTECT, related_name="agreements")
    controller_kind = models.CharField("dataansvarlig (type)", max_length=20, choices=ControllerKind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="region"
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="kommune"
    )
    template = models.ForeignKey(DpaTemplate, on_delete=models.PROTECT, related_name="agreements")
    signed_at = models.DateField("underskrevet", null=True, blank=True)
    terminated_at = models.DateField("ophørt", null=True, blank=True)
    data_returned_or_deleted = models.CharField(
        "data ved ophør",
        max_length=20,
        blank=True,
        choices=[("returned", "Tilbageleveret"), ("deleted", "Slettet")],
    )
    data_handled_at = models.DateField("data tilbageleveret/slettet", null=True, blank=True)
    audit_statement_due = models.DateField("næste revisionserklæring senest", null=True, blank=True)
    last_audit_statement_at = models.DateField("seneste revisionserklæring modtaget", null=True, blank=True)

    class Meta:
        ordering = ["operator", "controller_kind"]
        verbose_name = "databehandleraftale"
        verbose_name_plural = "databehandleraftaler"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(controller_kind="region", region__isnull=False, municipality__isnull=True)
                    | models.Q(controller_kind="municipality", municipality__isnull=False, region__isnull=True)
                ),
                name="dpa_one_controller",
            ),
            models.UniqueConstraint(
                fields=["operator", "region"], condition=models.Q(region__isnull=False), name="one_dpa_per_region"
            ),
            models.UniqueConstraint(
                fields=["operator", "municipality"],
                condition=models.Q(municipality__isnull=False),
                name="one_dpa_per_municipality",
            ),
            models.CheckConstraint(
                condition=models.Q(terminated_at__isnull=True) | ~models.Q(data_returned_or_deleted=""),
                name="dpa_termination_records_return_or_deletion",
            ),
        ]

    def __str__(self) -> str:
        return f"Databehandleraftale {self.operator.name} – {self.controller_name}"

    @property
    def controller_name(self) -> str:
        if self.region is not None:
            return self.region.name
        return self.municipality.name if self.municipality is not None else ""


class Accession(models.Model):
    """A participant's accession (tiltrædelse) to an agreement."""

    agreement = models.ForeignKey(DataProcessingAgreement, on_delete=models.CASCADE, related_name="accessions")
    participant = models.CharField("deltager", max_length=200)
    acceded_at = models.DateField("tiltrådt")

    class Meta:
        ordering = ["agreement", "acceded_at"]
        verbose_name = "tiltrædelse"
        verbose_name_plural = "tiltrædelser"
        constraints = [
            models.UniqueConstraint(fields=["agreement", "participant"], name="one_accession_per_participant")
        ]

    def __str__(self) -> str:
        return f"{self.participant} tiltrådt {self.acceded_at}"


class SubProcessor(models.Model):
    """The operator's sub-processors; a replacement is notified to the controllers (notified_at)."""

    operator = models.ForeignKey(Operator, on_delete=models.CASCADE, related_name="sub_processors")
    name = models.CharField("navn", max_length=200)
    service = models.CharField("ydelse", max_length=200)
    country = models.CharField("land", max_length=100, default="Danmark")
    since = models.DateField("fra")
    until = models.DateField("til", null=True, blank=True)
    replaces = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="erstatter"
    )
    notified_at = models.DateField("dataansvarlige underrettet", null=True, blank=True)

    class Meta:
        ordering = ["operator", "since", "name"]
        verbose_name = "underdatabehandler"
        verbose_name_plural = "underdatabehandlere"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(replaces__isnull=True) | models.Q(notified_at__isnull=False),
                name="sub_processor_replacement_is_notified",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.service})"


class Disclosure(models.Model):
    """The log: every disclosure of a citizen's fields to a person (who, which fields, why), and every refused
    attempt (refused=True, with the reason)."""

    at = models.DateTimeField("tidspunkt")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+", verbose_name="person")
    operator = models.ForeignKey(
        Operator, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures", verbose_name="operatør"
    )
    citizen = models.ForeignKey(ProgrammeCitizen, on_delete=models.PROTECT, related_name="disclosures")
    fields = models.JSONField("felter", default=list)
    purpose = models.CharField("formål", max_length=300)
    refused = models.BooleanField("afvist", default=False)
    reason = models.CharField("begrundelse for afvisning", max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "videregivelse"
        verbose_name_plural = "videregivelser"

    def __str__(self) -> str:
        return f"{'Afvist: ' if self.refused else ''}{self.person} → {self.citizen} ({', '.join(self.fields)})"
