"""Issue 12, findings 4, 5, 13 (and 6 in tests/security/test_sec_files_swaps.py): what Samvirke writes into a
spreadsheet can never run as a formula, and what it is sent as a spreadsheet or JSON is refused within bounds
with a Danish message, changing nothing."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell

from samvirke.audit.models import AuditEntry
from samvirke.contact.models import Contact
from samvirke.core.lib.bounded_json import JsonInputError, load_bounded_json
from samvirke.core.lib.spreadsheets import csv_field, workbook_bytes
from samvirke.directory.models import Fellesskab, Municipality, Person
from samvirke.economy.actions import business_cases as case_actions
from samvirke.economy.lib.business_case import BusinessCaseInputError
from samvirke.economy.lib.business_case.excel import read_case_file
from samvirke.economy.models import BusinessCase
from tests.conftest import HOLBAEK, client_for
from tests.contact.conftest import Telephony, agents  # noqa: F401  (a fixture of traffic's, used by name)
from tests.contact.test_contact_pages import traffic  # noqa: F401  (a fixture, used by name)
from tests.security.hostile_files import cell_at_the_end_of_the_sheet, zip_bomb
from tests.staffing.handmade import WEEK, make_rota

pytestmark = pytest.mark.django_db

# What an attacker types into a note, a title or a name (OWASP CSV injection).
PAYLOADS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
CASES = "/oekonomi/business-cases/"


def text_not_formula(cell: Cell, expected: str) -> None:
    """The cell, as Excel will read it: a text cell holding exactly what was typed, marked with a quote prefix so
    that editing it does not turn it into a formula either."""
    # (An XML reader turns a carriage return into a line feed; Excel does the same.)
    assert (cell.value, cell.data_type, cell.quotePrefix) == (expected.replace("\r", "\n"), "s", True)


def cells_with(workbook: Any, text: str) -> list[Cell]:
    text = text.replace("\r", "\n")
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value == text]


# --- finding 4: formula injection ---------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_contact_note_and_transfer_target_that_look_like_formulas_stay_text_in_the_excel_export(
    secretariat: Person,
    traffic: Telephony,  # noqa: F811
    payload: str,
) -> None:
    Contact.objects.filter(external_id="h1").update(note=payload, transferred_to=payload + "0")
    response = client_for(secretariat).get("/kontaktcenter/rapporter/kontakter.xlsx?fra=2026-11-23&til=2026-11-23")
    workbook = load_workbook(io.BytesIO(response.content), data_only=False)
    text_not_formula(cells_with(workbook, payload)[0], payload)
    text_not_formula(cells_with(workbook, payload + "0")[0], payload + "0")
    sheet = workbook.active
    assert sheet is not None
    waits = [row[8] for row in sheet.iter_rows(min_row=2, values_only=True) if row[8] is not None]
    assert waits and all(isinstance(wait, int) for wait in waits)  # the numbers stay numbers


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_contact_note_that_looks_like_a_formula_gets_an_apostrophe_in_the_csv(
    secretariat: Person,
    traffic: Telephony,  # noqa: F811
    payload: str,
) -> None:
    Contact.objects.filter(external_id="h1").update(note=payload, transferred_to=payload)
    response = client_for(secretariat).get("/kontaktcenter/rapporter/kontakter.csv?fra=2026-11-23&til=2026-11-23")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    h1 = next(row for row in rows if row["Kontakt-id"] == str(Contact.objects.get(external_id="h1").pk))
    assert h1["Notat (maskeret)"] == "'" + payload and h1["Viderestillet til"] == "'" + payload
    assert h1["Ventetid (sek.)"] == "30"  # a number is written as it is


def test_a_csv_field_guards_texts_but_never_numbers() -> None:
    assert [csv_field(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert (csv_field(-5), csv_field(-2.5), csv_field("Holbæk"), csv_field(None)) == (-5, -2.5, "Holbæk", None)


def test_a_business_case_title_and_line_labels_that_look_like_formulas_stay_text_in_its_export(
    secretariat: Person,
) -> None:
    data = {
        "title": PAYLOADS[0],
        "years": [2020, 2021],
        "lines": [  # (a label is stripped on import: a leading tab or carriage return does not reach the export)
            {"label": label, "block": "varig", "area": "Service", "values": [-1022, 12.5]} for label in PAYLOADS[1:4]
        ],
        "notes": {"summary": "=1+1", "risks": [{"risk": "@risk", "mitigation": "-x"}]},
    }
    case = case_actions.do_create_business_case_from_dict(secretariat, Municipality.objects.get(code=HOLBAEK), data)
    response = client_for(secretariat).get(f"{CASES}{case.pk}/eksport.xlsx")
    workbook = load_workbook(io.BytesIO(response.content), data_only=False)
    for text in [*PAYLOADS[:4], "=1+1", "@risk", "-x"]:
        found = cells_with(workbook, text)
        assert found, text
        for cell in found:
            text_not_formula(cell, text)
    table = workbook["Tabel 1"]
    label_row = next(row for row in table.iter_rows() if row[0].value == "+1+1")
    assert (label_row[4].value, label_row[5].value) == (-1022, 12.5)  # a negative amount is a number
    assert label_row[4].data_type == "n"


def test_an_agent_name_that_looks_like_a_formula_stays_text_in_the_rota_export(
    fellesskab: Fellesskab, holbaek_agent: Person, secretariat: Person
) -> None:
    week = make_rota(fellesskab, holbaek_agent)
    Person.objects.filter(pk=week.agents["greve-1"].pk).update(first_name=PAYLOADS[0], last_name="")
    Person.objects.filter(pk=week.agents["holbaek-2"].pk).update(first_name="-2+3", last_name="")
    response = client_for(secretariat).get(f"/bemanding/{WEEK}/vagtplan.xlsx")
    workbook = load_workbook(io.BytesIO(response.content), data_only=False)
    for text in (PAYLOADS[0], "-2+3"):
        found = cells_with(workbook, text)
        assert found
        for cell in found:
            text_not_formula(cell, text)
    hours = [row[5] for row in workbook["Vagter"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(h, int | float) for h in hours)


def test_every_workbook_is_saved_with_its_texts_made_safe() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([*PAYLOADS, "#N/A", -3, 1.5, "Holbæk"])
    read = load_workbook(io.BytesIO(workbook_bytes(workbook)), data_only=False).active
    assert read is not None
    cells = next(read.iter_rows())
    for cell, text in zip(cells, [*PAYLOADS, "#N/A"], strict=False):
        text_not_formula(cell, text)
    assert [(c.value, c.data_type) for c in cells[-3:]] == [(-3, "n"), (1.5, "n"), ("Holbæk", "s")]


# --- finding 5: hostile uploads ----------------------------------------------------------------------------


HOSTILE_UPLOADS = {
    "a cell at XFD1048576": (cell_at_the_end_of_the_sheet(), "har mere end 2.000 rækker"),
    "a 50 MB member": (zip_bomb(), "Excel-filen er for stor til at være en business case"),
    "a text renamed .xlsx": (b"Linje;Blok\nx;varig\n", "Filen er ikke en Excel-fil (.xlsx)"),
    "a broken zip": (b"PK\x03\x04" + b"\x00" * 200, "Filen er ikke en Excel-fil (.xlsx) eller er beskadiget."),
    "a zip without a workbook": (b"", "Filen er ikke en Excel-fil (.xlsx) eller er beskadiget."),
}


def _plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    return buffer.getvalue()


HOSTILE_UPLOADS["a zip without a workbook"] = (_plain_zip(), "Filen er ikke en Excel-fil (.xlsx) eller er beskadiget.")


@pytest.mark.parametrize("name", list(HOSTILE_UPLOADS))
def test_a_hostile_workbook_uploaded_as_a_business_case_is_refused_and_nothing_is_written(
    secretariat: Person, name: str
) -> None:
    content, message = HOSTILE_UPLOADS[name]
    audit_before = AuditEntry.objects.count()
    response = client_for(secretariat).post(
        f"{CASES}ny/",
        {
            "file": SimpleUploadedFile("case.xlsx", content),
            "municipality": Municipality.objects.get(code=HOLBAEK).pk,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert BusinessCase.objects.count() == 0 and AuditEntry.objects.count() == audit_before


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened() -> None:
    with pytest.raises(BusinessCaseInputError, match="Filen er for stor: højst 5 MB"):
        read_case_file("case.xlsx", b"PK" + b"\x00" * (5 * 1024 * 1024))


def test_a_population_file_over_the_size_limit_is_refused_by_the_command(tmp_path: Path) -> None:
    path = tmp_path / "population.csv"
    path.write_text("kommunekode,population,year,source\n" + "316,90000,2025," + "x" * 20_000_000, encoding="utf-8")
    with pytest.raises(CommandError, match="for stor"):
        call_command("import_population", str(path))


# --- finding 13: the business-case JSON import ------------------------------------------------------------

DEEP = b'{"title": "x", "years": [2020], "lines": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
HUGE_NUMBER = json.dumps(
    {"title": "x", "years": [2020], "lines": [{"label": "a", "block": "varig", "area": "Service", "values": [0]}]}
).replace("[0]", "[" + "9" * 5000 + "]")
HOSTILE_JSON = {
    "deep nesting": (DEEP, "indlejret for dybt"),
    "a 5,000-digit number": (HUGE_NUMBER.encode(), "et tal med 5.000 tegn"),
    "a 5,000-digit year": (HUGE_NUMBER.replace('"years": [2020]', '"years": [' + "1" * 5000 + "]").encode(), "tegn"),
    "a huge exponent": (HUGE_NUMBER.replace("9" * 5000, "1e999999").encode(), "for stort"),
    "an amount of 10^20 (1,000 kr.)": (HUGE_NUMBER.replace("9" * 5000, "1" + "0" * 20).encode(), "for stort"),
    "NaN": (HUGE_NUMBER.replace("9" * 5000, "NaN").encode(), "NaN, som ikke er et tal"),
}


@pytest.mark.parametrize("name", list(HOSTILE_JSON))
def test_hostile_business_case_json_gets_a_danish_400_and_nothing_is_written(secretariat: Person, name: str) -> None:
    content, message = HOSTILE_JSON[name]
    audit_before = AuditEntry.objects.count()
    response = client_for(secretariat).post(
        f"{CASES}ny/",
        {"file": SimpleUploadedFile("case.json", content), "municipality": Municipality.objects.get(code=HOLBAEK).pk},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert BusinessCase.objects.count() == 0 and AuditEntry.objects.count() == audit_before


@pytest.mark.parametrize("name", ["deep nesting", "a 5,000-digit number"])
def test_a_hostile_portfolio_overview_gets_a_danish_message(secretariat: Person, name: str) -> None:
    content, message = HOSTILE_JSON[name]
    response = client_for(secretariat).post(
        f"{CASES}portefoelje/{HOLBAEK}/", {"oversigt": SimpleUploadedFile("o.json", content)}
    )
    assert response.status_code == 200 and message in response.content.decode()


@pytest.mark.parametrize("name", ["deep nesting", "a 5,000-digit number", "a huge exponent"])
def test_the_business_case_command_says_what_is_wrong_and_exits_non_zero(tmp_path: Path, name: str) -> None:
    content, message = HOSTILE_JSON[name]
    path = tmp_path / "case.json"
    path.write_bytes(content)
    completed = subprocess.run(
        [sys.executable, "-m", "samvirke.manage", "business-case", str(path), "--format", "table"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0
    assert message in completed.stderr and "Traceback" not in completed.stderr


def test_the_bounded_json_reader_keeps_ordinary_json_as_json() -> None:
    assert load_bounded_json(b'\xef\xbb\xbf{"a": [1, -2.5, null, "x"]}') == {"a": [1, -2.5, None, "x"]}
    with pytest.raises(JsonInputError, match="dybt"):
        load_bounded_json("[" * 21 + "]" * 21)
    assert load_bounded_json("[" * 20 + "]" * 20) == [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]
