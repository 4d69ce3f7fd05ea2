"""Every permission check on telemedicine support, written once.

- The secretariat sees every landsdel's support desk, cases, trees and steering data, and may do everything.
- A support operator's users (consent's OperatorUser of kind "support") see their own landsdel's desk and cases,
  work them (open, walk, forward, follow up, close, lessons, requests to Service) and edit its problem trees.
- Region staff see their region's landsdel read-only, and its steering data (the landsdel secretariat's figures).
- Everyone else (coordinators, agents of the hotline, other operator kinds, people without a role) is refused.

A citizen's personal fields are never read here: pages ask consent.disclosure, which checks the field and the
consent again and logs the disclosure.
"""

from __future__ import annotations

from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from samvirke.consent.models import OperatorKind
from samvirke.consent.selectors import operator_of
from samvirke.directory.models import Actor, Person, Role
from samvirke.telecare.models import Landsdel
from samvirke.telesupport.models import ProblemTree, SupportCase


def _active_person(user: Actor | None) -> TypeGuard[Person]:
    return isinstance(user, Person) and user.is_authenticated and user.is_active


def _support_landsdel_id(user: Person) -> int | None:
    operator = operator_of(user)
    if operator is not None and operator.kind == OperatorKind.SUPPORT:
        return operator.landsdel_id
    return None


def visible_landsdele(user: Actor | None) -> QuerySet[Landsdel]:
    """The landsdele whose support the user may see."""
    landsdele = Landsdel.objects.select_related("region")
    if not _active_person(user):
        return landsdele.none()
    own = _support_landsdel_id(user)
    if own is not None:
        return landsdele.filter(pk=own)
    if operator_of(user) is not None:
        return landsdele.none()
    if user.role == Role.SECRETARIAT:
        return landsdele.all()
    if user.role == Role.REGION_STAFF and user.region_id is not None:
        return landsdele.filter(region_id=user.region_id)
    return landsdele.none()


def can_view_support(user: Actor | None) -> TypeGuard[Person]:
    return visible_landsdele(user).exists()


def require_support(user: Actor | None) -> Person:
    if not can_view_support(user):
        raise PermissionDenied("Telemedicinsk support er for sekretariatet, regionen og landsdelens supportoperatør.")
    assert isinstance(user, Person)
    return user


def can_work_cases(user: Actor | None, landsdel: Landsdel) -> TypeGuard[Person]:
    """Writes on the landsdel's cases: its support operator's users and the secretariat."""
    if not _active_person(user):
        return False
    if _support_landsdel_id(user) == landsdel.pk:
        return True
    return operator_of(user) is None and user.role == Role.SECRETARIAT


def require_work_cases(user: Actor | None, landsdel: Landsdel) -> Person:
    if not can_work_cases(user, landsdel):
        raise PermissionDenied("Kun landsdelens supportoperatør og sekretariatet arbejder med supportsagerne.")
    assert isinstance(user, Person)
    return user


can_edit_trees = can_work_cases


def require_edit_trees(user: Actor | None, landsdel: Landsdel) -> Person:
    if not can_edit_trees(user, landsdel):
        raise PermissionDenied("Kun sekretariatet og landsdelens supportoperatør redigerer problemtræerne.")
    assert isinstance(user, Person)
    return user


def can_view_steering(user: Actor | None, landsdel: Landsdel) -> TypeGuard[Person]:
    """The steering data: the secretariat and the landsdel's region staff (not the operators)."""
    if not _active_person(user) or operator_of(user) is not None:
        return False
    if user.role == Role.SECRETARIAT:
        return True
    return user.role == Role.REGION_STAFF and user.region_id == landsdel.region_id


def access_landsdel(user: Actor | None, slug: str) -> Landsdel:
    """The landsdel if the user may see its support; 404 if there is none, 403 if not theirs."""
    require_support(user)
    landsdel = Landsdel.objects.select_related("region").filter(slug=slug).first()
    if landsdel is None:
        raise Http404("Der findes ingen landsdel med det navn.")
    if not visible_landsdele(user).filter(pk=landsdel.pk).exists():
        raise PermissionDenied("Du har ikke adgang til denne landsdels support.")
    return landsdel


def access_steering(user: Actor | None, slug: str) -> Landsdel:
    landsdel = Landsdel.objects.select_related("region").filter(slug=slug).first()
    if landsdel is None:
        if not _active_person(user):
            raise PermissionDenied("Log ind.")
        raise Http404("Der findes ingen landsdel med det navn.")
    if not can_view_steering(user, landsdel):
        raise PermissionDenied("Styringsdata er for sekretariatet og landsdelens region.")
    return landsdel


def access_case(user: Actor | None, pk: int) -> SupportCase:
    require_support(user)
    case = SupportCase.objects.select_related("landsdel", "citizen", "unit").filter(pk=pk).first()
    if case is None:
        raise Http404("Der findes ingen supportsag med det nummer.")
    if not visible_landsdele(user).filter(pk=case.landsdel_id).exists():
        raise PermissionDenied("Du har ikke adgang til denne supportsag.")
    return case


def access_tree(user: Actor | None, slug: str, device_kind: str) -> ProblemTree:
    landsdel = access_landsdel(user, slug)
    tree = ProblemTree.objects.select_related("landsdel").filter(landsdel=landsdel, device_kind=device_kind).first()
    if tree is None:
        raise Http404("Der findes intet problemtræ for det udstyr.")
    return tree
