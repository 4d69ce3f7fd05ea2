"""One row per contact as CSV (semicolon, UTF-8 with BOM, as Danish Excel opens it) or an Excel workbook.

The citizen's phone number is masked to its last two digits: an export is read by many, a callback needs
the full number only on the desk. The topic is its Danish title, with the id in its own column. Times are real
Excel date-times in a Danish format in the workbook and ISO 8601 with the UTC offset in the CSV (Danish time, so
the autumn's repeated hour is not ambiguous). A text that Excel would read as a formula (=, +, -, @, a tab or a
carriage return first) is written as text (samvirke/core/lib/spreadsheets.py). The contacts are read from the
database in chunks; the workbook is written row by row (write-only).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from samvirke.contact.lib.kpi import ContactRecord
from samvirke.contact.lib.retention import mask_number
from samvirke.contact.models import Contact
from samvirke.core.lib.clock import LOCAL
from samvirke.core.lib.spreadsheets import csv_field, looks_like_formula, make_text_cell
from samvirke.knowledge.models import Topic

HEADERS = (
    "Kontakt-id",
    "Kanal",
    "Kø",
    "Tilbudt",
    "Besvaret",
    "Afsluttet",
    "Lagt på",
    "Status",
    "Ventetid (sek.)",
    "Behandlingstid (sek.)",
    "Borgerens kommune",
    "Kommune ud fra",
    "Ukendt nummer",
    "Borgerens nummer (maskeret)",
    "Besvaret af kommune",
    "Medarbejder",
    "Emne",
    "Emne-id",
    "Straksafklaret",
    "Videresendt til",
    "Viderestillet til",
    "Tilfredshed (1–9)",
    "Notat (maskeret)",
)
EXCEL_DATETIME = "dd-mm-yyyy hh:mm:ss"  # Danish order; Excel shows it as a date-time it can sort and compute with
COLUMN_WIDTHS = {"Tilbudt": 19, "Besvaret": 19, "Afsluttet": 19, "Lagt på": 19, "Emne": 34, "Notat (maskeret)": 60}
CHUNK = 2000


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return moment.astimezone(LOCAL) if moment else None


def topic_titles() -> dict[str, str]:
    return dict(Topic.objects.values_list("id", "title"))


def contact_rows(contacts: Iterable[Contact], titles: dict[str, str]) -> Iterator[list[Any]]:
    """The export's values per contact: numbers as numbers, times as local (aware) datetimes, the rest text."""
    for contact in contacts:
        record = ContactRecord(
            channel=contact.channel,
            state=contact.state,
            offered_at=contact.offered_at,
            answered_at=contact.answered_at,
            ended_at=contact.ended_at,
            registered_at=contact.registered_at,
        )
        wait, handle = record.wait_seconds, record.handle_seconds
        yield [
            contact.pk,
            contact.get_channel_display(),
            contact.queue.name,
            _local(contact.offered_at),
            _local(contact.answered_at),
            _local(contact.ended_at),
            _local(contact.abandoned_at),
            contact.get_state_display(),
            None if wait is None else round(wait),
            None if handle is None else round(handle),
            contact.citizen_municipality.name if contact.citizen_municipality else "",
            contact.get_municipality_source_display(),
            "ja" if contact.unknown_number else "nej",
            mask_number(contact.caller_number),
            contact.agent_municipality.name if contact.agent_municipality else "",
            contact.agent.get_username() if contact.agent else "",
            titles.get(contact.topic_id, contact.topic_id),
            contact.topic_id,
            "" if contact.resolved_at_once is None else ("ja" if contact.resolved_at_once else "nej"),
            contact.get_forwarded_to_display() if contact.forwarded_to else "",
            contact.transferred_to,
            contact.satisfaction or None,
            contact.note,
        ]


def _chunked(contacts: QuerySet[Contact] | Iterable[Contact]) -> Iterable[Contact]:
    return contacts.iterator(chunk_size=CHUNK) if isinstance(contacts, QuerySet) else contacts


# --- CSV ---------------------------------------------------------------------------------------------------------


def csv_text(value: Any) -> str:
    """One CSV field: ISO 8601 for a time, nothing for no value, and a text Excel would run as a formula quoted
    with a leading apostrophe (which Excel shows as text and does not display)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    return str(csv_field(value))


def contacts_csv(contacts: QuerySet[Contact] | Iterable[Contact], name: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    for row in contact_rows(_chunked(contacts), topic_titles()):
        writer.writerow([csv_text(value) for value in row])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


# --- Excel -------------------------------------------------------------------------------------------------------


def _excel_cell(sheet: WriteOnlyWorksheet, value: Any) -> Any:
    if isinstance(value, dt.datetime):
        # Excel has no time zones: the local (Danish) wall-clock time, as the agents saw it.
        cell = WriteOnlyCell(sheet, value=value.replace(tzinfo=None))
        cell.number_format = EXCEL_DATETIME
        return cell
    if isinstance(value, str) and looks_like_formula(value):
        cell = WriteOnlyCell(sheet, value=value)
        make_text_cell(cell)  # a text, never a formula
        return cell
    return value


def contacts_workbook(contacts: QuerySet[Contact] | Iterable[Contact]) -> bytes:
    """The workbook's bytes. Write-only: openpyxl writes the rows as they come instead of keeping every cell."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kontakter")
    for column, header in enumerate(HEADERS):
        if header in COLUMN_WIDTHS:
            sheet.column_dimensions[get_column_letter(column + 1)].width = COLUMN_WIDTHS[header]
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in HEADERS:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in contact_rows(_chunked(contacts), topic_titles()):
        sheet.append([_excel_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def contacts_xlsx(contacts: QuerySet[Contact] | Iterable[Contact], name: str) -> HttpResponse:
    response = HttpResponse(
        contacts_workbook(contacts), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
