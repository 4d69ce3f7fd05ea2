"""Every write of onboarding: intakes, cohorts, the checklist, and the readiness it decides. Each action runs in
one transaction and writes its audit entry; a refusal raises OnboardingError with a Danish sentence and changes
nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from samvirke.audit.actions import record
from samvirke.directory.models import Actor, Fellesskab, Line, Membership, MembershipStatus, Municipality
from samvirke.onboarding.lib.checklist import Step, checklist_for
from samvirke.onboarding.lib.cohorts import (
    DEFAULT_MAX_COHORT,
    DEFAULT_NOTICE_MONTHS,
    CohortRequest,
    day_da,
    earliest_first_shift,
    working_day,
)
from samvirke.onboarding.models import ChecklistItem, Cohort, Intake
from samvirke.training.selectors import qualified_agents


class OnboardingError(ValueError):
    """A request onboarding refuses; the message is Danish and shown to the user."""


@transaction.atomic
def do_create_intake(
    actor: Actor | None,
    fellesskab: Fellesskab,
    municipality: Municipality,
    contact_name: str,
    contact_email: str,
    notified_on: dt.date,
    wished_start: dt.date | None,
) -> Intake:
    """Register a municipality's wish to join; its membership becomes 'under onboarding' and not ready for shifts."""
    if wished_start is not None and wished_start < notified_on:
        raise OnboardingError("Ønsket start kan ikke ligge før den dag, sekretariatet fik besked.")
    if Intake.objects.filter(municipality=municipality).exists():
        raise OnboardingError(f"{municipality.name} har allerede en optagelse.")
    membership = Membership.objects.select_for_update().filter(fellesskab=fellesskab, municipality=municipality).first()
    if membership is not None and membership.status in (MembershipStatus.ACTIVE, MembershipStatus.ONBOARDING):
        raise OnboardingError(f"{municipality.name} er allerede {membership.get_status_display().lower()}.")
    if membership is None:
        membership = Membership(fellesskab=fellesskab, municipality=municipality)
    old_status = membership.status if membership.pk else ""
    membership.status = MembershipStatus.ONBOARDING
    membership.ready_for_shifts = False
    membership.left_on = None
    membership.member_since = None
    membership.save()
    intake = Intake.objects.create(
        fellesskab=fellesskab,
        municipality=municipality,
        contact_name=contact_name,
        contact_email=contact_email,
        notified_on=notified_on,
        wished_start=wished_start,
    )
    record(
        actor,
        "onboarding.intake_created",
        intake,
        {
            "municipality": municipality.code,
            "notified_on": notified_on.isoformat(),
            "wished_start": wished_start.isoformat() if wished_start else None,
            "membership_from": old_status,
        },
    )
    return intake


def _request(intake: Intake) -> CohortRequest:
    return CohortRequest(str(intake.municipality.code), intake.notified_on, intake.wished_start)


@transaction.atomic
def do_create_cohort(
    actor: Actor | None,
    fellesskab: Fellesskab,
    intake_ids: Sequence[int],
    first_shift: dt.date,
    max_cohort: int = DEFAULT_MAX_COHORT,
    notice_months: int = DEFAULT_NOTICE_MONTHS,
) -> Cohort:
    """A cohort of intakes sharing `first_shift`, each with its checklist (due dates counted back from it)."""
    intakes = list(
        # Lock the intakes only: PostgreSQL cannot lock the nullable side of the outer join to their cohort.
        Intake.objects.select_for_update(of=("self",))
        .filter(pk__in=intake_ids, fellesskab=fellesskab)
        .select_related("municipality", "cohort")
    )
    if not intakes or len(intakes) != len(set(intake_ids)):
        raise OnboardingError("Vælg mindst én kommune med en optagelse i fællesskabet.")
    if len(intakes) > max_cohort:
        raise OnboardingError(f"Et hold har højst {max_cohort} kommuner; du valgte {len(intakes)}.")
    if working_day(first_shift) != first_shift:
        raise OnboardingError(f"Første vagt {day_da(first_shift)} er ikke en hverdag.")
    for intake in intakes:
        if intake.cohort is not None:
            raise OnboardingError(
                f"{intake.municipality.name} står allerede på holdet med første vagt "
                f"{day_da(intake.cohort.first_shift)}; en kommune kan kun være på ét hold."
            )
        earliest, why = earliest_first_shift(_request(intake), notice_months)
        if first_shift < earliest:
            raise OnboardingError(
                f"{intake.municipality.name} kan tidligst have første vagt {day_da(earliest)} ({why}); "
                f"{day_da(first_shift)} ligger inden for varslet."
            )
    cohort = Cohort.objects.create(
        fellesskab=fellesskab, first_shift=first_shift, created_by=actor if actor and actor.is_authenticated else None
    )
    for intake in intakes:
        intake.cohort = cohort
        intake.save(update_fields=["cohort"])
        ChecklistItem.objects.bulk_create(
            ChecklistItem(intake=intake, step=rule.step.value, owner=rule.owner.value, due=due)
            for rule, due in checklist_for(first_shift)
        )
    record(
        actor,
        "onboarding.cohort_created",
        cohort,
        {"first_shift": first_shift.isoformat(), "members": sorted(i.municipality.code for i in intakes)},
    )
    return cohort


def _refresh_readiness(actor: Actor | None, intake: Intake) -> bool:
    """Set the member's readiness from its checklist (or the secretariat's override); True when ready. A member
    that becomes ready for the first time becomes active, a member since its cohort's first shift."""
    items = list(intake.checklist.all())
    done = bool(items) and all(item.done_on is not None for item in items)
    ready = done or bool(intake.override_reason)
    membership = Membership.objects.select_for_update().get(
        fellesskab=intake.fellesskab, municipality=intake.municipality
    )
    fields = []
    if membership.ready_for_shifts != ready:
        membership.ready_for_shifts = ready
        fields.append("ready_for_shifts")
    if ready and membership.status == MembershipStatus.ONBOARDING:
        membership.status = MembershipStatus.ACTIVE
        membership.member_since = intake.cohort.first_shift if intake.cohort else None
        fields += ["status", "member_since"]
    if fields:
        membership.save(update_fields=fields)
        record(
            actor,
            "onboarding.readiness_changed",
            membership,
            {"ready_for_shifts": ready, "status": membership.status, "by_override": ready and not done},
        )
    return ready


@transaction.atomic
def do_tick_item(actor: Actor | None, item: ChecklistItem, done: bool, on_date: dt.date) -> ChecklistItem:
    """Mark a checklist step done (or not done again); the member's readiness follows the whole checklist."""
    # The intake's row first: two people ticking the last two steps at once are served one after the other, so the
    # second sees the first's step done and the member becomes ready (on PostgreSQL each would otherwise miss the
    # other's uncommitted step).
    Intake.objects.select_for_update().get(pk=item.intake_id)
    item = ChecklistItem.objects.select_for_update(of=("self",)).select_related("intake__municipality").get(pk=item.pk)
    if done and item.done_on is not None:
        raise OnboardingError(f"'{item.get_step_display()}' er allerede markeret som udført.")
    if not done and item.done_on is None:
        raise OnboardingError(f"'{item.get_step_display()}' er ikke markeret som udført.")
    if (
        done
        and item.step == Step.STAFF_TRAINED
        and not qualified_agents(item.intake.municipality_id, Line.CITIZEN_SERVICE, on_date)
    ):
        # The step means what the training records say (seed 000: e-learning, course day and med-lyt before the first
        # call), not only a tick.
        raise OnboardingError(
            "Ingen af kommunens agenter er uddannet til hotlinen endnu (e-læring, kursusdag og med-lyt). Registrér "
            "uddannelsen under Uddannelse, og prøv igen."
        )
    item.done_on = on_date if done else None
    item.done_by = actor if done and actor is not None and actor.is_authenticated else None
    item.save(update_fields=["done_on", "done_by"])
    record(
        actor,
        "onboarding.step_done" if done else "onboarding.step_undone",
        item,
        {"municipality": item.intake.municipality.code, "step": item.step},
    )
    _refresh_readiness(actor, item.intake)
    return item


@transaction.atomic
def do_override_readiness(actor: Actor | None, intake: Intake, reason: str) -> Intake:
    """The secretariat lets a member take calls and shifts before its checklist is done, with a reason."""
    intake = (
        Intake.objects.select_for_update(of=("self",))
        .select_related("municipality", "fellesskab", "cohort")
        .get(pk=intake.pk)
    )
    reason = reason.strip()
    if not reason:
        raise OnboardingError("Skriv en begrundelse for at tilsidesætte tjeklisten.")
    if intake.override_reason:
        raise OnboardingError(f"Tjeklisten for {intake.municipality.name} er allerede tilsidesat.")
    if intake.cohort is None:
        raise OnboardingError(f"{intake.municipality.name} er ikke på et hold endnu; opret holdet først.")
    intake.override_reason = reason
    intake.save(update_fields=["override_reason"])
    record(actor, "onboarding.checklist_overridden", intake, {"reason": reason})
    _refresh_readiness(actor, intake)
    return intake
