"""samvirke import-telecare-enrolments FILE.csv --landsdel SLUG — citizens in the telemedicine programme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.core.cli import read_text_file
from samvirke.directory.models import Municipality
from samvirke.telecare.actions import do_import_enrolments
from samvirke.telecare.lib.enrolments import EnrolmentImportError, parse_enrolment_file
from samvirke.telecare.models import Landsdel


class Command(BaseCommand):
    help = (
        "Indlæser indskrivninger i telemedicin for en landsdel fra en CSV-fil med kolonnerne "
        "kommunekode,citizen_ref,enrolled_from,enrolled_to (enrolled_to tom: stadig indskrevet). citizen_ref er et "
        "pseudonym, aldrig et CPR-nummer. Alt eller intet; en række, der allerede findes, indlæses ikke igen."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV-fil (komma- eller semikolonsepareret, UTF-8)")
        parser.add_argument("--landsdel", required=True, help="landsdelens kortnavn, fx sjaelland")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        landsdel = Landsdel.objects.select_related("region").filter(slug=options["landsdel"]).first()
        if landsdel is None:
            known = ", ".join(Landsdel.objects.values_list("slug", flat=True)) or "ingen"
            raise CommandError(f"Landsdelen '{options['landsdel']}' findes ikke (kendte: {known}); intet er ændret.")
        text = read_text_file(path)
        codes = set(Municipality.objects.filter(region=landsdel.region_id).values_list("code", flat=True))
        try:
            rows = parse_enrolment_file(text, codes)
        except EnrolmentImportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(f"{path}: {len(error.problems)} fejl; intet er ændret.") from None
        result = do_import_enrolments(None, landsdel, rows)
        self.stdout.write(f"{landsdel.name}: {len(rows)} linjer læst. {result.summary()}")
