"""The cohort planner (seed 000 p. 8–9): month arithmetic, the notice and summer rule, cohort size, the golden plan
for the 17 Sjælland municipalities, and property tests for each rule."""

from __future__ import annotations

import calendar
import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samvirke.core.lib.hours import is_closed_day
from samvirke.onboarding.lib.cohorts import (
    CohortPlan,
    CohortRequest,
    add_months,
    includes_july,
    notice_end,
    parse_requests,
    plan_cohorts,
    plan_to_json,
    working_day,
)

DATA = Path(__file__).resolve().parents[1] / "data"
SJAELLAND = {
    line.split(",")[1]: line.split(",")[0]
    for line in (DATA / "sjaelland17.csv").read_text(encoding="utf-8").splitlines()[1:]
}
KNOWN = {**SJAELLAND, "101": "København", "147": "Frederiksberg"}
D = dt.date


# --- month arithmetic -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),  # leap year
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2026, 3, 31), 3, D(2026, 6, 30)),
        (D(2026, 11, 15), 3, D(2027, 2, 15)),  # over the new year
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 5, 31), -1, D(2026, 4, 30)),
        (D(2026, 5, 10), 0, D(2026, 5, 10)),
        (D(2026, 5, 10), 12, D(2027, 5, 10)),
    ],
)
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2900, 1, 1)), st.integers(min_value=0, max_value=60))
def test_add_months_keeps_the_day_or_takes_the_months_last(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)
    assert result >= day


def test_includes_july_is_half_open() -> None:
    assert not includes_july(D(2026, 4, 1), D(2026, 7, 1))  # the first shift on 1 July: the notice ends 30 June
    assert includes_july(D(2026, 4, 2), D(2026, 7, 2))
    assert includes_july(D(2026, 7, 31), D(2026, 8, 1))
    assert not includes_july(D(2026, 8, 1), D(2027, 7, 1))
    assert includes_july(D(2026, 8, 1), D(2027, 7, 2))


def test_notice_end_adds_a_month_over_the_summer() -> None:
    assert notice_end(D(2026, 2, 1), 3) == (D(2026, 5, 1), False)
    assert notice_end(D(2026, 4, 2), 3) == (D(2026, 8, 2), True)
    assert notice_end(D(2026, 6, 15), 3) == (D(2026, 10, 15), True)
    assert notice_end(D(2026, 8, 1), 3) == (D(2026, 11, 1), False)


def test_working_day_skips_weekends_and_closed_days() -> None:
    assert working_day(D(2026, 8, 15)) == D(2026, 8, 17)  # Saturday → Monday
    assert working_day(D(2026, 12, 24)) == D(2026, 12, 28)  # Juleaften, juledag, 2. juledag, weekend
    assert working_day(D(2026, 6, 5)) == D(2026, 6, 8)  # Grundlovsdag (a Friday)
    assert working_day(D(2026, 6, 2)) == D(2026, 6, 2)


# --- the golden plan --------------------------------------------------------------------------------------------


def test_golden_plan_for_the_17_sjaelland_municipalities() -> None:
    requests = parse_requests((DATA / "sjaelland17_cohort_requests.csv").read_text(encoding="utf-8"))
    assert len(requests) == 17
    result = plan_to_json(plan_cohorts(requests, KNOWN))
    assert result["refused"] == []
    assert [(c["first_shift"], c["members"]) for c in result["cohorts"]] == [
        # notified 2 March: 3 months → 2 June (the wish, 1 June, is earlier); 9 members: 7 + 2 a week later
        ("2026-06-02", ["253", "259", "265", "269", "316", "320", "326"]),
        ("2026-06-09", ["329", "350"]),
        # notified 15 April: 3 months would include July → 4 months → 15 August (the wish, 1 August, is earlier),
        # a Saturday → Monday 17 August
        ("2026-08-17", ["330", "340", "370"]),
        # notified 4 May: 4 months (July) → 4 September; the wish, 1 October, is later
        ("2026-10-01", ["306", "336", "360", "376", "390"]),
    ]
    members = {m["kommunekode"]: m for m in result["members"]}
    assert set(members) == set(SJAELLAND)
    assert members["350"]["earliest_first_shift"] == "2026-06-02"
    assert members["350"]["first_shift"] == "2026-06-09"
    assert "hold 1 (2. juni 2026) var fuldt (7 kommuner)" in members["350"]["why"]
    assert "3 + 1, fordi varslingsperioden omfatter juli" in members["370"]["why"]
    assert "ønsket start 1. oktober 2026 er senere" in members["390"]["why"]
    assert "15. august 2026 er lørdag; første hverdag er mandag 17. august 2026" in members["370"]["why"]
    assert all(m["why"].startswith("Tidligst ") for m in result["members"])


def test_refusals_have_reasons_and_the_rest_is_planned() -> None:
    text = (
        "kommunekode;notified_on;wished_start\n"
        "253;2026-03-02;2026-06-01\n"
        "259;2026-03-02;2026-02-01\n"  # wished before notified
        "999;2026-03-02;\n"  # unknown
        "265;2026-03-02;\n"
        "265;2026-04-02;\n"  # duplicate
        "269;2. marts;\n"  # not a date
        "0101;2026-03-02;\n"  # leading zero: København
    )
    plan = plan_cohorts(parse_requests(text), KNOWN)
    reasons = {r.kommunekode: r.reason for r in plan.refused}
    assert "før varslet" in reasons["259"]
    assert "ikke en kendt kommunekode" in reasons["999"]
    assert "står i 2 rækker" in reasons["265"]
    assert "ikke en dato" in reasons["269"]
    assert [r.kommunekode for r in plan.refused].count("265") == 2
    assert [m.kommunekode for m in plan.members] == ["101", "253"]


def test_a_file_without_the_columns_is_refused_whole() -> None:
    with pytest.raises(ValueError, match="kolonnerne kommunekode,notified_on,wished_start"):
        parse_requests("kode,dato\n253,2026-01-01\n")
    with pytest.raises(ValueError):
        parse_requests("")


def test_bad_parameters() -> None:
    with pytest.raises(ValueError, match="mindst 1"):
        plan_cohorts([], KNOWN, max_cohort=0)
    with pytest.raises(ValueError, match="negativt"):
        plan_cohorts([], KNOWN, notice_months=-1)


# --- properties -------------------------------------------------------------------------------------------------

CODES = sorted(SJAELLAND)


@st.composite
def request_sets(draw: st.DrawFn) -> list[CohortRequest]:
    codes = draw(st.lists(st.sampled_from(CODES), unique=True, max_size=17))
    requests = []
    for code in codes:
        notified = draw(st.dates(min_value=D(2025, 1, 1), max_value=D(2027, 12, 31)))
        wished = draw(st.none() | st.dates(min_value=notified, max_value=D(2028, 12, 31)))
        requests.append(CohortRequest(code, notified, wished))
    return requests


PLAN_ARGS = st.tuples(request_sets(), st.integers(1, 8), st.integers(0, 6), st.integers(0, 21))


@settings(max_examples=150, deadline=None)
@given(PLAN_ARGS)
def test_property_every_rule_holds(args: tuple[list[CohortRequest], int, int, int]) -> None:
    requests, max_cohort, notice_months, gap_days = args
    plan = plan_cohorts(requests, KNOWN, max_cohort=max_cohort, notice_months=notice_months, gap_days=gap_days)
    by_code = {r.kommunekode: r for r in requests}
    assert plan.refused == ()
    # every request is planned once, and every member is in exactly one cohort
    assert sorted(m.kommunekode for m in plan.members) == sorted(by_code)
    in_cohorts = [code for cohort in plan.cohorts for code in cohort.members]
    assert sorted(in_cohorts) == sorted(by_code)
    shift_of = {code: cohort.first_shift for cohort in plan.cohorts for code in cohort.members}
    for member in plan.members:
        request = by_code[member.kommunekode]
        assert request.notified_on is not None
        end = add_months(request.notified_on, notice_months)
        summer = includes_july(request.notified_on, end)
        # the notice rule, with the summer month
        assert member.first_shift >= add_months(request.notified_on, notice_months + (1 if summer else 0))
        assert member.first_shift >= end
        # never before the wished start
        if request.wished_start:
            assert member.first_shift >= request.wished_start
        # the earliest date is exactly the rule's
        assert member.earliest_first_shift == working_day(
            max(
                add_months(request.notified_on, notice_months + (1 if summer else 0)),
                request.wished_start or request.notified_on,
            )
        )
        # a first shift is a working day
        assert member.first_shift.weekday() < 5 and not is_closed_day(member.first_shift)
        # members of one cohort share its first shift
        assert shift_of[member.kommunekode] == member.first_shift
        assert member.why
    # no cohort is larger than the maximum, none is empty, and cohorts keep their distance
    assert all(1 <= len(cohort.members) <= max_cohort for cohort in plan.cohorts)
    dates = [cohort.first_shift for cohort in plan.cohorts]
    assert all(b - a >= dt.timedelta(days=gap_days) for a, b in zip(dates, dates[1:], strict=False))


@settings(max_examples=150, deadline=None)
@given(PLAN_ARGS)
def test_property_nobody_waits_longer_than_needed(args: tuple[list[CohortRequest], int, int, int]) -> None:
    requests, max_cohort, notice_months, gap_days = args
    plan = plan_cohorts(requests, KNOWN, max_cohort=max_cohort, notice_months=notice_months, gap_days=gap_days)
    previous: dt.date | None = None
    for cohort in plan.cohorts:
        members = [m for m in plan.members if m.kommunekode in cohort.members]
        # a cohort starts on the first day all its members may, unless the gap to the previous cohort forbids it
        all_may = max(m.earliest_first_shift for m in members)
        if previous is None:
            assert cohort.first_shift == all_may
        else:
            assert cohort.first_shift == working_day(max(all_may, previous + dt.timedelta(days=gap_days)))
        previous = cohort.first_shift
    # with no size limit and no gap, nobody waits at all
    relaxed = plan_cohorts(requests, KNOWN, max_cohort=20, notice_months=notice_months, gap_days=0)
    assert all(m.first_shift == m.earliest_first_shift for m in relaxed.members)


def _set_partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in _set_partitions(rest):
        yield [[first], *partition]
        for index in range(len(partition)):
            yield [*partition[:index], [first, *partition[index]], *partition[index + 1 :]]


def _brute_force_least_wait(earliest: list[dt.date], max_cohort: int, gap_days: int) -> int:
    """Every partition of the members into cohorts, in every order, each cohort on its first possible day."""
    best = None
    gap = dt.timedelta(days=gap_days)
    for partition in _set_partitions(list(range(len(earliest)))):
        if any(len(block) > max_cohort for block in partition):
            continue
        for order in itertools.permutations(partition):
            previous = None
            wait = 0
            for block in order:
                date = max(earliest[i] for i in block)
                if previous is not None:
                    date = working_day(max(date, previous + gap))
                wait += sum((date - earliest[i]).days for i in block)
                previous = date
            best = wait if best is None else min(best, wait)
    assert best is not None
    return best


def _total_wait(plan: CohortPlan) -> int:
    return sum((m.first_shift - m.earliest_first_shift).days for m in plan.members)


def test_a_cohort_may_wait_a_day_so_the_next_need_not_wait_a_week() -> None:
    requests = [
        CohortRequest("253", D(2026, 1, 5), None),
        CohortRequest("259", D(2026, 1, 5), None),
        CohortRequest("265", D(2026, 1, 6), None),
        CohortRequest("269", D(2026, 1, 20), None),
        CohortRequest("316", D(2026, 1, 21), None),
    ]
    plan = plan_cohorts(requests, KNOWN, max_cohort=2, notice_months=0, gap_days=7)
    assert [(c.first_shift, c.members) for c in plan.cohorts] == [
        (D(2026, 1, 5), ("253", "259")),
        (D(2026, 1, 12), ("265",)),
        (D(2026, 1, 21), ("269", "316")),
    ]
    assert _total_wait(plan) == 7
    why = next(m.why for m in plan.members if m.kommunekode == "269")
    assert "holdet starter, når 316 tidligst kan" in why


@settings(max_examples=120, deadline=None)
@given(
    st.lists(st.dates(min_value=D(2026, 1, 1), max_value=D(2026, 3, 1)), min_size=1, max_size=5),
    st.integers(1, 3),
    st.integers(0, 14),
)
def test_property_no_plan_has_less_total_wait(days: list[dt.date], max_cohort: int, gap_days: int) -> None:
    requests = [CohortRequest(code, day, None) for code, day in zip(CODES, days, strict=False)]
    plan = plan_cohorts(requests, KNOWN, max_cohort=max_cohort, notice_months=0, gap_days=gap_days)
    earliest = [m.earliest_first_shift for m in plan.members]
    assert _total_wait(plan) == _brute_force_least_wait(earliest, max_cohort, gap_days)
