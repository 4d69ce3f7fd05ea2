"""One row per contact as CSV (semicolon, UTF-8 with BOM, as Danish Excel opens it) or an Excel workbook.

The citizen's phone number is masked to its last two digits: an export is read by many, a callback needs
the full number only on the desk."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

from samvirke.contact.lib.kpi import ContactRecord
from samvirke.contact.lib.retention import mask_number
from samvirke.contact.models import Contact
from samvirke.contact.selectors import LOCAL

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
    "Straksafklaret",
    "Videresendt til",
    "Viderestillet til",
    "Tilfredshed (1–9)",
    "Notat (maskeret)",
)


def _local(moment: Any) -> str:
    return moment.astimezone(LOCAL).strftime("%Y-%m-%d %H:%M:%S") if moment else ""


def contact_rows(contacts: Iterable[Contact]) -> Iterable[list[Any]]:
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
            "" if wait is None else round(wait),
            "" if handle is None else round(handle),
            contact.citizen_municipality.name if contact.citizen_municipality else "",
            contact.get_municipality_source_display(),
            "ja" if contact.unknown_number else "nej",
            mask_number(contact.caller_number),
            contact.agent_municipality.name if contact.agent_municipality else "",
            contact.agent.get_username() if contact.agent else "",
            contact.topic_id,
            "" if contact.resolved_at_once is None else ("ja" if contact.resolved_at_once else "nej"),
            contact.get_forwarded_to_display() if contact.forwarded_to else "",
            contact.transferred_to,
            contact.satisfaction or "",
            contact.note,
        ]


def contacts_csv(contacts: Iterable[Contact], name: str) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADERS)
    writer.writerows(contact_rows(contacts))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def contacts_xlsx(contacts: Iterable[Contact], name: str) -> HttpResponse:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = "Kontakter"
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in contact_rows(contacts):
        sheet.append(row)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
