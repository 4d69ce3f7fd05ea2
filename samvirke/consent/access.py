"""Every permission check on the citizens in the telemedicine programme, written once (seed 003, ch. 6).

Who sees which citizens:
- an operator user (a person with an OperatorUser row): the citizens of their operator's landsdel, whatever
  their directory role;
- the secretariat: every citizen; region staff: their region's landsdel; a municipal coordinator of a
  municipality in a landsdel: the citizens of their own municipality;
- everyone else: none (403).

Which fields (FIELDS_BY_KIND): support and logistics see who the citizen is, where, the phone and that they are
in the COPD programme, never the measurements; logistics also what a visit needs (coordinates, urgency, dates,
self-collection, the referrer the result goes back to). The service operator and the monitoring health staff
also see the measurements. The controllers' staff (secretariat, region staff, coordinators) see every field
except the measurements.

Whether anything may be disclosed at all is decided in disclosure.py (consent), which is the one place the
fields leave the model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from samvirke.consent.models import CITIZEN_FIELDS, Consent, OperatorKind, ProgrammeCitizen
from samvirke.consent.selectors import operator_of
from samvirke.directory.models import Actor, Person, Role
from samvirke.telecare.models import Landsdel

CONTROLLER = "controller"  # the viewer kind of the secretariat, region staff and coordinators

_IDENTITY = frozenset({"citizen_ref", "name", "address", "postcode", "city", "phone", "diagnosis", "in_programme"})
_VISIT = frozenset(
    {
        "latitude",
        "longitude",
        "municipality",
        "urgency",
        "referred_at",
        "referrer_kind",
        "referrer_name",
        "enrolled_at",
        "ended_at",
        "self_collect",
    }
)
_COURSE = frozenset({"municipality", "enrolled_at", "ended_at"})
MEASUREMENTS = "measurements_note"

FIELDS_BY_KIND: Mapping[str, frozenset[str]] = {
    OperatorKind.SUPPORT: _IDENTITY,
    OperatorKind.LOGISTICS: _IDENTITY | _VISIT,
    OperatorKind.SERVICE: _IDENTITY | _COURSE | {MEASUREMENTS},
    OperatorKind.HEALTH: _IDENTITY | _COURSE | {"referred_at", "referrer_kind", "referrer_name", MEASUREMENTS},
}
CONTROLLER_FIELDS: frozenset[str] = frozenset(CITIZEN_FIELDS) - {MEASUREMENTS}


def _active_person(user: Actor | None) -> TypeGuard[Person]:
    return isinstance(user, Person) and user.is_authenticated and user.is_active


def viewer_kind(user: Actor | None) -> str | None:
    """The person's operator kind, CONTROLLER for the controllers' staff, None for everyone else."""
    if not _active_person(user):
        return None
    operator = operator_of(user)
    if operator is not None:
        return str(operator.kind)
    if user.role == Role.SECRETARIAT:
        return CONTROLLER
    if user.role == Role.REGION_STAFF and user.region_id is not None:
        return CONTROLLER if Landsdel.objects.filter(region_id=user.region_id).exists() else None
    if user.role == Role.COORDINATOR and user.municipality is not None:
        region_id = user.municipality.region_id
        return CONTROLLER if Landsdel.objects.filter(region_id=region_id).exists() else None
    return None


def allowed_fields(user: Actor | None) -> frozenset[str]:
    kind = viewer_kind(user)
    if kind is None:
        return frozenset()
    if kind == CONTROLLER:
        return CONTROLLER_FIELDS
    return FIELDS_BY_KIND.get(kind, frozenset())


def ordered_fields(fields: frozenset[str]) -> list[str]:
    return [name for name in CITIZEN_FIELDS if name in fields]


def visible_citizens(user: Actor | None) -> QuerySet[ProgrammeCitizen]:
    citizens = ProgrammeCitizen.objects.select_related("landsdel", "municipality")
    if not _active_person(user):
        return citizens.none()
    operator = operator_of(user)
    if operator is not None:
        return citizens.filter(landsdel_id=operator.landsdel_id)
    if user.role == Role.SECRETARIAT:
        return citizens.all()
    if user.role == Role.REGION_STAFF and user.region_id is not None:
        return citizens.filter(landsdel__region_id=user.region_id)
    if user.role == Role.COORDINATOR and user.municipality_id is not None:
        return citizens.filter(municipality_id=user.municipality_id)
    return citizens.none()


def can_view_citizens(user: Actor | None) -> TypeGuard[Person]:
    return viewer_kind(user) is not None


def require_citizens(user: Actor | None) -> Person:
    if not can_view_citizens(user):
        raise PermissionDenied(
            "Borgerne i telemedicin er for sekretariatet, regionen, kommunens koordinator og landsdelens operatører."
        )
    assert isinstance(user, Person)
    return user


def can_manage_citizens(user: Actor | None) -> TypeGuard[Person]:
    """Referral, enrolment, end of course and consent are the controllers' writes (not the operators')."""
    return viewer_kind(user) == CONTROLLER


def require_manage_citizens(user: Actor | None) -> Person:
    if not can_manage_citizens(user):
        raise PermissionDenied("Kun sekretariatet, regionen og kommunens koordinator registrerer borgere og samtykker.")
    assert isinstance(user, Person)
    return user


def can_view_agreements(user: Actor | None) -> TypeGuard[Person]:
    """The data processing agreements: the controllers' staff (the secretariat all, the others their own)."""
    return viewer_kind(user) == CONTROLLER


def access_citizen(user: Actor | None, citizen_ref: str, landsdel_slug: str | None = None) -> ProgrammeCitizen:
    """The citizen by reference if the user may see them: 404 if there is none, 403 if not theirs."""
    require_citizens(user)
    found = ProgrammeCitizen.objects.select_related("landsdel", "municipality").filter(citizen_ref=citizen_ref)
    if landsdel_slug is not None:
        found = found.filter(landsdel__slug=landsdel_slug)
    candidates = list(found[:2])
    if not candidates:
        raise Http404("Der findes ingen borger med den reference.")
    visible = [c for c in candidates if visible_citizens(user).filter(pk=c.pk).exists()]
    if not visible:
        raise PermissionDenied("Du har ikke adgang til denne borger.")
    if len(visible) > 1:
        raise Http404("Referencen findes i flere landsdele; angiv landsdelen.")
    return visible[0]


def consent_covers(consent: Consent, citizen: ProgrammeCitizen, operator_kind: str, at: dt.datetime) -> bool:
    if not consent.is_active(at):
        return False
    if operator_kind not in consent.operator_kinds:
        return False
    return not consent.diagnoses or citizen.diagnosis.casefold() in {d.casefold() for d in consent.diagnoses}


def has_active_consent(citizen: ProgrammeCitizen, operator_kind: str, at: dt.datetime | None = None) -> bool:
    """A consent given and not withdrawn at `at` (now), covering the operator kind (or, for CONTROLLER, any
    consent at all) and the citizen's diagnosis. Read from the database every time: a withdrawal counts at once."""
    moment = at or timezone.now()
    consents = Consent.objects.filter(citizen_id=citizen.pk, given_at__lte=moment)
    for consent in consents:
        if operator_kind == CONTROLLER:
            if consent.is_active(moment):
                return True
        elif consent_covers(consent, citizen, operator_kind, moment):
            return True
    return False
