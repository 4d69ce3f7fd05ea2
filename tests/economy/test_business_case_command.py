"""`samvirke business-case FILE.json` (the command-line contract, docs/cli.md), against seed 004's five cases."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

import samvirke.economy

CASES_DIR = Path(samvirke.economy.__file__).resolve().parent / "data" / "business_cases"
SAMVIRKE = Path(sys.executable).parent / "samvirke"

# Tabel 1's derived rows per case, in 1,000 kr. (docs/models/business-case.md, seed 004): varig, implementering,
# impact and the payback period in years. They equal the seed's printed totals except case 2's errors.
DERIVED = {
    1: ([0, -14, -51, -136, -304], [450, 449, 75, 0, 0], [150, 435, 24, -136, -304], 6),
    2: ([0, -573, -1576, -1576, -1576], [3723, 1388, 573, 0, 0], [3723, 815, -1003, -1576, -1576], 6),
    3: ([0, -2989, -2939, -2939, -2939], [1506, 450, 450, 0, 0], [1506, -2539, -2489, -2939, -2939], 2),
    4: ([0, -5900, -5000, -5000], [17700, 6200, 0, 0], [17700, 300, -5000, -5000], 6),
    5: ([0, 0, -1850, -1850], [3500, 3150, 0, 0], [3500, 3150, -1850, -1850], 6),
}

# Seed 004 case 2 (l.813): the printed totals the tool must find, as (row, year, printed, computed, kind).
CASE_2_DISCREPANCIES = [
    ("varig", 2017, -572, -573, "rounding"),
    ("varig", 2018, -1575, -1576, "rounding"),
    ("varig", 2019, -1575, -1576, "rounding"),
    ("varig", 2020, -1575, -1576, "rounding"),
    ("impact", 2016, 3705, 3723, "error"),
    ("impact", 2017, 816, 815, "rounding"),
    ("impact", 2018, -1002, -1003, "rounding"),
    ("impact", 2019, -1575, -1576, "rounding"),
    ("impact", 2020, -1575, -1576, "rounding"),
]


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("business_case", *args, stdout=out, stderr=err)
    return out.getvalue()


def case_path(number: int) -> Path:
    return CASES_DIR / f"case{number}.json"


def case_json(number: int) -> dict[str, Any]:
    return json.loads(run(str(case_path(number)), "--format", "json"))


def write_case(tmp_path: Path, data: dict[str, Any] | str) -> Path:
    path = tmp_path / "case.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


SMALL_CASE: dict[str, Any] = {
    "title": "Skærmbesøg light",
    "years": [2016, 2017, 2018],
    "lines": [
        {"label": "Besparelse", "block": "varig", "area": "Service", "values": [0, -100, -200]},
        {"label": "Teknologi", "block": "implementering", "area": "Anlæg", "values": [250, 50, None]},
    ],
}


# --- the five cases -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [1, 2, 3, 4, 5])
def test_derived_rows_are_computed_from_the_line_items(number):
    data = case_json(number)
    varig, implementering, impact, _payback = DERIVED[number]
    assert (data["varig"], data["implementering"], data["impact"]) == (varig, implementering, impact)


@pytest.mark.parametrize(("number", "payback"), [(1, 6), (2, 6), (3, 2), (4, 6), (5, 6)])
def test_payback_period_matches_the_seed(number, payback):
    assert case_json(number)["payback_years"] == payback


def test_case_2_has_exactly_the_nine_discrepancies_of_the_seed():
    found = [
        (item["row"], item["year"], item["printed"], item["computed"], item["kind"])
        for item in case_json(2)["discrepancies"]
    ]
    assert found == CASE_2_DISCREPANCIES


# Seed 004 case 4, Tabel 4 (l.1825–1827): the "I alt" column as (label, printed, computed, kind).
CASE_4_DISCREPANCIES = [
    ("Implementering og udvikling (Tabel 4)", 16200, 13000, "error"),  # 6,800 + 6,200
    ("Investeringer totalt, anlæg (Tabel 4)", 23900, 20700, "error"),  # 14,500 + 6,200
]


def test_case_4_reports_tabel_4s_wrong_row_totals_as_errors():
    found = [
        (item["label"], item["printed"], item["computed"], item["kind"])
        for item in case_json(4)["discrepancies"]
        if item["row"] == "row_total"
    ]
    assert found == CASE_4_DISCREPANCIES
    assert all(item["year"] is None for item in case_json(4)["discrepancies"])


def test_the_five_cases_report_exactly_the_specs_list_of_the_seeds_errors():
    found = {number: case_json(number)["discrepancies"] for number in (1, 2, 3, 4, 5)}
    assert found[1] == found[3] == found[5] == []
    assert [(d["row"], d["year"], d["printed"], d["computed"], d["kind"]) for d in found[2]] == CASE_2_DISCREPANCIES
    assert [(d["label"], d["printed"], d["computed"], d["kind"]) for d in found[4]] == CASE_4_DISCREPANCIES


def test_the_table_names_case_4s_wrong_row_totals():
    table = run(str(case_path(4)), "--format", "table")
    assert "Afvigelser mellem trykte og beregnede totaler: 2 (2 fejl, 0 afrunding):" in table
    assert "I alt: Implementering og udvikling (Tabel 4): trykt 16.200, beregnet 13.000" in table
    assert "I alt: Investeringer totalt, anlæg (Tabel 4): trykt 23.900, beregnet 20.700" in table


def test_a_row_total_within_one_is_rounding_and_a_group_sums_its_block_and_area(tmp_path):
    case = {
        **SMALL_CASE,
        "printed": {
            "row_totals": [
                {"label": "Teknologi i alt", "lines": ["Teknologi"], "printed": 301},
                {"label": "Anlæg i alt", "block": "implementering", "area": "Anlæg", "printed": 300},
                {"label": "Varigt i alt", "block": "varig", "printed": -250},
            ]
        },
    }
    found = [
        (d["label"], d["printed"], d["computed"], d["kind"])
        for d in json.loads(run(str(write_case(tmp_path, case)), "--format", "json"))["discrepancies"]
    ]
    assert found == [("Teknologi i alt", 301, 300, "rounding"), ("Varigt i alt", -250, -300, "error")]


@pytest.mark.parametrize(
    ("row_total", "message"),
    [
        ({"label": "X", "lines": ["Ukendt"], "printed": 1}, "casen har ingen linje med teksten 'Ukendt'"),
        ({"label": "X", "printed": 1}, "angiv enten de linjer, den summerer"),
        ({"label": "X", "lines": ["Teknologi"], "area": "Anlæg", "printed": 1}, "angiv enten de linjer"),
        ({"label": "X", "lines": ["Teknologi"]}, "mangler det trykte beløb"),
        ({"label": "X", "area": "Drift", "printed": 1}, "styringsområdet skal være"),
        ({"lines": ["Teknologi"], "printed": 1}, "mangler en tekst ('label')"),
    ],
)
def test_a_bad_row_total_is_refused_with_a_danish_message(tmp_path, row_total, message):
    path = write_case(tmp_path, {**SMALL_CASE, "printed": {"row_totals": [row_total]}})
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(str(path), "--format", "json")


@pytest.mark.parametrize("number", [1, 3, 5])
def test_cases_whose_printed_totals_add_up_have_no_discrepancies(number):
    assert case_json(number)["discrepancies"] == []


def test_json_has_the_stable_keys_of_the_design():
    data = case_json(2)
    assert {"varig", "implementering", "impact", "payback_years", "discrepancies"} <= set(data)
    assert {"row", "year", "printed", "computed", "kind"} <= set(data["discrepancies"][0])


def test_json_keeps_danish_letters():
    text = run(str(case_path(3)), "--format", "json")
    assert '"title": "Velfærdsteknologier til handicapområdet"' in text


def test_case_1s_innovation_pool_line_counts_in_implementation_but_not_in_the_impact():
    data = case_json(1)
    assert data["implementering"][0] == 450
    assert data["impact"][0] == 150


def test_decimal_amounts_are_added_exactly(tmp_path):
    case = {
        "title": "Decimaler",
        "years": [2016],
        "lines": [
            {"label": "A", "block": "varig", "area": "Service", "values": [0.1]},
            {"label": "B", "block": "varig", "area": "Service", "values": [0.2]},
        ],
        "printed": {"varig": [0.3]},
    }
    data = json.loads(run(str(write_case(tmp_path, case)), "--format", "json"))
    assert data["varig"] == [0.3]
    assert data["discrepancies"] == []


def test_a_case_that_never_pays_back_has_payback_null(tmp_path):
    case = {
        "title": "Ren udgift",
        "years": [2016, 2017],
        "lines": [{"label": "Drift", "block": "varig", "area": "Service", "values": [100, 100]}],
    }
    path = write_case(tmp_path, case)
    assert json.loads(run(str(path), "--format", "json"))["payback_years"] is None
    assert "Tilbagebetalingstid: ikke inden for 50 år." in run(str(path), "--format", "table")


# --- table ----------------------------------------------------------------------------------------


def test_the_table_shows_derived_rows_payback_and_discrepancies_in_danish():
    text = run(str(case_path(2)), "--format", "table")
    lines = text.splitlines()
    assert lines[0] == "Elektroniske nøgler og kørebøger i Den Sociale Hjemmepleje"
    header = next(line for line in lines if "Styringsområde" in line)
    assert header.split()[-5:] == ["2016", "2017", "2018", "2019", "2020"]
    varig = next(line for line in lines if line.startswith("Samlet varig ændring"))
    assert varig.split()[-5:] == ["0", "-573", "-1.576", "-1.576", "-1.576"]
    impact = next(line for line in lines if line.startswith("Samlet økonomisk påvirkning"))
    assert impact.split()[-5:] == ["3.723", "815", "-1.003", "-1.576", "-1.576"]
    assert "Tilbagebetalingstid: 6 år" in text
    assert "Afvigelser mellem trykte og beregnede totaler: 9 (1 fejl, 8 afrunding)" in text
    assert "Samlet økonomisk påvirkning 2016: trykt 3.705, beregnet 3.723" in text
    assert "Samlet varig ændring 2017: trykt -572, beregnet -573" in text


def test_the_table_marks_lines_left_out_of_the_payback():
    text = run(str(case_path(1)), "--format", "table")
    assert "Innovationspuljen" in text
    assert "* Indgår ikke i den samlede økonomiske påvirkning og tilbagebetalingstiden." in text
    assert "Afvigelser: ingen." in text
    assert "Tilbagebetalingstid: 6 år" in text


def test_the_table_of_a_case_without_printed_totals_says_there_is_nothing_to_compare(tmp_path):
    text = run(str(write_case(tmp_path, SMALL_CASE)), "--format", "table")
    assert "ingen trykte totaler" in text
    assert "Tilbagebetalingstid: 3 år." in text  # impact 250, −50, −200: cumulative 250, 200, 0


# --- bad input ------------------------------------------------------------------------------------


def test_malformed_json_is_refused_naming_the_line(tmp_path):
    path = write_case(tmp_path, '{"title": "x",\n "years": [2016]\n "lines": []}')
    with pytest.raises(CommandError) as error:
        run(str(path), "--format", "json")
    assert "ikke gyldig JSON i linje 3" in str(error.value)
    assert "der mangler et komma" in str(error.value)


def test_a_line_with_another_number_of_values_than_years_is_refused_naming_the_line(tmp_path):
    case = json.loads(json.dumps(SMALL_CASE))
    case["lines"][1]["values"] = [250, 50]
    with pytest.raises(CommandError) as error:
        run(str(write_case(tmp_path, case)), "--format", "json")
    assert "Linjen 'Teknologi' har 2 beløb, men casen har 3 år (2016–2018)." in str(error.value)


def test_a_printed_row_with_another_number_of_values_than_years_is_refused(tmp_path):
    case = {**SMALL_CASE, "printed": {"varig": [0, -100]}}
    with pytest.raises(CommandError) as error:
        run(str(write_case(tmp_path, case)), "--format", "json")
    assert "Samlet varig ændring" in str(error.value)
    assert "har 2 beløb, men casen har 3 år" in str(error.value)


def test_an_unknown_block_is_refused_naming_the_line(tmp_path):
    case = json.loads(json.dumps(SMALL_CASE))
    case["lines"][0]["block"] = "drift"
    with pytest.raises(CommandError) as error:
        run(str(write_case(tmp_path, case)), "--format", "json")
    assert "Linjen 'Besparelse': blokken skal være 'varig' eller 'implementering', ikke 'drift'." in str(error.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[1, 2, 3]", "skal være et JSON-objekt"),
        ('{"title": "x", "years": [2016], "lines": [], "extra": 1}', "ukendte felter: extra"),
        ('{"title": "x", "years": [2016, 2018], "lines": []}', "Årene skal være fortløbende"),
        (
            '{"title": "x", "years": [2016], "lines": [{"label": "A", "block": "varig", "area": "Drift", '
            '"values": [1]}]}',
            "styringsområdet skal være",
        ),  # fmt: skip
        (
            '{"title": "x", "years": [2016], "lines": [{"label": "A", "block": "varig", "area": "Service", '
            '"values": ["mange"]}]}',
            "beløbet skal være et tal eller null",
        ),  # fmt: skip
        ("", "ikke gyldig JSON i linje 1"),
    ],
)
def test_wrong_shapes_are_refused_with_a_danish_message(tmp_path, content, message):
    with pytest.raises(CommandError) as error:
        run(str(write_case(tmp_path, content)), "--format", "json")
    assert message in str(error.value)


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(CommandError) as error:
        run(str(tmp_path / "findes-ikke.json"), "--format", "json")
    assert "findes ikke" in str(error.value)


def test_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "case.json"
    path.write_bytes('{"title": "Velfærd"}'.encode("latin-1"))
    with pytest.raises(CommandError) as error:
        run(str(path), "--format", "json")
    assert "ikke UTF-8" in str(error.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [([], "Angiv et format med --format json eller table"), (["--format", "xlsx"], "json eller table, ikke 'xlsx'")],
)
def test_a_missing_or_unknown_format_is_refused(args, message):
    with pytest.raises(CommandError) as error:
        run(str(case_path(1)), *args)
    assert message in str(error.value)


def test_the_console_script_exits_non_zero_with_the_danish_message_on_bad_json(tmp_path):
    path = write_case(tmp_path, '{"title": "x",\n "years": [2016,]}')
    completed = subprocess.run(
        [str(SAMVIRKE), "business-case", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert completed.returncode != 0
    assert "ikke gyldig JSON i linje 2" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stdout == ""


def test_the_console_script_prints_case_2s_discrepancies_as_json():
    completed = subprocess.run(
        [str(SAMVIRKE), "business-case", str(case_path(2)), "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert len(json.loads(completed.stdout)["discrepancies"]) == 9


# --- --overview: the portfolio overview (seed 004 l.1–82) against the five cases --------------------

OVERVIEW_PATH = CASES_DIR / "overview.json"
ALL_CASES = [str(case_path(number)) for number in range(1, 6)]


def overview_json(*args: str) -> dict[str, Any]:
    return json.loads(run("--overview", str(OVERVIEW_PATH), *ALL_CASES, "--format", "json", *args))


def test_the_overview_is_reconciled_with_the_specs_differences():
    data = overview_json()
    found = {
        (d["proposal"].split()[0], d["row"], d["year"]): (d["overview"], d["case_value"], d["case_rounded"])
        for d in data["proposal_differences"]
    }
    # case 4 (CSC) net −5,000 against the overview's −5,100
    assert found[("CSC", "net", 2018)] == (-5100, -5000, -5000)
    # case 1's investment 450/449/75 against the overview's 500/600/0: 450 rounds to 500, the others differ
    assert ("Online", "investment", 2016) not in found
    assert found[("Online", "investment", 2017)] == (600, 449, 400)
    assert found[("Online", "investment", 2018)] == (0, 75, 100)
    assert len(found) == 15
    assert data["sum_differences"] == [] and data["cases_not_in_overview"] == []
    assert data["years"] == [2016, 2017, 2018, 2019, 2020] and len(data["cases"]) == 5
    assert data["renamed_proposals"] == [
        {
            "proposal": "Online støtte- og hjemmepleje via skærmbesøg",
            "case_title": "Online syge- og hjemmepleje med skærmbesøg",
        }
    ]


def test_the_overview_table_is_danish_and_readable():
    table = run("--overview", str(OVERVIEW_PATH), *ALL_CASES, "--format", "table")
    assert "Forskelle mellem oversigten og casene: 15" in table
    csc = next(line for line in table.splitlines() if "CSC Social Mobility" in line and "2018" in line)
    assert csc.split()[-5:] == ["2018", "-5.100", "-5.000", "-5.000", "-100"]
    assert "Oversigtens egne summer (Nettoeffektivisering, Investeringsbehov, I alt): de stemmer." in table
    assert "Online støtte- og hjemmepleje via skærmbesøg = Online syge- og hjemmepleje med skærmbesøg" in table


def test_a_case_left_out_of_the_overview_and_a_wrong_sum_are_reported(tmp_path):
    overview = json.loads(OVERVIEW_PATH.read_text(encoding="utf-8"))
    overview["investment_total"][0] = 27000
    path = tmp_path / "overview.json"
    path.write_text(json.dumps(overview, ensure_ascii=False), encoding="utf-8")
    extra = write_case(tmp_path, SMALL_CASE)
    data = json.loads(run("--overview", str(path), *ALL_CASES, str(extra), "--format", "json"))
    assert data["sum_differences"] == [
        {"area": None, "row": "Investeringsbehov", "year": 2016, "printed": 27000, "computed": 27500}
    ]
    assert data["cases_not_in_overview"] == ["Skærmbesøg light"]


@pytest.mark.parametrize(
    ("overview", "cases", "message"),
    [
        ("missing.json", ALL_CASES, "findes ikke"),
        (str(OVERVIEW_PATH), ALL_CASES[:4], "har ingen business case med titlen 'Borgeradgang"),
        (str(OVERVIEW_PATH), [str(OVERVIEW_PATH)], "Business casen har ukendte felter"),
    ],
)
def test_bad_overview_input_is_refused_with_a_danish_message(overview, cases, message):
    with pytest.raises(CommandError, match=message):
        run("--overview", overview, *cases, "--format", "json")


def test_several_cases_without_an_overview_are_refused():
    with pytest.raises(CommandError, match="Angiv én business case ad gangen"):
        run(*ALL_CASES[:2], "--format", "json")


def test_the_console_script_exits_1_with_a_danish_line_on_a_bad_overview(tmp_path):
    bad = tmp_path / "overview.json"
    bad.write_text('{"years": [2016], "areas": []}', encoding="utf-8")
    completed = subprocess.run(
        [str(SAMVIRKE), "business-case", "--overview", str(bad), ALL_CASES[0], "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 1
    assert "Oversigten skal have mindst ét område i 'areas'." in completed.stderr
    assert "Traceback" not in completed.stderr
