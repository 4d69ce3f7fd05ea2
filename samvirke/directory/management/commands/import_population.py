"""samvirke import-population FILE.csv — update municipalities' populations from a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.core.cli import read_text_file
from samvirke.directory.actions import do_import_populations
from samvirke.directory.lib.populations import PopulationImportError, parse_population_file
from samvirke.directory.models import Municipality


class Command(BaseCommand):
    help = (
        "Opdaterer kommunernes indbyggertal fra en CSV-fil med kolonnerne kommunekode,population,year,source. "
        "Alt eller intet: er én linje forkert, skrives intet."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV-fil (komma- eller semikolonsepareret, UTF-8)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        text = read_text_file(path)
        known_codes = set(Municipality.objects.values_list("code", flat=True))
        try:
            updates = parse_population_file(text, known_codes)
        except PopulationImportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path}: {len(error.problems)} fejl; intet er ændret.") from None
        changed = do_import_populations(None, updates)
        self.stdout.write(
            f"{len(updates)} linjer læst, {changed} kommuner opdateret, {len(updates) - changed} uændrede."
        )
