"""Reads for onboarding's pages: the intakes, the planner's proposal, a checklist, the timeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch

from samvirke.directory.models import Fellesskab, Membership
from samvirke.onboarding.lib.checklist import RULES, Step
from samvirke.onboarding.lib.cohorts import CohortPlan, CohortRequest, plan_cohorts
from samvirke.onboarding.lib.timeline import Chart, TimelineCohort, TimelineMember, build_chart
from samvirke.onboarding.models import ChecklistItem, Cohort, Intake


def intakes(fellesskab: Fellesskab) -> list[Intake]:
    return list(
        Intake.objects.filter(fellesskab=fellesskab)
        .select_related("municipality", "cohort")
        .prefetch_related(Prefetch("checklist", queryset=ChecklistItem.objects.order_by("due", "id")))
    )


def readiness(fellesskab: Fellesskab) -> dict[int, bool]:
    """municipality id → ready for shifts (directory's fact)."""
    return dict(Membership.objects.filter(fellesskab=fellesskab).values_list("municipality_id", "ready_for_shifts"))


@dataclass(frozen=True)
class ProposedCohort:
    first_shift: dt.date
    intakes: list[Intake]
    whys: dict[int, str]  # intake id → why
    earliest: dict[int, dt.date]


def proposal(fellesskab: Fellesskab, max_cohort: int, notice_months: int) -> tuple[list[ProposedCohort], CohortPlan]:
    """The planner's proposal for the intakes not on a cohort yet."""
    waiting = [i for i in intakes(fellesskab) if i.cohort_id is None]
    by_code = {str(i.municipality.code): i for i in waiting}
    plan = plan_cohorts(
        [CohortRequest(code, i.notified_on, i.wished_start) for code, i in by_code.items()],
        {code: i.municipality.name for code, i in by_code.items()},
        max_cohort=max_cohort,
        notice_months=notice_months,
    )
    members = {m.kommunekode: m for m in plan.members}
    proposed = [
        ProposedCohort(
            cohort.first_shift,
            [by_code[code] for code in cohort.members],
            {by_code[code].pk: members[code].why for code in cohort.members},
            {by_code[code].pk: members[code].earliest_first_shift for code in cohort.members},
        )
        for cohort in plan.cohorts
    ]
    return proposed, plan


def timeline(fellesskab: Fellesskab, today: dt.date) -> Chart:
    ready = readiness(fellesskab)
    cohorts = Cohort.objects.filter(fellesskab=fellesskab).prefetch_related(
        Prefetch(
            "intakes",
            queryset=Intake.objects.select_related("municipality").prefetch_related("checklist"),
        )
    )
    rows = [
        TimelineCohort(
            title=f"Hold {number}: første vagt {cohort.first_shift:%d.%m.%Y}",
            first_shift=cohort.first_shift,
            members=tuple(
                TimelineMember(
                    name=intake.municipality.name,
                    notified_on=intake.notified_on,
                    first_shift=cohort.first_shift,
                    steps=tuple(
                        (RULES[Step(item.step)].label, item.due, item.done_on is not None)
                        for item in intake.checklist.all()
                    ),
                    ready=ready.get(intake.municipality_id, False),
                )
                for intake in cohort.intakes.all()
            ),
        )
        for number, cohort in enumerate(cohorts, start=1)
    ]
    return build_chart(rows, today)
