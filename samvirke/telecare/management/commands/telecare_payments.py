"""samvirke telecare-payments — the telemedicine fællesskab's subscription payments (docs/models/telecare.md).

    samvirke telecare-payments --total KR [--region-share 0.65] --weight W --members FILE.csv
        --enrolments FILE.csv --year YYYY --format json|table|xlsx [--output FILE]

Members: kommunekode,population_40plus. Enrolments: kommunekode,citizen_ref,enrolled_from,enrolled_to (ISO
dates; an empty enrolled_to = still enrolled; citizen_ref pseudonymous, never a CPR number). Pure computation:
reads the two CSV files, never the database. On bad input nothing is written.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.core.cli import aligned_table, read_text_file
from samvirke.core.lib.formatting import kr, number_da, percent_da, thousands
from samvirke.economy.lib.fees import round_half_up
from samvirke.telecare.lib.payments import (
    DEFAULT_REGION_SHARE,
    Enrolment,
    PaymentInputError,
    PaymentResult,
    compute_payments,
    parse_enrolments_csv,
    parse_members_csv,
    to_json_dict,
)
from samvirke.telecare.lib.payments_workbook import payments_workbook

FORMATS = ("json", "table", "xlsx")


def payments_table(result: PaymentResult) -> str:
    """The payments as an aligned Danish text table: the region, the municipalities and the totals row."""
    header = ["Ejer", "Kode", "Indb. 40+", "Dækning", "Andel", "Beløb (kr.)"]
    rows: list[list[str] | None] = [header, None, ["Regionen", "", "", "", "", kr(result.region_amount)], None]
    for member in result.members:
        rows.append(
            [
                "Kommune",
                str(member.kommunekode),
                thousands(member.population_40plus),
                number_da(round_half_up(member.coverage, 2), 2),
                percent_da(round_half_up(member.share, 6), 2),
                kr(member.amount),
            ]
        )
    rows += [
        None,
        [
            "Kommuner i alt",
            "",
            thousands(sum(m.population_40plus for m in result.members)),
            number_da(round_half_up(sum(m.coverage for m in result.members), 2), 2),
            "100,00 %",
            kr(result.municipal_total),
        ],
        ["I alt", "", "", "", "", kr(result.total)],
    ]
    lines = [
        f"Abonnementsbetaling for telemedicin {result.year}: {kr(result.total)} kr.",
        f"Region/kommuner: {percent_da(result.region_share, 1)} / {percent_da(1 - result.region_share, 1)} · "
        f"vægt w = {number_da(result.weight, 2)} på indbyggere over 40 år, "
        f"{number_da(1 - result.weight, 2)} på dækning (borgerår, talt pr. kvartal)",
        "",
        *aligned_table(rows, left=1),
    ]
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Beregner abonnementsbetalingen for det telemedicinske fællesskab: regionens og kommunernes andel, og "
        "kommunernes indbyrdes fordeling efter indbyggere over 40 år (vægt w) og dækning (borgerår talt pr. "
        "kvartal). Ved fejl i input skrives intet."
    )
    requires_system_checks: list[str] = []  # pure computation; no database, no apps to check

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--total", metavar="KR", help="Det samlede beløb for året i kr., fx 5580000")
        parser.add_argument(
            "--region-share",
            metavar="ANDEL",
            default=str(DEFAULT_REGION_SHARE),
            help="Regionens andel (0–1, standard 0.65; følsomhed fx 0.80 eller 0.50)",
        )
        parser.add_argument("--weight", metavar="W", help="Vægten w (0–1) på indbyggere over 40 år; 1 − w på dækning")
        parser.add_argument(
            "--members", type=Path, metavar="FIL.csv", help="CSV med kolonnerne kommunekode,population_40plus"
        )
        parser.add_argument(
            "--enrolments",
            type=Path,
            metavar="FIL.csv",
            help="CSV: kommunekode,citizen_ref,enrolled_from,enrolled_to (tom slutdato = stadig tilmeldt)",
        )
        parser.add_argument("--year", metavar="ÅÅÅÅ", help="Budgetåret, fx 2025")
        parser.add_argument("--format", dest="output_format", metavar="json|table|xlsx", help="json, table eller xlsx")
        parser.add_argument(
            "--output", type=Path, metavar="FIL", help="Skriv resultatet til denne fil (krævet ved xlsx)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output_format: str | None = options["output_format"]
        output: Path | None = options["output"]
        if output_format is None:
            raise CommandError("Angiv et format med --format json, table eller xlsx.")
        if output_format not in FORMATS:
            raise CommandError(f"Formatet skal være json, table eller xlsx, ikke '{output_format}'.")
        if output_format == "xlsx" and output is None:
            raise CommandError("Formatet xlsx kræver --output FIL.xlsx (et regneark skrives ikke til skærmen).")
        for option, flag in (("total", "--total KR"), ("weight", "--weight W"), ("year", "--year ÅÅÅÅ")):
            if options[option] is None:
                raise CommandError(f"Angiv {flag}.")
        year_text = str(options["year"]).strip()
        if not (year_text.isascii() and year_text.isdigit() and len(year_text) == 4):
            raise CommandError(f"Året (--year) skal være et årstal med fire cifre, fx 2025, ikke '{options['year']}'.")

        members = self._read(options["members"], "--members", "kommunekode,population_40plus", parse_members_csv)
        enrolments: list[Enrolment] = self._read(
            options["enrolments"],
            "--enrolments",
            "kommunekode,citizen_ref,enrolled_from,enrolled_to",
            parse_enrolments_csv,
        )
        try:
            result = compute_payments(
                options["total"], options["region_share"], options["weight"], members, enrolments, int(year_text)
            )
        except PaymentInputError as error:
            raise CommandError("\n".join(error.problems)) from None

        content: str | bytes
        if output_format == "json":
            content = json.dumps(to_json_dict(result), ensure_ascii=False, indent=2)
        elif output_format == "table":
            content = payments_table(result)
        else:
            content = payments_workbook(result, enrolments, f"Abonnementsbetaling for telemedicin {result.year}")

        if output is None:
            assert isinstance(content, str)
            self.stdout.write(content)
            return
        self._write(output, content)
        self.stdout.write(f"Skrev {output} ({len(result.members)} kommuner og regionen).")

    @staticmethod
    def _read(path: Path | None, flag: str, columns: str, parse: Any) -> Any:
        if path is None:
            raise CommandError(f"Angiv filen med {flag} FIL.csv (kolonnerne {columns}).")
        text = read_text_file(path, utf8_hint="Gem den som CSV (UTF-8).")
        try:
            return parse(text)
        except PaymentInputError as error:
            raise CommandError(
                f"{path}: {len(error.problems)} fejl; intet er beregnet.\n" + "\n".join(error.problems)
            ) from None

    @staticmethod
    def _write(path: Path, content: str | bytes) -> None:
        # Everything is computed before this point, so a bad input never leaves a file behind.
        if not path.parent.is_dir():
            raise CommandError(f"Mappen {path.parent} findes ikke; {path} er ikke skrevet.")
        try:
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content + "\n", encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path} kan ikke skrives ({error.strerror}).") from None
