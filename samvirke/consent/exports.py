"""The citizens list as a spreadsheet for the viewer: only the columns the viewer may see, each row through
disclosure.disclose (so logged); a citizen whose disclosure is refused (no active consent for the viewer's operator
kind) is left out, and the refusal is logged. Written through core's workbook_bytes (no formulas)."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook

from samvirke.consent.access import allowed_fields, ordered_fields
from samvirke.consent.disclosure import FIELD_LABELS, DisclosureRefused, disclose
from samvirke.consent.models import ProgrammeCitizen
from samvirke.core.lib.spreadsheets import workbook_bytes
from samvirke.directory.models import Actor

EXPORT_PURPOSE = "Eksport af borgerlisten"


def _cell(value: object) -> object:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return value if value is not None else ""


def citizens_rows(user: Actor, citizens: Iterable[ProgrammeCitizen]) -> tuple[list[str], list[list[object]], int]:
    """(columns, rows, left out): the allowed fields of every citizen the viewer may be shown now."""
    columns = ordered_fields(allowed_fields(user))
    rows: list[list[object]] = []
    left_out = 0
    for citizen in citizens:
        try:
            values = disclose(user, citizen, columns, EXPORT_PURPOSE)
        except DisclosureRefused:
            left_out += 1
            continue
        rows.append([_cell(values[c]) for c in columns])
    return columns, rows, left_out


def citizens_workbook(user: Actor, citizens: Iterable[ProgrammeCitizen]) -> bytes:
    columns, rows, left_out = citizens_rows(user, citizens)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Borgere"
    sheet.append([FIELD_LABELS[c] for c in columns])
    for row in rows:
        sheet.append(row)
    if left_out:
        sheet.append([])
        sheet.append([f"{left_out} borgere er udeladt: intet gyldigt samtykke til din operatørtype."])
    return workbook_bytes(workbook)
