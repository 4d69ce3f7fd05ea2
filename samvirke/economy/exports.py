"""Excel export of the hotline fællesskab's economy (spec hotline-economy.md).

Pure: takes a computed `EconomyResult` and returns the bytes of an .xlsx workbook. Used by
`samvirke hotline-economy --format xlsx` and by the web page; it knows nothing of either.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from samvirke.economy.lib.fees import EconomyResult, EconomyRow

MONEY_FORMAT = "#,##0.00"
INTEGER_FORMAT = "#,##0"
ECONOMY_SHEET = "Økonomi"
PARAMETERS_SHEET = "Parametre"

# (header, number format or None, column width)
ECONOMY_COLUMNS: tuple[tuple[str, str | None, int], ...] = (
    ("Kommune", None, 18),
    ("Kommunekode", None, 13),
    ("Indbyggere", INTEGER_FORMAT, 12),
    ("Bidrag (kr.)", MONEY_FORMAT, 16),
    ("Timer pr. år", INTEGER_FORMAT, 13),
    ("Timer pr. uge", INTEGER_FORMAT, 14),
    ("Bånd min. (timer/uge)", INTEGER_FORMAT, 21),
    ("Bånd maks. (timer/uge)", INTEGER_FORMAT, 22),
    ("Værdi af timer (kr.)", MONEY_FORMAT, 20),
)


def economy_workbook(
    result: EconomyResult,
    title: str,
    *,
    rows: Sequence[EconomyRow] | None = None,
    total_label: str = "I alt",
) -> bytes:
    """The economy as an .xlsx workbook: sheet "Økonomi" and sheet "Parametre".

    "Økonomi" has a header row (row 1), one row per member in the members' order, and a totals row
    (`total_label`) as seed 000 prints it (computed from the total population, see fees.EconomyTotal).
    `rows` limits the member rows to some of `result.rows` (a coordinator's own) without recomputing
    them; the totals row stays the whole fællesskab's. Numbers
    are numbers; money has the number format '#,##0.00'. "Parametre" lists the title and the settings
    used, among them the price per citizen and the hourly rate.
    """
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = ECONOMY_SHEET
    workbook.properties.title = title

    bold = Font(bold=True)
    for column, (header, _format, width) in enumerate(ECONOMY_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=column, value=header)
        cell.font = bold
        cell.alignment = Alignment(horizontal="left" if column <= 2 else "right")
        sheet.column_dimensions[get_column_letter(column)].width = width

    def write_row(row_number: int, values: list[object], font: Font | None = None) -> None:
        for column, (value, (_header, number_format, _width)) in enumerate(
            zip(values, ECONOMY_COLUMNS, strict=True), start=1
        ):
            cell = sheet.cell(row=row_number, column=column, value=value)
            if number_format is not None:
                cell.number_format = number_format
            if font is not None:
                cell.font = font

    row_number = 1
    for row in result.rows if rows is None else rows:
        row_number += 1
        write_row(
            row_number,
            [
                row.name,
                row.kommunekode,
                row.population,
                row.fee,
                row.hours_per_year,
                row.hours_per_week,
                row.band_min,
                row.band_max,
                row.hours_value,
            ],
        )
    total = result.total
    write_row(
        row_number + 1,
        [
            total_label,
            None,
            total.population,
            total.fee,
            total.hours_per_year,
            total.hours_per_week,
            None,
            None,
            total.hours_value,
        ],
        font=bold,
    )
    sheet.freeze_panes = "A2"

    params = result.params
    parameters = workbook.create_sheet(PARAMETERS_SHEET)
    parameter_rows: list[tuple[str, object, str | None]] = [
        ("Titel", title, None),
        ("Pris pr. borger (kr.)", result.price_per_citizen, "0.00##"),
        ("Prisen er beregnet ud fra budgettet", "Ja" if params.budget is not None else "Nej", None),
        ("Budget (kr.)", params.budget, MONEY_FORMAT),
        ("Timer pr. 1.000 indbyggere pr. år", params.hours_per_1000, "0.##"),
        ("Arbejdsuger pr. år", params.weeks, INTEGER_FORMAT),
        ("Bånd, nedre faktor", params.band[0], "0.0#"),
        ("Bånd, øvre faktor", params.band[1], "0.0#"),
        ("Timepris (kr./time)", params.hourly_rate, MONEY_FORMAT),
        ("Antal medlemskommuner", len(result.rows), INTEGER_FORMAT),
    ]
    for number, (label, value, number_format) in enumerate(parameter_rows, start=1):
        parameters.cell(row=number, column=1, value=label).font = bold
        cell = parameters.cell(row=number, column=2, value=value)
        if number_format is not None and isinstance(value, Decimal | int):
            cell.number_format = number_format
    parameters.column_dimensions["A"].width = 36
    parameters.column_dimensions["B"].width = 44

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
