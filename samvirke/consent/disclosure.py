"""THE one place a citizen's personal fields leave the model (seed 003, ch. 6: field-level access by operator type,
and every disclosure logged).

`disclose(person, citizen, fields, purpose)` returns {field: value} for the fields asked, if
- the person may see the citizen at all (access.visible_citizens: their landsdel or municipality),
- every field asked is one the person's kind may see (access.FIELDS_BY_KIND, or the controllers' fields), and
- for an operator user: the citizen has an active consent covering the operator's kind (and the diagnosis),
  read from the database at this moment, so a withdrawal stops the next disclosure at once (nothing is cached);
and writes a Disclosure row (who, operator, which fields, why). Otherwise it raises DisclosureRefused with a
Danish message and logs the refused attempt as a Disclosure row with refused=True and the reason; nothing else is
written. The controllers' own staff (secretariat, region staff, the coordinator) need no consent to see their own
register (the referral comes before the consent), but what they see is logged too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from samvirke.consent.access import (
    CONTROLLER,
    allowed_fields,
    has_active_consent,
    ordered_fields,
    viewer_kind,
    visible_citizens,
)
from samvirke.consent.models import CITIZEN_FIELDS, Disclosure, ProgrammeCitizen
from samvirke.consent.selectors import operator_of
from samvirke.directory.models import Actor, Person

PURPOSE_MAX_LENGTH = 300
FIELD_LABELS: dict[str, str] = {
    "citizen_ref": "Borgerreference",
    "name": "Navn",
    "address": "Adresse",
    "postcode": "Postnummer",
    "city": "By",
    "phone": "Telefon",
    "latitude": "Breddegrad",
    "longitude": "Længdegrad",
    "diagnosis": "Diagnose",
    "in_programme": "I KOL-programmet",
    "municipality": "Kommune",
    "referred_at": "Henvist",
    "referrer_kind": "Henvist af",
    "referrer_name": "Henviser",
    "urgency": "Hastegrad",
    "enrolled_at": "Indskrevet",
    "ended_at": "Forløb afsluttet",
    "self_collect": "Henter selv udstyret",
    "measurements_note": "Målinger",
}


class DisclosureRefused(PermissionDenied):
    """A disclosure the rules do not allow; the message is Danish and may be shown as it is."""


def _value(citizen: ProgrammeCitizen, field: str) -> Any:
    if field == "municipality":
        return citizen.municipality.name
    if field == "in_programme":
        return citizen.in_programme
    return getattr(citizen, field)


def _refuse(person: Actor | None, citizen: ProgrammeCitizen, fields: list[str], purpose: str, reason: str) -> None:
    if isinstance(person, Person) and person.pk is not None:
        Disclosure.objects.create(
            at=timezone.now(),
            person=person,
            operator=operator_of(person),
            citizen=citizen,
            fields=fields,
            purpose=purpose,
            refused=True,
            reason=reason[:300],
        )
    raise DisclosureRefused(reason)


def disclose(person: Actor | None, citizen: ProgrammeCitizen, fields: Iterable[str], purpose: str) -> dict[str, Any]:
    asked = list(dict.fromkeys(fields))
    purpose = (purpose or "").strip()[:PURPOSE_MAX_LENGTH]
    unknown = [f for f in asked if f not in CITIZEN_FIELDS]
    if unknown:
        _refuse(person, citizen, asked, purpose, f"Ukendt felt: {', '.join(sorted(unknown))}.")
    kind = viewer_kind(person)
    if kind is None:
        _refuse(person, citizen, asked, purpose, "Du har ikke adgang til borgere i telemedicin.")
    if not purpose:
        _refuse(person, citizen, asked, purpose, "Angiv formålet med opslaget.")
    if not asked:
        _refuse(person, citizen, asked, purpose, "Ingen felter at vise: din rolle må ikke se oplysninger om borgeren.")
    if not visible_citizens(person).filter(pk=citizen.pk).exists():
        _refuse(person, citizen, asked, purpose, "Du har ikke adgang til denne borger.")
    allowed = allowed_fields(person)
    refused = [f for f in asked if f not in allowed]
    if refused:
        _refuse(
            person,
            citizen,
            asked,
            purpose,
            f"Din rolle må ikke se: {', '.join(FIELD_LABELS[f] for f in ordered_fields(frozenset(refused)))}.",
        )
    assert kind is not None
    if kind != CONTROLLER and not has_active_consent(citizen, kind):
        _refuse(
            person,
            citizen,
            asked,
            purpose,
            "Borgeren har ikke et gyldigt samtykke til videregivelse til din operatørtype (eller har trukket det"
            " tilbage). Intet er videregivet.",
        )
    # Fresh from the database: never a value read before a change (the caller's instance may be old).
    current = ProgrammeCitizen.objects.select_related("municipality").get(pk=citizen.pk)
    values = {field: _value(current, field) for field in asked}
    assert isinstance(person, Person)
    Disclosure.objects.create(
        at=timezone.now(), person=person, operator=operator_of(person), citizen=current, fields=asked, purpose=purpose
    )
    return values


def citizen_card(person: Actor | None, citizen: ProgrammeCitizen, purpose: str) -> dict[str, Any]:
    """Every field the person may see, in the card's order; refused (and logged) as `disclose` refuses."""
    return disclose(person, citizen, ordered_fields(allowed_fields(person)), purpose)
