"""Hostile workbooks, built in memory: shared by tests/security/test_sec_files.py and bench/hostile_files.py."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook


def cell_at_the_end_of_the_sheet() -> bytes:
    """4.8 KB: one cell at XFD1048576, the last cell a sheet can have."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Tabel 1"
    sheet["A1"] = "Titel"
    sheet["XFD1048576"] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A valid workbook plus a member that unpacks to 50 MB (a few kB packed)."""
    archive = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(cell_at_the_end_of_the_sheet())) as source,
        zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/worksheets/sheet9.xml", b" " * (50 * 1024 * 1024))
    return archive.getvalue()
