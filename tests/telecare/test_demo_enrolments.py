"""The demo's synthetic enrolments (telecare/lib/demo_enrolments.py): they follow the seed's N series at every year
end, leave at the take-down rate, spread over the municipalities by population and never look like a CPR number."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from samvirke.core.lib.masking import looks_like_cpr
from samvirke.telecare.lib.demo_enrolments import (
    DemoEnrolmentError,
    enrolled_on,
    simulate_enrolments,
    target_at_month_end,
)
from samvirke.telecare.lib.seed_volumes import series_info

SJAELLAND_N = series_info()["sjaelland"].citizens  # seed 003, Tabel 2 (l. 768): 170, 780, 1410, 1800, 1850
WEIGHTS = {316: 37_000, 259: 31_000, 253: 26_000, 492: 1_000}  # invented, Anholt-sized last one


def sjaelland(until: dt.date, **kwargs: object) -> list[Any]:
    return simulate_enrolments(
        first_year=2025,
        citizens=SJAELLAND_N,
        weights=WEIGHTS,
        until=until,
        prefix="SJ",
        **kwargs,  # type: ignore[arg-type]
    )


def test_the_series_is_the_seeds() -> None:
    assert SJAELLAND_N == (170, 780, 1410, 1800, 1850)


def test_the_monthly_target_runs_straight_between_the_year_ends() -> None:
    assert [target_at_month_end(SJAELLAND_N, 1, m) for m in (1, 6, 12)] == [14, 85, 170]  # 170/12 = 14.17
    assert target_at_month_end(SJAELLAND_N, 2, 1) == 221  # 170 + 610/12 = 220.83
    assert target_at_month_end(SJAELLAND_N, 2, 12) == 780
    assert target_at_month_end(SJAELLAND_N, 7, 12) == 1850  # after the series, N stays at its last value
    assert target_at_month_end([10, 5], 2, 6) == 8  # a falling year: 10 − 5·6/12 = 7.5 → 8 (half up)


def test_every_year_end_has_exactly_the_seeds_n() -> None:
    rows = sjaelland(dt.date(2029, 12, 31))
    assert [enrolled_on(rows, dt.date(year, 12, 31)) for year in range(2025, 2030)] == list(SJAELLAND_N)
    assert enrolled_on(rows, dt.date(2024, 12, 31)) == 0


def test_about_four_per_cent_leave_each_month() -> None:
    rows = sjaelland(dt.date(2026, 12, 31))
    ended_in_2026_06 = sum(1 for r in rows if r.enrolled_to and (r.enrolled_to.year, r.enrolled_to.month) == (2026, 6))
    enrolled_on_31_may = enrolled_on(rows, dt.date(2026, 5, 31))
    assert ended_in_2026_06 == round(enrolled_on_31_may * 0.04)
    assert all(r.enrolled_to is None for r in sjaelland(dt.date(2026, 12, 31), takedown_rate=Fraction(0)))


def test_rows_are_well_formed_and_pseudonymous() -> None:
    rows = sjaelland(dt.date(2026, 12, 7))
    refs = [r.citizen_ref for r in rows]
    assert len(set(refs)) == len(refs) and refs[0] == "SJ-000001"
    assert not any(looks_like_cpr(ref) for ref in refs)
    assert all(r.enrolled_to is None or r.enrolled_from < r.enrolled_to for r in rows)
    assert max(r.enrolled_from for r in rows) <= dt.date(2026, 12, 7)
    assert all(r.enrolled_to is None or r.enrolled_to <= dt.date(2026, 12, 7) for r in rows)
    assert {r.kommunekode for r in rows} == set(WEIGHTS)


def test_the_intake_follows_the_population_weights() -> None:
    rows = sjaelland(dt.date(2026, 12, 31))
    total = sum(WEIGHTS.values())
    for code, weight in WEIGHTS.items():
        given_to = sum(1 for r in rows if r.kommunekode == code)
        assert abs(given_to - len(rows) * weight / total) < 1  # never a whole citizen off its share


def test_a_later_day_keeps_every_row_of_an_earlier_day() -> None:
    # seed-demo run again next week must find its rows: only new starts, and ends that have happened since.
    earlier, later = sjaelland(dt.date(2026, 3, 10)), sjaelland(dt.date(2026, 9, 20))
    by_key = {(r.citizen_ref, r.enrolled_from): r for r in later}
    assert len(later) > len(earlier)
    for row in earlier:
        again = by_key[(row.citizen_ref, row.enrolled_from)]
        assert again.kommunekode == row.kommunekode
        assert row.enrolled_to is None or again.enrolled_to == row.enrolled_to
    assert sjaelland(dt.date(2026, 3, 10)) == earlier  # and the same day gives the same rows


@pytest.mark.parametrize(
    ("citizens", "weights", "rate"),
    [((), WEIGHTS, Fraction(0)), ((10, -1), WEIGHTS, Fraction(0)), ((10,), {}, Fraction(0)),
     ((10,), {316: 0}, Fraction(0)), ((10,), WEIGHTS, Fraction(3, 2))],
)  # fmt: skip
def test_bad_input_is_refused(citizens: tuple[int, ...], weights: dict[int, int], rate: Fraction) -> None:
    with pytest.raises(DemoEnrolmentError):
        simulate_enrolments(
            first_year=2025, citizens=citizens, weights=weights, until=dt.date(2025, 6, 1), prefix="X",
            takedown_rate=rate,
        )  # fmt: skip


@settings(max_examples=30, deadline=None)
@given(
    citizens=st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=3),
    rate=st.fractions(min_value=0, max_value=Fraction(1, 5)),
)
def test_any_series_is_met_at_every_year_end(citizens: list[int], rate: Fraction) -> None:
    rows = simulate_enrolments(
        first_year=2030, citizens=citizens, weights={101: 5, 147: 2}, until=dt.date(2032, 12, 31), prefix="T",
        takedown_rate=rate,
    )  # fmt: skip
    expected = [citizens[min(i, len(citizens) - 1)] for i in range(3)]
    assert [enrolled_on(rows, dt.date(2030 + i, 12, 31)) for i in range(3)] == expected
