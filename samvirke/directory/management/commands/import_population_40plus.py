"""samvirke import-population-40plus FILE.csv --year YYYY --source "…" — inhabitants aged 40+ per municipality."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.core.cli import read_text_file
from samvirke.directory.actions import do_import_populations_40plus
from samvirke.directory.lib.populations import (
    PopulationImportError,
    check_year_and_source,
    parse_population_40plus_file,
)
from samvirke.directory.models import Municipality


class Command(BaseCommand):
    help = (
        "Indlæser antallet af indbyggere på 40 år og derover pr. kommune for ét år (telemedicinens fordeling) fra "
        "en CSV-fil med kolonnerne kommunekode,population_40plus. Alt eller intet: er én linje forkert, skrives intet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV-fil (komma- eller semikolonsepareret, UTF-8)")
        parser.add_argument("--year", type=int, required=True, help="året, tallene gælder")
        parser.add_argument("--source", required=True, help="hvor tallene kommer fra, fx Danmarks Statistik, FOLK1A")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        year: int = options["year"]
        source: str = options["source"].strip()
        problems = check_year_and_source(year, source)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"{len(problems)} fejl; intet er ændret.")
        text = read_text_file(path)
        known_codes = set(Municipality.objects.values_list("code", flat=True))
        try:
            rows = parse_population_40plus_file(text, known_codes)
        except PopulationImportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path}: {len(error.problems)} fejl; intet er ændret.") from None
        changed = do_import_populations_40plus(None, rows, year, source)
        self.stdout.write(
            f"{len(rows)} linjer læst for {year}, {changed} kommuner opdateret, {len(rows) - changed} uændrede."
        )
