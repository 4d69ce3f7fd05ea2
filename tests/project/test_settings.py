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
