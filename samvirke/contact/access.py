"""Every permission check in the contact centre, written once.

- the agent desk: agents and coordinators of a current member (coordinators take calls too);
- the wallboard and the KPI reports (aggregates, no personal data): everyone in the fællesskab;
- one row per contact (export, contact page): the secretariat for all; a coordinator for contacts its own
  municipality's citizens made or its own agents answered; region staff for their region's municipalities;
  an agent for the contacts it answered itself.
"""

from __future__ import annotations

from typing import TypeGuard

from django.db.models import Exists, OuterRef, Q, QuerySet

from samvirke.contact.models import Contact
from samvirke.directory.access import belongs_to_fellesskab
from samvirke.directory.models import Actor, Membership, MembershipStatus, Person, Role


def can_work_desk(user: Actor) -> TypeGuard[Person]:
    # For an agent or a coordinator, belonging to the fællesskab is its municipality being a current member (one
    # query: the desk asks on every poll).
    return isinstance(user, Person) and user.role in (Role.AGENT, Role.COORDINATOR) and belongs_to_fellesskab(user)


TELEPHONY_ROLES = (Role.AGENT, Role.COORDINATOR)


def telephony_agent(username: str) -> tuple[Person | None, bool]:
    """The person the telephony platform names in agent_status, and whether it may take calls: an agent or
    coordinator of a current member who is active, or one of the traffic simulator's agents (inactive by
    construction: they never log in, and only the signed platform moves them). The secretariat, region staff,
    editors and deactivated people never get calls, whatever the platform sends. One query (the event path
    counts its statements)."""
    person = (
        Person.objects.filter(username=username)
        .annotate(
            of_member=Exists(
                Membership.objects.filter(municipality_id=OuterRef("municipality_id")).exclude(
                    status=MembershipStatus.LEFT
                )
            )
        )
        .first()
    )
    if person is None:
        return None, False
    eligible = person.role in TELEPHONY_ROLES and (person.is_active or person.is_simulated) and bool(person.of_member)
    return person, eligible


def can_view_wallboard(user: Actor) -> TypeGuard[Person]:
    return belongs_to_fellesskab(user)


def can_view_reports(user: Actor) -> TypeGuard[Person]:
    return bool(belongs_to_fellesskab(user) and user.role in (Role.SECRETARIAT, Role.COORDINATOR, Role.REGION_STAFF))


def visible_contacts(user: Actor) -> QuerySet[Contact]:
    """The contacts whose single rows (notes, numbers, agents) this user may see."""
    contacts = Contact.objects.all()
    if not belongs_to_fellesskab(user):
        return contacts.none()
    if user.role == Role.SECRETARIAT:
        return contacts
    if user.role == Role.REGION_STAFF:
        return contacts.filter(
            Q(citizen_municipality__region_id=user.region_id) | Q(agent_municipality__region_id=user.region_id)
        )
    if user.role == Role.COORDINATOR:
        return contacts.filter(
            Q(citizen_municipality_id=user.municipality_id) | Q(agent_municipality_id=user.municipality_id)
        )
    if user.role == Role.AGENT:
        return contacts.filter(agent=user)
    return contacts.none()


def may_see_earlier_contacts(user: Actor, holding_contact_id: int | None, contact: Contact) -> TypeGuard[Person]:
    """The citizen's earlier contacts (a masked summary, never a number) are shown to the agent while it is in a
    contact with that citizen — the one it holds now — and to no one else on the desk."""
    return bool(can_work_desk(user) and contact.agent_id == user.pk and holding_contact_id == contact.pk)
