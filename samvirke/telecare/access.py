"""Every permission check on telemedicine's figures, written once.

- The secretariat sees every landsdel and all its figures, and is the only one who writes (forecast, invoicing).
- Region staff see their own region's landsdel, all its figures.
- A municipal coordinator sees the landsdel of its municipality's region, but only its own municipality's rows
  (and the landsdel's totals): the other municipalities' rows are never sent.
- Agents, guide editors, people without a role and everyone outside the landsdel are refused (403).
"""

from __future__ import annotations

from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from samvirke.directory.access import is_secretariat
from samvirke.directory.models import Actor, Person, Role
from samvirke.telecare.models import Landsdel


def _active_person(user: Actor) -> TypeGuard[Person]:
    return isinstance(user, Person) and user.is_authenticated and user.is_active


def visible_landsdele(user: Actor) -> QuerySet[Landsdel]:
    landsdele = Landsdel.objects.select_related("region", "fellesskab")
    if not _active_person(user):
        return landsdele.none()
    if user.role == Role.SECRETARIAT:
        return landsdele.all()
    if user.role == Role.REGION_STAFF and user.region_id is not None:
        return landsdele.filter(region_id=user.region_id)
    if user.role == Role.COORDINATOR and user.municipality_id is not None:
        return landsdele.filter(region__municipalities=user.municipality_id)
    return landsdele.none()


def can_view_telecare(user: Actor) -> TypeGuard[Person]:
    return visible_landsdele(user).exists()


def require_telecare(user: Actor) -> Person:
    if not can_view_telecare(user):
        raise PermissionDenied("Telemedicin er for sekretariatet, regionen og kommunernes koordinatorer i landsdelen.")
    assert isinstance(user, Person)
    return user


def access_landsdel(user: Actor, slug: str) -> Landsdel:
    """The landsdel if the user may see it; 404 if there is none, 403 if it is not theirs."""
    landsdel = Landsdel.objects.select_related("region", "fellesskab").filter(slug=slug).first()
    if landsdel is None:
        raise Http404("Der findes ingen landsdel med det navn.")
    if not visible_landsdele(user).filter(pk=landsdel.pk).exists():
        raise PermissionDenied("Du har ikke adgang til denne landsdels telemedicin.")
    return landsdel


def visible_codes(user: Actor, landsdel: Landsdel) -> set[int] | None:
    """The kommunekoder whose rows the user may see in the landsdel: None for all (secretariat, region staff),
    else the coordinator's own municipality."""
    if is_secretariat(user) or (
        _active_person(user) and user.role == Role.REGION_STAFF and user.region_id == landsdel.region_id
    ):
        return None
    if _active_person(user) and user.role == Role.COORDINATOR and user.municipality is not None:
        return {user.municipality.code}
    return set()


def sees_region_rows(user: Actor, landsdel: Landsdel) -> bool:
    return visible_codes(user, landsdel) is None


def can_manage_telecare(user: Actor) -> TypeGuard[Person]:
    return is_secretariat(user)
