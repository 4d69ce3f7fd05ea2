"""Every permission check on directory data, written once. Views never fetch a protected object any other way.

Scope rules:
- the secretariat sees every municipality and every member;
- region staff see the municipalities of their own region;
- coordinators, agents and guide editors see their own municipality;
- the member list is for everyone who belongs to the fællesskab; an outsider (no role, or a municipality
  that is not a member) is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from samvirke.directory.models import Membership, MembershipStatus, Municipality, Person, Role

MUNICIPAL_ROLES = (Role.COORDINATOR, Role.AGENT, Role.GUIDE_EDITOR)


def _is_person(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and isinstance(user, Person))


def is_secretariat(user: Any) -> bool:
    return _is_person(user) and user.is_active and user.role == Role.SECRETARIAT


def municipality_is_member(municipality_id: int | None) -> bool:
    if municipality_id is None:
        return False
    return Membership.objects.filter(municipality_id=municipality_id).exclude(status=MembershipStatus.LEFT).exists()


def belongs_to_fellesskab(user: Any) -> bool:
    """True for the secretariat, member-region staff, central guide editors and staff of a current member."""
    if not _is_person(user) or not user.is_active:
        return False
    if user.role == Role.SECRETARIAT:
        return True
    if user.role == Role.REGION_STAFF:
        return (
            Membership.objects.filter(municipality__region_id=user.region_id)
            .exclude(status=MembershipStatus.LEFT)
            .exists()
        )
    if user.role == Role.GUIDE_EDITOR and user.municipality_id is None:
        return True  # an editor of the shared guides, employed by the secretariat
    if user.role in MUNICIPAL_ROLES:
        return municipality_is_member(user.municipality_id)
    return False


def can_view_member_list(user: Any) -> bool:
    return belongs_to_fellesskab(user)


def _in_scope(user: Any, municipality: Municipality) -> bool:
    """The scope rule for someone who belongs to the fællesskab (see the module's docstring)."""
    if user.role == Role.SECRETARIAT:
        return True
    if user.role == Role.REGION_STAFF:
        return bool(municipality.region_id == user.region_id)
    return bool(municipality.id == user.municipality_id)


def can_view_municipality(user: Any, municipality: Municipality) -> bool:
    return belongs_to_fellesskab(user) and _in_scope(user, municipality)


def viewable_municipality_ids(user: Any, municipalities: Iterable[Municipality]) -> set[int]:
    """Which of `municipalities` the user may open (can_view_municipality), asking the database once."""
    if not belongs_to_fellesskab(user):
        return set()
    return {m.id for m in municipalities if _in_scope(user, m)}


def can_view_people_of(user: Any, municipality: Municipality) -> bool:
    """The staff list holds names and roles (personal data): the secretariat and the own coordinator."""
    if not can_view_municipality(user, municipality):
        return False
    if user.role == Role.SECRETARIAT:
        return True
    return bool(user.role == Role.COORDINATOR and municipality.id == user.municipality_id)


def can_change_membership(user: Any) -> bool:
    return is_secretariat(user)


def access_municipality_by_code(user: Any, code: int) -> Municipality:
    """The municipality with this kommunekode if the user may see it; 404 if none, 403 if out of scope."""
    try:
        municipality = Municipality.objects.select_related("region").get(code=code)
    except Municipality.DoesNotExist:
        raise Http404(f"Der findes ingen kommune med kommunekode {code}.") from None
    if not can_view_municipality(user, municipality):
        raise PermissionDenied("Du har ikke adgang til denne kommune.")
    return municipality


def require_member_list(user: Any) -> None:
    if not can_view_member_list(user):
        raise PermissionDenied("Medlemslisten er kun for fællesskabets medlemmer og sekretariat.")
