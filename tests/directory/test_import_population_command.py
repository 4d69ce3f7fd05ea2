"""samvirke import-population: all or nothing, a clear line per problem and a non-zero exit."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from samvirke.audit.models import AuditEntry
from samvirke.directory.management.commands.import_population import Command as ImportPopulation
from samvirke.directory.models import Municipality


def run(path: Path) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("import_population", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_updates_populations_and_audits_each_change(db: None, tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("kommunekode,population,year,source\n316,74100,2025,DST FOLK1A 2025K1\n253,52157,2024,x\n")
    out, _ = run(path)
    assert "2 linjer læst, 2 kommuner opdateret, 0 uændrede." in out
    holbaek = Municipality.objects.get(code=316)
    assert (holbaek.population, holbaek.population_year, holbaek.population_source) == (
        74100,
        2025,
        "DST FOLK1A 2025K1",
    )
    entry = AuditEntry.objects.get(action="directory.population_imported", object_id=str(holbaek.pk))
    assert entry.actor_name == "system"
    assert entry.details["before"][0] == 73767 and entry.details["after"][0] == 74100


def test_running_the_same_file_twice_changes_nothing_the_second_time(db: None, tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("kommunekode,population,year,source\n316,74100,2025,DST\n")
    run(path)
    out, _ = run(path)
    assert "0 kommuner opdateret, 1 uændrede" in out
    assert AuditEntry.objects.filter(action="directory.population_imported").count() == 1


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("316,74100,2025,DST\n999,5,2025,DST\n", "Linje 3: kommunekoden 999 findes ikke."),
        ("316,74100,2025,DST\n316,74100,2025,DST\n", "Linje 3: kommunekode 316 står også i linje 2."),
        (
            "316,74100,2025,DST\n253,-4,2025,DST\n",
            "Linje 3: indbyggertallet skal være større end 0, ikke -4.",
        ),
        ("316,74100,2025,DST\n253,mange,2025,DST\n", "Linje 3: indbyggertallet 'mange' er ikke et helt tal."),
        ("316,74100,2025,DST\n253,52157.5,2025,DST\n", "Linje 3: indbyggertallet '52157.5' er ikke et helt tal."),
        ("316,74100,2025,DST\n253,1.5,2025,DST\n", "Linje 3: indbyggertallet '1.5' er ikke et helt tal."),
        ("316,74100,2025,DST\n3.16,74100,2025,DST\n", "Linje 3: kommunekoden '3.16' er ikke et tal."),
        ("316,74100,2025,DST\n253,52157,2.025,DST\n", "Linje 3: året '2.025' er ikke et tal."),
        (
            "316,74100,2025,DST\n253,5215700,2025,DST\n",
            "Linje 3: indbyggertallet 5.215.700 er større end 2.000.000 – ingen dansk kommune er så stor.",
        ),
    ],
)
def test_a_bad_line_writes_nothing_and_names_the_line(db: None, tmp_path: Path, body: str, problem: str) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("kommunekode,population,year,source\n" + body)
    err = StringIO()
    with pytest.raises(CommandError, match="intet er ændret"):
        call_command("import_population", str(path), stdout=StringIO(), stderr=err)
    assert problem in err.getvalue()
    assert Municipality.objects.get(code=316).population == 73767  # the good first line was not written
    assert not AuditEntry.objects.exists()


def test_a_bad_line_exits_with_code_1_and_no_traceback(
    db: None, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a shell sees: run_from_argv turns the CommandError into a message on stderr and exit status 1.
    # It closes the database connections when it ends, which would end the test's transaction on PostgreSQL.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    path = tmp_path / "pop.csv"
    path.write_text("kommunekode,population,year,source\n253,52157.5,2025,DST\n")
    with pytest.raises(SystemExit) as exit_:
        ImportPopulation().run_from_argv(["samvirke", "import-population", str(path)])
    assert exit_.value.code == 1
    err = capsys.readouterr().err
    assert "Linje 2: indbyggertallet '52157.5' er ikke et helt tal." in err
    assert "intet er ændret" in err and "Traceback" not in err
    assert Municipality.objects.get(code=253).population != 521575


def test_the_wrong_columns_are_refused(db: None, tmp_path: Path) -> None:
    path = tmp_path / "pop.csv"
    path.write_text("name,population\nHolbæk,1\n")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_population", str(path), stdout=StringIO(), stderr=err)
    assert "Linje 1: kolonnerne skal være kommunekode,population,year,source" in err.getvalue()


def test_a_missing_file_is_a_clear_error(db: None, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_population", str(tmp_path / "nope.csv"))


def test_a_binary_file_is_a_clear_error(db: None, tmp_path: Path) -> None:
    path = tmp_path / "pop.xlsx"
    path.write_bytes(b"PK\x03\x04\xff\xfe\x00binary")
    with pytest.raises(CommandError, match="ikke UTF-8"):
        call_command("import_population", str(path))
