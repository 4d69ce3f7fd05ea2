import datetime as dt
from fractions import Fraction

import pytest

from samvirke.kits.lib import benchmark as bm

D = dt.date


@pytest.mark.parametrize(
    ("referred", "urgency", "due"),
    [
        # Easter 2026: Skærtorsdag 2/4, Langfredag 3/4, 2. påskedag 6/4 closed.
        (D(2026, 4, 1), "urgent", D(2026, 4, 8)),
        (D(2026, 4, 1), "standard", D(2026, 4, 22)),
        # Easter 2027: 25/3, 26/3 and 29/3 closed.
        (D(2027, 3, 24), "urgent", D(2027, 3, 31)),
        (D(2027, 3, 24), "standard", D(2027, 4, 14)),
        # Christmas 2026: 24, 25 Dec (Thu, Fri), 31 Dec and 1 Jan closed.
        (D(2026, 12, 23), "urgent", D(2026, 12, 29)),
        (D(2026, 12, 23), "standard", D(2027, 1, 14)),
        (D(2026, 12, 29), "urgent", D(2027, 1, 4)),  # 30 Dec, then 31 Dec and 1 Jan closed, weekend → Mon 4 Jan
        # An ordinary week: Monday + 2 = Wednesday; + 12 = Tuesday two weeks on.
        (D(2026, 3, 2), "urgent", D(2026, 3, 4)),
        (D(2026, 3, 2), "standard", D(2026, 3, 18)),
        # A Saturday referral counts from Monday.
        (D(2026, 3, 7), "urgent", D(2026, 3, 10)),
        # Grundlovsdag (Fri 5 June 2026) is closed.
        (D(2026, 6, 3), "urgent", D(2026, 6, 8)),
    ],
)
def test_due_dates_skip_weekends_and_danish_closed_days(referred, urgency, due):
    assert bm.due_date(referred, urgency) == due


def test_christmas_days_are_not_working_days():
    for day in (24, 25, 26, 31):
        assert not bm.is_working_day(D(2025, 12, day))
    assert bm.is_working_day(D(2025, 12, 29))


def test_working_days_between_counts_the_end_not_the_start():
    assert bm.working_days_between(D(2026, 4, 1), D(2026, 4, 8)) == 2
    assert bm.working_days_between(D(2026, 4, 8), D(2026, 4, 1)) == -2
    assert bm.working_days_between(D(2026, 4, 1), D(2026, 4, 1)) == 0


def at(day, hour, minute=0):
    return dt.datetime(day.year, day.month, day.day, hour, minute)


def test_standard_states_from_ok_to_warning_to_breached():
    referred = D(2026, 3, 2)  # due Wed 18 March
    assert bm.benchmark_status(referred, "standard", at(D(2026, 3, 13), 12)).state == bm.OK
    monday = bm.benchmark_status(referred, "standard", at(D(2026, 3, 16), 8))
    assert monday.state == bm.OK and monday.days_left == 3
    tuesday = bm.benchmark_status(referred, "standard", at(D(2026, 3, 17), 8))
    assert tuesday.state == bm.WARNING and tuesday.days_left == 2
    due_day = bm.benchmark_status(referred, "standard", at(D(2026, 3, 18), 15))
    assert due_day.state == bm.WARNING and due_day.days_left == Fraction(1, 8)
    late = bm.benchmark_status(referred, "standard", at(D(2026, 3, 19), 9))
    assert late.state == bm.BREACHED and late.days_left == -1


def test_urgent_warns_from_noon_on_the_due_day():
    referred = D(2026, 4, 1)  # due Wed 8 April
    assert bm.benchmark_status(referred, "urgent", at(D(2026, 4, 7), 15)).state == bm.OK
    assert bm.benchmark_status(referred, "urgent", at(D(2026, 4, 8), 11, 59)).state == bm.OK
    assert bm.benchmark_status(referred, "urgent", at(D(2026, 4, 8), 12)).state == bm.WARNING
    # Over Easter nothing counts down: Thursday to Monday the same whole days are left.
    assert bm.benchmark_status(referred, "urgent", at(D(2026, 4, 3), 10)).days_left == 2
    assert bm.benchmark_status(referred, "urgent", at(D(2026, 4, 9), 8)).state == bm.BREACHED


def test_installed_is_met_or_late_with_the_working_days_used():
    met = bm.benchmark_status(D(2026, 12, 23), "urgent", at(D(2027, 1, 5), 9), installed_on=D(2026, 12, 29))
    assert (met.state, met.working_days_used, met.label) == (bm.MET, 2, "Overholdt")
    late = bm.benchmark_status(D(2026, 12, 23), "urgent", at(D(2027, 1, 5), 9), installed_on=D(2026, 12, 30))
    assert (late.state, late.working_days_used) == (bm.LATE, 3)


def test_unknown_urgency_and_negative_counts_are_refused():
    with pytest.raises(ValueError, match="hastegrad"):
        bm.due_date(D(2026, 1, 5), "asap")
    with pytest.raises(ValueError):
        bm.add_working_days(D(2026, 1, 5), -1)
