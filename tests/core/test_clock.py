"""Local time, once: the zone, day and year bounds (23, 24 or 25 hours) and "24.00" as an end time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from samvirke.core.lib.clock import (
    END_OF_DAY,
    LOCAL,
    end_moment,
    local_date,
    local_day_bounds,
    local_year_bounds,
    minutes_of_day,
    start_of_day,
)
from samvirke.core.lib.opening import parse_opening_hours


def test_the_zone_is_copenhagen() -> None:
    assert ZoneInfo("Europe/Copenhagen") == LOCAL


@pytest.mark.parametrize(
    ("day", "hours"),
    [(dt.date(2026, 11, 23), 24), (dt.date(2026, 3, 29), 23), (dt.date(2026, 10, 25), 25)],
)
def test_a_local_day_runs_from_midnight_to_midnight(day: dt.date, hours: int) -> None:
    start, end = local_day_bounds(day)
    assert start == dt.datetime(day.year, day.month, day.day, tzinfo=LOCAL) == start_of_day(day)
    assert end == start_of_day(day + dt.timedelta(days=1))
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(
        hours=hours
    )  # (same-zone subtraction is wall-clock)


def test_a_local_year() -> None:
    start, end = local_year_bounds(2026)
    assert start == dt.datetime(2026, 1, 1, tzinfo=LOCAL)
    assert end == dt.datetime(2027, 1, 1, tzinfo=LOCAL)
    assert start.astimezone(dt.UTC) == dt.datetime(2025, 12, 31, 23, 0, tzinfo=dt.UTC)


def test_the_local_date_of_a_utc_moment() -> None:
    assert local_date(dt.datetime(2026, 6, 30, 22, 30, tzinfo=dt.UTC)) == dt.date(2026, 7, 1)
    assert local_date(dt.datetime(2026, 12, 31, 22, 59, tzinfo=dt.UTC)) == dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("moment", "minutes"),
    [(dt.time(0, 0), 0), (dt.time(8, 30), 510), (dt.time(12, 0, 30), 720.5), (dt.time(23, 59, 58), 1439 + 58 / 60),
     (END_OF_DAY, 1440)],
)  # fmt: skip
def test_minutes_of_day_reads_23_59_59_as_24_00(moment: dt.time, minutes: float) -> None:
    assert minutes_of_day(moment) == minutes


def test_an_end_at_24_00_is_the_next_midnight() -> None:
    assert dt.time(23, 59, 59) == END_OF_DAY
    assert parse_opening_hours({"0": [["08:00", "24:00"]]}).week[0] == [(dt.time(8, 0), END_OF_DAY)]
    assert end_moment(dt.date(2026, 12, 31), END_OF_DAY) == dt.datetime(2027, 1, 1, tzinfo=LOCAL)
    assert end_moment(dt.date(2026, 10, 25), dt.time(20, 0)) == dt.datetime(2026, 10, 25, 20, 0, tzinfo=LOCAL)
