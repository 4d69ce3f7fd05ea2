"""The rota's files: the week as an Excel workbook (the shifts the reader may see, and the requirement per
interval) and a list of shifts as an iCalendar file (text from staffing/lib/ics.py).

The workbook is saved through samvirke/core/lib/spreadsheets.py, which writes a text that Excel would read as a
formula (a municipality's or an agent's name starting with =, +, -, @ …) as text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.spreadsheets import workbook_bytes
from samvirke.directory.models import Person
from samvirke.staffing.lib import ics
from samvirke.staffing.lib.planning import interval_moment
from samvirke.staffing.models import Rota, Shift
from samvirke.staffing.selectors import rota_intervals

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WEEKDAYS = ["Mandag", "Tirsdag", "Onsdag", "Torsdag", "Fredag", "Lørdag", "Søndag"]


def agent_name(agent: Person | None) -> str:
    """How the pages and files name a shift's agent: the full name, else the username ("ikke fordelt": none)."""
    return (agent.get_full_name() or agent.get_username()) if agent is not None else "ikke fordelt"


def rota_workbook(rota: Rota, shifts: Iterable[Shift]) -> bytes:
    """The week as .xlsx: a sheet of `shifts` (with municipality and agent loaded) and one of the requirement."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = "Vagter"
    sheet.append(["Kommune", "Kommunekode", "Dag", "Fra", "Til", "Timer", "Aften/fredag", "Agent"])
    for shift in shifts:
        start, end = shift.starts_at.astimezone(LOCAL), shift.ends_at.astimezone(LOCAL)
        sheet.append(
            [
                shift.municipality.name,
                shift.municipality.code,
                WEEKDAYS[start.weekday()],
                f"{start:%Y-%m-%d %H:%M}",
                f"{end:%H:%M}",
                shift.hours,
                "ja" if shift.evening else "nej",
                agent_name(shift.agent),
            ]
        )
    needs = workbook.create_sheet("Behov")
    needs.append(["Interval", "Forventede henvendelser", "Behov (agenter)"])
    for interval, volume, need in zip(rota_intervals(rota), rota.volumes, rota.requirement, strict=True):
        needs.append([f"{interval_moment(interval, rota.week_start):%Y-%m-%d %H:%M}", volume, need])
    for ws in (sheet, needs):
        for cell in ws[1]:
            cell.font = Font(bold=True)
    return workbook_bytes(workbook)


def shifts_calendar(shifts: Iterable[Shift], name: str, now: dt.datetime) -> str:
    """`shifts` (with municipality and agent loaded) as an iCalendar file called `name`, stamped `now`."""
    events = []
    for shift in shifts:
        who = agent_name(shift.agent) if shift.agent is not None else "Ikke fordelt"
        # Who works it first: a member's calendar holds several agents on the same shift, and a calendar app shows
        # the start of the summary.
        events.append(
            ics.Event(
                uid=f"samvirke-shift-{shift.pk}@samvirke",
                start=shift.starts_at,
                end=shift.ends_at,
                summary=f"{who} – hotlinevagt ({shift.municipality.name})",
            )
        )
    return ics.calendar_text(name, events, now)
