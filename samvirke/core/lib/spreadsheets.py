"""Spreadsheets we write and read: text that can never run as a formula, and uploads read within bounds.

Formula injection (OWASP "CSV injection"): Excel and LibreOffice run a cell that starts with = as a formula,
and a CSV field that starts with = + - @ (or a tab or carriage return before one) as well; a formula can fetch
URLs (HYPERLINK, WEBSERVICE) or run commands (DDE). Agents' notes, transfer targets, case titles and names are
typed by people, so every text cell we write passes through here: in a workbook it is a string cell with
Excel's "quote prefix" (shown as typed, and still text when someone edits it); in a CSV it gets a leading
apostrophe, which Excel hides. Numbers stay numbers: a negative amount is a number, never text.

Uploads: an .xlsx is a zip archive whose sheets openpyxl parses; the archive's own sizes are checked before
anything is unpacked, so a small file that unpacks to gigabytes (a zip bomb) or is no zip at all costs nothing.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.workbook.workbook import Workbook

# What Excel or LibreOffice may read as the start of a formula (OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_field(value: Any) -> Any:
    """A value for csv.writer: a text that a spreadsheet would run as a formula gets a leading apostrophe.

    Only texts are touched: a number (a negative one included) is written as the number it is.
    """
    if isinstance(value, str) and looks_like_formula(value):
        return "'" + value
    return value


def make_text_cell(cell: Cell) -> None:
    """Mark a cell holding a text as text, whatever the text starts with (openpyxl writes a value starting with
    = as a formula, and one like #N/A as an error value)."""
    if isinstance(cell.value, str) and (cell.data_type != "s" or looks_like_formula(cell.value)):
        cell.data_type = "s"
        cell.quotePrefix = True  # Excel shows the text as typed and keeps it text when the cell is edited


def neutralise_formulas(workbook: Workbook) -> Workbook:
    """Make every text cell of a workbook (not write-only) a text that cannot be a formula; returns it.

    Samvirke writes values, never formulas (totals are computed so every reader sees the page's numbers),
    so every cell written as a formula came from a text someone typed.
    """
    for sheet in workbook.worksheets:
        # The cells that exist; iter_rows() would create the empty ones in between.
        for cell in list(getattr(sheet, "_cells", {}).values()):
            if isinstance(cell.value, str):
                make_text_cell(cell)
    return workbook


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook saved as .xlsx bytes, every text cell made safe first (see neutralise_formulas)."""
    neutralise_formulas(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- reading uploads ----------------------------------------------------------------------------------------


class SpreadsheetUploadError(ValueError):
    """An uploaded spreadsheet that is refused unread; the message is Danish."""


@dataclass(frozen=True)
class XlsxLimits:
    max_file_bytes: int
    max_unpacked_bytes: int  # all members together, as the archive's directory states them
    max_xml_part_bytes: int  # one sheet, the shared strings …: openpyxl parses each part whole
    max_xml_total_bytes: int
    max_members: int = 200
    max_compression_ratio: int = 200  # a real workbook's XML packs 5–20 times; a bomb packs 1,000 times
    kind: str = "et regneark af denne slags"  # what the file should be, in the refusal ("en business case")


def check_xlsx_archive(data: bytes, limits: XlsxLimits) -> None:
    """Refuse, before openpyxl opens it, an .xlsx that is too big, is no zip archive, or unpacks to far more
    than a workbook of its kind can hold. Reads only the zip's central directory (no member is unpacked)."""
    if len(data) > limits.max_file_bytes:
        raise SpreadsheetUploadError(f"Filen er for stor: højst {_megabytes(limits.max_file_bytes)}.")
    if not data.startswith(b"PK"):
        raise SpreadsheetUploadError("Filen er ikke en Excel-fil (.xlsx). Gem den som Excel-projektmappe (.xlsx).")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError):
        raise SpreadsheetUploadError("Filen er ikke en Excel-fil (.xlsx) eller er beskadiget.") from None
    if len(members) > limits.max_members:
        raise SpreadsheetUploadError(f"Excel-filen har for mange dele til at være {limits.kind}.")
    unpacked = sum(member.file_size for member in members)
    xml_sizes = [member.file_size for member in members if member.filename.endswith((".xml", ".rels"))]
    packed = max(1, sum(member.compress_size for member in members))
    if (
        unpacked > limits.max_unpacked_bytes
        or max(xml_sizes, default=0) > limits.max_xml_part_bytes
        or sum(xml_sizes) > limits.max_xml_total_bytes
        or (unpacked > 1024 * 1024 and unpacked / packed > limits.max_compression_ratio)
    ):
        raise SpreadsheetUploadError(
            f"Excel-filen er for stor til at være {limits.kind}: arkene fylder mere end "
            f"{_megabytes(limits.max_xml_part_bytes)} hver eller {_megabytes(limits.max_xml_total_bytes)} i alt "
            "udpakket. Gem kun tabellen i filen."
        )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB".replace(".", ",")
