"""Invoices as an Excel workbook (openpyxl): one row per invoice or credit note, with the total."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from samvirke.core.lib.spreadsheets import workbook_bytes
from samvirke.economy.models import Invoice

MONEY = "#,##0.00"
HEADERS = [
    "Nummer", "Type", "Kommune", "Kommunekode", "Betaler", "Periode fra", "Periode til", "Dage", "Indbyggere",
    "Pris pr. borger", "Helårsbidrag", "Beløb", "Krediterer", "Beregning",
]  # fmt: skip


def invoices_workbook(invoices: Sequence[Invoice], year: int) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Fakturaer {year}"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for invoice in invoices:
        sheet.append(
            [
                invoice.number,
                invoice.get_kind_display(),
                invoice.municipality.name,
                invoice.municipality.code,
                invoice.payer_name,
                invoice.period_start,
                invoice.period_end,
                invoice.days_billed,
                invoice.population,
                invoice.price_per_citizen,
                invoice.full_year_fee,
                invoice.amount,
                invoice.credits.number if invoice.credits else "",
                invoice.explanation,
            ]
        )
    # The total as a value, not a formula, so every reader (openpyxl included) sees the same number as the page.
    total = sum((invoice.amount for invoice in invoices), Decimal("0.00"))
    sheet.append(["I alt", "", "", "", "", "", "", "", "", "", "", total])
    sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    for row in sheet.iter_rows(min_row=2, min_col=11, max_col=12):
        for cell in row:
            cell.number_format = MONEY
    for column, width in zip("ABCDEFGHIJKLMN", [11, 11, 16, 12, 26, 12, 12, 7, 11, 13, 14, 14, 11, 80], strict=True):
        sheet.column_dimensions[column].width = width
    return workbook_bytes(workbook)
