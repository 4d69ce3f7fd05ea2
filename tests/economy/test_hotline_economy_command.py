"""`samvirke hotline-economy` (the command-line contract, docs/cli.md), against seed 000's golden table."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.economy.golden import GOLDEN

DATA = Path(__file__).resolve().parent.parent / "data"
SJAELLAND17 = DATA / "sjaelland17.csv"
SAMVIRKE = Path(sys.executable).parent / "samvirke"


GOLDEN_TOTAL = {"population": 851868, "fee@1.25": "1064835.00", "fee@1.7375": "1480120.65", "hours": 6815, "week": 142}


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("hotline_economy", *args, stdout=out, stderr=err)
    return out.getvalue()


def run_json(*args: str) -> dict[str, Any]:
    return json.loads(run(*args, "--format", "json"))


def seventeen(*args: str) -> dict[str, Any]:
    return run_json("--members", str(SJAELLAND17), *args)


def write_csv(tmp_path: Path, text: str, name: str = "members.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def expected_row(golden: tuple, fee_column: int, rate: Decimal = Decimal(343)) -> dict[str, Any]:
    name, code, population, *_ = golden
    per_year, per_week, band_min, band_max = golden[5:]
    return {
        "name": name,
        "kommunekode": code,
        "population": population,
        "fee": golden[fee_column],
        "hours_per_year": per_year,
        "hours_per_week": per_week,
        "band_min": band_min,
        "band_max": band_max,
        "hours_value": f"{per_year * rate:.2f}",
    }


# --- the golden table -----------------------------------------------------------------------------


def test_the_members_file_holds_the_17_members_of_the_golden_table():
    lines = SJAELLAND17.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "name,kommunekode,population"
    assert lines[1:] == [f"{name},{code},{population}" for name, code, population, *_ in GOLDEN]


def test_every_cell_of_the_golden_table_at_1_25_kr_per_citizen():
    data = seventeen("--price-per-citizen", "1.25")
    assert data["rows"] == [expected_row(golden, 3) for golden in GOLDEN]


def test_every_cell_of_the_golden_table_at_1_7375_kr_per_citizen():
    data = seventeen("--price-per-citizen", "1.7375")
    assert data["rows"] == [expected_row(golden, 4) for golden in GOLDEN]


def test_the_totals_row_at_1_25_is_the_seeds_totals_row():
    total = seventeen("--price-per-citizen", "1.25")["total"]
    assert total["population"] == GOLDEN_TOTAL["population"]
    assert total["fee"] == GOLDEN_TOTAL["fee@1.25"]
    assert total["hours_per_year"] == GOLDEN_TOTAL["hours"]
    assert total["hours_per_week"] == GOLDEN_TOTAL["week"]
    assert total["hours_value"] == "2337545.00"  # 6,815 h × 343 kr.


def test_the_totals_row_at_1_7375_is_population_times_price_not_the_sum_of_rounded_fees():
    total = seventeen("--price-per-citizen", "1.7375")["total"]
    assert total["fee"] == GOLDEN_TOTAL["fee@1.7375"]
    assert total["fee_sum_of_rows"] == "1480120.68"
    assert total["hours_per_week"] == 142  # round(6,815 / 48), not the 141 the rounded rows add up to


def test_json_has_the_stable_keys_of_the_design_and_money_as_two_decimal_strings():
    data = seventeen("--price-per-citizen", "1.25")
    row_keys = {"name", "kommunekode", "population", "fee", "hours_per_year", "hours_per_week", "band_min"}
    assert row_keys | {"band_max", "hours_value"} == set(data["rows"][0])
    assert {"population", "fee", "hours_per_year", "hours_per_week", "hours_value"} <= set(data["total"])
    assert all(isinstance(row["hours_per_year"], int) for row in data["rows"])
    assert data["rows"][0]["fee"] == "65196.25"


def test_json_keeps_danish_letters_and_the_order_of_the_file():
    text = run("--members", str(SJAELLAND17), "--price-per-citizen", "1.25", "--format", "json")
    assert '"name": "Holbæk"' in text
    assert [row["name"] for row in json.loads(text)["rows"]] == [golden[0] for golden in GOLDEN]


def test_json_records_the_hourly_rate_and_price_that_were_used():
    params = seventeen("--price-per-citizen", "1,25", "--hourly-rate", "343,40")["params"]
    assert params["price_per_citizen"] == "1.25"
    assert params["hourly_rate"] == "343.40"


def test_an_hourly_rate_with_decimals_is_used_for_the_value_of_the_hours():
    # Seed 000's Holbæk example prints 202,605 kr. for 590 hours, a rate with decimals (590 × 343 = 202,370);
    # at 343.40 kr./h the value is 202,606.00 kr.
    rows = seventeen("--price-per-citizen", "1.25", "--hourly-rate", "343.40")["rows"]
    holbaek = next(row for row in rows if row["name"] == "Holbæk")
    assert holbaek["hours_value"] == "202606.00"
    assert seventeen("--price-per-citizen", "1.25")["rows"][7]["hours_value"] == "202370.00"


# --- a budget and member lists of our own -----------------------------------------------------


def test_a_budget_is_split_so_that_the_fees_add_up_to_it_to_the_ore():
    data = seventeen("--budget", "1000000")
    fees = [Decimal(row["fee"]) for row in data["rows"]]
    assert sum(fees) == Decimal("1000000.00")
    assert data["total"]["fee"] == "1000000.00"
    assert data["params"]["budget"] == "1000000.00"
    assert data["params"]["price_from_budget"] is True
    assert data["params"]["price_per_citizen"] == "1.1739"  # 1,000,000 / 851,868


def test_the_seeds_2025_total_as_a_budget_gives_the_2025_price():
    data = seventeen("--budget", "1480120.65")
    assert data["params"]["price_per_citizen"] == "1.7375"
    assert sum(Decimal(row["fee"]) for row in data["rows"]) == Decimal("1480120.65")


def test_a_budget_over_three_equal_members_gives_the_odd_ore_to_the_lowest_kommunekode(tmp_path):
    members = write_csv(tmp_path, "name,kommunekode,population\nC-by,151,1000\nA-by,101,1000\nB-by,147,1000\n")
    data = run_json("--members", str(members), "--budget", "100")
    assert [(row["name"], row["fee"]) for row in data["rows"]] == [
        ("C-by", "33.33"),
        ("A-by", "33.34"),
        ("B-by", "33.33"),
    ]


def test_a_member_list_of_our_own_gives_fees_hours_and_their_value(tmp_path):
    members = write_csv(tmp_path, "name,kommunekode,population\nLilleby,901,6000\nStorby,902,60000\n")
    data = run_json("--members", str(members), "--price-per-citizen", "2.50", "--hourly-rate", "343.40")
    assert data["rows"] == [
        {
            "name": "Lilleby",
            "kommunekode": 901,
            "population": 6000,
            "fee": "15000.00",
            "hours_per_year": 48,
            "hours_per_week": 1,
            "band_min": 1,
            "band_max": 1,
            "hours_value": "16483.20",
        },
        {
            "name": "Storby",
            "kommunekode": 902,
            "population": 60000,
            "fee": "150000.00",
            "hours_per_year": 480,
            "hours_per_week": 10,
            "band_min": 7,
            "band_max": 13,
            "hours_value": "164832.00",
        },
    ]
    assert data["total"]["fee"] == "165000.00"
    assert data["total"]["hours_per_year"] == 528
    assert data["total"]["hours_per_week"] == 11
    assert data["total"]["hours_value"] == "181315.20"


def test_a_semicolon_file_from_excel_with_bom_and_thousands_separators_is_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffkommunekode;name;population\r\n316;Holbæk;73.767\r\n253;Greve;52.157\r\n".encode())
    data = run_json("--members", str(path), "--price-per-citizen", "1.25")
    assert [(row["name"], row["population"], row["fee"]) for row in data["rows"]] == [
        ("Holbæk", 73767, "92208.75"),
        ("Greve", 52157, "65196.25"),
    ]


def test_hours_per_1000_weeks_and_band_are_settings():
    rows = seventeen("--price-per-citizen", "1.25", "--hours-per-1000", "10", "--weeks", "40", "--band", "0.5", "1.5")[
        "rows"
    ]
    holbaek = next(row for row in rows if row["name"] == "Holbæk")
    # 73,767 × 10 / 1000 = 737.67 → 738 h; 738 / 40 = 18.45 → 18; band 9.225 → 9 and 27.675 → 28
    assert (holbaek["hours_per_year"], holbaek["hours_per_week"], holbaek["band_min"], holbaek["band_max"]) == (
        738,
        18,
        9,
        28,
    )


# --- table ----------------------------------------------------------------------------------------


def test_the_table_is_danish_with_danish_numbers_and_a_totals_row():
    text = run("--members", str(SJAELLAND17), "--price-per-citizen", "1.25", "--format", "table")
    lines = text.splitlines()
    header = next(line for line in lines if line.startswith("Kommune"))
    for column in ("Kode", "Indbyggere", "Bidrag (kr.)", "Timer/år", "Timer/uge", "Bånd", "Værdi (kr.)"):
        assert column in header
    holbaek = next(line for line in lines if line.startswith("Holbæk"))
    assert holbaek.split() == ["Holbæk", "316", "73.767", "92.208,75", "590", "12", "9–16", "202.370,00"]
    total = next(line for line in lines if line.startswith("I alt"))
    assert total.split() == ["I", "alt", "851.868", "1.064.835,00", "6.815", "142", "2.337.545,00"]


def test_the_table_columns_are_aligned():
    text = run("--members", str(SJAELLAND17), "--price-per-citizen", "1.25", "--format", "table")
    lines = text.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if line.startswith("Kommune")) :]
    table = table[: next(i for i, line in enumerate(table) if line.startswith("I alt")) + 1]
    assert len(table) == 1 + 1 + 17 + 1 + 1  # header, rule, members, rule, totals
    # the last column is right-aligned, so every line of the table ends in the same place
    assert len({len(line) for line in table}) == 1


def test_the_table_says_which_price_and_hourly_rate_were_used():
    text = run(
        "--members", str(SJAELLAND17), "--price-per-citizen", "1.7375", "--hourly-rate", "343.40", "--format", "table"
    )
    assert "Pris pr. borger: 1,7375 kr." in text
    assert "Timepris: 343,40 kr. pr. time" in text


def test_the_table_for_a_budget_says_which_price_the_budget_gives():
    text = run("--members", str(SJAELLAND17), "--budget", "1480120.65", "--format", "table")
    assert "Budget: 1.480.120,65 kr." in text
    assert "1,7375 kr." in text
    assert "Timepris: 343,00 kr. pr. time" in text


# --- output file and xlsx -------------------------------------------------------------------------


def test_json_can_be_written_to_a_file(tmp_path):
    target = tmp_path / "economy.json"
    message = run(
        "--members", str(SJAELLAND17), "--price-per-citizen", "1.25", "--format", "json", "--output", str(target)
    )
    assert str(target) in message
    assert json.loads(target.read_text(encoding="utf-8")) == seventeen("--price-per-citizen", "1.25")


def test_xlsx_opens_with_openpyxl_and_its_totals_equal_the_json_totals(tmp_path):
    target = tmp_path / "economy.xlsx"
    run("--members", str(SJAELLAND17), "--price-per-citizen", "1.7375", "--format", "xlsx", "--output", str(target))
    data = seventeen("--price-per-citizen", "1.7375")
    workbook = load_workbook(target)
    assert workbook.sheetnames == ["Økonomi", "Parametre"]
    sheet = workbook["Økonomi"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Kommune"
    assert rows[18][0] == "I alt"  # header, 17 members, the totals row; then why it is not the column sum
    total = rows[18]
    assert total[2] == data["total"]["population"]
    assert Decimal(str(total[3])) == Decimal(data["total"]["fee"])
    assert total[4] == data["total"]["hours_per_year"]
    assert total[5] == data["total"]["hours_per_week"]
    assert Decimal(str(total[8])) == Decimal(data["total"]["hours_value"])


def test_xlsx_says_in_words_why_its_totals_row_is_not_the_column_sum(tmp_path):
    # At 1.7375 the fees add up to 1,480,120.68 kr. against 1,480,120.65 printed (seed 000), the rounded weekly
    # hours to 141 against 142, the yearly hours to 6,814 against 6,815.
    target = tmp_path / "economy.xlsx"
    run("--members", str(SJAELLAND17), "--price-per-citizen", "1.7375", "--format", "xlsx", "--output", str(target))
    rows = list(load_workbook(target)["Økonomi"].iter_rows(values_only=True))
    members, sums, note = rows[1:18], rows[19], rows[20][0]
    assert sums[0] == "Summen af rækkerne ovenfor"
    for column in (2, 3, 4, 5, 8):
        assert Decimal(str(sums[column])) == sum(Decimal(str(row[column])) for row in members)
    assert "regnet af det samlede indbyggertal" in note
    assert "bidrag 1.480.120,65 kr. mod summen 1.480.120,68 kr." in note
    assert "timer pr. uge 142 mod summen 141" in note and "timer pr. år 6.815 mod summen 6.814" in note
    assert "indbyggere" not in note  # the population column is its sum: nothing to say


def test_xlsx_whose_totals_row_is_the_column_sum_adds_nothing(tmp_path):
    target = tmp_path / "economy.xlsx"
    members = tmp_path / "two.csv"
    members.write_text("name,kommunekode,population\nHolbæk,316,48000\nGreve,253,48000\n", encoding="utf-8")
    run("--members", str(members), "--price-per-citizen", "1.25", "--format", "xlsx", "--output", str(target))
    rows = list(load_workbook(target)["Økonomi"].iter_rows(values_only=True))
    assert [row[0] for row in rows] == ["Kommune", "Holbæk", "Greve", "I alt"]


def test_xlsx_has_one_row_per_member_with_numbers_as_numbers_and_money_formatted(tmp_path):
    target = tmp_path / "economy.xlsx"
    run("--members", str(SJAELLAND17), "--price-per-citizen", "1.25", "--format", "xlsx", "--output", str(target))
    sheet = load_workbook(target)["Økonomi"]
    for number, golden in enumerate(GOLDEN, start=2):
        name, code, population, fee, _fee_2025, per_year, per_week, band_min, band_max = golden
        values = [cell.value for cell in sheet[number]]
        assert values[:3] == [name, code, population]
        assert Decimal(str(values[3])) == Decimal(fee)
        assert values[4:8] == [per_year, per_week, band_min, band_max]
        assert sheet.cell(row=number, column=4).number_format == "#,##0.00"
        assert sheet.cell(row=number, column=9).number_format == "#,##0.00"


def test_xlsx_parameters_sheet_shows_the_price_and_hourly_rate(tmp_path):
    target = tmp_path / "economy.xlsx"
    run(
        "--members", str(SJAELLAND17), "--price-per-citizen", "1.25", "--hourly-rate", "343.40",
        "--format", "xlsx", "--output", str(target),
    )  # fmt: skip
    parameters = dict(load_workbook(target)["Parametre"].iter_rows(values_only=True))
    assert parameters["Pris pr. borger (kr.)"] == 1.25
    assert parameters["Timepris (kr./time)"] == 343.4
    assert parameters["Timer pr. 1.000 indbyggere pr. år"] == 8
    assert parameters["Arbejdsuger pr. år"] == 48
    assert parameters["Bånd, nedre faktor"] == 0.7
    assert parameters["Bånd, øvre faktor"] == 1.3
    assert parameters["Budget (kr.)"] is None


# --- two scenarios side by side -------------------------------------------------------------------


def test_compare_price_gives_both_scenarios_and_their_differences():
    data = seventeen("--price-per-citizen", "1.25", "--compare-price", "1.7375")
    assert set(data) == {"a", "b", "comparison"}
    assert data["a"]["rows"] == [expected_row(golden, 3) for golden in GOLDEN]
    assert data["b"]["rows"] == [expected_row(golden, 4) for golden in GOLDEN]
    comparison = data["comparison"]
    holbaek = next(row for row in comparison["rows"] if row["name"] == "Holbæk")
    assert (holbaek["fee_a"], holbaek["fee_b"], holbaek["fee_difference"]) == ("92208.75", "128170.16", "35961.41")
    assert holbaek["hours_per_year_difference"] == 0
    assert comparison["total"]["fee_difference"] == "415285.65"  # 1,480,120.65 − 1,064,835.00


def test_compare_price_against_a_budget_keeps_the_budget_in_scenario_a():
    data = seventeen("--budget", "1000000", "--compare-price", "1.25")
    assert data["a"]["total"]["fee"] == "1000000.00"
    assert data["b"]["total"]["fee"] == "1064835.00"
    assert data["comparison"]["total"]["fee_difference"] == "64835.00"


def test_compare_price_as_a_table_shows_both_fees_side_by_side():
    text = run(
        "--members", str(SJAELLAND17), "--price-per-citizen", "1.25", "--compare-price", "1.7375", "--format", "table"
    )
    holbaek = next(line for line in text.splitlines() if line.startswith("Holbæk"))
    assert holbaek.split() == ["Holbæk", "316", "92.208,75", "128.170,16", "35.961,41"]
    assert "Pris pr. borger: 1,7375 kr." in text


# --- bad input ------------------------------------------------------------------------------------

LATIN1 = "name,kommunekode,population\nKøge,259,62574\n".encode("latin-1")
HEADER_ONLY = "name,kommunekode,population\n"
BAD_LINES = "name,kommunekode,population\nGreve,253,52157\nKøge,259,mange\nLejre,253,29134\n"


BAD_INPUTS = [
    ("missing", ["--price-per-citizen", "1.25"], "findes ikke"),
    (LATIN1, ["--price-per-citizen", "1.25"], "ikke UTF-8"),
    ("navn,kode,indbyggere\nGreve,253,52157\n", ["--price-per-citizen", "1.25"], "Linje 1: kolonnerne skal være"),
    (BAD_LINES, ["--price-per-citizen", "1.25"], "Linje 3: befolkningstallet skal være et positivt heltal"),
    (BAD_LINES, ["--price-per-citizen", "1.25"], "Linje 4: kommunekode 253 står også i linje 2"),
    ("", ["--price-per-citizen", "1.25"], "Filen er tom"),
    (None, ["--price-per-citizen", "tre"], "Prisen pr. borger skal være et tal"),
    (None, ["--price-per-citizen", "1.250,00"], "Prisen pr. borger skal være et tal"),
    (None, ["--price-per-citizen", "1.25", "--budget", "1000"], "ikke begge"),
    (None, [], "Angiv enten en pris pr. borger"),
    (HEADER_ONLY, ["--budget", "1000"], "ingen kommuner"),
    (None, ["--price-per-citizen", "-1"], "Prisen pr. borger skal være 0 eller derover"),
    (None, ["--budget", "-1000"], "Budgettet skal være 0 eller derover"),
    (None, ["--budget", "1000.005"], "hele øre"),
    (None, ["--price-per-citizen", "1.25", "--weeks", "0"], "Antal arbejdsuger skal være mindst 1"),
    (None, ["--price-per-citizen", "1.25", "--weeks", "fire"], "Antal arbejdsuger (--weeks) skal være et helt tal"),
    (None, ["--price-per-citizen", "1.25", "--band", "1.3", "0.7"], "Båndets nedre faktor (1.3) er større"),
    (None, ["--price-per-citizen", "1.25", "--hourly-rate", "-343"], "Timeprisen skal være 0 eller derover"),
    (None, ["--price-per-citizen", "1.25", "--hours-per-1000", "otte"], "Timer pr. 1.000 indbyggere"),
    (
        None,
        ["--price-per-citizen", "1.25", "--compare-price", "-2"],
        "Scenarie B (--compare-price): Prisen pr. borger skal være 0",
    ),
    (
        None,
        ["--price-per-citizen", "1.25", "--compare-price", "dyr"],
        "Scenarie B (--compare-price): Prisen pr. borger skal være et tal",
    ),
]


@pytest.mark.parametrize(
    ("members", "args", "message", "output_format"),
    [
        (*bad, output_format)
        for bad in BAD_INPUTS
        for output_format in ("json", "table", "xlsx")
        # xlsx with --compare-price is refused before the price is read (tested below)
        if not (output_format == "xlsx" and "--compare-price" in bad[1])
    ],
)
def test_bad_input_is_refused_with_a_danish_message_and_nothing_is_written(
    tmp_path, members, args, message, output_format
):
    if members is None:
        path = SJAELLAND17
    elif members == "missing":
        path = tmp_path / "findes-ikke.csv"
    else:
        path = tmp_path / "members.csv"
        path.write_bytes(members if isinstance(members, bytes) else members.encode())
    target = tmp_path / f"out.{output_format}"
    with pytest.raises(CommandError) as error:
        run("--members", str(path), *args, "--format", output_format, "--output", str(target))
    assert message in str(error.value)
    assert not target.exists()


def test_a_bad_csv_reports_every_bad_line_at_once(tmp_path):
    path = write_csv(tmp_path, BAD_LINES)
    with pytest.raises(CommandError) as error:
        run("--members", str(path), "--price-per-citizen", "1.25", "--format", "json")
    assert "2 fejl; intet er beregnet" in str(error.value)
    assert "Linje 3" in str(error.value)
    assert "Linje 4" in str(error.value)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--price-per-citizen", "1.25", "--format", "xlsx"], "Formatet xlsx kræver --output"),
        (["--price-per-citizen", "1.25", "--format", "csv"], "Formatet skal være json, table eller xlsx"),
        (["--price-per-citizen", "1.25"], "Angiv et format med --format"),
        (["--price-per-citizen", "1.25", "--format", "json", "--output", "/findes/ikke/ud.json"], "findes ikke"),
    ],
)
def test_bad_output_options_are_refused_with_a_danish_message(args, message):
    with pytest.raises(CommandError) as error:
        run("--members", str(SJAELLAND17), *args)
    assert message in str(error.value)


def test_xlsx_with_compare_price_is_refused_and_writes_nothing(tmp_path):
    target = tmp_path / "out.xlsx"
    with pytest.raises(CommandError) as error:
        run(
            "--members", str(SJAELLAND17), "--price-per-citizen", "1.25", "--compare-price", "1.7375",
            "--format", "xlsx", "--output", str(target),
        )  # fmt: skip
    assert "--compare-price kan kun bruges med --format json eller table" in str(error.value)
    assert not target.exists()


def test_a_missing_members_option_is_refused():
    with pytest.raises(CommandError) as error:
        run("--price-per-citizen", "1.25", "--format", "json")
    assert "Angiv medlemsfilen med --members" in str(error.value)


# --- through the real console script --------------------------------------------------------------


def test_the_console_script_prints_json_for_the_17_members():
    completed = subprocess.run(
        [str(SAMVIRKE), "hotline-economy", "--members", str(SJAELLAND17), "--price-per-citizen", "1.25",
         "--format", "json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    assert json.loads(completed.stdout)["total"]["fee"] == "1064835.00"


def test_the_console_script_exits_non_zero_with_the_danish_message_on_a_bad_price(tmp_path):
    target = tmp_path / "out.xlsx"
    completed = subprocess.run(
        [str(SAMVIRKE), "hotline-economy", "--members", str(SJAELLAND17), "--price-per-citizen", "tre",
         "--format", "xlsx", "--output", str(target)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
    )  # fmt: skip
    assert completed.returncode != 0
    assert "Prisen pr. borger skal være et tal" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stdout == ""
    assert not target.exists()
