"""The rota as a week calendar: where each shift sits in a CSS grid of weekdays (columns) and half hours (rows).

Pure: the caller passes the opening intervals and the shifts in local time (minutes after midnight); this
module decides the rows, the lanes and the grid positions, and nothing about HTML beyond grid line numbers.

Shifts with the same day, start and end become one block (a stacked list of who works then), so 17–45
members' shifts stay readable: the solver puts many shifts on the same half-hour boundaries. Blocks that
overlap in time sit side by side in lanes (greedy interval partitioning, the fewest lanes possible); a block
widens over the lanes to its right that are free for its whole time, as calendar apps do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class CalendarEntry:
    """One shift: its weekday (0 = Monday), start and end in minutes after local midnight (end ≤ 1440), a
    title (the member, or the agent on a member's own calendar) and a detail (the agent, or empty)."""

    key: int
    weekday: int
    start: int
    end: int
    title: str
    detail: str = ""
    unassigned: bool = False


@dataclass(frozen=True)
class Block:
    """Entries with the same day and times, and where they go: grid rows [row, row_end) and grid columns
    [column, column_end), 1-based as in CSS `grid-row: row / row_end`."""

    weekday: int
    start: int
    end: int
    lane: int
    span: int
    row: int
    row_end: int
    column: int
    column_end: int
    entries: tuple[CalendarEntry, ...]

    @property
    def label(self) -> str:
        return f"{clock(self.start)}–{clock(self.end)}"


@dataclass(frozen=True)
class Slot:
    """One half hour of one day: its grid cell (across the day's lanes) and whether the hotline is open then."""

    weekday: int
    start: int
    row: int
    column: int
    column_end: int
    open: bool


@dataclass(frozen=True)
class DayColumn:
    weekday: int
    lanes: int
    column: int
    column_end: int


@dataclass(frozen=True)
class WeekCalendar:
    """The grid: column 1 holds the times, then each day's lanes; row 1 holds the day names, then one row per
    slot from `first_minute` to `last_minute`."""

    days: tuple[DayColumn, ...]
    times: tuple[tuple[int, int], ...]  # (row, minute after midnight) of each slot's time label
    slots: tuple[Slot, ...]
    blocks: tuple[Block, ...]
    columns: int  # lanes in all, without the time column
    first_minute: int
    last_minute: int
    slot_minutes: int


def minutes_of(moment: dt.datetime, day: dt.date) -> int:
    """Minutes after the midnight that starts `day` (a local moment on the next day's midnight gives 1440)."""
    return (moment.date() - day).days * MINUTES_PER_DAY + moment.hour * 60 + moment.minute


def entry_for(
    key: int, start: dt.datetime, end: dt.datetime, title: str, detail: str = "", unassigned: bool = False
) -> CalendarEntry:
    """An entry from a shift's local start and end (a shift past midnight is cut at midnight)."""
    day = start.date()
    return CalendarEntry(
        key=key,
        weekday=start.weekday(),
        start=minutes_of(start, day),
        end=min(MINUTES_PER_DAY, max(minutes_of(end, day), minutes_of(start, day) + 1)),
        title=title,
        detail=detail,
        unassigned=unassigned,
    )


def assign_lanes(spans: Sequence[tuple[int, int]]) -> list[int]:
    """The lane (0, 1, …) of each [start, end) span so that spans in one lane never overlap, using as few lanes
    as the busiest moment needs: by start time, each span takes the lowest lane that is free again."""
    lanes: list[int] = [0] * len(spans)
    lane_ends: list[int] = []
    for index in sorted(range(len(spans)), key=lambda i: (spans[i][0], -spans[i][1], i)):
        start, end = spans[index]
        lane = next((n for n, busy_until in enumerate(lane_ends) if busy_until <= start), len(lane_ends))
        if lane == len(lane_ends):
            lane_ends.append(end)
        else:
            lane_ends[lane] = end
        lanes[index] = lane
    return lanes


def widths(spans: Sequence[tuple[int, int]], lanes: Sequence[int], lane_count: int) -> list[int]:
    """How many lanes each span may cover: its own plus those to its right that no overlapping span uses."""
    result = []
    for index, (start, end) in enumerate(spans):
        span = 1
        for lane in range(lanes[index] + 1, lane_count):
            if any(
                lanes[other] == lane and spans[other][0] < end and spans[other][1] > start
                for other in range(len(spans))
            ):
                break
            span += 1
        result.append(span)
    return result


def week_calendar(
    opening: Sequence[tuple[int, int, int]], entries: Sequence[CalendarEntry], slot_minutes: int = 30
) -> WeekCalendar:
    """Lay out a week: `opening` as (weekday, start minute, length in minutes) per open interval, `entries` the
    shifts. Days are the open weekdays (and any day a shift falls on), Monday first; rows run from the
    earliest opening or shift to the latest, in `slot_minutes`."""
    if slot_minutes <= 0:
        raise ValueError("slot_minutes must be positive")
    open_minutes = {(day, start + step) for day, start, length in opening for step in range(0, length, slot_minutes)}
    starts = [start for _, start, _ in opening] + [e.start for e in entries]
    ends = [start + length for _, start, length in opening] + [e.end for e in entries]
    if not starts:
        return WeekCalendar((), (), (), (), 0, 0, 0, slot_minutes)
    first = min(starts) // slot_minutes * slot_minutes
    last = -(-max(ends) // slot_minutes) * slot_minutes

    groups: dict[tuple[int, int, int], list[CalendarEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.weekday, e.start, e.end, e.title, e.detail, e.key)):
        groups.setdefault((entry.weekday, entry.start, entry.end), []).append(entry)

    weekdays = sorted({day for day, _, _ in opening} | {day for day, _, _ in groups})
    days: list[DayColumn] = []
    blocks: list[Block] = []
    column = 2  # column 1 is the time of day
    for weekday in weekdays:
        keys = [key for key in groups if key[0] == weekday]
        spans = [(start, end) for _, start, end in keys]
        lanes = assign_lanes(spans)
        lane_count = max([*lanes, -1]) + 1 or 1
        for key, lane, span in zip(keys, lanes, widths(spans, lanes, lane_count), strict=True):
            _, start, end = key
            blocks.append(
                Block(
                    weekday=weekday,
                    start=start,
                    end=end,
                    lane=lane,
                    span=span,
                    row=2 + (start - first) // slot_minutes,
                    row_end=2 + -(-(end - first) // slot_minutes),
                    column=column + lane,
                    column_end=column + lane + span,
                    entries=tuple(groups[key]),
                )
            )
        days.append(DayColumn(weekday, lane_count, column, column + lane_count))
        column += lane_count

    minutes = range(first, last, slot_minutes)
    times = tuple((2 + n, minute) for n, minute in enumerate(minutes))
    slots = tuple(
        Slot(day.weekday, minute, row, day.column, day.column_end, (day.weekday, minute) in open_minutes)
        for day in days
        for row, minute in times
    )
    return WeekCalendar(
        days=tuple(days),
        times=times,
        slots=slots,
        blocks=tuple(blocks),
        columns=column - 2,
        first_minute=first,
        last_minute=last,
        slot_minutes=slot_minutes,
    )


def clock(minute: int) -> str:
    """A minute after midnight as Danish clock text: 510 → "08.30", 1440 → "24.00"."""
    return f"{minute // 60:02d}.{minute % 60:02d}"
