"""The closed-day rule, one copy: Danish public holidays plus Juleaften, Nytårsaftensdag and Grundlovsdag.

The golden values are what the three earlier copies (core/lib/hours._holiday_name,
staffing/lib/forecast._closed_in_year and contact/lib/traffic.is_holiday) gave; they agreed on every day of
1990–2060."""

from __future__ import annotations

import datetime as dt
from typing import cast
from unittest import mock

import holidays
import pytest

from samvirke.core.lib.hours import closed_day_name, closed_day_names, closed_days, is_closed_day

GOLDEN_2017 = {  # Whit Monday fell on 5 June: the office closing day's name wins
    "2017-01-01": "Nytårsdag", "2017-04-13": "Skærtorsdag", "2017-04-14": "Langfredag", "2017-04-16": "Påskedag",
    "2017-04-17": "Anden påskedag", "2017-05-12": "Store bededag", "2017-05-25": "Kristi himmelfartsdag",
    "2017-06-04": "Pinsedag", "2017-06-05": "Grundlovsdag", "2017-12-24": "Juleaften", "2017-12-25": "Juledag",
    "2017-12-26": "Anden juledag", "2017-12-31": "Nytårsaftensdag",
}  # fmt: skip
GOLDEN_2026 = {
    "2026-01-01": "Nytårsdag", "2026-04-02": "Skærtorsdag", "2026-04-03": "Langfredag", "2026-04-05": "Påskedag",
    "2026-04-06": "Anden påskedag", "2026-05-14": "Kristi himmelfartsdag", "2026-05-24": "Pinsedag",
    "2026-05-25": "Anden pinsedag", "2026-06-05": "Grundlovsdag", "2026-12-24": "Juleaften", "2026-12-25": "Juledag",
    "2026-12-26": "Anden juledag", "2026-12-31": "Nytårsaftensdag",
}  # fmt: skip
# Closed days per year (Store bededag was abolished from 2024; 2028's 5 June is Whit Monday again).
GOLDEN_COUNTS = {2020: 14, 2021: 14, 2022: 13, 2023: 14, 2024: 13, 2025: 13, 2026: 13, 2027: 13, 2028: 12, 2029: 13}


@pytest.mark.parametrize(("year", "golden"), [(2017, GOLDEN_2017), (2026, GOLDEN_2026)])
def test_names_and_days_of_a_year(year: int, golden: dict[str, str]) -> None:
    assert {day.isoformat(): name for day, name in closed_day_names(year).items()} == golden
    assert closed_days(year) == frozenset(dt.date.fromisoformat(day) for day in golden)


def test_the_number_of_closed_days_per_year() -> None:
    assert {year: len(closed_days(year)) for year in GOLDEN_COUNTS} == GOLDEN_COUNTS


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (dt.date(2025, 4, 20), "Påskedag"),
        (dt.date(2025, 4, 21), "Anden påskedag"),
        (dt.date(2025, 12, 24), "Juleaften"),
        (dt.date(2025, 6, 5), "Grundlovsdag"),
        (dt.date(2025, 12, 31), "Nytårsaftensdag"),
        (dt.date(2026, 1, 1), "Nytårsdag"),
        (dt.date(2023, 5, 5), "Store bededag"),
        (dt.date(2024, 4, 26), None),  # Store bededag's Friday, abolished from 2024
        (dt.date(2025, 12, 23), None),
        (dt.date(2026, 11, 23), None),
    ],
)
def test_a_day_is_closed_exactly_when_it_has_a_name(day: dt.date, name: str | None) -> None:
    assert closed_day_name(day) == name
    assert is_closed_day(day) is (name is not None)


def test_the_calendar_is_built_once_per_year() -> None:
    closed_day_names.cache_clear()
    closed_days.cache_clear()
    with mock.patch.object(holidays, "Denmark", wraps=holidays.Denmark) as calendar:
        for offset in range(2 * 365):  # 2030 and 2031, every day twice
            is_closed_day(dt.date(2030, 1, 1) + dt.timedelta(days=offset))
            closed_day_name(dt.date(2030, 1, 1) + dt.timedelta(days=offset))
    assert [call.kwargs["years"] for call in calendar.call_args_list] == [2030, 2031]


def test_the_cached_values_cannot_be_changed_by_a_caller() -> None:
    with pytest.raises(TypeError):
        cast(dict[dt.date, str], closed_day_names(2026))[dt.date(2026, 3, 3)] = "Fridag"
    assert isinstance(closed_days(2026), frozenset)
