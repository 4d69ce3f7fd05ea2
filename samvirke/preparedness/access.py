"""Who may switch crisis mode: the secretariat for the whole fællesskab or any member, and a member's coordinator
for its own municipality only."""

from __future__ import annotations

from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.http import Http404

from samvirke.directory.access import belongs_to_fellesskab, is_secretariat
from samvirke.directory.models import Actor, Municipality, Person, Role
from samvirke.preparedness.models import Crisis, CrisisScope, SurgeRequest


def can_view_preparedness(user: Actor) -> TypeGuard[Person]:
    """The page: the secretariat and the members' coordinators."""
    return is_secretariat(user) or (belongs_to_fellesskab(user) and user.role == Role.COORDINATOR)


def can_switch_for(user: Actor, scope: str, stricken: Municipality | None) -> bool:
    """Whether the user may switch a crisis with this scope on (or off)."""
    if is_secretariat(user):
        return True
    return (
        can_view_preparedness(user)
        and scope == CrisisScope.MEMBER
        and stricken is not None
        and stricken.pk == user.municipality_id
    )


def can_end(user: Actor, crisis: Crisis) -> bool:
    return can_switch_for(user, crisis.scope, crisis.stricken)


def require_preparedness(user: Actor) -> Person:
    if not can_view_preparedness(user):
        raise PermissionDenied("Beredskab er for sekretariatet og kommunernes koordinatorer.")
    return user


def access_crisis(user: Actor, crisis_id: int) -> Crisis:
    """A crisis the user may see: the secretariat every one, a coordinator the fællesskab's and its own member's."""
    person = require_preparedness(user)
    crisis = Crisis.objects.select_related("stricken").filter(pk=crisis_id).first()
    if crisis is None:
        raise Http404("Krisen findes ikke.")
    own = crisis.scope == CrisisScope.FELLESSKAB or crisis.stricken_id == person.municipality_id
    if person.role != Role.SECRETARIAT and not own:
        raise PermissionDenied("Krisen gælder en anden kommune.")
    return crisis


def can_request_surge(user: Actor, crisis: Crisis) -> bool:
    """The secretariat asks the members for extra agents."""
    return is_secretariat(user) and crisis.is_open


def access_surge_request(user: Actor, request_id: int) -> SurgeRequest:
    """A request for extra agents, for the coordinator of the member it asks (the secretariat answers nothing)."""
    person = require_preparedness(user)
    surge = SurgeRequest.objects.select_related("crisis", "municipality").filter(pk=request_id).first()
    if surge is None:
        raise Http404("Anmodningen findes ikke.")
    if not can_answer_surge(person, surge):
        raise PermissionDenied("Kun kommunens koordinator kan svare på anmodningen.")
    return surge


def can_answer_surge(user: Actor, surge: SurgeRequest) -> bool:
    return (
        can_view_preparedness(user) and user.role == Role.COORDINATOR and surge.municipality_id == user.municipality_id
    )
