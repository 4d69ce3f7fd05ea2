"""The contact centre's desk and telemedicine support: an agent who answers a call on the telemedicine line opens
a support case from it. The contact centre sits below telesupport and never imports it; TelesupportConfig.ready()
tells it (contact/desk_actions.py) to offer "Opret supportsag" on contacts of the telemedicine line — to an agent
who may work the landsdel's cases (its support operator's users, the secretariat) and who holds the contact.

The landsdel of a contact is the one of the region whose number on the line was called (directory's LineNumber);
a call with no such number belongs to the agent's own support operator's landsdel."""

from __future__ import annotations

from django.urls import reverse

from samvirke.consent.models import OperatorKind
from samvirke.consent.selectors import operator_of
from samvirke.contact.desk_actions import DeskAction
from samvirke.contact.models import Contact
from samvirke.directory.models import LineNumber, Person, Role
from samvirke.telecare.models import Landsdel
from samvirke.telesupport import access
from samvirke.telesupport.models import SupportCase
from samvirke.telesupport.reference_data import TELEMEDICINE_LINE


def landsdel_for_contact(person: Person, contact: Contact) -> Landsdel | None:
    number = (
        LineNumber.objects.filter(line=TELEMEDICINE_LINE, number=contact.called_number).first()
        if contact.called_number
        else None
    )
    if number is not None:
        return Landsdel.objects.filter(region_id=number.region_id).first()
    operator = operator_of(person)
    if operator is not None and operator.kind == OperatorKind.SUPPORT:
        return operator.landsdel
    return None


def may_open_from(person: Person, contact: Contact) -> Landsdel | None:
    """The landsdel the person may open a case in from this contact, or None: a contact on the telemedicine line
    that the person answered (the secretariat: any), in a landsdel whose cases the person works."""
    if contact.queue.line != TELEMEDICINE_LINE:
        return None
    if contact.agent_id != person.pk and person.role != Role.SECRETARIAT:
        return None
    landsdel = landsdel_for_contact(person, contact)
    if landsdel is None or not access.can_work_cases(person, landsdel):
        return None
    return landsdel


def support_case_action(person: Person, contact: Contact) -> DeskAction | None:
    """The desk's action: open the contact's case if it has one, else make one."""
    if may_open_from(person, contact) is None:
        return None
    existing = SupportCase.objects.filter(contact=contact).order_by("pk").first()
    if existing is not None:
        return DeskAction(f"Supportsag {existing.pk}", reverse("telesupport:case", args=[existing.pk]))
    return DeskAction(
        "Opret supportsag",
        reverse("telesupport:from_contact", args=[contact.pk]),
        "En sag i telemedicinsk support for dette opkald: udstyr, prioritet og problemtræet.",
    )
