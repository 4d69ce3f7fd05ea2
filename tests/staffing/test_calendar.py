"""The week calendar's layout (samvirke.staffing.lib.calendar): rows, lanes, widening and grid positions. Pure,
no database."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from samvirke.staffing.lib.calendar import (
    CalendarEntry,
    assign_lanes,
    clock,
    entry_for,
    week_calendar,
    widths,
)

LOCAL = ZoneInfo("Europe/Copenhagen")
MON_TO_FRI_8_TO_12 = [(day, 8 * 60, 4 * 60) for day in range(5)]


def shift(key: int, weekday: int, start: str, end: str, title: str = "Holbæk", detail: str = "") -> CalendarEntry:
    def minutes(text: str) -> int:
        hours, mins = text.split(":")
        return int(hours) * 60 + int(mins)

    return CalendarEntry(key, weekday, minutes(start), minutes(end), title, detail)


def test_overlapping_spans_get_as_few_lanes_as_the_busiest_moment_needs() -> None:
    spans = [(480, 660), (540, 720), (660, 780), (720, 840), (600, 630)]
    lanes = assign_lanes(spans)
    assert lanes == [0, 1, 0, 1, 2]  # three overlap at 10.00–10.30, so three lanes; freed lanes are reused
    for a in range(len(spans)):
        for b in range(a + 1, len(spans)):
            if lanes[a] == lanes[b]:
                assert spans[a][1] <= spans[b][0] or spans[b][1] <= spans[a][0]


def test_a_span_widens_over_the_free_lanes_to_its_right() -> None:
    spans = [(480, 600), (480, 540), (540, 720)]  # 8–10 and 8–9 side by side; 9–12 fits in lane 1 after 8–9
    lanes = assign_lanes(spans)
    assert lanes == [0, 1, 1]
    assert widths(spans, lanes, 2) == [1, 1, 1]
    spans = [(480, 600), (480, 540), (600, 720)]  # 10–12 has both lanes to itself
    lanes = assign_lanes(spans)
    assert widths(spans, lanes, max(lanes) + 1)[2] == 2


def test_shifts_with_the_same_times_are_one_block_listing_who_works() -> None:
    entries = [
        shift(1, 0, "08:30", "11:00", "Greve", "Hanne Olsen"),
        shift(2, 0, "08:30", "11:00", "Holbæk", "Peter Madsen"),
        shift(3, 0, "09:30", "12:00", "Odsherred"),
    ]
    calendar = week_calendar(MON_TO_FRI_8_TO_12, entries)
    assert len(calendar.blocks) == 2
    first = calendar.blocks[0]
    assert first.label == "08.30–11.00" and [e.title for e in first.entries] == ["Greve", "Holbæk"]
    assert first.row == 3 and first.row_end == 8  # 08.30 is the second half hour (row 2 is 08.00)
    second = calendar.blocks[1]
    assert second.row == 5 and second.row_end == 10
    assert (first.column, second.column) == (2, 3)  # side by side on Monday
    monday = calendar.days[0]
    assert monday.lanes == 2 and (monday.column, monday.column_end) == (2, 4)
    tuesday = calendar.days[1]
    assert tuesday.lanes == 1 and tuesday.column == 4  # an empty day keeps one lane
    assert calendar.columns == 2 + 4


def test_rows_run_from_the_first_opening_to_the_last_and_mark_closed_slots() -> None:
    opening = [(0, 8 * 60, 120), (1, 9 * 60, 180)]
    calendar = week_calendar(opening, [])
    assert [clock(minute) for _, minute in calendar.times] == [
        "08.00",
        "08.30",
        "09.00",
        "09.30",
        "10.00",
        "10.30",
        "11.00",
        "11.30",
    ]
    tuesday_at_8 = next(s for s in calendar.slots if s.weekday == 1 and s.start == 8 * 60)
    monday_at_8 = next(s for s in calendar.slots if s.weekday == 0 and s.start == 8 * 60)
    assert not tuesday_at_8.open and monday_at_8.open
    assert [day.weekday for day in calendar.days] == [0, 1]


def test_a_shift_on_a_closed_day_or_outside_the_hours_still_shows() -> None:
    calendar = week_calendar(MON_TO_FRI_8_TO_12, [shift(1, 5, "12:00", "14:15")])
    assert [day.weekday for day in calendar.days] == [0, 1, 2, 3, 4, 5]
    assert calendar.last_minute == 14 * 60 + 30  # rounded up to the half hour
    block = calendar.blocks[0]
    assert block.row_end - block.row == 5  # 12.00–14.15 covers five half-hour rows


def test_many_members_at_once_stay_in_few_blocks() -> None:
    """45 members: a shift each, on six common start times. Grouping keeps the calendar to a handful of lanes."""
    starts = ["08:00", "09:00", "10:00", "11:00", "12:00", "13:00"]
    entries = [
        shift(n, n % 5, starts[n % 6], f"{int(starts[n % 6][:2]) + 3:02d}:00", f"Kommune {n}") for n in range(45)
    ]
    calendar = week_calendar([(day, 8 * 60, 10 * 60) for day in range(5)], entries)
    assert sum(len(b.entries) for b in calendar.blocks) == 45
    assert max(day.lanes for day in calendar.days) <= 3


def test_an_entry_from_aware_local_moments() -> None:
    start = dt.datetime(2026, 12, 2, 15, 30, tzinfo=LOCAL)
    entry = entry_for(7, start, start + dt.timedelta(hours=3, minutes=30), "Holbæk", "Hanne", unassigned=False)
    assert (entry.weekday, entry.start, entry.end) == (2, 15 * 60 + 30, 19 * 60)
    late = entry_for(
        8, dt.datetime(2026, 12, 2, 22, 0, tzinfo=LOCAL), dt.datetime(2026, 12, 3, 1, 0, tzinfo=LOCAL), "X"
    )
    assert late.end == 24 * 60  # cut at midnight
    assert clock(late.end) == "24.00"


def test_no_opening_and_no_shifts_is_an_empty_calendar() -> None:
    calendar = week_calendar([], [])
    assert calendar.days == () and calendar.blocks == ()
    with pytest.raises(ValueError):
        week_calendar([], [], slot_minutes=0)


def test_the_calendar_module_imports_nothing_from_django() -> None:
    source = Path(__file__).resolve().parents[2] / "samvirke" / "staffing" / "lib" / "calendar.py"
    tree = ast.parse(source.read_text())
    modules = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [alias.name for n in ast.walk(tree) if isinstance(n, ast.Import) for alias in n.names]
    assert not [m for m in modules if m.startswith("django")]
