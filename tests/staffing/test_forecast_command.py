"""`samvirke forecast`: the week's forecast per day and half-hour, its held-out error, JSON keys, bad input."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samvirke.contact.models import Queue
from samvirke.directory.models import Fellesskab
from tests.staffing.test_rota_build import TODAY, WEEKDAYS_9_TO_14, history

pytestmark = pytest.mark.django_db

KEYS = {"week_start", "source", "total", "history_end", "days", "intervals", "holdout"}


@pytest.fixture(autouse=True)
def short_opening_hours(db: None) -> None:
    Queue.objects.filter(is_default=True).update(opening_hours=WEEKDAYS_9_TO_14)


def run(*args: str) -> str:
    out = StringIO()
    call_command("forecast", *args, stdout=out)
    return out.getvalue()


def run_json(*args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(run(*args, "--format", "json"))
    return data


def test_it_forecasts_a_week_ahead_from_the_history_with_its_held_out_error(fellesskab: Fellesskab) -> None:
    history(10)
    data = run_json("--week", "2026-12-16", "--today", TODAY.isoformat())
    assert set(data) == KEYS
    assert data["week_start"] == "2026-12-14" and data["history_end"] == TODAY.isoformat()
    assert data["total"] == pytest.approx(150, rel=0.05)
    assert [day["weekday"] for day in data["days"]][:2] == ["mandag", "tirsdag"] and len(data["days"]) == 7
    assert set(data["days"][0]) == {"date", "weekday", "total", "peak_time", "peak"}
    assert data["days"][5]["total"] == 0 and data["days"][5]["peak_time"] is None  # closed on Saturdays
    times = {row["time"] for row in data["intervals"]}
    assert {"09:00", "13:00"} <= times and all("09:00" <= time <= "13:30" for time in times)  # the opening hours
    assert sum(row["contacts"] for row in data["intervals"]) == pytest.approx(data["total"], abs=0.5)
    holdout = data["holdout"]
    assert set(holdout) == {"holdout_weeks", "wape_interval", "wape_day", "bias"} and holdout["holdout_weeks"] == 4
    assert holdout["wape_day"] < 0.05


def test_without_history_it_spreads_the_yearly_volume(fellesskab: Fellesskab) -> None:
    data = run_json("--week", "2026-11-30", "--calls-per-year", "52000", "--today", TODAY.isoformat())
    assert data["source"] == "52.000 opkald om året" and data["holdout"] is None and data["history_end"] is None
    assert 900 <= data["total"] <= 1100  # about a 52nd of the year, holidays making the rest a little higher


def test_the_table_is_danish(fellesskab: Fellesskab) -> None:
    history(10)
    text = run("--week", "2026-12-16", "--today", TODAY.isoformat(), "--format", "table")
    assert text.startswith("Prognose for uge 51 2026")
    assert "mandag 14.12." in text and "I alt" in text and "WAPE" in text and "skævhed" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Angiv et format"),
        (("--format", "xml"), "json eller table"),
        (("--format", "json", "--week", "30-11-2026"), "--week skal være en dato"),
        (("--format", "json", "--calls-per-year", "-5"), "positivt helt antal"),
    ],
)
def test_bad_input_gets_a_danish_message(fellesskab: Fellesskab, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_bad_input_exits_1_with_one_line_from_the_console_script(fellesskab: Fellesskab) -> None:
    import subprocess
    import sys
    from pathlib import Path

    samvirke = Path(sys.executable).parent / "samvirke"
    completed = subprocess.run(
        [str(samvirke), "forecast", "--format", "json", "--week", "i morgen"], capture_output=True, text=True
    )
    assert completed.returncode == 1
    assert "--week skal være en dato" in completed.stderr and "Traceback" not in completed.stderr
