"""The telecare tables and their imports: populations aged 40+ (directory) and enrolments (telecare), from the
command line; all or nothing, audited, CPR-looking references refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

from samvirke.audit.models import AuditEntry
from samvirke.core.lib.masking import looks_like_cpr
from samvirke.directory.models import Municipality, PopulationAged40Plus
from samvirke.telecare.lib.enrolments import EnrolmentImportError, parse_enrolment_file
from samvirke.telecare.models import Enrolment, Landsdel
from tests.telecare.conftest import GREVE, HOLBAEK, KOEGE, enrol

pytestmark = pytest.mark.django_db


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_population_40plus_import_writes_every_row_and_is_audited(fellesskab: object, tmp_path: Path) -> None:
    path = tmp_path / "40plus.csv"
    path.write_text("kommunekode;population_40plus\n253;29.500\n316\t;41000\n".replace("\t", ""), encoding="utf-8")
    out, _ = _run("import_population_40plus", str(path), "--year", "2025", "--source", "Danmarks Statistik, FOLK1A")
    assert "2 kommuner opdateret" in out
    assert PopulationAged40Plus.objects.get(municipality__code=GREVE, year=2025).count == 29500
    entry = AuditEntry.objects.filter(action="directory.population_40plus_imported").get()
    assert entry.details["year"] == 2025 and len(entry.details["changed"]) == 2
    # The same file again changes nothing and writes no audit entry.
    out, _ = _run("import_population_40plus", str(path), "--year", "2025", "--source", "Danmarks Statistik, FOLK1A")
    assert "0 kommuner opdateret" in out
    assert AuditEntry.objects.filter(action="directory.population_40plus_imported").count() == 1


@pytest.mark.parametrize(
    ("text", "year", "source", "message"),
    [
        ("kommunekode,population_40plus\n253,100\n999,5\n", "2025", "DST", "kommunekoden 999 findes ikke"),
        ("kommunekode,population_40plus\n253,12.5\n", "2025", "DST", "'12.5' er ikke et helt tal"),
        ("kommunekode,population_40plus\n253,0\n", "2025", "DST", "større end 0"),
        ("kommunekode,population_40plus\n253,1\n253,2\n", "2025", "DST", "står også i linje 2"),
        ("kommunekode,antal\n253,1\n", "2025", "DST", "kolonnerne skal være"),
        ("kommunekode,population_40plus\n253,1\n", "1900", "DST", "ligger ikke mellem"),
        ("kommunekode,population_40plus\n253,1\n", "2025", "40plus.csv", "filnavn"),
    ],
)
def test_population_40plus_import_refuses_bad_input_and_writes_nothing(
    fellesskab: object, tmp_path: Path, text: str, year: str, source: str, message: str
) -> None:
    path = tmp_path / "40plus.csv"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="intet er ændret"):
        call_command("import_population_40plus", str(path), "--year", year, "--source", source, stderr=err)
    assert message in err.getvalue()
    assert not PopulationAged40Plus.objects.exists()
    assert not AuditEntry.objects.filter(action="directory.population_40plus_imported").exists()


def test_one_population_40plus_per_municipality_and_year(landsdel: Landsdel) -> None:
    greve = Municipality.objects.get(code=GREVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        PopulationAged40Plus.objects.create(municipality=greve, year=2024, count=1, source="x")


@pytest.mark.parametrize(
    ("ref", "cpr"),
    [("0102031234", True), ("010203-1234", True), ("01.02.03 1234", True), ("SJ-000017", False), ("a1b2c3d4", False)],
)
def test_cpr_looking_references_are_recognised(ref: str, cpr: bool) -> None:
    assert looks_like_cpr(ref) is cpr


def test_enrolment_model_refuses_a_cpr_reference_and_a_municipality_outside_the_region(landsdel: Landsdel) -> None:
    enrolment = Enrolment(
        landsdel=landsdel,
        municipality=Municipality.objects.get(code=GREVE),
        citizen_ref="010203-1234",
        enrolled_from=dt.date(2025, 1, 1),
    )
    with pytest.raises(ValidationError, match="CPR"):
        enrolment.full_clean()
    enrolment.citizen_ref, enrolment.municipality = "SJ-1", Municipality.objects.get(code=751)  # Aarhus
    with pytest.raises(ValidationError, match="landsdelens region"):
        enrolment.full_clean()


def test_enrolment_ending_before_it_starts_is_refused_by_the_database(landsdel: Landsdel) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        enrol(landsdel, GREVE, "SJ-1", dt.date(2025, 5, 1), dt.date(2025, 4, 30))


def test_parse_enrolments_without_the_end_column() -> None:
    rows = parse_enrolment_file("kommunekode,citizen_ref,enrolled_from\n253,SJ-1,2025-01-01\n", {253})
    assert rows[0].enrolled_to is None and rows[0].kommunekode == 253
    with pytest.raises(EnrolmentImportError, match="Filen har ingen rækker"):
        parse_enrolment_file("kommunekode,citizen_ref,enrolled_from\n", {253})


def test_landsdel_settings_are_held_between_0_and_1(landsdel: Landsdel) -> None:
    assert landsdel.weight == Decimal(1) and landsdel.region_share == Decimal("0.65")
    assert landsdel.programme_year(2027) == 3
    with pytest.raises(IntegrityError), transaction.atomic():
        Landsdel.objects.filter(pk=landsdel.pk).update(weight=Decimal("1.5"))
    assert {HOLBAEK, KOEGE} <= set(Municipality.objects.filter(region=landsdel.region).values_list("code", flat=True))
