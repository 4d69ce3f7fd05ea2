"""Every permission check on onboarding, written once: the secretariat plans (intakes, cohorts, the timeline, an
override); a joining member's coordinator sees and ticks its own checklist. Views never fetch an intake another way."""

from __future__ import annotations

from typing import TypeGuard

from django.core.exceptions import PermissionDenied
from django.http import Http404

from samvirke.directory.access import belongs_to_fellesskab, is_secretariat
from samvirke.directory.models import Actor, Person, Role
from samvirke.onboarding.models import ChecklistItem, Intake


def can_plan(user: Actor) -> TypeGuard[Person]:
    return is_secretariat(user)


def require_planner(user: Actor) -> Person:
    if not can_plan(user):
        raise PermissionDenied("Kun sekretariatet planlægger optagelsen af nye kommuner.")
    return user


def can_work_checklist(user: Actor, intake: Intake) -> TypeGuard[Person]:
    """The secretariat, or the coordinator of the joining municipality."""
    if is_secretariat(user):
        return True
    return (
        belongs_to_fellesskab(user)
        and user.role == Role.COORDINATOR
        and user.municipality_id is not None
        and user.municipality_id == intake.municipality_id
    )


def access_intake_by_code(user: Actor, code: int) -> Intake:
    """The intake of the municipality with this kommunekode if the user may work its checklist; 404/403."""
    try:
        intake = Intake.objects.select_related("municipality", "cohort", "fellesskab").get(municipality__code=code)
    except Intake.DoesNotExist:
        raise Http404(f"Der er ingen optagelse for kommunekode {code}.") from None
    if not can_work_checklist(user, intake):
        raise PermissionDenied("Du har ikke adgang til denne kommunes optagelse.")
    return intake


def access_item(user: Actor, intake: Intake, pk: int) -> ChecklistItem:
    try:
        return intake.checklist.get(pk=pk)
    except ChecklistItem.DoesNotExist:
        raise Http404("Tjeklistepunktet findes ikke.") from None


def own_intake_code(user: Actor) -> int | None:
    """The kommunekode of the coordinator's own joining municipality, for the menu (None if it has no intake)."""
    if not belongs_to_fellesskab(user) or user.role != Role.COORDINATOR or user.municipality_id is None:
        return None
    intake = Intake.objects.filter(municipality_id=user.municipality_id).select_related("municipality").first()
    return intake.municipality.code if intake else None
