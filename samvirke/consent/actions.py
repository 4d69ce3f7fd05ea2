"""Every write on the citizens in the telemedicine programme and their consents (seed 003, ch. 6): referral,
enrolment (which also keeps telecare's Enrolment, the billing coverage, in step), end of course, consent and its
withdrawal. Each action is one transaction with its audit entry; the signals go to kits and telesupport.

CPR numbers are never stored: a field that looks like one is refused, free text has them masked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from samvirke.audit.actions import record
from samvirke.consent.models import (
    Accession,
    Consent,
    ConsentText,
    ControllerKind,
    DataProcessingAgreement,
    DpaTemplate,
    Operator,
    OperatorKind,
    ProgrammeCitizen,
    ReferrerKind,
    SubProcessor,
    Urgency,
)
from samvirke.consent.signals import (
    citizen_enrolled,
    citizen_referred,
    consent_recorded,
    consent_withdrawn,
    course_ended,
)
from samvirke.core.lib.masking import looks_like_cpr, mask_personal_data
from samvirke.directory.access import acting_person
from samvirke.directory.models import Actor, Municipality, Region
from samvirke.telecare.models import Enrolment, Landsdel

TEXT_FIELDS = ("citizen_ref", "name", "address", "postcode", "city", "phone", "diagnosis", "referrer_name")
FREE_TEXT_FIELDS = ("measurements_note",)
DATA_CATEGORIES = ("identitet", "kontakt", "programdeltagelse", "målinger")
PURPOSES = ("opsætning og logistik", "support", "service og drift", "monitorering")


class ConsentActionError(ValueError):
    """A write that cannot be done as asked; the message is Danish and goes to the user as it is."""


def _refuse_cpr(values: dict[str, Any]) -> None:
    for name, value in values.items():
        if isinstance(value, str) and looks_like_cpr(value):
            raise ConsentActionError(f"Feltet «{name}» ligner et CPR-nummer. CPR-numre gemmes ikke; brug et pseudonym.")


def _decimal(value: Any, name: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value).replace(",", "."))
    except InvalidOperation as exc:
        raise ConsentActionError(f"«{name}» er ikke et tal.") from exc


def do_refer_citizen(actor: Actor | None, landsdel: Landsdel, **fields: Any) -> ProgrammeCitizen:
    """A referral from the municipality or the hospital. Fields as ProgrammeCitizen's; `municipality` a
    Municipality or its kommunekode; `referred_at` defaults to today."""
    _refuse_cpr({k: v for k, v in fields.items() if k not in FREE_TEXT_FIELDS})
    values = dict(fields)
    for name in TEXT_FIELDS:
        if name in values:
            values[name] = str(values[name] or "").strip()
    for name in FREE_TEXT_FIELDS:
        if name in values:
            values[name] = mask_personal_data(str(values[name] or ""))
    municipality = values.get("municipality")
    if isinstance(municipality, int):
        found = Municipality.objects.filter(code=municipality).first()
        if found is None:
            raise ConsentActionError(f"Der findes ingen kommune med koden {municipality}.")
        values["municipality"] = found
    if not isinstance(values.get("municipality"), Municipality):
        raise ConsentActionError("Angiv borgerens kommune.")
    for name in ("latitude", "longitude"):
        if name in values:
            values[name] = _decimal(values[name], name)
    values.setdefault("referred_at", timezone.localdate())
    if values.get("referrer_kind") not in ReferrerKind.values:
        raise ConsentActionError("Henvisningen skal komme fra kommunen eller hospitalet.")
    values.setdefault("urgency", Urgency.STANDARD)
    if values["urgency"] not in Urgency.values:
        raise ConsentActionError("Hastegraden skal være standard eller hastende.")
    if not values.get("citizen_ref"):
        raise ConsentActionError("Angiv en borgerreference (et pseudonym).")
    unknown = set(values) - {f.name for f in ProgrammeCitizen._meta.get_fields()}
    if unknown:
        raise ConsentActionError(f"Ukendte felter: {', '.join(sorted(unknown))}.")
    citizen = ProgrammeCitizen(landsdel=landsdel, **values)
    try:
        citizen.full_clean()
    except ValidationError as exc:
        raise ConsentActionError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        citizen.save()
        record(
            actor,
            "consent.citizen_referred",
            citizen,
            {"landsdel": landsdel.slug, "urgency": citizen.urgency, "referrer_kind": citizen.referrer_kind},
        )
        citizen_referred.send(sender=ProgrammeCitizen, citizen=citizen, actor=actor, day=citizen.referred_at)
    return citizen


def do_enrol(actor: Actor | None, citizen: ProgrammeCitizen, day: dt.date) -> ProgrammeCitizen:
    """The citizen enters the programme on `day`; telecare's Enrolment (billing coverage) follows: one from `day`,
    open-ended (an existing one from the same day is reopened)."""
    if day < citizen.referred_at:
        raise ConsentActionError("Indskrivningen kan ikke ligge før henvisningen.")
    if citizen.in_programme:
        raise ConsentActionError("Borgeren er allerede indskrevet.")
    with transaction.atomic():
        citizen = ProgrammeCitizen.objects.select_for_update().get(pk=citizen.pk)
        citizen.enrolled_at, citizen.ended_at = day, None
        citizen.save(update_fields=["enrolled_at", "ended_at"])
        enrolment, created = Enrolment.objects.update_or_create(
            landsdel=citizen.landsdel,
            citizen_ref=citizen.citizen_ref,
            enrolled_from=day,
            defaults={"municipality": citizen.municipality, "enrolled_to": None},
        )
        record(actor, "consent.citizen_enrolled", citizen, {"day": day.isoformat(), "enrolment": enrolment.pk})
        citizen_enrolled.send(sender=ProgrammeCitizen, citizen=citizen, actor=actor, day=day)
    return citizen


def do_end_course(actor: Actor | None, citizen: ProgrammeCitizen, day: dt.date) -> ProgrammeCitizen:
    """The course ends on `day`; telecare's open Enrolment is closed the same day."""
    if citizen.enrolled_at is None or citizen.ended_at is not None:
        raise ConsentActionError("Borgeren er ikke indskrevet i programmet.")
    if day < citizen.enrolled_at:
        raise ConsentActionError("Forløbet kan ikke slutte før indskrivningen.")
    with transaction.atomic():
        citizen = ProgrammeCitizen.objects.select_for_update().get(pk=citizen.pk)
        citizen.ended_at = day
        citizen.save(update_fields=["ended_at"])
        closed = Enrolment.objects.filter(
            landsdel=citizen.landsdel, citizen_ref=citizen.citizen_ref, enrolled_to__isnull=True
        ).update(enrolled_to=day)
        record(actor, "consent.course_ended", citizen, {"day": day.isoformat(), "enrolments_closed": closed})
        course_ended.send(sender=ProgrammeCitizen, citizen=citizen, actor=actor, day=day)
    return citizen


def _clean_list(values: Iterable[str], allowed: Iterable[str] | None, what: str) -> list[str]:
    cleaned = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
    if not cleaned:
        raise ConsentActionError(f"Angiv mindst én {what}.")
    if allowed is not None:
        bad = [v for v in cleaned if v not in set(allowed)]
        if bad:
            raise ConsentActionError(f"Ukendt {what}: {', '.join(bad)}.")
    return cleaned


def active_consent_text() -> ConsentText:
    text = ConsentText.objects.filter(active=True).order_by("-created_at", "-id").first()
    if text is None:
        raise ConsentActionError("Der er ingen aktiv standardtekst for samtykke.")
    return text


def do_record_consent(
    actor: Actor | None,
    citizen: ProgrammeCitizen,
    *,
    operator_kinds: Iterable[str],
    data_categories: Iterable[str] = DATA_CATEGORIES,
    purposes: Iterable[str] = PURPOSES,
    diagnoses: Iterable[str] = ("KOL",),
    text: ConsentText | None = None,
    given_at: dt.datetime | None = None,
    by_proxy: bool = False,
    proxy_name: str = "",
    proxy_authority: str = "",
) -> Consent:
    """A consent on the active standard text (or `text`), for operator *kinds*, one or more diagnoses in advance;
    by proxy only with who and on what authority."""
    kinds = _clean_list(operator_kinds, OperatorKind.values, "operatørtype")
    categories = _clean_list(data_categories, None, "datakategori")
    purpose_list = _clean_list(purposes, None, "formål")
    diagnosis_list = _clean_list(diagnoses, None, "diagnose")
    proxy_name, proxy_authority = proxy_name.strip(), proxy_authority.strip()
    _refuse_cpr({"stedfortræder": proxy_name, "hjemmel": proxy_authority})
    if by_proxy and not (proxy_name and proxy_authority):
        raise ConsentActionError("Et samtykke ved stedfortræder kræver stedfortræderens navn og hjemmel.")
    if not by_proxy:
        proxy_name = proxy_authority = ""
    consent_text = text or active_consent_text()
    if not consent_text.active:
        raise ConsentActionError(f"Samtykketeksten {consent_text.version} er ikke længere aktiv.")
    moment = given_at or timezone.now()
    if moment > timezone.now() + dt.timedelta(minutes=5):
        raise ConsentActionError("Et samtykke kan ikke være givet i fremtiden.")
    with transaction.atomic():
        consent = Consent.objects.create(
            citizen=citizen,
            text_version=consent_text,
            data_categories=categories,
            purposes=purpose_list,
            operator_kinds=kinds,
            diagnoses=diagnosis_list,
            given_at=moment,
            by_proxy=by_proxy,
            proxy_name=mask_personal_data(proxy_name),
            proxy_authority=mask_personal_data(proxy_authority),
            recorded_by=acting_person(actor),
        )
        record(
            actor,
            "consent.consent_recorded",
            consent,
            {
                "citizen": citizen.citizen_ref,
                "text_version": consent_text.version,
                "operator_kinds": kinds,
                "diagnoses": diagnosis_list,
                "by_proxy": by_proxy,
            },
        )
        consent_recorded.send(sender=ProgrammeCitizen, citizen=citizen, consent=consent, actor=actor)
    return consent


def do_withdraw_consent(actor: Actor | None, consent: Consent) -> Consent:
    """Withdrawn now: the next disclosure is refused (disclosure.py reads the consent at every call)."""
    with transaction.atomic():
        consent = Consent.objects.select_for_update().select_related("citizen").get(pk=consent.pk)
        if consent.withdrawn_at is not None:
            raise ConsentActionError("Samtykket er allerede trukket tilbage.")
        consent.withdrawn_at = max(timezone.now(), consent.given_at)
        consent.withdrawn_by = acting_person(actor)
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        record(actor, "consent.consent_withdrawn", consent, {"citizen": consent.citizen.citizen_ref})
        consent_withdrawn.send(sender=ProgrammeCitizen, citizen=consent.citizen, consent=consent, actor=actor)
    return consent


# --- data processing agreements -----------------------------------------------------------------------------


def _next_audit_due(day: dt.date) -> dt.date:
    """A year after `day` (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def do_sign_agreement(
    actor: Actor | None,
    operator: Operator,
    *,
    signed_at: dt.date,
    region: Region | None = None,
    municipality: Municipality | None = None,
) -> DataProcessingAgreement:
    """One agreement per operator and controller (the region or one municipality of the landsdel), from the
    template of the operator's kind; the first audit statement is due a year after signing."""
    if (region is None) == (municipality is None):
        raise ConsentActionError("Angiv én dataansvarlig: regionen eller en kommune.")
    landsdel_region = operator.landsdel.region_id
    if (region is not None and region.pk != landsdel_region) or (
        municipality is not None and municipality.region_id != landsdel_region
    ):
        raise ConsentActionError("Den dataansvarlige hører ikke til operatørens landsdel.")
    template = DpaTemplate.objects.filter(operator_kind=operator.kind).first()
    if template is None:
        raise ConsentActionError(f"Der er ingen skabelon for {operator.get_kind_display().lower()}.")
    exists = DataProcessingAgreement.objects.filter(operator=operator, region=region, municipality=municipality)
    if exists.exists():
        raise ConsentActionError("Der er allerede en aftale mellem operatøren og den dataansvarlige.")
    with transaction.atomic():
        agreement = DataProcessingAgreement.objects.create(
            operator=operator,
            controller_kind=ControllerKind.REGION if region is not None else ControllerKind.MUNICIPALITY,
            region=region,
            municipality=municipality,
            template=template,
            signed_at=signed_at,
            audit_statement_due=_next_audit_due(signed_at),
        )
        record(actor, "consent.dpa_signed", agreement, {"template": template.version})
    return agreement


def do_accede(actor: Actor | None, agreement: DataProcessingAgreement, participant: str, day: dt.date) -> Accession:
    participant = participant.strip()
    if not participant:
        raise ConsentActionError("Angiv deltageren, der tiltræder.")
    if agreement.terminated_at is not None:
        raise ConsentActionError("Aftalen er ophørt.")
    if agreement.accessions.filter(participant=participant).exists():
        raise ConsentActionError(f"{participant} har allerede tiltrådt aftalen.")
    with transaction.atomic():
        accession = Accession.objects.create(agreement=agreement, participant=participant, acceded_at=day)
        record(actor, "consent.dpa_acceded", agreement, {"participant": participant, "day": day.isoformat()})
    return accession


def do_add_sub_processor(
    actor: Actor | None,
    operator: Operator,
    *,
    name: str,
    service: str,
    since: dt.date,
    country: str = "Danmark",
    replaces: SubProcessor | None = None,
    notified_at: dt.date | None = None,
) -> SubProcessor:
    """A sub-processor in the register; a replacement ends the old one and must be notified to the controllers
    (notified_at, no later than the change)."""
    if replaces is not None:
        if replaces.operator_id != operator.pk:
            raise ConsentActionError("Den erstattede underdatabehandler hører til en anden operatør.")
        if notified_at is None:
            raise ConsentActionError(
                "En udskiftning af underdatabehandler kræver, at de dataansvarlige er underrettet."
            )
        if notified_at > since:
            raise ConsentActionError("De dataansvarlige skal underrettes før udskiftningen.")
    with transaction.atomic():
        sub = SubProcessor.objects.create(
            operator=operator,
            name=name.strip(),
            service=service.strip(),
            country=country.strip(),
            since=since,
            replaces=replaces,
            notified_at=notified_at,
        )
        if replaces is not None:
            SubProcessor.objects.filter(pk=replaces.pk).update(until=since)
        record(
            actor,
            "consent.sub_processor_added",
            sub,
            {"replaces": replaces.name if replaces else None, "notified_at": str(notified_at or "")},
        )
    return sub


def do_record_audit_statement(actor: Actor | None, agreement: DataProcessingAgreement, day: dt.date) -> None:
    """The yearly audit statement received: the next is due a year later."""
    with transaction.atomic():
        agreement.last_audit_statement_at = day
        agreement.audit_statement_due = _next_audit_due(day)
        agreement.save(update_fields=["last_audit_statement_at", "audit_statement_due"])
        record(actor, "consent.dpa_audit_statement", agreement, {"received": day.isoformat()})


def do_terminate_agreement(
    actor: Actor | None, agreement: DataProcessingAgreement, day: dt.date, handling: str, handled_at: dt.date
) -> None:
    """Termination records what became of the data: returned or deleted, and when."""
    if handling not in ("returned", "deleted"):
        raise ConsentActionError("Angiv om data er tilbageleveret eller slettet.")
    if agreement.terminated_at is not None:
        raise ConsentActionError("Aftalen er allerede ophørt.")
    if handled_at < day:
        raise ConsentActionError("Data kan ikke være tilbageleveret eller slettet før ophøret.")
    with transaction.atomic():
        agreement.terminated_at, agreement.data_returned_or_deleted, agreement.data_handled_at = (
            day,
            handling,
            handled_at,
        )
        agreement.save(update_fields=["terminated_at", "data_returned_or_deleted", "data_handled_at"])
        record(actor, "consent.dpa_terminated", agreement, {"day": day.isoformat(), "data": handling})
