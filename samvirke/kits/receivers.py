"""kits listens to consent's signals (consent sits below and never imports kits): a referral, an enrolment or a
recorded consent gets the citizen's set-up task, the end of a course a take-down task — when the citizen's consent
covers the logistics operator. A referral usually comes before the consent, so the set-up task is mostly made when
the consent that covers logistics is recorded (`consent_recorded`).

Idempotent: one set-up task per citizen and course. A course's set-up task is one made after the citizen's latest
take-down task (a course ends with a take-down; a citizen enrolled again starts a new course); a cancelled task does
not count. The check runs with the citizen's row locked, inside the consent action's transaction, so two signals
for the same citizen make one task. Without logistics consent no task is made (kits.actions would refuse it).
Receivers never raise for a missing consent: a referral must not fail for want of a task."""

from __future__ import annotations

from typing import Any

from samvirke.consent.access import has_active_consent
from samvirke.consent.models import OperatorKind, ProgrammeCitizen
from samvirke.kits.models import LogisticsTask, TaskKind, TaskState


def _consented(citizen: ProgrammeCitizen) -> bool:
    return has_active_consent(citizen, OperatorKind.LOGISTICS)


def has_setup_for_course(citizen: ProgrammeCitizen) -> bool:
    """Whether the citizen's current course already has its set-up task (see the module's docstring)."""
    tasks = LogisticsTask.objects.filter(citizen=citizen).exclude(state=TaskState.CANCELLED)
    last_takedown = tasks.filter(kind=TaskKind.TAKEDOWN).order_by("-created_at", "-id").first()
    setups = tasks.filter(kind=TaskKind.SETUP)
    if last_takedown is not None:
        setups = setups.filter(id__gt=last_takedown.id)
    return setups.exists()


def _ensure_setup(citizen: ProgrammeCitizen, actor: Any) -> None:
    from samvirke.kits.actions import do_create_setup

    locked = ProgrammeCitizen.objects.select_for_update().get(pk=citizen.pk)
    if locked.ended_at is not None or has_setup_for_course(locked) or not _consented(locked):
        return
    do_create_setup(actor, locked)


def on_referred_or_enrolled(sender: Any, citizen: ProgrammeCitizen, actor: Any = None, **_: Any) -> None:
    _ensure_setup(citizen, actor)


def on_consent_recorded(sender: Any, citizen: ProgrammeCitizen, actor: Any = None, **_: Any) -> None:
    _ensure_setup(citizen, actor)


def on_course_ended(sender: Any, citizen: ProgrammeCitizen, actor: Any = None, **_: Any) -> None:
    from samvirke.kits.actions import do_create_takedown

    if _consented(citizen):
        do_create_takedown(actor, citizen)
