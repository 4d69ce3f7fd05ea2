"""`samvirke telecare-payments`: the telemedicine subscription payments from two CSV files (docs/cli.md)."""

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

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = ROOT / "docs" / "examples" / "telecare"
MEMBERS = "kommunekode,population_40plus\n101,300\n147,100\n"
HEADER = "kommunekode,citizen_ref,enrolled_from,enrolled_to\n"
# Seed 003, 5.3.6 (l. 4077–4090): a citizen enrolled for 2 months (101) and one for 10 months (147).
TWO_AGAINST_TEN = HEADER + "101,borger-A,2025-11-01,2025-12-31\n147,borger-B,2025-03-01,2025-12-31\n"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(tmp_path: Path, *args: str, members: str = MEMBERS, enrolments: str = TWO_AGAINST_TEN) -> str:
    out = StringIO()
    call_command(
        "telecare_payments",
        "--members", str(write(tmp_path, "members.csv", members)),
        "--enrolments", str(write(tmp_path, "enrolments.csv", enrolments)),
        *args,
        stdout=out,
        stderr=StringIO(),
    )  # fmt: skip
    return out.getvalue()


def run_json(tmp_path: Path, *args: str, **files: str) -> dict[str, Any]:
    defaults = {"--total": "1000", "--weight": "0", "--year": "2025"}
    given = dict(zip(args[::2], args[1::2], strict=True))
    merged = [item for key, value in {**defaults, **given}.items() for item in (key, value)]
    return json.loads(run(tmp_path, *merged, "--format", "json", **files))


def test_json_shape_and_money_as_two_decimal_strings(tmp_path):
    data = run_json(tmp_path, "--total", "1000", "--region-share", "0.65", "--weight", "0.5")
    assert data["region_amount"] == "650.00"
    assert data["municipal_total"] == "350.00"
    assert [set(m) >= {"kommunekode", "coverage", "share", "amount"} for m in data["members"]] == [True, True]
    assert sum(Decimal(m["amount"]) for m in data["members"]) == Decimal("350.00")
    assert all(m["amount"].count(".") == 1 and len(m["amount"].split(".")[1]) == 2 for m in data["members"])


def test_the_seeds_2_against_10_months_by_quarter(tmp_path):
    data = run_json(tmp_path, "--region-share", "0", "--weight", "0")
    assert [(m["kommunekode"], m["coverage"], m["amount"]) for m in data["members"]] == [
        (101, "0.25", "200.00"),
        (147, "1.00", "800.00"),
    ]


def test_w_one_is_population_only_and_the_region_share_is_a_setting(tmp_path):
    data = run_json(tmp_path, "--total", "1000", "--region-share", "0.80", "--weight", "1")
    assert data["region_amount"] == "800.00"
    assert [m["amount"] for m in data["members"]] == ["150.00", "50.00"]
    data = run_json(tmp_path, "--total", "1000", "--region-share", "0.50", "--weight", "1")
    assert [m["amount"] for m in data["members"]] == ["375.00", "125.00"]


def test_an_empty_enrolled_to_is_still_enrolled(tmp_path):
    data = run_json(tmp_path, enrolments=HEADER + "101,a,2020-05-01,\n147,b,2025-12-31,\n")
    assert [m["coverage"] for m in data["members"]] == ["1.00", "0.25"]  # a whole year, and the last quarter only


def test_the_table_is_danish_and_aligned_with_totals(tmp_path):
    text = run(tmp_path, "--total", "1962000", "--weight", "0.7", "--year", "2025", "--format", "table")
    lines = text.splitlines()
    assert "Abonnementsbetaling for telemedicin 2025: 1.962.000,00 kr." in lines[0]
    assert any(line.startswith("Regionen") and line.endswith("1.275.300,00") for line in lines)
    assert any(line.startswith("Kommuner i alt") and line.endswith("686.700,00") for line in lines)
    table = [line for line in lines if line.startswith(("Ejer", "Regionen", "Kommune", "I alt", "--"))]
    assert len({len(line) for line in table}) == 1  # every row right-aligned to the same width


def test_xlsx_opens_back_with_totals_and_no_formulas(tmp_path):
    enrolments = HEADER + '101,=HYPERLINK("http://x"),2025-01-01,\n147,+cmd,2025-06-01,\n'
    target = tmp_path / "betaling.xlsx"
    message = run(tmp_path, "--total", "1000.01", "--weight", "0.3", "--year", "2025", "--format", "xlsx",
                  "--output", str(target), enrolments=enrolments)  # fmt: skip
    assert "Skrev" in message
    data = run_json(tmp_path, "--total", "1000.01", "--weight", "0.3", enrolments=enrolments)
    workbook = load_workbook(target)
    sheet = workbook["Betaling"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == "Regionen" and Decimal(str(rows[0][5])) == Decimal(data["region_amount"])
    assert [Decimal(str(row[5])) for row in rows[1:-1]] == [Decimal(m["amount"]) for m in data["members"]]
    assert rows[-1][0] == "I alt" and Decimal(str(rows[-1][5])) == Decimal("1000.01")
    listing = workbook["Tilmeldinger"]
    assert [row[1] for row in listing.iter_rows(min_row=2, values_only=True)] == ['=HYPERLINK("http://x")', "+cmd"]
    for worksheet in workbook.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (worksheet.title, cell.coordinate, cell.value)


BAD = [
    ({"--weight": "1.5"}, {}, "Vægten w skal ligge mellem 0 og 1"),
    ({"--weight": "-0.1"}, {}, "Vægten w skal ligge mellem 0 og 1"),
    ({"--region-share": "1.2"}, {}, "Regionens andel skal ligge mellem 0 og 1"),
    ({"--total": "-5"}, {}, "negativt"),
    ({"--total": "mange"}, {}, "skal være et tal"),
    ({"--total": "1.005"}, {}, "hele øre"),
    ({"--year": "25"}, {}, "årstal"),
    ({}, {"members": "kommunekode,population_40plus\n101,0\n147,5\n"}, "positivt heltal"),
    ({}, {"members": "kommunekode,population_40plus\n101,5\n101,7\n"}, "står to gange"),
    ({}, {"enrolments": HEADER + "101,a,2025-05-01,2025-04-30\n"}, "slutter"),
    ({}, {"enrolments": HEADER + "999,a,2025-05-01,\n"}, "Ukendt kommunekode"),
    ({"--weight": "0.5"}, {"enrolments": HEADER}, "ingen tilmeldte borgere"),
    ({"--weight": "0.5"}, {"enrolments": HEADER + "101,a,2019-01-01,2019-12-31\n"}, "ingen tilmeldte borgere"),
    ({}, {"enrolments": HEADER + "101,120399-1234,2025-01-01,\n"}, "pseudonym"),
    ({}, {"enrolments": HEADER + "101,1203991234,2025-01-01,\n"}, "CPR-nummer"),
    ({}, {"enrolments": HEADER + "101,a,31-12-2025,\n"}, "dato"),
    ({}, {"enrolments": "kommunekode,borger\n101,a\n"}, "kolonnerne"),
]


@pytest.mark.parametrize(("options", "files", "message"), BAD)
def test_bad_input_gives_a_danish_message_and_writes_nothing(tmp_path, options, files, message):
    target = tmp_path / "out.xlsx"
    args = {"--total": "1000", "--weight": "0", "--year": "2025", **options}
    flat = [item for key, value in args.items() for item in (key, value)]
    with pytest.raises(CommandError, match=message):
        run(tmp_path, *flat, "--format", "xlsx", "--output", str(target), **files)
    assert not target.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "Formatet skal være json, table eller xlsx"),
        (["--format", "xlsx"], "kræver --output"),
        ([], "Angiv et format"),
    ],
)
def test_format_and_output_are_checked(tmp_path, args, message):
    with pytest.raises(CommandError, match=message):
        run(tmp_path, "--total", "1", "--weight", "1", "--year", "2025", *args)


def test_a_missing_file_is_a_danish_message(tmp_path):
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("telecare_payments", "--total", "1", "--weight", "1", "--year", "2025",
                     "--members", str(tmp_path / "nej.csv"), "--enrolments", str(tmp_path / "nej2.csv"),
                     "--format", "json")  # fmt: skip


def test_the_documented_example_runs(tmp_path):
    out = StringIO()
    call_command("telecare_payments", "--total", "1962000", "--weight", "0.7", "--year", "2025",
                 "--members", str(EXAMPLES / "members.csv"), "--enrolments", str(EXAMPLES / "enrolments.csv"),
                 "--format", "json", stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["region_amount"] == "1275300.00"
    assert (
        sum(Decimal(m["amount"]) for m in data["members"]) == Decimal(data["municipal_total"]) == Decimal("686700.00")
    )


def test_the_console_exits_non_zero_with_one_danish_line_and_no_file(tmp_path):
    target = tmp_path / "out.xlsx"
    completed = subprocess.run(
        [sys.executable, "-m", "samvirke.manage", "telecare-payments", "--total", "1000", "--weight", "2",
         "--year", "2025", "--members", str(EXAMPLES / "members.csv"), "--enrolments", str(EXAMPLES / "enrolments.csv"),
         "--format", "xlsx", "--output", str(target)],
        capture_output=True, text=True, encoding="utf-8", timeout=60, check=False, cwd=ROOT,
    )  # fmt: skip
    assert completed.returncode != 0
    assert "Vægten w skal ligge mellem 0 og 1" in completed.stderr
    assert "Traceback" not in completed.stderr
    assert completed.stdout == ""
    assert not target.exists()
