"""Every permission check on devices, stock, logistics tasks and day plans (issue 16), written once.

- The secretariat sees and works in every landsdel.
- A logistics operator's users (consent.OperatorUser of an operator of kind "logistics") see and work in their
  operator's landsdel: they receive and move units, complete installs, plan the day. Operator users of another kind
  (support, service, health) are refused here.
- Region staff see their region's landsdel, read-only.
- Everyone else (coordinators, agents, people without a role, operators of another landsdel) is refused (403).

Citizens' personal fields never come through here: pages read them through consent.disclosure (logged).
"""

from __future__ import annotations

from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from samvirke.consent.models import OperatorKind
from samvirke.consent.selectors import operator_of
from samvirke.directory.models import Actor, Person, Role
from samvirke.kits.models import DayPlan, LogisticsTask, Unit
from samvirke.telecare.models import Landsdel

REFUSED = "Udstyr og logistik er for sekretariatet, landsdelens logistikoperatør og regionen (kun læse)."


def _active_person(user: Actor | None) -> TypeGuard[Person]:
    return isinstance(user, Person) and user.is_authenticated and user.is_active


def visible_landsdele(user: Actor | None) -> QuerySet[Landsdel]:
    landsdele = Landsdel.objects.select_related("region")
    if not _active_person(user):
        return landsdele.none()
    operator = operator_of(user)
    if operator is not None:
        if operator.kind != OperatorKind.LOGISTICS:
            return landsdele.none()
        return landsdele.filter(pk=operator.landsdel_id)
    if user.role == Role.SECRETARIAT:
        return landsdele.all()
    if user.role == Role.REGION_STAFF and user.region_id is not None:
        return landsdele.filter(region_id=user.region_id)
    return landsdele.none()


def workable_landsdele(user: Actor | None) -> QuerySet[Landsdel]:
    """The landsdele the user may write in: the secretariat all, a logistics operator's users their own."""
    if not _active_person(user):
        return Landsdel.objects.none()
    operator = operator_of(user)
    if operator is not None:
        return visible_landsdele(user)
    if user.role == Role.SECRETARIAT:
        return Landsdel.objects.all()
    return Landsdel.objects.none()


def can_view_kits(user: Actor | None) -> TypeGuard[Person]:
    return visible_landsdele(user).exists()


def require_kits(user: Actor | None) -> Person:
    if not can_view_kits(user):
        raise PermissionDenied(REFUSED)
    assert isinstance(user, Person)
    return user


def can_work(user: Actor | None, landsdel: Landsdel) -> TypeGuard[Person]:
    return workable_landsdele(user).filter(pk=landsdel.pk).exists()


def require_work(user: Actor | None, landsdel: Landsdel) -> Person:
    if not can_work(user, landsdel):
        raise PermissionDenied("Du kan se, men ikke ændre, udstyr og logistik i denne landsdel.")
    assert isinstance(user, Person)
    return user


def _check(user: Actor | None, landsdel_id: int) -> None:
    require_kits(user)
    if not visible_landsdele(user).filter(pk=landsdel_id).exists():
        raise PermissionDenied("Du har ikke adgang til denne landsdels udstyr og logistik.")


def access_landsdel(user: Actor | None, slug: str) -> Landsdel:
    """The landsdel if the user may see its kits: 403 for outsiders (first), 404 if there is none."""
    require_kits(user)
    landsdel = Landsdel.objects.select_related("region").filter(slug=slug).first()
    if landsdel is None:
        raise Http404("Der findes ingen landsdel med det navn.")
    _check(user, landsdel.pk)
    return landsdel


def access_unit(user: Actor | None, pk: int) -> Unit:
    require_kits(user)
    unit = Unit.objects.select_related("model", "landsdel").filter(pk=pk).first()
    if unit is None:
        raise Http404("Der findes ingen enhed med det nummer.")
    _check(user, unit.landsdel_id)
    return unit


def access_task(user: Actor | None, pk: int) -> LogisticsTask:
    require_kits(user)
    task = (
        LogisticsTask.objects.select_related("citizen", "landsdel", "kit", "unit", "technician").filter(pk=pk).first()
    )
    if task is None:
        raise Http404("Der findes ingen opgave med det nummer.")
    _check(user, task.landsdel_id)
    return task


def access_plan(user: Actor | None, pk: int) -> DayPlan:
    require_kits(user)
    plan = DayPlan.objects.select_related("landsdel", "requested_by").filter(pk=pk).first()
    if plan is None:
        raise Http404("Der findes ingen dagsplan med det nummer.")
    _check(user, plan.landsdel_id)
    return plan
