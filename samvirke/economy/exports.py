"""Excel export of the hotline fællesskab's economy (docs/models/hotline-economy.md).

Pure: takes a computed `EconomyResult` and returns the bytes of an .xlsx workbook. Used by
`samvirke hotline-economy --format xlsx` and by the web page; it knows nothing of either.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from samvirke.core.lib.formatting import number_da, thousands
from samvirke.core.lib.spreadsheets import workbook_bytes
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


_SUMMED_COLUMNS = {2: "indbyggere", 3: "bidrag", 4: "timer pr. år", 5: "timer pr. uge", 8: "timernes værdi"}


def _column_sums(rows: Sequence[EconomyRow]) -> list[object]:
    """The plain sums of the written rows, in the sheet's columns (None where a sum means nothing)."""
    return [
        None,
        None,
        sum(row.population for row in rows),
        sum((row.fee for row in rows), Decimal("0.00")),
        sum(row.hours_per_year for row in rows),
        sum(row.hours_per_week for row in rows),
        None,
        None,
        sum((row.hours_value for row in rows), Decimal("0.00")),
    ]


def _number_da(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{number_da(value, 2, grouped=True)} kr."
    if isinstance(value, int):
        return thousands(value)
    return str(value)


def totals_notes(
    total_label: str, totals_row: Sequence[object], sums: Sequence[object], rows_shown: int, members: int
) -> list[str]:
    """Sentences for the sheet when its totals row is not the sum of the rows above it (none when it is)."""
    notes: list[str] = []
    if rows_shown < members:
        notes.append(
            f"«{total_label}» er hele fællesskabets total for alle {members} medlemmer; filen viser kun "
            f"{rows_shown} af rækkerne, så totalen er ikke summen af dem."
        )
    else:
        differences = [
            f"{name} {_number_da(totals_row[column])} mod summen {_number_da(sums[column])}"
            for column, name in _SUMMED_COLUMNS.items()
            if totals_row[column] != sums[column]
        ]
        if differences:
            notes.append(
                f"«{total_label}» er regnet af det samlede indbyggertal, som i fællesskabets økonomimodel, ikke som "
                "summen af de afrundede rækker: " + "; ".join(differences) + "."
            )
    return notes


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
    them; the totals row stays the whole fællesskab's. Where the totals row is not the sum of the rows above
    it, a row "Summen af rækkerne ovenfor" and a sentence saying why follow it. Numbers
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
    written = list(result.rows if rows is None else rows)
    totals_row: list[object] = [
        total_label,
        None,
        total.population,
        total.fee,
        total.hours_per_year,
        total.hours_per_week,
        None,
        None,
        total.hours_value,
    ]
    write_row(row_number + 1, totals_row, font=bold)
    row_number += 1
    # Say in words why the totals row is not the sum of the column, wherever it is not.
    sums = _column_sums(written)
    notes = totals_notes(total_label, totals_row, sums, len(written), len(result.rows))
    if notes:
        row_number += 1
        write_row(row_number, ["Summen af rækkerne ovenfor", None, *sums[2:]], font=Font(italic=True))
        for note in notes:
            row_number += 1
            sheet.cell(row=row_number, column=1, value=note).font = Font(italic=True)
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

    return workbook_bytes(workbook)
