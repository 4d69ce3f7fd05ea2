"""Who may take calls on which line (seed 000, "Afhængigheder til kommune rekrutteringen"): an agent takes calls
on the general hotline after the e-learning
(2 hours), the course day and a med-lyt day (listening in at an existing member); the health-app line (seed 001)
also needs the health-line module, and the telemedicine line (seed 003, ch. 3: support for the COPD programme's
equipment) its own module. Pure: dates in, dates out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

GENERAL_LINE = "citizen_service"  # directory.models.Line's values
HEALTH_LINE = "health_apps"
TELEMEDICINE_LINE = "telemedicine"
LINES = (GENERAL_LINE, HEALTH_LINE, TELEMEDICINE_LINE)

STEP_NAMES = {
    "elearning": "e-læring (2 timer)",
    "course_day": "kursusdag",
    "medlyt": "med-lyt-dag",
    "health_module": "modul om sundhedsapps-linjen",
    "telemedicine_module": "modul om telemedicin-linjen",
}
_STEPS_FOR_LINE = {
    GENERAL_LINE: ("elearning", "course_day", "medlyt"),
    HEALTH_LINE: ("elearning", "course_day", "medlyt", "health_module"),
    TELEMEDICINE_LINE: ("elearning", "course_day", "medlyt", "telemedicine_module"),
}


@dataclass(frozen=True)
class TrainingState:
    """The dates an agent finished each step (None: not yet). `medlyt` is the first med-lyt day attended."""

    elearning: dt.date | None = None
    course_day: dt.date | None = None
    medlyt: dt.date | None = None
    health_module: dt.date | None = None
    telemedicine_module: dt.date | None = None

    def done_on(self, step: str) -> dt.date | None:
        value: dt.date | None = getattr(self, step)
        return value


def steps_for(line: str) -> tuple[str, ...]:
    try:
        return _STEPS_FOR_LINE[line]
    except KeyError:
        raise ValueError(f"Ukendt linje: {line}") from None


def qualified_since(state: TrainingState, line: str) -> dt.date | None:
    """The first day the agent is qualified for the line: the day the last required step was done; None if a step
    is missing."""
    dates = [state.done_on(step) for step in steps_for(line)]
    if any(day is None for day in dates):
        return None
    return max(day for day in dates if day is not None)


def is_qualified(state: TrainingState, line: str, on: dt.date) -> bool:
    """Qualified for `line` on `on`: every step of the line done on or before that day."""
    since = qualified_since(state, line)
    return since is not None and since <= on


def missing_steps(state: TrainingState, line: str, on: dt.date) -> list[str]:
    """The steps (their Danish names) not done by `on`, in the order an agent takes them."""
    missing = []
    for step in steps_for(line):
        day = state.done_on(step)
        if day is None or day > on:
            missing.append(STEP_NAMES[step])
    return missing
