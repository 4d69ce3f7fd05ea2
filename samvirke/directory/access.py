"""Every permission check on directory data, written once. Views never fetch a protected object any other way.

Scope rules:
- the secretariat sees every municipality and every member;
- region staff see the municipalities of their own region;
- coordinators, agents and guide editors see their own municipality;
- the member list is for everyone who belongs to the fællesskab; an outsider (no role, or a municipality
  that is not a member) is refused.

Typing: the checks take an Actor (what `request.user` is). A check that says yes only to a signed-in Person is a
TypeGuard[Person] and each require_* returns the Person, so the code after it may read `user.role` and hand the
user to an action, with no cast.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, TypeGuard

from django.core.exceptions import PermissionDenied
from django.http import Http404

from samvirke.directory.models import Actor, Membership, MembershipStatus, Municipality, Person, Role

if TYPE_CHECKING:  # only the type checker needs it (typing.TypeIs from Python 3.13 on)
    from typing_extensions import TypeIs

MUNICIPAL_ROLES = (Role.COORDINATOR, Role.AGENT, Role.GUIDE_EDITOR)


def _is_person(user: Actor | None) -> TypeIs[Person]:
    """A signed-in Person, not an AnonymousUser (or None: the system). A TypeIs, so after a yes the type checker
    knows `user` is a Person, and after a no that it is not one."""
    return isinstance(user, Person) and user.is_authenticated


def acting_person(actor: Actor | None) -> Person | None:
    """The Person an action is done by, or None for an anonymous user or the system (a command): what the actions
    store in their `created_by`/`author`/`issued_by` fields."""
    return actor if _is_person(actor) else None


def is_secretariat(user: Actor) -> TypeGuard[Person]:
    return _is_person(user) and user.is_active and user.role == Role.SECRETARIAT


def municipality_is_member(municipality_id: int | None) -> bool:
    if municipality_id is None:
        return False
    return Membership.objects.filter(municipality_id=municipality_id).exclude(status=MembershipStatus.LEFT).exists()


def belongs_to_fellesskab(user: Actor) -> TypeGuard[Person]:
    """True for the secretariat, member-region staff, central guide editors and staff of a current member."""
    if not _is_person(user) or not user.is_active:
        return False
    if user.role == Role.SECRETARIAT:
        return True
    if user.role == Role.REGION_STAFF:
        # The database holds region staff to a region; the None test is for the type checker (no query either way).
        return (
            user.region_id is not None
            and Membership.objects.filter(municipality__region_id=user.region_id)
            .exclude(status=MembershipStatus.LEFT)
            .exists()
        )
    if user.role == Role.GUIDE_EDITOR and user.municipality_id is None:
        return True  # an editor of the shared guides, employed by the secretariat
    if user.role in MUNICIPAL_ROLES:
        return municipality_is_member(user.municipality_id)
    return False


def can_view_member_list(user: Actor) -> TypeGuard[Person]:
    return belongs_to_fellesskab(user)


def _in_scope(user: Person, municipality: Municipality) -> bool:
    """The scope rule for someone who belongs to the fællesskab (see the module's docstring)."""
    if user.role == Role.SECRETARIAT:
        return True
    if user.role == Role.REGION_STAFF:
        return bool(municipality.region_id == user.region_id)
    return bool(municipality.id == user.municipality_id)


def can_view_municipality(user: Actor, municipality: Municipality) -> TypeGuard[Person]:
    return belongs_to_fellesskab(user) and _in_scope(user, municipality)


def viewable_municipality_ids(user: Actor, municipalities: Iterable[Municipality]) -> set[int]:
    """Which of `municipalities` the user may open (can_view_municipality), asking the database once."""
    if not belongs_to_fellesskab(user):
        return set()
    return {m.id for m in municipalities if _in_scope(user, m)}


def can_view_people_of(user: Actor, municipality: Municipality) -> TypeGuard[Person]:
    """The staff list holds names and roles (personal data): the secretariat and the own coordinator."""
    if not can_view_municipality(user, municipality):
        return False
    if user.role == Role.SECRETARIAT:
        return True
    return bool(user.role == Role.COORDINATOR and municipality.id == user.municipality_id)


def can_change_membership(user: Actor) -> TypeGuard[Person]:
    return is_secretariat(user)


def access_municipality_by_code(user: Actor, code: int) -> Municipality:
    """The municipality with this kommunekode if the user may see it; 404 if none, 403 if out of scope."""
    try:
        municipality = Municipality.objects.select_related("region").get(code=code)
    except Municipality.DoesNotExist:
        raise Http404(f"Der findes ingen kommune med kommunekode {code}.") from None
    if not can_view_municipality(user, municipality):
        raise PermissionDenied("Du har ikke adgang til denne kommune.")
    return municipality


def require_member_list(user: Actor) -> Person:
    if not can_view_member_list(user):
        raise PermissionDenied("Medlemslisten er kun for fællesskabets medlemmer og sekretariat.")
    return user
