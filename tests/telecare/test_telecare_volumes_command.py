"""`samvirke telecare-volumes` (docs/cli.md): the stable JSON, the Danish table, the seed's series and anomalies,
staffing, and bad input (one Danish line, non-zero exit, nothing on standard out)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samvirke.telecare.lib.seed_volumes import LANDSDEL_KEYS, printed_rows, seed_series

REPO = Path(__file__).resolve().parents[2]
HOVEDSTADEN = "310,1420,2580,3290,3350"


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("telecare_volumes", *args, stdout=out, stderr=err)
    return out.getvalue()


def run_json(*args: str) -> dict[str, Any]:
    return json.loads(run(*args, "--format", "json"))


def test_the_json_contract():
    data = run_json("--citizens", HOVEDSTADEN)
    assert list(data) == ["years"]
    assert data["years"][0] == {
        "year": 1,
        "citizens": 310,
        "new_per_month": 26,
        "calls_per_month": 26,
        "trips_per_month": 38,
    }
    assert [y["trips_per_month"] for y in data["years"]] == [38, 150, 200, 191, 139]
    assert [y["calls_per_month"] for y in data["years"]] == [26, 118, 214, 273, 278]


@pytest.mark.parametrize("key", [*LANDSDEL_KEYS, "landet", "gennemsnitskommune"])
def test_landsdel_uses_the_seeds_series_and_reproduces_its_printed_rows(key):
    data = run_json("--landsdel", key)
    assert [y["citizens"] for y in data["years"]] == seed_series()[key]
    assert data == run_json("--citizens", ",".join(map(str, seed_series()[key])))
    for row in printed_rows():
        if row.series != key or row.scenario != "base" or (key, row.quantity) == ("landet", "trips_per_month"):
            continue
        assert [data["years"][year - 1][row.quantity] for year in row.years] == list(row.values), row.label


def test_doubled_reproduces_the_seeds_doubled_columns():
    # seed 003, Tabel 6 and 9 (l. 999–1107): calls 556 307 465 432 232, trips 278 156 230 216 116 at +60 months
    calls, trips = [], []
    for key in LANDSDEL_KEYS:
        last = run_json("--landsdel", key, "--doubled")["years"][-1]
        assert last["citizens"] == 2 * seed_series()[key][-1]
        calls.append(last["calls_per_month"])
        trips.append(last["trips_per_month"])
    assert calls == [556, 307, 465, 432, 232]
    assert trips == [278, 156, 230, 216, 116]


def test_rates_are_options_with_a_decimal_comma_too():
    data = run_json("--citizens", "1000", "--calls-per-citizen-month", "0,1", "--trips-per-citizen-month", "0")
    assert data["years"] == [
        {"year": 1, "citizens": 1000, "new_per_month": 83, "calls_per_month": 100, "trips_per_month": 83}
    ]


def test_the_table_is_danish_and_aligned():
    text = run("--landsdel", "sjaelland", "--format", "table")
    lines = text.splitlines()
    assert lines[0] == "Telemedicin: volumen pr. måned, Landsdel Sjælland"
    assert "0,083" in lines[1] and "0,04" in lines[1]
    header = next(line for line in lines if line.startswith("År"))
    assert header.split("  ")[0] == "År" and "Supportkald pr. md." in header and "Udkørsler pr. md." in header
    table = lines[lines.index(header) :]
    assert len({len(line) for line in table}) == 1  # aligned: every line as wide as the header
    assert table[-1].split() == ["5", "+60", "1.850", "4", "154", "78"]


def test_staffing_only_when_asked():
    assert "staffing" not in run_json("--landsdel", "hovedstaden")
    data = run_json("--landsdel", "hovedstaden", "--staffing")
    assert list(data) == ["years", "staffing"]
    staffing = data["staffing"]
    assert staffing["parameters"] == {
        "opening_hours_per_month": "168",
        "aht_seconds": 180,
        "target_service_level": "0.8",
        "target_seconds": 60,
        "working_days_per_month": 21,
    }
    last = staffing["years"][-1]
    assert last["year"] == 5
    assert last["calls_per_opening_hour"] == "1.65"  # 278 / 168
    assert last["support_agents"] == 1
    assert last["service_level"] >= 0.8
    assert last["trips_per_month"] == 139
    assert last["logistics_visits_per_working_day"] == "6.62"  # 139 / 21
    assert set(last) == {
        "year",
        "calls_per_opening_hour",
        "intensity",
        "support_agents",
        "service_level",
        "occupancy",
        "trips_per_month",
        "logistics_visits_per_working_day",
    }


def test_staffing_parameters():
    data = run_json(
        "--citizens",
        "200000",
        "--staffing",
        "--opening-hours-per-month",
        "744",
        "--aht-seconds",
        "300",
        "--target-sl",
        "0,9",
        "--target-seconds",
        "20",
        "--working-days-per-month",
        "20",
    )
    staffing = data["staffing"]
    assert staffing["parameters"]["opening_hours_per_month"] == "744"
    assert staffing["parameters"]["target_service_level"] == "0.9"
    year = staffing["years"][0]
    assert year["calls_per_opening_hour"] == "22.31"  # 16,600 calls / 744 h
    assert year["support_agents"] > year["intensity"]
    assert year["service_level"] >= 0.9
    assert data["years"][0]["trips_per_month"] == 24667  # 16,667 new + 0.04 × 200,000
    assert year["logistics_visits_per_working_day"] == "1233.35"  # / 20 days
    text = run("--citizens", "200000", "--staffing", "--format", "table")
    assert "Agenter" in text and "Besøg pr. arbejdsdag" in text and "Åbningstid 168 timer pr. måned" in text


def test_seed_anomalies():
    data = run_json("--seed-anomalies")
    assert [(a["series"], a["quantity"], a["year"], a["printed"], a["computed"]) for a in data["anomalies"]] == [
        ("landet", "trips_per_month", 1, 134, 136),
        ("landet", "trips_per_month", 2, 534, 537),
        ("landet", "trips_per_month", 3, 708, 710),
        ("landet", "trips_per_month", 4, 692, 689),
        ("landet", "trips_per_month", 5, 500, 497),
    ]
    assert all(
        a["label"] == "seed 003, Tabel 7 (l. 1028)" and a["alternative"] == a["printed"] for a in data["anomalies"]
    )
    text = run("--seed-anomalies", "--format", "table")
    assert "Hele landet" in text and "nærmeste 10" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "Angiv antal borgere med --citizens"),
        (["--citizens", "310,-1"], "Antal borgere i år 2 kan ikke være negativt (-1)."),
        (["--citizens", "310,abc"], "Antal borgere i år 2 skal være et helt tal"),
        (["--citizens", "310,1.420"], "uden tusindtalsseparator"),
        (["--citizens", "3.5"], "år 1 skal være et helt tal"),
        (["--citizens", ""], "Angiv antal borgere pr. år"),
        (["--citizens", "1", "--landsdel", "sjaelland"], "enten --citizens eller --landsdel"),
        (["--landsdel", "fyn"], "Ukendt landsdel 'fyn'"),
        (["--citizens", "1", "--calls-per-citizen-month", "-0.1"], "kan ikke være negativ"),
        (["--citizens", "1", "--trips-per-citizen-month", "40"], "urimeligt stor"),
        (["--citizens", "1", "--trips-per-citizen-month", "x"], "skal være et tal"),
        (["--citizens", "1", "--staffing", "--opening-hours-per-month", "0"], "Åbningstiden"),
        (["--citizens", "1", "--staffing", "--aht-seconds", "3.5"], "Behandlingstiden (--aht-seconds)"),
        (["--citizens", "1", "--staffing", "--target-sl", "1.5"], "Servicemålet"),
        (["--citizens", "1", "--staffing", "--working-days-per-month", "0"], "Arbejdsdage"),
        (["--seed-anomalies", "--landsdel", "sjaelland"], "--seed-anomalies bruges alene"),
    ],
)
def test_bad_input_is_one_danish_sentence(args, message):
    with pytest.raises(CommandError) as raised:
        run(*args, "--format", "json")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_the_format_is_required_and_checked():
    with pytest.raises(CommandError, match="Angiv et format"):
        run("--citizens", "1")
    with pytest.raises(CommandError, match="json eller table, ikke 'xlsx'"):
        run("--citizens", "1", "--format", "xlsx")


def _samvirke(*args: str) -> subprocess.CompletedProcess[str]:
    # `python -m samvirke.manage` is the console script `samvirke` run from this checkout.
    return subprocess.run(
        [sys.executable, "-m", "samvirke.manage", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        check=False,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


def test_the_console_script_with_the_dashed_name_and_its_exit_codes():
    ok = _samvirke("telecare-volumes", "--citizens", HOVEDSTADEN, "--format", "json")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["years"][-1]["trips_per_month"] == 139
    bad = _samvirke("telecare-volumes", "--citizens", "310,-4", "--format", "json")
    assert bad.returncode == 1
    assert bad.stdout == ""
    assert bad.stderr.strip() == "CommandError: Antal borgere i år 2 kan ikke være negativt (-4)."
    unknown = _samvirke("telecare-volumes", "--citizenz", "1", "--format", "json")
    assert unknown.returncode == 2
    assert "Traceback" not in unknown.stderr


def test_the_table_example_in_docs_cli_md_is_what_the_command_prints():
    lines = (REPO / "docs" / "cli.md").read_text(encoding="utf-8").splitlines()
    for command in ("--landsdel hovedstaden --staffing --format table", "--seed-anomalies --format table"):
        start = lines.index(f"$ samvirke telecare-volumes {command}") + 1
        end = next(i for i in range(start, len(lines)) if lines[i].startswith("$ "))
        assert "\n".join(lines[start:end]) == run(*command.split()).rstrip("\n"), command
