"""The rule "qualified for line X on day D" (seed 000, "Afhængigheder til kommune rekrutteringen"; the
health-app line, seed 001)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from samvirke.training.lib.qualification import (
    GENERAL_LINE,
    HEALTH_LINE,
    TrainingState,
    is_qualified,
    missing_steps,
    qualified_since,
)

D = dt.date(2026, 11, 2)
FULL = TrainingState(elearning=D, course_day=D + dt.timedelta(days=3), medlyt=D + dt.timedelta(days=10))


def test_the_general_line_needs_elearning_course_day_and_medlyt() -> None:
    assert qualified_since(FULL, GENERAL_LINE) == D + dt.timedelta(days=10)
    assert not is_qualified(FULL, GENERAL_LINE, D + dt.timedelta(days=9))
    assert is_qualified(FULL, GENERAL_LINE, D + dt.timedelta(days=10))
    for step in ("elearning", "course_day", "medlyt"):
        partial = TrainingState(**{**FULL.__dict__, step: None})
        assert not is_qualified(partial, GENERAL_LINE, D + dt.timedelta(days=100)), step


def test_the_health_line_needs_the_module_as_well() -> None:
    assert not is_qualified(FULL, HEALTH_LINE, D + dt.timedelta(days=100))
    assert missing_steps(FULL, HEALTH_LINE, D + dt.timedelta(days=100)) == ["modul om sundhedsapps-linjen"]
    trained = TrainingState(**{**FULL.__dict__, "health_module": D + dt.timedelta(days=20)})
    assert qualified_since(trained, HEALTH_LINE) == D + dt.timedelta(days=20)
    assert is_qualified(trained, GENERAL_LINE, D + dt.timedelta(days=10))


def test_missing_steps_are_named_in_order_and_an_unknown_line_is_refused() -> None:
    assert missing_steps(TrainingState(), GENERAL_LINE, D) == ["e-læring (2 timer)", "kursusdag", "med-lyt-dag"]
    assert missing_steps(FULL, GENERAL_LINE, D) == ["kursusdag", "med-lyt-dag"]  # done later than D
    with pytest.raises(ValueError, match="Ukendt linje"):
        qualified_since(FULL, "fax")


dates = st.one_of(st.none(), st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31)))


@given(dates, dates, dates, dates, st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2028, 12, 31)))
def test_health_qualified_implies_general_qualified_and_is_monotone(
    elearning: dt.date | None, course: dt.date | None, medlyt: dt.date | None, module: dt.date | None, on: dt.date
) -> None:
    state = TrainingState(elearning, course, medlyt, module)
    if is_qualified(state, HEALTH_LINE, on):
        assert is_qualified(state, GENERAL_LINE, on)
    for line in (GENERAL_LINE, HEALTH_LINE):
        if is_qualified(state, line, on):
            assert is_qualified(state, line, on + dt.timedelta(days=1))  # never unqualified later
        assert is_qualified(state, line, on) == (missing_steps(state, line, on) == [])
