"""`samvirke plan-cohorts` (the command-line contract, docs/cli.md): JSON keys, the table, bad input."""

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

REQUESTS = Path(__file__).resolve().parents[1] / "data" / "sjaelland17_cohort_requests.csv"


def run(*args: str) -> str:
    out = StringIO()
    call_command("plan_cohorts", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def run_json(*args: str) -> dict[str, Any]:
    return json.loads(run(*args, "--format", "json"))


def test_json_has_exactly_the_contract_keys() -> None:
    data = run_json("--requests", str(REQUESTS))
    assert set(data) == {"cohorts", "members", "refused"}
    assert all(set(c) == {"first_shift", "members"} for c in data["cohorts"])
    assert all(set(m) == {"kommunekode", "earliest_first_shift", "first_shift", "why"} for m in data["members"])
    assert len(data["members"]) == 17 and data["refused"] == []
    assert [len(c["members"]) for c in data["cohorts"]] == [7, 2, 3, 5]


def test_max_cohort_and_notice_months() -> None:
    data = run_json("--requests", str(REQUESTS), "--max-cohort", "5", "--notice-months", "4")
    assert all(len(c["members"]) <= 5 for c in data["cohorts"])
    greve = next(m for m in data["members"] if m["kommunekode"] == "253")
    # 2 March + 4 months = 2 July includes July → 5 months → 2 August, a Sunday → Monday 3 August
    assert greve["earliest_first_shift"] == "2026-08-03"


def test_table_names_the_municipalities(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("kommunekode,notified_on,wished_start\n253,2026-03-02,\n999,2026-03-02,\n", encoding="utf-8")
    text = run("--requests", str(path), "--format", "table")
    assert "Hold 1: første vagt 2. juni 2026 (1 kommuner)" in text
    assert "Greve" in text
    assert "Afvist:\n999: 999 er ikke en kendt kommunekode." in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "json"], "Angiv en fil med --requests"),
        (["--requests", "nope.csv", "--format", "json"], "findes ikke"),
        (["--requests", str(REQUESTS)], "Angiv et format"),
        (["--requests", str(REQUESTS), "--format", "xml"], "json eller table"),
        (["--requests", str(REQUESTS), "--format", "json", "--max-cohort", "0"], "mindst 1"),
        (["--requests", str(REQUESTS), "--format", "json", "--max-cohort", "syv"], "helt tal"),
        (["--requests", str(REQUESTS), "--format", "json", "--notice-months", "-1"], "helt tal"),
    ],
)
def test_bad_input_is_a_danish_error(args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_file_without_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("kode,dato\n253,2026-01-01\n", encoding="utf-8")
    with pytest.raises(CommandError, match="kolonnerne kommunekode,notified_on,wished_start"):
        run("--requests", str(path), "--format", "json")


def test_the_process_exit_codes_and_streams(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    command = [sys.executable, "-m", "samvirke.manage", "plan-cohorts"]
    ok = subprocess.run(
        [*command, "--requests", str(REQUESTS), "--format", "json"], cwd=root, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    assert len(json.loads(ok.stdout)["members"]) == 17
    bad_file = tmp_path / "r.csv"
    bad_file.write_bytes(b"kommunekode,notified_on,wished_start\n253,2026-03-02,\x00\n")
    bad = subprocess.run(
        [*command, "--requests", str(bad_file), "--format", "json"], cwd=root, capture_output=True, text=True
    )
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.startswith("CommandError: Filen") and "kontroltegn" in bad.stderr
