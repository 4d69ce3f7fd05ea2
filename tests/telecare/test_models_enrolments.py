"""Enrolments from the command line: idempotent on (landsdel, citizen_ref, enrolled_from), audited, all or
nothing, CPR-looking references refused and never echoed."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from samvirke.audit.models import AuditEntry
from samvirke.telecare.models import Enrolment, Landsdel

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


ENROLMENTS = (
    "kommunekode,citizen_ref,enrolled_from,enrolled_to\n"
    "253,SJ-0001,2025-01-15,\n"
    "316,SJ-0002,1.4.2025,2025-09-30\n"
    "259,SJ-0003,2025-06-01,\n"
)


def test_enrolment_import_is_idempotent_and_audited(landsdel: Landsdel, tmp_path: Path) -> None:
    path = tmp_path / "enrol.csv"
    path.write_text(ENROLMENTS, encoding="utf-8")
    out, _ = _run("import_telecare_enrolments", str(path), "--landsdel", "sjaelland")
    assert "3 nye indskrivninger, 0 ændrede, 0 uændrede" in out
    assert Enrolment.objects.get(citizen_ref="SJ-0002").enrolled_to == dt.date(2025, 9, 30)
    out, _ = _run("import_telecare_enrolments", str(path), "--landsdel", "sjaelland")
    assert "0 nye indskrivninger, 0 ændrede, 3 uændrede" in out
    # A citizen leaving: the same row with an end date updates the enrolment, it does not add one.
    path.write_text(ENROLMENTS.replace("253,SJ-0001,2025-01-15,", "253,SJ-0001,2025-01-15,2025-12-01"), "utf-8")
    out, _ = _run("import_telecare_enrolments", str(path), "--landsdel", "sjaelland")
    assert "0 nye indskrivninger, 1 ændrede, 2 uændrede" in out
    assert Enrolment.objects.count() == 3
    assert AuditEntry.objects.filter(action="telecare.enrolments_imported").count() == 2


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("253,0102031234,2025-01-01,", "ligner et CPR-nummer"),
        ("751,SJ-9,2025-01-01,", "751 er ikke en kommune i landsdelen"),
        ("253,SJ-9,2025-02-30,", "er ikke en dato"),
        ("253,SJ-9,2025-03-01,2025-02-01", "ligger før startdatoen"),
        ("253,,2025-03-01,", "borgerreferencen mangler"),
        ("253,SJ-0001,2025-01-15,", "står også i linje 2"),
    ],
)
def test_enrolment_import_refuses_a_bad_line_and_writes_nothing(
    landsdel: Landsdel, tmp_path: Path, line: str, message: str
) -> None:
    path = tmp_path / "enrol.csv"
    path.write_text(ENROLMENTS + line + "\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="intet er ændret"):
        call_command("import_telecare_enrolments", str(path), "--landsdel", "sjaelland", stderr=err)
    assert f"Linje 5: {message}" in err.getvalue() or message in err.getvalue()
    assert "0102031234" not in err.getvalue()  # the refused number is never echoed
    assert not Enrolment.objects.exists()


def test_enrolment_import_names_an_unknown_landsdel(landsdel: Landsdel, tmp_path: Path) -> None:
    path = tmp_path / "enrol.csv"
    path.write_text(ENROLMENTS, encoding="utf-8")
    with pytest.raises(CommandError, match="'fyn' findes ikke .kendte: sjaelland"):
        call_command("import_telecare_enrolments", str(path), "--landsdel", "fyn")
