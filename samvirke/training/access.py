"""Who sees and changes training records: the secretariat all agents; a coordinator of a current member the agents
(and coordinators) of its own municipality; nobody else (not agents, not region staff, not outsiders)."""

from __future__ import annotations

from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from samvirke.directory.access import belongs_to_fellesskab, is_secretariat
from samvirke.directory.models import Actor, Person, Role
from samvirke.training.actions import TRAINABLE_ROLES
from samvirke.training.models import MedLytBooking, MedLytSession


def can_manage_training(user: Actor) -> TypeGuard[Person]:
    return belongs_to_fellesskab(user) and user.role in (Role.SECRETARIAT, Role.COORDINATOR)


def require_manage_training(user: Actor) -> Person:
    if not can_manage_training(user):
        raise PermissionDenied("Uddannelsesoversigten er for sekretariatet og kommunernes koordinatorer.")
    return user


def can_create_sessions(user: Actor) -> TypeGuard[Person]:
    return is_secretariat(user)


def require_create_sessions(user: Actor) -> Person:
    if not can_create_sessions(user):
        raise PermissionDenied("Kun sekretariatet opretter med-lyt-dage.")
    return user


def trainees_for(user: Person) -> list[Person]:
    """The people whose training the user may see and record."""
    people = Person.objects.filter(role__in=TRAINABLE_ROLES, municipality__isnull=False, is_simulated=False)
    if user.role != Role.SECRETARIAT:
        people = people.filter(municipality__pk=user.municipality_id or 0)  # a coordinator always has one
    return list(people.select_related("municipality").order_by("municipality__name", "first_name", "username"))


def access_trainee(user: Actor, person_id: int) -> Person:
    manager = require_manage_training(user)
    person = get_object_or_404(Person, pk=person_id, role__in=TRAINABLE_ROLES, municipality__isnull=False)
    if manager.role != Role.SECRETARIAT and person.municipality_id != manager.municipality_id:
        raise PermissionDenied("Du kan kun registrere uddannelse for din egen kommunes medarbejdere.")
    return person


def access_session(user: Actor, session_id: int) -> MedLytSession:
    require_manage_training(user)
    return get_object_or_404(MedLytSession, pk=session_id)


def access_booking(user: Actor, booking_id: int) -> MedLytBooking:
    require_manage_training(user)
    booking = get_object_or_404(MedLytBooking.objects.select_related("person", "session"), pk=booking_id)
    access_trainee(user, booking.person_id)
    return booking
