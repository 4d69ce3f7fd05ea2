"""The steps before a new member's first shift, their owners and due dates (seed 000 p. 8–9, "Tidsplan: Onboarding
af kommuner til DDH medlemsskab").

The seed's timeline runs from a start meeting (April) through the technical setup (IVR), the guides ("skal være
klar inden 1. vagt"), e-learning, the course day and listening in ("inden første vagt") to the first shift
(August/September), with the cooperation agreement signed along the way. The due dates count back from the first
shift over that span (about four months); the exact weeks are Samvirke's choice, written here once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    START_MEETING = "start_meeting"
    AGREEMENT_SIGNED = "agreement_signed"
    IVR_NUMBERS = "ivr_numbers"
    GUIDE_VARIANTS = "guide_variants"
    STAFF_TRAINED = "staff_trained"


class Owner(StrEnum):
    SECRETARIAT = "secretariat"
    MUNICIPALITY = "municipality"


OWNER_LABELS = {Owner.SECRETARIAT: "Sekretariatet", Owner.MUNICIPALITY: "Kommunen"}


@dataclass(frozen=True)
class StepRule:
    step: Step
    label: str
    owner: Owner
    weeks_before: int
    what: str


STEPS: tuple[StepRule, ...] = (
    StepRule(
        Step.START_MEETING,
        "Opstartsmøde",
        Owner.SECRETARIAT,
        12,
        "Gennemgang af procesplan og dokumenter med holdets kommuner.",
    ),
    StepRule(
        Step.AGREEMENT_SIGNED,
        "Samarbejdsaftale underskrevet",
        Owner.MUNICIPALITY,
        8,
        "Kommunen underskriver samarbejdsaftalen og er officielt med i fællesskabet.",
    ),
    StepRule(
        Step.IVR_NUMBERS,
        "IVR og numre sat op",
        Owner.SECRETARIAT,
        4,
        "Teknisk opsætning: kommunens hotline-nummer og valgmenu (IVR) peger på fællesskabets køer.",
    ),
    StepRule(
        Step.GUIDE_VARIANTS,
        "Guidevarianter klar",
        Owner.MUNICIPALITY,
        2,
        "Kommunens lokale varianter af guiderne er klar (skal være klar inden 1. vagt).",
    ),
    StepRule(
        Step.STAFF_TRAINED,
        "Agenter uddannet",
        Owner.MUNICIPALITY,
        1,
        "E-læring (2 timer), kursusdag og en dags med-lyt i en eksisterende kommune, inden første vagt.",
    ),
)
RULES = {rule.step: rule for rule in STEPS}


def due_date(step: Step, first_shift: dt.date) -> dt.date:
    """The step's due date: a whole number of weeks before the first shift (so the same weekday)."""
    return first_shift - dt.timedelta(weeks=RULES[step].weeks_before)


def checklist_for(first_shift: dt.date) -> list[tuple[StepRule, dt.date]]:
    """Every step with its due date, in the order they fall due."""
    return [(rule, due_date(rule.step, first_shift)) for rule in STEPS]
