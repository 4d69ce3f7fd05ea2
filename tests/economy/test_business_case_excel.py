"""Business cases as Excel workbooks and uploaded files (samvirke.economy.lib.business_case.excel), no database."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import samvirke.economy
from samvirke.economy.lib.business_case import BusinessCaseInputError, compute_case, parse_case
from samvirke.economy.lib.business_case.excel import (
    MAX_SHEET_ROWS,
    amounts_from_texts,
    case_workbook,
    parse_amount_text,
    read_case_file,
    read_case_workbook,
    template_workbook,
)

CASES_DIR = Path(samvirke.economy.__file__).resolve().parent / "data" / "business_cases"
HEADER = ["Linje", "Blok", "Styringsområde", "Udelades af tilbagebetaling", 2016, 2017, 2018]


def load(number: int) -> dict[str, Any]:
    return json.loads((CASES_DIR / f"case{number}.json").read_text(encoding="utf-8"))


def workbook_of(number: int, notes: dict[str, Any] | None = None) -> bytes:
    data = load(number)
    if notes is not None:
        data["notes"] = notes
    return case_workbook(data, compute_case(parse_case(data)))


def sheet_rows(data: bytes, sheet: str) -> list[tuple[Any, ...]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]


def row_named(rows: list[tuple[Any, ...]], label: str) -> tuple[Any, ...]:
    return next(row for row in rows if row[0] == label)


def simple_workbook(rows: list[list[Any]], *, sheet_title: str = "Ark1") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = sheet_title
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def error_of(data: bytes) -> str:
    with pytest.raises(BusinessCaseInputError) as caught:
        read_case_workbook(data)
    return str(caught.value)


# --- writing ----------------------------------------------------------------------------------------


def test_the_workbook_has_tabel_1_afvigelser_and_beskrivelse():
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_of(1)))
    assert workbook.sheetnames == ["Tabel 1", "Afvigelser", "Beskrivelse"]


def test_tabel_1_has_the_years_as_columns_and_the_lines_with_their_block_and_area():
    rows = sheet_rows(workbook_of(1), "Tabel 1")
    assert rows[0][0] == "Online syge- og hjemmepleje med skærmbesøg"
    assert list(rows[3][:9]) == [
        "Linje",
        "Blok",
        "Styringsområde",
        "Udelades af tilbagebetaling",
        2016,
        2017,
        2018,
        2019,
        2020,
    ]
    assert row_named(rows, "Reducerede lønomkostninger")[1:9] == (
        "varig",
        "Service",
        "nej",
        -224,
        -555,
        -740,
        -851,
        -1022,
    )
    pool = next(row for row in rows if str(row[0]).startswith("Innovationssamarbejde"))
    assert pool[1:5] == ("implementering", "Innovationspuljen", "ja", 300)
    assert pool[5:9] == (None, None, None, None)


def test_tabel_1_derived_rows_and_payback_are_the_computed_ones():
    rows = sheet_rows(workbook_of(1), "Tabel 1")
    assert row_named(rows, "Samlet varig ændring")[4:9] == (0, -14, -51, -136, -304)
    assert row_named(rows, "Samlede implementeringsomkostninger")[4:9] == (450, 449, 75, 0, 0)
    assert row_named(rows, "Samlet økonomisk påvirkning")[4:9] == (150, 435, 24, -136, -304)
    assert row_named(rows, "Tilbagebetalingstid (år)")[4] == 6


def test_case_2_computed_totals_are_written_not_the_printed_ones_which_follow_marked_trykt():
    rows = sheet_rows(workbook_of(2), "Tabel 1")
    varig_rows = [row for row in rows if row[0] == "Samlet varig ændring"]
    assert [row[1] for row in varig_rows] == ["beregnet", "trykt"]
    assert varig_rows[0][4:9] == (0, -573, -1576, -1576, -1576)
    assert varig_rows[1][4:9] == (0, -572, -1575, -1575, -1575)


def test_afvigelser_lists_case_2s_rounding_and_its_error():
    rows = sheet_rows(workbook_of(2), "Afvigelser")
    found = [row[:6] for row in rows[4:] if row[0]]
    assert ("Samlet økonomisk påvirkning", 2016, 3705, 3723, -18, "fejl") in found
    assert ("Samlet varig ændring", 2017, -572, -573, 1, "afrunding") in found
    assert len(found) == 9


def test_afvigelser_says_so_when_the_printed_totals_add_up():
    rows = sheet_rows(workbook_of(3), "Afvigelser")
    assert rows[4][0] == "Ingen afvigelser: de trykte totaler passer med linjerne."


def test_beskrivelse_holds_the_sections_risks_kpis_and_timeline():
    notes = {
        "purpose": "Færre kørte kilometer.",
        "risks": [{"risk": "NemID ved hvert log-in", "mitigation": "Dialog med leverandøren"}],
        "kpis": [{"criterion": "115 borgere", "measurement": "Optælling", "owner": "Projektleder", "timing": "2018"}],
        "milestones": [{"when": "Primo 2017", "what": "Udbud"}],
    }
    rows = sheet_rows(workbook_of(1, notes), "Beskrivelse")
    assert row_named(rows, "Baggrund og formål")[1] == "Færre kørte kilometer."
    assert row_named(rows, "NemID ved hvert log-in")[1] == "Dialog med leverandøren"
    assert row_named(rows, "115 borgere")[1:4] == ("Optælling", "Projektleder", "2018")
    assert row_named(rows, "Primo 2017")[1] == "Udbud"


# --- reading back -----------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_every_seed_case_survives_a_round_trip_through_excel(number: int):
    original = load(number)
    again = read_case_workbook(workbook_of(number))
    assert again["title"] == original["title"]
    assert again["years"] == original["years"]
    assert again["lines"] == original["lines"]
    assert again["printed"] == original["printed"]
    assert compute_case(parse_case(again)) == compute_case(parse_case(original))


def test_the_description_survives_a_round_trip_in_notes():
    notes = {
        "portfolio_area": "Hjemmeplejen",
        "purpose": "Bedre støtte.",
        "risks": [{"risk": "Infrastruktur", "mitigation": "Test i pilot"}],
        "kpis": [{"criterion": "75 medarbejdere", "measurement": "Optælling", "owner": "BCH", "timing": "Løbende"}],
        "milestones": [{"when": "2016", "what": "Pilot"}, {"when": "2017", "what": "Udbud"}],
    }
    assert read_case_workbook(workbook_of(1, notes))["notes"] == notes


def test_a_simple_user_workbook_with_danish_numbers_is_read():
    data = simple_workbook(
        [
            ["Skærmbesøg i Holbæk"],
            [],
            HEADER,
            ["Reducerede lønomkostninger", "varig", "Service", "nej", "-1.022", "-555,5", -740],
            ["Nye omkostninger", "Varige ændringer", "service", "", 68, 235, 269],
            ["Innovationssamarbejde", "implementering", "Innovationspuljen", "", 300, "-", None],
            ["Anlæg", "Implementering", "Anlæg", "nej", 150.0, 274, 75],
            ["Samlet varig ændring", None, None, None, -954, -320, -471],
        ]
    )
    case = read_case_workbook(data)
    assert case["title"] == "Skærmbesøg i Holbæk"
    assert case["years"] == [2016, 2017, 2018]
    assert case["lines"][0]["values"] == [-1022, -555.5, -740]
    assert case["lines"][1]["block"] == "varig" and case["lines"][1]["area"] == "Service"
    pool = case["lines"][2]
    assert pool["values"] == [300, None, None]
    assert pool["excluded_from_payback"] is True  # the innovation pool, when the cell is empty
    assert case["lines"][3]["values"] == [150, 274, 75]
    assert case["printed"] == {"varig": [-954, -320, -471]}
    result = compute_case(parse_case(case))
    assert [(d.row, d.year, d.kind) for d in result.discrepancies] == [("varig", 2017, "rounding")]


def test_the_fourth_column_may_be_left_out_and_a_titel_row_names_the_case():
    data = simple_workbook(
        [
            ["Titel", "Nøgler"],
            ["Linje", "Blok", "Styringsområde", 2016, 2017],
            ["Løn", "varig", "Service", -10, -20],
        ]
    )
    case = read_case_workbook(data)
    assert case["title"] == "Nøgler"
    assert case["lines"] == [
        {"label": "Løn", "block": "varig", "area": "Service", "values": [-10, -20], "excluded_from_payback": False}
    ]


def test_a_sheet_without_a_title_reads_with_an_empty_title():
    data = simple_workbook([HEADER[:5], ["Løn", "varig", "Service", "nej", 1]])
    assert read_case_workbook(data)["title"] == ""


def test_a_bad_number_names_the_row_line_and_year():
    data = simple_workbook([["T"], HEADER, ["Løn", "varig", "Service", "nej", 1, "mange", 3]])
    assert error_of(data) == "Række 3 ('Løn'), 2017: 'mange' er ikke et tal."


def test_an_unknown_block_is_refused_with_the_row():
    data = simple_workbook([["T"], HEADER, ["Løn", "drift", "Service", "nej", 1, 2, 3]])
    assert error_of(data) == "Række 3 ('Løn'): ukendt blok 'drift'. Skriv 'varig' eller 'implementering'."


def test_an_unknown_area_is_refused_with_the_row():
    data = simple_workbook([["T"], HEADER, ["Løn", "varig", "Drift", "nej", 1, 2, 3]])
    assert "Række 3 ('Løn'): ukendt styringsområde 'Drift'" in error_of(data)


def test_a_line_without_a_block_is_refused():
    data = simple_workbook([["T"], HEADER, ["Løn", None, "Service", "nej", 1, 2, 3]])
    assert error_of(data) == "Række 3 ('Løn'): kolonnen Blok er tom. Skriv 'varig' eller 'implementering'."


def test_a_bad_payback_flag_is_refused():
    data = simple_workbook([["T"], HEADER, ["Løn", "varig", "Service", "måske", 1, 2, 3]])
    assert "'Udelades af tilbagebetaling' skal være ja eller nej, ikke 'måske'" in error_of(data)


def test_a_sheet_without_the_header_row_is_refused():
    data = simple_workbook([["Titel"], ["Løn", "varig", "Service", 1, 2]])
    assert error_of(data).startswith("Arket mangler en overskriftsrække: skriv Linje | Blok | Styringsområde")


def test_a_header_without_years_is_refused():
    data = simple_workbook([["Linje", "Blok", "Styringsområde", "Beløb"], ["Løn", "varig", "Service", 1]])
    assert "overskriftsrækken har ingen årstal" in error_of(data)


def test_a_header_without_the_area_column_is_refused():
    data = simple_workbook([["Linje", "Blok", 2016], ["Løn", "varig", 1]])
    assert "mangler kolonnen Styringsområde" in error_of(data)


def test_a_sheet_with_no_lines_is_refused():
    data = simple_workbook([["T"], HEADER])
    assert error_of(data).startswith("Der er ingen linjer under overskriftsrækken (række 2)")


def test_a_printed_total_twice_is_refused():
    data = simple_workbook(
        [
            ["T"],
            HEADER,
            ["Løn", "varig", "Service", "nej", 1, 2, 3],
            ["Samlet varig ændring", None, None, None, 1, 2, 3],
            ["Samlet varig ændring", "trykt", None, None, 1, 2, 3],
        ]
    )
    assert error_of(data) == "Række 5 ('Samlet varig ændring'): totalen 'Samlet varig ændring' står der to gange."


def test_text_that_is_not_an_xlsx_file_is_refused():
    assert error_of(b"Linje;Blok\n") == ("Filen er ikke en Excel-fil (.xlsx). Gem den som Excel-projektmappe (.xlsx).")


def test_a_zip_file_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hej")
    assert error_of(buffer.getvalue()) == "Filen er ikke en Excel-fil (.xlsx) eller er beskadiget."


def test_the_template_reads_as_a_case_once_it_has_a_title():
    case = read_case_workbook(template_workbook())
    assert case["years"] == [2016, 2017, 2018, 2019, 2020]
    assert [line["block"] for line in case["lines"]] == ["varig", "implementering"]
    parse_case(case)


# --- uploaded files ---------------------------------------------------------------------------------


def test_a_json_file_is_read_as_the_case_dict():
    raw = (CASES_DIR / "case3.json").read_bytes()
    assert read_case_file("case3.json", raw) == load(3)


def test_an_xlsx_file_is_recognised_by_its_content_whatever_its_name():
    assert read_case_file("upload", workbook_of(3))["title"] == "Velfærdsteknologier til handicapområdet"


def test_broken_json_names_the_line():
    with pytest.raises(BusinessCaseInputError, match=r"JSON-filen kan ikke læses: fejl i linje 2, kolonne 1\."):
        read_case_file("case.json", b'{"title": "x",\n}')


def test_json_that_is_not_an_object_is_refused():
    with pytest.raises(BusinessCaseInputError, match="ét objekt"):
        read_case_file("case.json", b"[1, 2]")


def test_json_must_be_utf8():
    with pytest.raises(BusinessCaseInputError, match="UTF-8"):
        read_case_file("case.json", '{"title": "Økonomi"}'.encode("latin-1"))


def test_an_old_xls_file_is_refused_with_advice():
    with pytest.raises(BusinessCaseInputError, match=r"\.xls\) kan ikke læses. Gem filen som \.xlsx"):
        read_case_file("case.xls", b"\xd0\xcf\x11\xe0 old excel")


def test_another_kind_of_file_is_refused():
    with pytest.raises(BusinessCaseInputError, match=r"Vælg en Excel-fil \(\.xlsx\) eller en JSON-fil"):
        read_case_file("notes.txt", b"hello")


def test_an_empty_file_is_refused():
    with pytest.raises(BusinessCaseInputError, match="Filen er tom."):
        read_case_file("case.json", b"")


# --- amounts ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-1.022", -1022),
        ("1.500,5", 1500.5),
        ("12,5", 12.5),
        ("12.5", 12.5),
        ("\u2212300", -300),
        ("3 166", 3166),
        ("0", 0),
        ("–", None),
        ("", None),
    ],
)
def test_amounts_typed_the_danish_way_are_read(text: str, value: float | None):
    assert parse_amount_text(text, "Beløbet") == value


def test_a_word_is_not_an_amount():
    with pytest.raises(BusinessCaseInputError, match="Beløbet, 2017: 'ti' er ikke et tal."):
        amounts_from_texts(["1", "ti"], [2016, 2017], "Beløbet")


def test_empty_form_fields_are_zero():
    assert amounts_from_texts(["", "-100"], [2016, 2017], "Beløbet") == [0, -100]


def test_case_4s_row_totals_survive_a_round_trip_and_are_shown_with_their_computed_sums():
    original = load(4)
    content = workbook_of(4)
    sheet = openpyxl.load_workbook(io.BytesIO(content))["Rækketotaler"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True)}
    assert rows["Implementering og udvikling (Tabel 4)"][4:6] == (16200, 13000)
    assert rows["Investeringer totalt, anlæg (Tabel 4)"][2:6] == ("implementering", "Anlæg", 23900, 20700)
    assert read_case_workbook(content)["printed"]["row_totals"] == original["printed"]["row_totals"]


# --- bounded reading: an upload costs a request little, whatever its size ---------------------------------


def _lines(count: int) -> list[list[Any]]:
    return [HEADER] + [[f"Linje {i}", "varig", "Service", "", 1, 2, 3] for i in range(count)]


def test_a_sheet_with_more_rows_than_a_business_case_can_have_is_refused_by_name() -> None:
    message = error_of(simple_workbook(_lines(MAX_SHEET_ROWS + 5), sheet_title="Tabel 1"))
    assert message.startswith("Arket 'Tabel 1' har mere end 2.000 rækker")


def test_a_workbook_whose_sheet_unpacks_far_beyond_a_business_case_is_refused_unread() -> None:
    # 45,000 rows of short values: about 3 MB of sheet XML (a real case's sheet is under 10 kB).
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Tabel 1")
    for row in _lines(45_000):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert "Excel-filen er for stor til at være en business case" in error_of(buffer.getvalue())


def test_sheets_a_business_case_does_not_have_are_not_read() -> None:
    # An extra sheet with more rows than the limit does not matter: only Tabel 1, Rækketotaler, Beskrivelse count.
    workbook = openpyxl.Workbook()
    table = workbook.active
    assert table is not None
    table.title = "Tabel 1"
    for row in [["Titel", "Lille case"], HEADER, ["Udgift", "varig", "Service", "", 1, 2, 3]]:
        table.append(row)
    extra = workbook.create_sheet("Noter")
    for i in range(MAX_SHEET_ROWS + 5):
        extra.append([i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_case_workbook(buffer.getvalue())["title"] == "Lille case"
