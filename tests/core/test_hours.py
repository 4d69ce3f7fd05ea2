"""Is the hotline open? 60 hours a week, Danish holidays closed."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from samvirke.core.lib.hours import OpeningHours, describe, inside_sentence, is_open, next_opening, week_da, when_da
from samvirke.core.lib.opening import parse_opening_hours

CPH = ZoneInfo("Europe/Copenhagen")
HOURS = OpeningHours.hotline_default()


def at(year: int, month: int, day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=CPH)


def test_the_default_is_60_hours_a_week() -> None:
    assert HOURS.hours_per_week() == 60


def test_open_on_a_weekday_afternoon_and_closed_at_night_and_on_sunday() -> None:
    assert is_open(HOURS, at(2026, 11, 23, 14, 0))  # Monday
    assert not is_open(HOURS, at(2026, 11, 23, 20, 0))
    assert not is_open(HOURS, at(2026, 11, 22, 12, 0))  # Sunday


def test_closed_on_danish_holidays_and_christmas_eve() -> None:
    assert not is_open(HOURS, at(2026, 4, 6, 12, 0))  # 2. påskedag
    assert not is_open(HOURS, at(2026, 5, 14, 12, 0))  # Kristi himmelfartsdag
    assert not is_open(HOURS, at(2026, 12, 24, 12, 0))  # juleaften


def test_it_says_when_it_opens_next() -> None:
    assert describe(HOURS, at(2026, 11, 23, 14, 0)) == "Hotlinen har åbent nu, indtil kl. 20.00."
    assert describe(HOURS, at(2026, 11, 21, 10, 0)) == "Hotlinen har lukket nu. Den åbner mandag kl. 08.00."
    text = describe(HOURS, at(2026, 12, 25, 10, 0))
    assert text.startswith("Hotlinen har lukket i dag (Juledag)") and "mandag kl. 08.00" in text
    assert next_opening(HOURS, at(2026, 11, 23, 6, 0)) == at(2026, 11, 23, 8, 0)


def test_it_says_tomorrow_and_gives_the_date_when_the_opening_is_more_than_a_week_away() -> None:
    assert describe(HOURS, at(2026, 11, 23, 21, 0)) == "Hotlinen har lukket nu. Den åbner i morgen kl. 08.00."
    long_closed = OpeningHours({0: [(dt.time(8, 0), dt.time(12, 0))]})  # Mondays only
    text = describe(long_closed, at(2026, 12, 21, 13, 0))  # the next Monday, 28 December, is a week away
    assert text == "Hotlinen har lukket nu. Den åbner mandag 28. december kl. 08.00."


def test_a_confirmation_names_the_day_and_the_date() -> None:
    friday_evening = at(2026, 11, 27, 20, 15)
    assert when_da(friday_evening, at(2026, 11, 30, 8, 0), with_date=True) == "mandag 30. november kl. 08.00"
    assert when_da(friday_evening, at(2026, 11, 28, 8, 0), with_date=True) == "i morgen (lørdag 28. november) kl. 08.00"


def test_weekdays_inside_a_sentence_are_lower_case() -> None:
    assert inside_sentence("Mandag–onsdag 10–15, torsdag 10–17") == "mandag–onsdag 10–15, torsdag 10–17"
    assert inside_sentence("Man-fre 9-15") == "man-fre 9-15"
    assert inside_sentence("Alle hverdage 9–15") == "alle hverdage 9–15"
    assert inside_sentence("Rådhuset: 9–15") == "Rådhuset: 9–15"
    assert inside_sentence("") == ""


def test_the_week_in_danish_joins_days_with_the_same_hours() -> None:
    assert week_da(OpeningHours.hotline_default()) == "mandag–fredag kl. 08.00–20.00"
    split = OpeningHours(
        {
            0: [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(15))],
            1: [(dt.time(9), dt.time(12)), (dt.time(13), dt.time(15))],
            3: [(dt.time(8), dt.time(20))],
            5: [(dt.time(10), dt.time(14))],
        }
    )
    assert week_da(split) == (
        "mandag og tirsdag kl. 09.00–12.00 og 13.00–15.00, torsdag kl. 08.00–20.00, lørdag kl. 10.00–14.00"
    )
    assert week_da(OpeningHours({})) == "lukket hele ugen"


def test_describe_names_the_line() -> None:
    monday_10 = dt.datetime(2026, 11, 23, 10, 0, tzinfo=CPH)
    assert describe(OpeningHours.hotline_default(), monday_10, "Sundhedsapps-linjen") == (
        "Sundhedsapps-linjen har åbent nu, indtil kl. 20.00."
    )


def test_open_until_midnight_has_no_closed_second_at_midnight() -> None:
    """A closing time of "24:00" is stored as 23:59:59 (a time of day cannot hold 24:00); the day's last second is
    still open — a queue open around the clock once refused a call offered at 23:59:59.5 (a test failed at midnight)."""
    all_day = parse_opening_hours({str(day): [["00:00", "24:00"]] for day in range(7)})
    last_second = dt.datetime(2026, 12, 7, 23, 59, 59, 500_000, tzinfo=CPH)
    assert is_open(all_day, last_second) and is_open(all_day, last_second + dt.timedelta(seconds=1))
    assert all_day.hours_per_week() == 7 * 24
    assert describe(all_day, last_second) == "Hotlinen har åbent nu, indtil kl. 24.00."
    assert week_da(all_day) == "mandag–søndag kl. 00.00–24.00"
    evening = parse_opening_hours({"0": [["18:00", "24:00"]]})
    assert not is_open(evening, dt.datetime(2026, 12, 8, 0, 0, 0, tzinfo=CPH))  # Tuesday: Monday's span has ended
    assert not is_open(evening, dt.datetime(2026, 12, 7, 17, 59, 59, tzinfo=CPH))
