"""samvirke plan-cohorts — which municipalities start together, and on which first shift (seed 000 p. 8–9).

    samvirke plan-cohorts --requests FILE.csv [--max-cohort 7] [--notice-months 3] [--gap-days 7] --format json|table

JSON (the stable contract of docs/cli.md, keys are only ever added): {"cohorts": [{"first_shift", "members"}],
"members": [{"kommunekode", "earliest_first_shift", "first_shift", "why"}], "refused": [{"kommunekode",
"reason"}]}. Pure computation: the known municipalities are the shipped reference list, not the database.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.core.cli import aligned_table, read_text_file
from samvirke.directory.lib.reference import parse_municipalities
from samvirke.directory.reference_data import DATA_FILE
from samvirke.onboarding.lib.cohorts import (
    DEFAULT_GAP_DAYS,
    DEFAULT_MAX_COHORT,
    DEFAULT_NOTICE_MONTHS,
    CohortPlan,
    day_da,
    parse_requests,
    plan_cohorts,
    plan_to_json,
)

FORMATS = ("json", "table")


def whole_number(text: str, what: str, option: str, minimum: int) -> int:
    cleaned = str(text).strip()
    if not cleaned.isdigit() or int(cleaned) < minimum:
        raise CommandError(f"{what} ({option}) skal være et helt tal på mindst {minimum}, ikke '{text}'.")
    return int(cleaned)


def known_municipalities() -> dict[str, str]:
    records = parse_municipalities(DATA_FILE.read_text(encoding="utf-8"))
    return {str(record.code): record.name for record in records}


def plan_table(plan: CohortPlan, names: dict[str, str]) -> str:
    lines: list[str] = []
    for number, cohort in enumerate(plan.cohorts, start=1):
        lines.append(f"Hold {number}: første vagt {day_da(cohort.first_shift)} ({len(cohort.members)} kommuner)")
    rows: list[list[str] | None] = [["Kommune", "Kode", "Tidligst", "Første vagt"], None]
    for member in plan.members:
        rows.append(
            [
                names.get(member.kommunekode, ""),
                member.kommunekode,
                member.earliest_first_shift.isoformat(),
                member.first_shift.isoformat(),
            ]
        )
    if plan.members:
        lines += ["", *aligned_table(rows, left=2), ""]
        lines += [f"{member.kommunekode}: {member.why}" for member in plan.members]
    if plan.refused:
        lines += ["", "Afvist:"] + [f"{refusal.kommunekode or '(tom)'}: {refusal.reason}" for refusal in plan.refused]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Foreslår hold af kommuner til optagelse: første vagt mindst varslet efter besked til DDH (+1 måned, når "
        "varslet omfatter juli), ikke før ønsket start, højst --max-cohort kommuner pr. hold, og en forklaring på "
        "hver dato. Beregningen bruger ikke databasen."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--requests", metavar="FIL.csv", help="CSV med kommunekode,notified_on,wished_start")
        parser.add_argument("--max-cohort", metavar="ANTAL", default=str(DEFAULT_MAX_COHORT))
        parser.add_argument("--notice-months", metavar="MÅNEDER", default=str(DEFAULT_NOTICE_MONTHS))
        parser.add_argument(
            "--gap-days",
            metavar="DAGE",
            default=str(DEFAULT_GAP_DAYS),
            help=f"Mindste antal dage mellem to holds første vagt (standard {DEFAULT_GAP_DAYS})",
        )
        parser.add_argument("--format", dest="output_format", metavar="json|table", help="json eller table")

    def handle(self, *args: Any, **options: Any) -> None:
        output_format: str | None = options["output_format"]
        if output_format is None:
            raise CommandError("Angiv et format med --format json eller table.")
        if output_format not in FORMATS:
            raise CommandError(f"Formatet skal være json eller table, ikke '{output_format}'.")
        if not options["requests"]:
            raise CommandError("Angiv en fil med --requests FIL.csv.")
        max_cohort = whole_number(options["max_cohort"], "Holdstørrelsen", "--max-cohort", 1)
        notice_months = whole_number(options["notice_months"], "Varslet", "--notice-months", 0)
        gap_days = whole_number(options["gap_days"], "Afstanden mellem hold", "--gap-days", 0)
        text = read_text_file(Path(options["requests"]))
        try:
            requests = parse_requests(text)
        except ValueError as error:
            raise CommandError(str(error)) from None
        names = known_municipalities()
        plan = plan_cohorts(requests, names, max_cohort=max_cohort, notice_months=notice_months, gap_days=gap_days)
        if output_format == "json":
            self.stdout.write(json.dumps(plan_to_json(plan), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(plan_table(plan, names))
