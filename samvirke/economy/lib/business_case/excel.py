"""Business cases as Excel workbooks and uploaded files (seed 004, docs/models/business-case.md; the FILE.json of
docs/business-case-format.md).

`case_workbook` writes a case as an .xlsx: sheet "Tabel 1" (years as columns, the lines grouped by block with
their styringsområde, the derived rows, the payback period and the totals as printed), sheet "Afvigelser"
(printed vs computed totals) and sheet "Beskrivelse" (the qualitative sections). `read_case_workbook` reads
such a workbook, or a simple one a user makes with the header row

    Linje | Blok | Styringsområde | Udelades af tilbagebetaling | 2016 | 2017 | …

back into the FILE.json dict. Amounts are in 1,000 kr.; a Danish "1.500,5" or "-1.022" typed as text is read
as a number. Every error is a BusinessCaseInputError with a Danish message naming the row.

The qualitative sections travel in the dict's "notes" key (which parse_case ignores), so a case exported
from Samvirke keeps its texts, risks, KPIs, timeline and scenarios when it is imported again.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from samvirke.core.lib.formatting import thousands
from samvirke.core.lib.spreadsheets import SpreadsheetUploadError, XlsxLimits, check_xlsx_archive, workbook_bytes
from samvirke.economy.lib.business_case.case import (
    AREAS,
    BLOCKS,
    DERIVED_ROWS,
    INNOVATION_POOL,
    KIND_DA,
    PAYBACK_CAP_YEARS,
    ROW_NAMES_DA,
    ROW_TOTALS,
    BusinessCaseInputError,
    CaseResult,
    Number,
    check_amount_size,
    json_number,
)
from samvirke.economy.lib.business_case.compute import row_total
from samvirke.economy.lib.business_case.serialise import FILE_TOO_LARGE_DA, MAX_UPLOAD_BYTES, load_uploaded_json

TABLE_SHEET = "Tabel 1"
DISCREPANCY_SHEET = "Afvigelser"
DESCRIPTION_SHEET = "Beskrivelse"
ROW_TOTAL_SHEET = "Rækketotaler"
_READ_SHEETS = (TABLE_SHEET, DESCRIPTION_SHEET, ROW_TOTAL_SHEET)
ROW_TOTAL_HEADERS = ("Rækketotal", "Linjer", "Blok", "Styringsområde", "Trykt i alt", "Beregnet i alt")
FIXED_HEADERS = ("Linje", "Blok", "Styringsområde", "Udelades af tilbagebetaling")
BLOCK_HEADINGS = {"varig": "Varige ændringer", "implementering": "Implementeringsomkostninger"}
COMPUTED_MARK = "beregnet"
PRINTED_MARK = "trykt"
PAYBACK_LABEL = "Tilbagebetalingstid (år)"

# The text fields of a case's description, in the order of the seed's template, with their Danish names.
DESCRIPTION_FIELDS: tuple[tuple[str, str], ...] = (
    ("portfolio_area", "Område i porteføljen"),
    ("summary", "Kort resumé"),
    ("proposing_administration", "Fremstillende forvaltning"),
    ("other_administrations", "Øvrige berørte forvaltninger"),
    ("price_level", "Prisniveau"),
    ("purpose", "Baggrund og formål"),
    ("content", "Forslagets indhold"),
    ("implementation", "Implementering"),
    ("involvement", "Inddragelse af medarbejdere, virksomheder og borgere"),
    ("effects_staff", "Effekter for medarbejdere"),
    ("effects_citizens", "Effekter for borgere"),
    ("evaluation", "Opfølgning og evaluering"),
)
RISK_COLUMNS = (("risk", "Risiko"), ("mitigation", "Håndteres ved"))
KPI_COLUMNS = (
    ("criterion", "Succeskriterie"),
    ("measurement", "Hvordan måles"),
    ("owner", "Ansvarlig"),
    ("timing", "Hvornår"),
)
MILESTONE_COLUMNS = (("when", "Hvornår"), ("what", "Hvad"))
# Description tables: (key in notes, sheet heading, columns).
DESCRIPTION_TABLES: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("risks", "Risici", RISK_COLUMNS),
    ("kpis", "Succeskriterier og opfølgning", KPI_COLUMNS),
    ("milestones", "Tidsplan", MILESTONE_COLUMNS),
)

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # a workbook that unpacks to more is not a business case
# What is read of an uploaded workbook (bench/business_case_import.py: unbounded, a 3 MB file that unpacks to
# 46 MB took 25 s of a request's CPU; a real case has tens of lines over at most a few dozen years).
MAX_SHEET_ROWS = 2000
MAX_SHEET_COLUMNS = 80
MAX_XML_PART_BYTES = 2 * 1024 * 1024  # the shipped cases' sheets are under 10 kB each
MAX_XML_TOTAL_BYTES = 6 * 1024 * 1024
UPLOAD_LIMITS = XlsxLimits(
    max_file_bytes=MAX_UPLOAD_BYTES,
    max_unpacked_bytes=MAX_UNCOMPRESSED_BYTES,
    max_xml_part_bytes=MAX_XML_PART_BYTES,
    max_xml_total_bytes=MAX_XML_TOTAL_BYTES,
    kind="en business case",
)

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=14)
_ITALIC = Font(italic=True)
_HEADING_FILL = PatternFill("solid", fgColor="EEF2F5")
_ERROR_FILL = PatternFill("solid", fgColor="F8D7DA")
_ROUNDING_FILL = PatternFill("solid", fgColor="FFF3CD")
_NUMBER_FORMAT = "#,##0;-#,##0"
_WRAP = Alignment(wrap_text=True, vertical="top")


# --- amounts ----------------------------------------------------------------------------------------

_DANISH_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+(,\d+)?$")
_EMPTY_MARKS = {"", "-", "–", "—"}


def parse_amount_text(text: str, where: str) -> int | float | None:
    """An amount typed as text, Danish style: "-1.022", "1.500,5", "12,5", "−300" (1,000 kr.).

    Empty, "-" and "–" are an empty cell (None). Raises BusinessCaseInputError naming `where`.
    """
    cleaned = text.strip().replace("\u00a0", "").replace(" ", "")
    if cleaned in _EMPTY_MARKS:
        return None
    if cleaned[0] in "\u2212–—":  # a typographic minus or a dash used as one
        cleaned = "-" + cleaned[1:]
    if _DANISH_GROUPED.match(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", ".")
    elif "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise BusinessCaseInputError(f"{where}: '{text.strip()}' er ikke et tal.") from None
    if not value.is_finite():
        raise BusinessCaseInputError(f"{where}: '{text.strip()}' er ikke et tal.")
    check_amount_size(value, where)
    return json_number(value)


def _cell_amount(value: Any, where: str) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise BusinessCaseInputError(f"{where}: en sandhedsværdi ({value}) er ikke et beløb.")
    if isinstance(value, int):
        check_amount_size(value, where)
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise BusinessCaseInputError(f"{where}: beløbet skal være et endeligt tal.")
        check_amount_size(value, where)
        return int(value) if value.is_integer() else value
    if isinstance(value, Decimal):
        return parse_amount_text(str(value), where)
    if isinstance(value, str):
        return parse_amount_text(value, where)
    raise BusinessCaseInputError(f"{where}: '{value}' er ikke et tal (cellen er formateret som dato eller tid).")


def _excel_value(value: Number | None) -> int | float | None:
    if value is None:
        return None
    return json_number(value)


# --- writing ------------------------------------------------------------------------------------------


def _notes(case_dict: Mapping[str, Any]) -> Mapping[str, Any]:
    notes = case_dict.get("notes")
    return notes if isinstance(notes, Mapping) else {}


def _write_row(sheet: Worksheet, row: int, cells: Sequence[Any], *, font: Font | None = None) -> None:
    for column, value in enumerate(cells, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if font is not None:
            cell.font = font
        if isinstance(value, int | float) and column > len(FIXED_HEADERS):
            cell.number_format = _NUMBER_FORMAT


def _table_sheet(sheet: Worksheet, case_dict: Mapping[str, Any], result: CaseResult) -> None:
    years = list(result.case.years)
    price_level = str(_notes(case_dict).get("price_level") or "").strip()
    sheet.cell(row=1, column=1, value=result.case.title).font = _TITLE
    unit = f"1.000 kr. ({price_level})" if price_level else "1.000 kr."
    sheet.cell(row=2, column=1, value=f"Tabel 1. Forslagets samlede økonomi, {unit}")
    header_row = 4
    _write_row(sheet, header_row, [*FIXED_HEADERS, *years], font=_BOLD)
    for column in range(1, len(FIXED_HEADERS) + len(years) + 1):
        sheet.cell(row=header_row, column=column).fill = _HEADING_FILL

    flagged = {(item.row, item.year): item.kind for item in result.discrepancies}
    computed_rows = {"varig": result.varig, "implementering": result.implementering, "impact": result.impact}

    def write_computed(row: int, key: str) -> None:
        values = [_excel_value(value) for value in computed_rows[key]]
        _write_row(sheet, row, [ROW_NAMES_DA[key], COMPUTED_MARK, "", "", *values], font=_BOLD)
        for offset, year in enumerate(years):
            kind = flagged.get((key, year))
            if kind is not None:
                cell = sheet.cell(row=row, column=len(FIXED_HEADERS) + 1 + offset)
                cell.fill = _ERROR_FILL if kind == "error" else _ROUNDING_FILL

    row = header_row + 1
    for block in BLOCKS:
        sheet.cell(row=row, column=1, value=BLOCK_HEADINGS[block]).font = _BOLD
        row += 1
        for line in result.case.lines:
            if line.block != block:
                continue
            values = [_excel_value(value) for value in line.values]
            cells = [line.label, line.block, line.area, "ja" if line.excluded_from_payback else "nej", *values]
            _write_row(sheet, row, cells, font=_ITALIC if line.excluded_from_payback else None)
            row += 1
        write_computed(row, block)
        row += 2
    write_computed(row, "impact")
    row += 1
    payback: int | str = (
        result.payback_years if result.payback_years is not None else f"ikke inden for {PAYBACK_CAP_YEARS} år"
    )
    _write_row(sheet, row, [PAYBACK_LABEL, COMPUTED_MARK, "", "", payback], font=_BOLD)
    row += 2
    sheet.cell(
        row=row,
        column=1,
        value="Linjer i kursiv (udelades af tilbagebetaling = ja) tæller med i implementeringsomkostningerne, "
        "men ikke i den samlede økonomiske påvirkning og tilbagebetalingstiden. Rækker markeret 'beregnet' "
        "er regnet ud af Samvirke og læses ikke ind igen.",
    ).font = _ITALIC
    if result.case.printed:
        row += 2
        sheet.cell(row=row, column=1, value="Totaler som trykt i kilden (tjekkes mod de beregnede)").font = _BOLD
        row += 1
        for key in DERIVED_ROWS:
            printed = result.case.printed.get(key)
            if printed is None:
                continue
            _write_row(sheet, row, [ROW_NAMES_DA[key], PRINTED_MARK, "", "", *[_excel_value(v) for v in printed]])
            row += 1

    sheet.column_dimensions["A"].width = 58
    sheet.column_dimensions["B"].width = 16
    sheet.column_dimensions["C"].width = 18
    sheet.column_dimensions["D"].width = 14
    for offset in range(len(years)):
        sheet.column_dimensions[get_column_letter(len(FIXED_HEADERS) + 1 + offset)].width = 11
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)


def _discrepancy_sheet(sheet: Worksheet, result: CaseResult) -> None:
    sheet.cell(
        row=1, column=1, value=f"Afvigelser mellem trykte og beregnede totaler: {result.case.title}"
    ).font = _TITLE
    sheet.cell(row=2, column=1, value="1.000 kr. Forskel op til 1 er afrunding, større forskel er en fejl.")
    _write_row(sheet, 4, ["Række", "År", "Trykt", "Beregnet", "Forskel", "Type"], font=_BOLD)
    if not result.case.has_printed_totals:
        sheet.cell(row=5, column=1, value="Casen har ingen trykte totaler at sammenligne med.")
    elif not result.discrepancies:
        sheet.cell(row=5, column=1, value="Ingen afvigelser: de trykte totaler passer med linjerne.")
    for row, item in enumerate(result.discrepancies, start=5):
        cells = [
            item.row_name_da,
            item.year if item.year is not None else f"{result.case.years[0]}–{result.case.years[-1]} i alt",
            _excel_value(item.printed),
            _excel_value(item.computed),
            _excel_value(item.difference),
            KIND_DA[item.kind],
        ]
        for column, value in enumerate(cells, start=1):
            cell = sheet.cell(row=row, column=column, value=value)
            if column in (3, 4, 5):
                cell.number_format = _NUMBER_FORMAT
            cell.fill = _ERROR_FILL if item.kind == "error" else _ROUNDING_FILL
    sheet.column_dimensions["A"].width = 40
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 12


def _description_sheet(sheet: Worksheet, case_dict: Mapping[str, Any], title: str) -> None:
    notes = _notes(case_dict)
    sheet.cell(row=1, column=1, value=title).font = _TITLE
    _write_row(sheet, 3, ["Felt", "Indhold"], font=_BOLD)
    row = 4
    for key, label in DESCRIPTION_FIELDS:
        sheet.cell(row=row, column=1, value=label).font = _BOLD
        sheet.cell(row=row, column=2, value=str(notes.get(key) or "")).alignment = _WRAP
        row += 1
    for key, heading, columns in DESCRIPTION_TABLES:
        row += 1
        sheet.cell(row=row, column=1, value=heading).font = _TITLE
        row += 1
        _write_row(sheet, row, [label for _key, label in columns], font=_BOLD)
        row += 1
        items = notes.get(key) or []
        for item in items if isinstance(items, list) else []:
            for column, (field, _label) in enumerate(columns, start=1):
                value = item.get(field, "") if isinstance(item, Mapping) else ""
                sheet.cell(row=row, column=column, value=str(value)).alignment = _WRAP
            row += 1
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 80
    sheet.column_dimensions["C"].width = 30
    sheet.column_dimensions["D"].width = 30


def _row_total_sheet(sheet: Worksheet, result: CaseResult) -> None:
    """The printed row totals (the "I alt" column of Tabel 3/4): one row each, read back by the import.

    Linjer holds the summed lines, one per line in the cell, unless the total is a group (Blok/Styringsområde).
    """
    sheet.cell(row=1, column=1, value=f"Rækketotaler som trykt i kilden: {result.case.title}").font = _TITLE
    sheet.cell(row=2, column=1, value="1.000 kr., summen af rækken over alle casens år.")
    _write_row(sheet, 4, list(ROW_TOTAL_HEADERS), font=_BOLD)
    for row, total in enumerate(result.case.row_totals, start=5):
        group = total.block is not None or total.area is not None
        cells = [
            total.label,
            "" if group else "\n".join(total.lines),
            total.block or "",
            total.area or "",
            _excel_value(total.printed),
            _excel_value(row_total(result.case, total)),
        ]
        _write_row(sheet, row, cells)
        sheet.cell(row=row, column=2).alignment = _WRAP
    for column, width in zip("ABCDEF", (44, 44, 16, 18, 12, 14), strict=True):
        sheet.column_dimensions[column].width = width


def _read_row_totals(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Sheet "Rækketotaler" back as printed.row_totals (the computed column is not read)."""
    header_index = next(
        (i for i, row in enumerate(rows) if [_text(v) for v in row[:5]] == list(ROW_TOTAL_HEADERS[:5])), None
    )
    if header_index is None:
        raise BusinessCaseInputError(
            f"Arket '{ROW_TOTAL_SHEET}' mangler overskriftsrækken {' | '.join(ROW_TOTAL_HEADERS[:5])}."
        )
    totals = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        label = _text(_cell(row, 0))
        if not label:
            continue
        where = f"Arket '{ROW_TOTAL_SHEET}', række {index + 1} ('{label}')"
        total: dict[str, Any] = {"label": label}
        names = [name.strip() for name in _text(_cell(row, 1)).splitlines() if name.strip()]
        block, area = _text(_cell(row, 2)), _text(_cell(row, 3))
        if names:
            total["lines"] = names
        if block:
            total["block"] = _BLOCK_NAMES.get(_key(block), block)
        if area:
            total["area"] = _AREA_NAMES.get(area.casefold(), area)
        total["printed"] = _cell_amount(_cell(row, 4), where)
        totals.append(total)
    return totals


def case_workbook(case_dict: Mapping[str, Any], result: CaseResult) -> bytes:
    """The case as an .xlsx file (bytes): sheets "Tabel 1", "Afvigelser", "Rækketotaler" (when the case has
    printed row totals) and "Beskrivelse".

    `case_dict` is the FILE.json dict (docs/business-case-format.md), optionally with the qualitative sections in
    "notes";
    `result` is compute_case(parse_case(case_dict)). Amounts in 1,000 kr.; derived rows are values, not
    formulas, so any reader sees the same totals as the page.
    """
    workbook = Workbook()
    table = workbook.active
    assert table is not None  # a new workbook always has one sheet
    table.title = TABLE_SHEET
    _table_sheet(table, case_dict, result)
    _discrepancy_sheet(workbook.create_sheet(DISCREPANCY_SHEET), result)
    if result.case.row_totals:
        _row_total_sheet(workbook.create_sheet(ROW_TOTAL_SHEET), result)
    _description_sheet(workbook.create_sheet(DESCRIPTION_SHEET), case_dict, result.case.title)
    return workbook_bytes(workbook)


def template_workbook(years: Sequence[int] = (2016, 2017, 2018, 2019, 2020)) -> bytes:
    """An empty workbook to fill in: a title cell, the header row and two example lines (1,000 kr.)."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = TABLE_SHEET
    sheet.cell(row=1, column=1, value="Titel på business casen").font = _TITLE
    sheet.cell(row=2, column=1, value="Beløb i 1.000 kr. Negative beløb er besparelser, positive er udgifter.")
    _write_row(sheet, 4, [*FIXED_HEADERS, *years], font=_BOLD)
    _write_row(sheet, 5, ["Reducerede lønomkostninger", "varig", "Service", "nej", *[0 for _ in years]])
    _write_row(sheet, 6, ["Midlertidige anlægsomkostninger", "implementering", "Anlæg", "nej", *[0 for _ in years]])
    sheet.column_dimensions["A"].width = 58
    sheet.column_dimensions["D"].width = 14
    return workbook_bytes(workbook)


# --- reading ------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _key(value: Any) -> str:
    return " ".join(_text(value).rstrip(":").split()).casefold()


_BLOCK_NAMES = {
    "varig": "varig",
    "varige": "varig",
    "varig ændring": "varig",
    "varige ændringer": "varig",
    "implementering": "implementering",
    "implementeringsomkostninger": "implementering",
    "implementeringsomkostning": "implementering",
}
_AREA_NAMES = {area.casefold(): area for area in AREAS} | {"anlaeg": "Anlæg", "innovationspulje": INNOVATION_POOL}
_YES = {"ja", "j", "x", "yes", "true", "sand", "1"}
_NO = {"nej", "n", "no", "false", "falsk", "0"}
_DERIVED_BY_NAME = {name.casefold(): key for key, name in ROW_NAMES_DA.items()} | {key: key for key in DERIVED_ROWS}
_DESCRIPTION_BY_LABEL = {label.casefold(): key for key, label in DESCRIPTION_FIELDS}
_TABLE_BY_HEADING = {heading.casefold(): (key, columns) for key, heading, columns in DESCRIPTION_TABLES}


def _year(value: Any) -> int | None:
    text = _text(value)
    return int(text) if re.fullmatch(r"(19|20|21)\d\d", text) else None


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int], list[tuple[int, int]]]:
    """The header row's index, the fixed columns by name, and the (column, year) pairs."""
    wanted = {_key(name): name for name in FIXED_HEADERS}
    for index, row in enumerate(rows):
        names = {_key(value): column for column, value in enumerate(row) if _key(value) in wanted}
        if _key(FIXED_HEADERS[0]) not in names:
            continue
        missing = [wanted[key] for key in (_key(FIXED_HEADERS[1]), _key(FIXED_HEADERS[2])) if key not in names]
        if missing:
            raise BusinessCaseInputError(
                f"Række {index + 1}: overskriftsrækken mangler kolonnen {' og '.join(missing)}. "
                f"Brug overskrifterne {' | '.join(FIXED_HEADERS)} | 2016 | 2017 …"
            )
        years = [(column, year) for column, value in enumerate(row) if (year := _year(value)) is not None]
        if not years:
            raise BusinessCaseInputError(
                f"Række {index + 1}: overskriftsrækken har ingen årstal. Skriv ét årstal pr. kolonne efter "
                f"'{FIXED_HEADERS[-1]}', fx 2016 | 2017 | 2018."
            )
        return index, {wanted[key]: column for key, column in names.items()}, years
    raise BusinessCaseInputError(
        f"Arket mangler en overskriftsrække: skriv {' | '.join(FIXED_HEADERS)} | 2016 | 2017 … "
        "over linjerne (kolonnen 'Udelades af tilbagebetaling' må udelades)."
    )


def _title_above(rows: list[tuple[Any, ...]], header_index: int) -> str:
    for row in rows[:header_index]:
        cells = [_text(value) for value in row]
        if cells and _key(cells[0]) == "titel" and len(cells) > 1 and cells[1]:
            return cells[1]
    for row in rows[:header_index]:
        first = _text(row[0]) if row else ""
        if first:
            return first
    return ""


def _cell(row: tuple[Any, ...], column: int | None) -> Any:
    if column is None or column >= len(row):
        return None
    return row[column]


def _read_table(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    header_index, columns, year_columns = _find_header(rows)
    years = [year for _column, year in year_columns]
    title = _title_above(rows, header_index)
    lines: list[dict[str, Any]] = []
    printed: dict[str, list[int | float | None]] = {}
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        number = index + 1
        label = _text(_cell(row, columns["Linje"]))
        block_text = _key(_cell(row, columns["Blok"]))
        raw_values = [_cell(row, column) for column, _year_value in year_columns]
        has_values = any(_text(value) not in _EMPTY_MARKS for value in raw_values)
        where = f"Række {number}" + (f" ('{label}')" if label else "")
        if block_text == COMPUTED_MARK:
            continue  # Samvirke's own derived rows: computed again from the lines
        derived = _DERIVED_BY_NAME.get(_key(label))
        if block_text == PRINTED_MARK or (not block_text and derived is not None and has_values):
            if derived is None:
                raise BusinessCaseInputError(f"{where}: en trykt total skal hedde {', '.join(ROW_NAMES_DA.values())}.")
            if derived in printed:
                raise BusinessCaseInputError(f"{where}: totalen '{ROW_NAMES_DA[derived]}' står der to gange.")
            printed[derived] = [
                _cell_amount(value, f"{where}, {year}") for value, year in zip(raw_values, years, strict=True)
            ]
            continue
        if not block_text:
            if has_values:
                raise BusinessCaseInputError(f"{where}: kolonnen Blok er tom. Skriv 'varig' eller 'implementering'.")
            continue  # a heading, a note or an empty row
        block = _BLOCK_NAMES.get(block_text)
        if block is None:
            raise BusinessCaseInputError(
                f"{where}: ukendt blok '{_text(_cell(row, columns['Blok']))}'. Skriv 'varig' eller 'implementering'."
            )
        if not label:
            raise BusinessCaseInputError(f"Række {number}: linjen mangler en tekst i kolonnen Linje.")
        area_text = _text(_cell(row, columns["Styringsområde"]))
        area = _AREA_NAMES.get(area_text.casefold())
        if area is None:
            raise BusinessCaseInputError(
                f"{where}: ukendt styringsområde '{area_text}'. Skriv Service, Anlæg eller Innovationspuljen."
            )
        excluded_text = _key(_cell(row, columns.get("Udelades af tilbagebetaling")))
        if not excluded_text:
            excluded = area == INNOVATION_POOL  # parse_case's default: the innovation pool is left out
        elif excluded_text in _YES:
            excluded = True
        elif excluded_text in _NO:
            excluded = False
        else:
            raise BusinessCaseInputError(
                f"{where}: 'Udelades af tilbagebetaling' skal være ja eller nej, ikke "
                f"'{_text(_cell(row, columns.get('Udelades af tilbagebetaling')))}'."
            )
        values = [_cell_amount(value, f"{where}, {year}") for value, year in zip(raw_values, years, strict=True)]
        lines.append(
            {"label": label, "block": block, "area": area, "values": values, "excluded_from_payback": excluded}
        )
    if not lines:
        raise BusinessCaseInputError(
            f"Der er ingen linjer under overskriftsrækken (række {header_index + 1}). Hver linje skal have en tekst, "
            "en blok (varig eller implementering), et styringsområde og et beløb pr. år."
        )
    data: dict[str, Any] = {"title": title, "years": years, "lines": lines}
    if printed:
        data["printed"] = printed
    return data


def _read_description(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    notes: dict[str, Any] = {}
    table: tuple[str, tuple[tuple[str, str], ...]] | None = None
    for row in rows:
        cells = [_text(value) for value in row]
        first = _key(cells[0]) if cells else ""
        if first in _TABLE_BY_HEADING:
            table = _TABLE_BY_HEADING[first]
            notes.setdefault(table[0], [])
            continue
        if table is not None:
            key, columns = table
            if [_key(value) for value in cells[: len(columns)]] == [label.casefold() for _f, label in columns]:
                continue  # the table's header row
            values = (cells + [""] * len(columns))[: len(columns)]
            if any(values):
                notes[key].append({field: value for (field, _label), value in zip(columns, values, strict=True)})
            continue
        field = _DESCRIPTION_BY_LABEL.get(first)
        if field is not None and len(cells) > 1 and cells[1]:
            notes[field] = cells[1]
    return {key: value for key, value in notes.items() if value}


def _load_rows(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    # openpyxl parses XML parts whole on opening (the shared strings; every sheet without a <dimension> is
    # scanned to size it), before any row limit can help: parts far larger than a business case's are refused.
    try:
        check_xlsx_archive(data, UPLOAD_LIMITS)
    except SpreadsheetUploadError as error:
        raise BusinessCaseInputError(str(error)) from None
    try:
        workbook = load_workbook(io.BytesIO(data), data_only=True, read_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, ParseError, ValueError …) for a broken file
        raise BusinessCaseInputError("Filen er ikke en Excel-fil (.xlsx) eller er beskadiget.") from None
    try:
        sheets: dict[str, list[tuple[Any, ...]]] = {}
        for index, sheet in enumerate(workbook.worksheets):
            # Only the sheets a business case has (Tabel 1, or the first sheet; Rækketotaler; Beskrivelse), and
            # only as many rows and columns as one can have: a large or hostile file costs a request little.
            if index > 0 and sheet.title not in _READ_SHEETS:
                sheets[sheet.title] = []
                continue
            rows: list[tuple[Any, ...]] = []
            for row in sheet.iter_rows(max_col=MAX_SHEET_COLUMNS, values_only=True):
                if len(rows) == MAX_SHEET_ROWS:
                    raise BusinessCaseInputError(
                        f"Arket '{sheet.title}' har mere end {thousands(MAX_SHEET_ROWS)} rækker"
                        + " – en business case har typisk under 100. Slet de tomme rækker under tabellen."
                    )
                rows.append(tuple(row))
            sheets[sheet.title] = rows
        return sheets
    finally:
        workbook.close()


def read_case_workbook(data: bytes) -> dict[str, Any]:
    """Read an .xlsx (bytes) into a FILE.json dict (docs/business-case-format.md): title, years, lines, printed,
    and "notes".

    Reads sheet "Tabel 1" (or the first sheet): the title above the header row (cell A1, or a row
    "Titel | …"), the header "Linje | Blok | Styringsområde | Udelades af tilbagebetaling | years …", the
    lines below it; rows marked "beregnet" are skipped, rows marked "trykt" (or a line named like a derived
    row, e.g. "Samlet varig ændring", without a block) are totals to check. Sheet "Beskrivelse", if there,
    fills "notes". Amounts in 1,000 kr. The title is "" when the sheet has none. Raises
    BusinessCaseInputError with a Danish message naming the row.
    """
    sheets = _load_rows(data)
    if not sheets:
        raise BusinessCaseInputError("Excel-filen har ingen ark.")
    table_rows = sheets.get(TABLE_SHEET, next(iter(sheets.values())))
    case = _read_table(table_rows)
    if ROW_TOTAL_SHEET in sheets:
        row_totals = _read_row_totals(sheets[ROW_TOTAL_SHEET])
        if row_totals:
            case.setdefault("printed", {})[ROW_TOTALS] = row_totals
    if DESCRIPTION_SHEET in sheets:
        notes = _read_description(sheets[DESCRIPTION_SHEET])
        if notes:
            case["notes"] = notes
    return case


def read_case_file(filename: str, data: bytes) -> dict[str, Any]:
    """An uploaded .xlsx or .json file as the FILE.json dict (not yet checked by parse_case).

    Decides by the file's content (an .xlsx is a zip file), and by its name when the content says nothing.
    Raises BusinessCaseInputError with a Danish message.
    """
    if not data:
        raise BusinessCaseInputError("Filen er tom.")
    if len(data) > MAX_UPLOAD_BYTES:
        raise BusinessCaseInputError(FILE_TOO_LARGE_DA)
    name = filename.casefold()
    if data.startswith(b"PK") or name.endswith((".xlsx", ".xlsm")):
        return read_case_workbook(data)
    if name.endswith(".xls"):
        raise BusinessCaseInputError("Det gamle Excel-format (.xls) kan ikke læses. Gem filen som .xlsx.")
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not (name.endswith(".json") or stripped.startswith(b"{")):
        raise BusinessCaseInputError("Vælg en Excel-fil (.xlsx) eller en JSON-fil (.json).")
    parsed = load_uploaded_json(data)
    if not isinstance(parsed, dict):
        raise BusinessCaseInputError("JSON-filen skal indeholde ét objekt med title, years og lines.")
    return parsed


def amounts_from_texts(texts: Iterable[str], years: Sequence[int], what: str) -> list[int | float]:
    """Per-year amounts typed in a form (Danish style); an empty field is 0 (1,000 kr.)."""
    return [parse_amount_text(text, f"{what}, {year}") or 0 for text, year in zip(texts, years, strict=True)]
