"""Pure parts of a background rota build (samvirke.staffing.lib.builds: deadlines, progress) and of the counts the
week list and week page share (samvirke.staffing.lib.planning). No database."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from samvirke.staffing.lib import builds
from samvirke.staffing.lib.planning import interval_moment, scheduled_per_interval, uncovered_half_hours
from samvirke.staffing.lib.rota import Interval

LOCAL = ZoneInfo("Europe/Copenhagen")
T0 = dt.datetime(2026, 12, 14, 10, 0, tzinfo=LOCAL)
MINUTE = dt.timedelta(minutes=1)


def at(seconds: float) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


# --- when a build counts as crashed --------------------------------------------------------------------------


def test_a_queued_build_waits_ten_minutes_for_a_worker() -> None:
    assert builds.stalled_reason(builds.QUEUED, T0, None, 30, T0 + 10 * MINUTE) is None
    reason = builds.stalled_reason(builds.QUEUED, T0, None, 30, T0 + 10 * MINUTE + dt.timedelta(seconds=1))
    assert reason is not None and "ingen baggrundsworker" in reason and "Intet er gemt" in reason


def test_the_solver_gets_its_time_limit_and_a_margin() -> None:
    started = at(5)
    limit = started + dt.timedelta(seconds=120) + builds.SILENCE_MARGIN
    assert builds.deadline(builds.SOLVING, T0, started, 120) == limit
    assert builds.stalled_reason(builds.SOLVING, T0, started, 120, limit) is None
    late = builds.stalled_reason(builds.SOLVING, T0, started, 120, limit + dt.timedelta(seconds=1))
    assert late is not None and "«løser (cp-sat)»" in late


def test_the_other_phases_get_the_margin_from_their_start() -> None:
    for state in (builds.FORECASTING, builds.SIMULATING):
        assert builds.deadline(state, T0, at(60), 30) == at(60) + builds.SILENCE_MARGIN


def test_a_finished_build_has_no_deadline() -> None:
    for state in (builds.DONE, builds.FAILED):
        assert builds.deadline(state, T0, T0, 30) is None
        assert builds.stalled_reason(state, T0, T0, 30, T0 + dt.timedelta(days=30)) is None


# --- what the page shows --------------------------------------------------------------------------------------


def steps(progress: builds.Progress) -> list[tuple[str, str]]:
    return [(step.name, step.state) for step in progress.steps]


def test_solving_shows_the_steps_so_far_and_the_time_spent_of_the_limit() -> None:
    shown = builds.progress(builds.SOLVING, T0, at(1), at(3), None, 30, "", at(15))
    assert shown.active and not shown.failed
    assert steps(shown) == [
        ("I kø", "done"),
        ("Prognose og behov", "done"),
        ("Løser (CP-SAT)", "current"),
        ("Simulerer og gemmer", "todo"),
        ("Færdig", "todo"),
    ]
    assert shown.detail.startswith("12 af højst 30 sekunder") and shown.fraction == 12 / 30


def test_the_time_shown_stops_at_the_limit() -> None:
    shown = builds.progress(builds.SOLVING, T0, T0, T0, None, 30, "", at(45))
    assert shown.detail.startswith("30 af højst 30 sekunder") and shown.fraction == 1.0


def test_done_says_when_and_how_long_it_took() -> None:
    shown = builds.progress(builds.DONE, T0, at(2), at(30), at(36), 30, "", at(100))
    assert not shown.active and all(state == "done" for _, state in steps(shown))
    assert shown.detail == "Bygget kl. 10.00 på 34 sekunder."


def test_failed_shows_the_reason_and_where_it_stopped() -> None:
    shown = builds.progress(builds.FAILED, T0, at(1), at(2), at(3), 30, "Ingen medlemmer.", at(10), builds.FORECASTING)
    assert shown.failed and not shown.active and shown.headline == "Fejlet" and shown.detail == "Ingen medlemmer."
    assert [state for _, state in steps(shown)] == ["done", "current", "todo", "todo", "todo"]


def test_a_stalled_build_shows_as_failed_before_anyone_writes_it_down() -> None:
    shown = builds.progress(builds.SOLVING, T0, T0, T0, None, 30, "", T0 + dt.timedelta(minutes=10))
    assert shown.failed and not shown.active and "holdt op med at melde tilbage" in shown.detail
    assert ("Løser (CP-SAT)", "current") in steps(shown)


# --- one count of agents per half-hour and of uncovered half-hours --------------------------------------------


def naive_scheduled(
    intervals: list[Interval], shifts: list[tuple[dt.datetime, dt.datetime]], week_start: dt.date
) -> list[int]:
    """The definition: an agent is on duty in an interval when the shift overlaps it."""
    counts = []
    for interval in intervals:
        begin = interval_moment(interval, week_start)
        end = begin + dt.timedelta(minutes=interval.minutes)
        counts.append(sum(1 for start, stop in shifts if start < end and stop > begin))
    return counts


MONDAY = dt.date(2026, 12, 14)
OPEN_HALF_HOURS = [
    Interval(day, dt.time(hour, minute), 30) for day in range(5) for hour in range(8, 20) for minute in (0, 30)
]


@st.composite
def shifts_in_the_week(draw: st.DrawFn) -> list[tuple[dt.datetime, dt.datetime]]:
    found = []
    for _ in range(draw(st.integers(0, 30))):
        start = dt.datetime.combine(MONDAY, dt.time(0), tzinfo=LOCAL) + dt.timedelta(
            minutes=15 * draw(st.integers(0, 7 * 96))
        )
        found.append((start, start + dt.timedelta(minutes=15 * draw(st.integers(1, 40)))))
    return found


@settings(max_examples=200, deadline=None)
@given(shifts=shifts_in_the_week(), keep=st.lists(st.booleans(), min_size=120, max_size=120), reverse=st.booleans())
def test_the_fast_count_of_agents_on_duty_matches_the_definition(
    shifts: list[tuple[dt.datetime, dt.datetime]], keep: list[bool], reverse: bool
) -> None:
    intervals = [interval for interval, kept in zip(OPEN_HALF_HOURS, keep, strict=True) if kept]  # gaps too
    if reverse:
        intervals.reverse()  # any order in, counts in the same order out
    utc_shifts = [(start.astimezone(dt.UTC), stop.astimezone(dt.UTC)) for start, stop in shifts]  # as from the db
    assert scheduled_per_interval(intervals, utc_shifts, MONDAY) == naive_scheduled(intervals, utc_shifts, MONDAY)


def test_uncovered_half_hours_count_half_hours_not_missing_agents() -> None:
    assert uncovered_half_hours([1, 2, 3, 0, 2], [1, 0, 2, 0, 3]) == 2  # two short by 2 and by 1
