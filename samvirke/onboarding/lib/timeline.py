"""The timeline of all cohorts (a Gantt-like chart) as geometry for a server-rendered SVG: one row per member, a bar
from its notice to its first shift, a mark per checklist step at its due date, month ticks along the top."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from samvirke.core.lib.formatting import MONTHS_DA

LABEL_WIDTH = 160
CHART_WIDTH = 720
ROW_HEIGHT = 22
HEADER_HEIGHT = 30
COHORT_GAP = 10


@dataclass(frozen=True)
class TimelineMember:
    name: str
    notified_on: dt.date
    first_shift: dt.date
    steps: tuple[tuple[str, dt.date, bool], ...]  # (label, due, done)
    ready: bool


@dataclass(frozen=True)
class TimelineCohort:
    title: str
    first_shift: dt.date
    members: tuple[TimelineMember, ...]


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    label: str
    done: bool


@dataclass(frozen=True)
class Row:
    y: float
    label: str
    bar_x: float
    bar_width: float
    shift_x: float
    marks: tuple[Mark, ...]
    ready: bool
    title: str

    @property
    def text_y(self) -> float:
        return self.y + 15

    @property
    def bar_y(self) -> float:
        return self.y + 5

    @property
    def mark_y(self) -> float:
        return self.y + 11

    @property
    def line_y2(self) -> float:
        return self.y + 20


@dataclass(frozen=True)
class Heading:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    label_width: int
    ticks: tuple[Tick, ...]
    headings: tuple[Heading, ...]
    rows: tuple[Row, ...]
    today_x: float | None


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    day = dt.date(start.year, start.month, 1)
    months = []
    while day <= end:
        months.append(day)
        day = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return months


def build_chart(cohorts: list[TimelineCohort], today: dt.date) -> Chart:
    """Lay the cohorts out on one time axis from the first notice to the last first shift (a month either side)."""
    members = [member for cohort in cohorts for member in cohort.members]
    if not members:
        return Chart(LABEL_WIDTH + CHART_WIDTH, HEADER_HEIGHT, LABEL_WIDTH, (), (), (), None)
    first = min(min(m.notified_on for m in members), *(due for m in members for _l, due, _d in m.steps))
    start = dt.date(first.year, first.month, 1)
    last = max(m.first_shift for m in members)
    end = dt.date(last.year + last.month // 12, last.month % 12 + 1, 1)
    span = max((end - start).days, 1)

    def x(day: dt.date) -> float:
        return round(LABEL_WIDTH + CHART_WIDTH * (day - start).days / span, 1)

    ticks = tuple(
        Tick(x(month), f"{MONTHS_DA[month.month - 1][:3]} {month.year}") for month in _month_starts(start, end)
    )
    headings: list[Heading] = []
    rows: list[Row] = []
    y = float(HEADER_HEIGHT)
    for cohort in cohorts:
        headings.append(Heading(y + 14, cohort.title))
        y += ROW_HEIGHT
        for member in cohort.members:
            marks = tuple(Mark(x(due), label, done) for label, due, done in member.steps)
            rows.append(
                Row(
                    y=y,
                    label=member.name,
                    bar_x=x(member.notified_on),
                    bar_width=max(x(member.first_shift) - x(member.notified_on), 1.0),
                    shift_x=x(member.first_shift),
                    marks=marks,
                    ready=member.ready,
                    title=f"{member.name}: varslet {member.notified_on:%d.%m.%Y}, første vagt "
                    f"{member.first_shift:%d.%m.%Y}",
                )
            )
            y += ROW_HEIGHT
        y += COHORT_GAP
    today_x = x(today) if start <= today <= end else None
    return Chart(LABEL_WIDTH + CHART_WIDTH, int(y), LABEL_WIDTH, ticks, tuple(headings), tuple(rows), today_x)
