"""`samvirke erlang` (the command-line contract, docs/cli.md): JSON keys and values, the table, bad input."""

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

SAMVIRKE = Path(sys.executable).parent / "samvirke"
EXAMPLE = [
    "--calls",
    "100",
    "--interval-minutes",
    "30",
    "--aht-seconds",
    "180",
    "--target-sl",
    "0.8",
    "--target-seconds",
    "20",
]
CONTRACT_KEYS = {"raw_agents", "agents", "service_level", "occupancy", "waiting_probability"}


def run(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("erlang", *args, stdout=out, stderr=err)
    return out.getvalue()


def run_json(*args: str) -> dict[str, Any]:
    return json.loads(run(*args, "--format", "json"))


def test_the_pyworkforce_example_as_json() -> None:
    data = run_json(*EXAMPLE, "--shrinkage", "0.3", "--max-occupancy", "0.85")
    assert data.keys() >= CONTRACT_KEYS
    assert data["raw_agents"] == 14 and data["agents"] == 20
    assert isinstance(data["raw_agents"], int) and isinstance(data["agents"], int)
    assert data["service_level"] == pytest.approx(0.88835, abs=1e-5)
    assert data["occupancy"] == pytest.approx(10 / 14)
    assert data["waiting_probability"] == pytest.approx(0.17413, abs=1e-5)
    assert data["model"] == "erlang_c"
    assert data["intensity"] == 10.0
    assert data["asa_seconds"] == pytest.approx(7.836, abs=1e-3)
    assert data["abandonment"] is None


def test_defaults_are_shrinkage_0_3_and_max_occupancy_0_85() -> None:
    assert run_json(*EXAMPLE) == run_json(*EXAMPLE, "--shrinkage", "0.3", "--max-occupancy", "0.85")
    data = run_json(*EXAMPLE, "--shrinkage", "0", "--max-occupancy", "0.7")
    assert (data["raw_agents"], data["agents"]) == (15, 15)


def test_danish_decimal_commas_are_accepted() -> None:
    assert run_json(*EXAMPLE[:-4], "--target-sl", "0,8", "--target-seconds", "20") == run_json(*EXAMPLE)


def test_erlang_a_adds_abandonment() -> None:
    data = run_json(*EXAMPLE, "--patience-seconds", "120")
    assert data.keys() >= CONTRACT_KEYS
    assert data["model"] == "erlang_a"
    assert 0 < data["abandonment"] < 0.1
    assert data["raw_agents"] < 14
    assert data["service_level"] >= 0.8


def test_zero_calls_need_nobody() -> None:
    data = run_json(*["0" if value == "100" else value for value in EXAMPLE])
    assert (data["raw_agents"], data["agents"]) == (0, 0)


def test_table_is_danish() -> None:
    text = run(*EXAMPLE, "--format", "table")
    assert "Medarbejdere på telefonen" in text and "14" in text
    assert "Medarbejdere i vagtplanen" in text and "20" in text
    assert "88,8 %" in text
    assert "lægger på" not in text
    assert "Andel der lægger på" in run(*EXAMPLE, "--patience-seconds", "120", "--format", "table")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--calls", "-5"], "negativt"),
        (["--calls", "mange"], "--calls"),
        (["--aht-seconds", "0"], "større end 0"),
        (["--interval-minutes", "0"], "Intervallets længde"),
        (["--target-sl", "80"], "mellem 0 og 1"),
        (["--shrinkage", "1"], "Shrinkage"),
        (["--max-occupancy", "1.5"], "belægning"),
        (["--patience-seconds", "0"], "tålmodighed"),
    ],
)
def test_bad_input_is_a_danish_command_error(args: list[str], message: str) -> None:
    options = dict(zip(EXAMPLE[::2], EXAMPLE[1::2], strict=True)) | dict(zip(args[::2], args[1::2], strict=True))
    with pytest.raises(CommandError, match=message):
        run(*[part for pair in options.items() for part in pair], "--format", "json")


def test_missing_options_and_format() -> None:
    with pytest.raises(CommandError, match="--format"):
        run(*EXAMPLE)
    with pytest.raises(CommandError, match="json eller table"):
        run(*EXAMPLE, "--format", "xlsx")
    with pytest.raises(CommandError, match="Mangler --aht-seconds"):
        run(
            "--calls",
            "10",
            "--interval-minutes",
            "30",
            "--target-sl",
            "0.8",
            "--target-seconds",
            "20",
            "--format",
            "json",
        )


def test_console_script_json_and_exit_code() -> None:
    ok = subprocess.run(
        [str(SAMVIRKE), "erlang", *EXAMPLE, "--format", "json"], capture_output=True, text=True, check=False
    )
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["agents"] == 20
    bad = subprocess.run(
        [str(SAMVIRKE), "erlang", *EXAMPLE[:-2], "--target-seconds", "-1", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode != 0
    assert bad.stdout == ""
    assert "Svartidsmålet kan ikke være negativt" in bad.stderr
    assert "Traceback" not in bad.stderr
