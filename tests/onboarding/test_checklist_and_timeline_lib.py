"""The checklist's due dates (seed 000 p. 8–9) and the timeline's geometry, without a database."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from samvirke.onboarding.lib.checklist import STEPS, Owner, Step, checklist_for, due_date
from samvirke.onboarding.lib.timeline import LABEL_WIDTH, TimelineCohort, TimelineMember, build_chart


def test_the_five_steps_of_the_seed_with_owners() -> None:
    assert [rule.step for rule in STEPS] == [
        Step.START_MEETING,
        Step.AGREEMENT_SIGNED,
        Step.IVR_NUMBERS,
        Step.GUIDE_VARIANTS,
        Step.STAFF_TRAINED,
    ]
    owners = {rule.step: rule.owner for rule in STEPS}
    assert owners[Step.START_MEETING] == owners[Step.IVR_NUMBERS] == Owner.SECRETARIAT
    assert owners[Step.AGREEMENT_SIGNED] == owners[Step.STAFF_TRAINED] == Owner.MUNICIPALITY


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)))
def test_every_step_is_due_before_the_first_shift_in_order_on_its_weekday(first_shift: dt.date) -> None:
    dues = [due for _rule, due in checklist_for(first_shift)]
    assert dues == sorted(dues) and all(due < first_shift for due in dues)
    assert all(due.weekday() == first_shift.weekday() for due in dues)
    assert due_date(Step.STAFF_TRAINED, first_shift) == first_shift - dt.timedelta(weeks=1)


def _member(name: str, notified: dt.date, first: dt.date, done: int = 0) -> TimelineMember:
    steps = tuple((rule.label, due, i < done) for i, (rule, due) in enumerate(checklist_for(first)))
    return TimelineMember(name, notified, first, steps, ready=done == 5)


def test_the_chart_puts_earlier_dates_left_and_a_row_per_member() -> None:
    cohorts = [
        TimelineCohort(
            "Hold 1",
            dt.date(2026, 6, 2),
            (
                _member("Lejre", dt.date(2026, 3, 2), dt.date(2026, 6, 2), 5),
                _member("Greve", dt.date(2026, 3, 2), dt.date(2026, 6, 2)),
            ),
        ),
        TimelineCohort("Hold 2", dt.date(2026, 9, 1), (_member("Sorø", dt.date(2026, 4, 15), dt.date(2026, 9, 1)),)),
    ]
    chart = build_chart(cohorts, dt.date(2026, 5, 1))
    assert [row.label for row in chart.rows] == ["Lejre", "Greve", "Sorø"]
    assert [h.label for h in chart.headings] == ["Hold 1", "Hold 2"]
    lejre, _greve, soroe = chart.rows
    assert lejre.bar_x < soroe.bar_x and lejre.shift_x < soroe.shift_x
    assert all(LABEL_WIDTH <= mark.x <= chart.width for row in chart.rows for mark in row.marks)
    assert [mark.done for mark in lejre.marks] == [True] * 5 and lejre.ready and not soroe.ready
    assert chart.ticks[0].label == "mar 2026"  # the first notice, 2 March, starts the axis at 1 March
    assert chart.today_x is not None and lejre.bar_x < chart.today_x < lejre.shift_x
    assert chart.rows[1].y < chart.rows[2].y and chart.height > chart.rows[2].y


def test_an_empty_chart() -> None:
    chart = build_chart([], dt.date(2026, 5, 1))
    assert chart.rows == () and chart.today_x is None
