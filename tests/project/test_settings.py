"""Settings: safe demo defaults, and no start with DEBUG off and the public demo key."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "TELEPHONY_SECRET"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='samvirke.settings'; "
         "django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], "
         "settings.LANGUAGE_CODE, settings.TIME_ZONE)"],
        env=full_env,
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip


def test_the_default_is_sqlite_danish_and_copenhagen(tmp_path: object) -> None:
    result = start({"SAMVIRKE_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "da", "Europe/Copenhagen"]


def test_it_refuses_to_start_with_debug_off_and_the_demo_secret(tmp_path: object) -> None:
    result = start({"DEBUG": "0", "SAMVIRKE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY is the public demo key while DEBUG is off" in result.stderr


def test_it_starts_with_debug_off_and_real_secrets(tmp_path: object) -> None:
    result = start(
        {"DEBUG": "0", "SECRET_KEY": "x" * 50, "TELEPHONY_SECRET": "y" * 40, "SAMVIRKE_VAR_DIR": str(tmp_path)}
    )
    assert result.returncode == 0, result.stderr


def test_it_refuses_to_start_with_debug_off_and_the_demo_telephony_secret(tmp_path: object) -> None:
    result = start({"DEBUG": "0", "SECRET_KEY": "x" * 50, "SAMVIRKE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "TELEPHONY_SECRET is the public demo secret while DEBUG is off" in result.stderr


def test_database_url_selects_postgresql(tmp_path: object) -> None:
    result = start({"DATABASE_URL": "postgres://u:p@localhost:5432/samvirke", "SAMVIRKE_VAR_DIR": str(tmp_path)})
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_a_bad_boolean_stops_start_up_with_a_clear_message(tmp_path: object, value: str) -> None:
    result = start({"DEBUG": value, "SAMVIRKE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def run_samvirke(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The console script as an operator runs it (`samvirke …` is samvirke.manage:main)."""
    full_env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "TELEPHONY_SECRET"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-m", "samvirke.manage", *args], env=full_env, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "0"}, "samvirke: SECRET_KEY is the public demo key while DEBUG is off."),
        ({"DEBUG": "maybe"}, "samvirke: DEBUG must be a boolean (1/0, true/false, yes/no, on/off), not 'maybe'"),
    ],
)
def test_the_console_script_refuses_to_start_with_one_line_and_exit_code_1(
    tmp_path: object, env: dict[str, str], message: str
) -> None:
    result = run_samvirke({**env, "SAMVIRKE_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode == 1
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_the_console_script_starts_with_good_settings(tmp_path: object) -> None:
    result = run_samvirke({"SAMVIRKE_VAR_DIR": str(tmp_path)}, "check")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
