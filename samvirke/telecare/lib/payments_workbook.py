"""The telemedicine subscription payments as an .xlsx workbook (`samvirke telecare-payments --format xlsx`).

Pure: takes a computed `PaymentResult` (and the enrolments it counted) and returns the workbook's bytes, saved
through samvirke.core.lib.spreadsheets so that no text — a citizen_ref starting with "=" included — can become
a formula. Numbers stay numbers; the totals are values, not formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from samvirke.core.lib.spreadsheets import workbook_bytes
from samvirke.economy.lib.fees import round_half_up
from samvirke.telecare.lib.payments import Enrolment, PaymentResult, quarters_covered

PAYMENTS_SHEET = "Betaling"
ENROLMENTS_SHEET = "Tilmeldinger"
PARAMETERS_SHEET = "Parametre"
MONEY_FORMAT = "#,##0.00"
SHARE_FORMAT = "0.000000"
TOTAL_LABEL = "I alt"


def payments_workbook(result: PaymentResult, enrolments: Sequence[Enrolment], title: str) -> bytes:
    """Sheet "Betaling": the region, each municipality (kommunekode, D, coverage, share, amount) and the totals
    row; "Tilmeldinger": each enrolment with the quarters it counts in the year; "Parametre": the settings."""
    workbook = Workbook()
    bold = Font(bold=True)
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = PAYMENTS_SHEET
    workbook.properties.title = title
    sheet.append(["Ejer", "Kommunekode", "Indbyggere over 40 år", "Dækning (borgerår)", "Andel", "Beløb (kr.)"])
    sheet.append(["Regionen", None, None, None, None, result.region_amount])
    for member in result.members:
        sheet.append(
            [
                "Kommune",
                member.kommunekode,
                member.population_40plus,
                round_half_up(member.coverage, 2),
                round_half_up(member.share, 6),
                member.amount,
            ]
        )
    sheet.append(
        [
            TOTAL_LABEL,
            None,
            sum(member.population_40plus for member in result.members),
            round_half_up(sum(member.coverage for member in result.members), 2),
            None,
            result.region_amount + sum((member.amount for member in result.members), Decimal("0.00")),
        ]
    )
    for cell in sheet[1]:
        cell.font = bold
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=6):
        row[0].number_format = SHARE_FORMAT
        row[1].number_format = MONEY_FORMAT
    for letter, width in zip("ABCDEF", (12, 13, 22, 19, 10, 16), strict=True):
        sheet.column_dimensions[letter].width = width

    listing = workbook.create_sheet(ENROLMENTS_SHEET)
    listing.append(["Kommunekode", "Borgerreference", "Tilmeldt fra", "Tilmeldt til", f"Kvartaler i {result.year}"])
    for enrolment in enrolments:
        listing.append(
            [
                enrolment.kommunekode,
                enrolment.citizen_ref,
                enrolment.enrolled_from,
                enrolment.enrolled_to,
                quarters_covered(enrolment, result.year),
            ]
        )
    for cell in listing[1]:
        cell.font = bold

    parameters = workbook.create_sheet(PARAMETERS_SHEET)
    for row in (
        ("Titel", title),
        ("År", result.year),
        ("Samlet beløb (kr.)", result.total),
        ("Regionens andel", result.region_share),
        ("Vægt w (indbyggere over 40 år)", result.weight),
        ("Kommunernes andel i alt (kr.)", result.municipal_total),
    ):
        parameters.append(list(row))
    parameters.column_dimensions["A"].width = 32
    return workbook_bytes(workbook)
