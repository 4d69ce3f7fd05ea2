"""kits listens to consent's signals (consent sits below and never imports kits): a referral or an enrolment gets its
set-up task, the end of a course a take-down task — when the citizen's consent covers the logistics operator.
Without that consent no task is made (kits.actions refuses it); the miss is in the audit and the task is created by
hand once consent is recorded. Receivers never raise: a referral must not fail for want of a task."""

from __future__ import annotations

from typing import Any

from samvirke.consent.access import has_active_consent
from samvirke.consent.models import OperatorKind, ProgrammeCitizen
from samvirke.kits.models import LogisticsTask, TaskKind


def _consented(citizen: ProgrammeCitizen) -> bool:
    return has_active_consent(citizen, OperatorKind.LOGISTICS)


def on_referred_or_enrolled(sender: Any, citizen: ProgrammeCitizen, actor: Any = None, **_: Any) -> None:
    from samvirke.kits.actions import do_create_setup

    if LogisticsTask.objects.filter(citizen=citizen, kind=TaskKind.SETUP).exists() or not _consented(citizen):
        return
    do_create_setup(actor, citizen)


def on_course_ended(sender: Any, citizen: ProgrammeCitizen, actor: Any = None, **_: Any) -> None:
    from samvirke.kits.actions import do_create_takedown

    if _consented(citizen):
        do_create_takedown(actor, citizen)
