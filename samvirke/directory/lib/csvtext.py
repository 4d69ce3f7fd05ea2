"""Reading the small CSV files municipalities send us: comma or semicolon separated, with or without a BOM."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator


def read_rows(text: str) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """Return the header (stripped, lower-case) and an iterator of (line number, row) pairs.

    Danish spreadsheets save CSV with semicolons, most other tools with commas; the header line decides.
    Line numbers count the header as line 1, as a spreadsheet shows them. Blank lines are skipped.
    """
    text = text.lstrip("\ufeff")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [cell.strip().lower() for cell in next(reader)]
    except StopIteration:
        return [], iter(())

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            line_number = reader.line_num
            padded = cells + [""] * (len(header) - len(cells))
            row = {name: value.strip() for name, value in zip(header, padded, strict=False)}
            if len(cells) > len(header):
                row["__extra__"] = ",".join(cells[len(header) :])
            yield line_number, row

    return header, rows()
