"""samvirke business-case FILE.json --format json|table — a business case's derived rows, payback period
and the differences between its printed totals and the computed ones (docs/models/business-case.md, seed 004).

samvirke business-case --overview OVERVIEW.json CASE1.json CASE2.json … — a portfolio overview reconciled
against its business cases (each proposal's net and investment row against its case rounded to 100, and
the overview's own sums).

Pure computation: reads the files, never the database.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.core.cli import aligned_table, read_text_file
from samvirke.core.lib.bounded_json import JsonInputError, load_bounded_json
from samvirke.core.lib.formatting import exact_da, thousands
from samvirke.economy.lib.business_case import (
    DERIVED_ROWS,
    KIND_DA,
    PAYBACK_CAP_YEARS,
    ROW_NAMES_DA,
    BusinessCase,
    BusinessCaseInputError,
    CaseResult,
    Number,
    PortfolioOverview,
    PortfolioReconciliation,
    compute_case,
    parse_case,
    parse_overview,
    reconcile_portfolio,
    reconciliation_to_json_dict,
    renamed_proposals,
    to_json_dict,
)

FORMATS = ("json", "table")
JSON_ERRORS_DA = {
    "Expecting ',' delimiter": "der mangler et komma",
    "Expecting ':' delimiter": "der mangler et kolon",
    "Expecting value": "der mangler en værdi",
    "Expecting property name enclosed in double quotes": "et feltnavn skal stå i dobbelte anførselstegn",
    "Unterminated string starting at": "en tekst mangler sit afsluttende anførselstegn",
    "Invalid control character at": "ugyldigt kontroltegn i en tekst",
    "Extra data": "der står mere efter JSON-objektet",
}


def da_amount(value: Number | None) -> str:
    """An amount in 1,000 kr. Danish style: -1575 → '-1.575', Decimal('12.5') → '12,5', None → '–'."""
    if value is None:
        return "–"
    return thousands(value) if isinstance(value, int) else exact_da(value)


def case_table(result: CaseResult) -> str:
    """A business case as aligned Danish text: Tabel 1's lines and derived rows, payback, discrepancies."""
    case = result.case
    years = [str(year) for year in case.years]
    header = ["", "Styringsområde", *years]
    body: list[list[str] | None] = []  # None = a rule

    def add_lines(block: str) -> None:
        for line in case.lines:
            if line.block == block:
                marked = line.excluded_from_payback and not line.label.endswith("*")
                label = f"  {line.label}" + (" *" if marked else "")
                body.append([label, line.area, *(da_amount(value) for value in line.values)])

    body.append(["Varige ændringer", "", *([""] * len(years))])
    add_lines("varig")
    body.append([ROW_NAMES_DA["varig"], "", *(da_amount(value) for value in result.varig)])
    body.append(None)
    body.append(["Implementeringsomkostninger", "", *([""] * len(years))])
    add_lines("implementering")
    body.append([ROW_NAMES_DA["implementering"], "", *(da_amount(value) for value in result.implementering)])
    body.append(None)
    body.append([ROW_NAMES_DA["impact"], "", *(da_amount(value) for value in result.impact)])

    lines = [case.title, "Beløb i 1.000 kr. (negativ = besparelse/effektivisering, positiv = udgift)", ""]
    lines += aligned_table([header, None, *body], left=2)
    if any(line.excluded_from_payback for line in case.lines):
        lines.append("* Indgår ikke i den samlede økonomiske påvirkning og tilbagebetalingstiden.")
    lines.append("")
    if result.payback_years is None:
        lines.append(f"Tilbagebetalingstid: ikke inden for {PAYBACK_CAP_YEARS} år.")
    else:
        note = ""
        if result.payback_years > len(case.years):
            last = case.years[-1]
            note = f" (efter {last} regnes hvert år med påvirkningen i {last})"
        lines.append(f"Tilbagebetalingstid: {result.payback_years} år{note}.")
    if not case.has_printed_totals:
        lines.append("Afvigelser: ingen trykte totaler at sammenligne med.")
    elif not result.discrepancies:
        checked = ", ".join(
            [ROW_NAMES_DA[row] for row in DERIVED_ROWS if row in case.printed]
            + [f"I alt: {total.label}" for total in case.row_totals]
        )
        lines.append(f"Afvigelser: ingen. De trykte totaler stemmer med de beregnede ({checked}).")
    else:
        errors = sum(1 for item in result.discrepancies if item.kind == "error")
        lines.append(
            f"Afvigelser mellem trykte og beregnede totaler: {len(result.discrepancies)} "
            f"({errors} fejl, {len(result.discrepancies) - errors} afrunding):"
        )
        for item in result.discrepancies:
            where = item.row_name_da if item.year is None else f"{item.row_name_da} {item.year}"
            lines.append(
                f"  {where}: trykt {da_amount(item.printed)}, "
                f"beregnet {da_amount(item.computed)} (trykt − beregnet: {da_amount(item.difference)}; "
                f"{KIND_DA[item.kind]})"
            )
    return "\n".join(lines)


OVERVIEW_ROWS_DA = {"net": "Netto", "investment": "Investering"}


def overview_table(
    overview: PortfolioOverview, cases: list[BusinessCase], reconciliation: PortfolioReconciliation
) -> str:
    """A portfolio reconciliation as aligned Danish text: the overview's figures that differ from the cases
    (rounded to 100), the overview's sums that do not add up, and cases no proposal names."""
    years = overview.years
    proposals = sum(len(area.proposals) for area in overview.areas)
    lines = [
        f"Porteføljeoversigten afstemt mod {len(cases)} business case{'s' if len(cases) != 1 else ''} "
        f"({years[0]}–{years[-1]}, {proposals} forslag).",
        "Beløb i 1.000 kr. Oversigten er afrundet til 100; casens tal afrundes til 100 (halvt væk fra nul), "
        "og et kortere forløb fortsætter med sit sidste år.",
        "Netto = casens samlede varige ændring; investering = casens samlede implementeringsomkostninger.",
        "",
    ]
    differences = reconciliation.proposal_differences
    if not differences:
        lines.append("Forslagene: oversigten stemmer med casene.")
    else:
        lines.append(f"Forskelle mellem oversigten og casene: {len(differences)}")
        rows = [["Område", "Forslag", "Række", "År", "Oversigt", "Casen", "Afrundet", "Forskel"]]
        rows += [
            [
                item.area,
                item.proposal,
                OVERVIEW_ROWS_DA[item.row],
                str(item.year),
                da_amount(item.overview),
                da_amount(item.case_value),
                da_amount(item.case_rounded),
                da_amount(item.difference),
            ]
            for item in differences
        ]
        lines += aligned_table([rows[0], None, *rows[1:]], left=3)
    lines.append("")
    sums = reconciliation.sum_differences
    if not sums:
        lines.append("Oversigtens egne summer (Nettoeffektivisering, Investeringsbehov, I alt): de stemmer.")
    else:
        lines.append(f"Oversigtens egne summer, der ikke stemmer: {len(sums)}")
        rows = [["Område", "Sum", "År", "Trykt", "Summen", "Forskel"]]
        rows += [
            [
                item.area or "I alt",
                item.row,
                str(item.year),
                da_amount(item.printed),
                da_amount(item.computed),
                da_amount(item.printed - item.computed),
            ]
            for item in sums
        ]
        lines += aligned_table([rows[0], None, *rows[1:]], left=2)
    renamed = renamed_proposals(overview)
    if renamed:
        lines.append("")
        lines.append("Forslag, som oversigten kalder noget andet end casen:")
        lines += [f"  {item['proposal']} = {item['case_title']}" for item in renamed]
    if reconciliation.cases_not_in_overview:
        lines.append("")
        lines.append("Business cases, som oversigten ikke nævner: " + "; ".join(reconciliation.cases_not_in_overview))
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Beregner en business cases afledte rækker (samlet varig ændring, samlede implementeringsomkostninger, "
        "samlet økonomisk påvirkning), tilbagebetalingstiden og forskellene mellem trykte og beregnede totaler. "
        "FIL.json har felterne title, years, lines og evt. printed. Med --overview OVERSIGT.json afstemmes en "
        "porteføljeoversigt mod de angivne cases. Beløb i 1.000 kr."
    )
    requires_system_checks: list[str] = []  # pure computation; no database, no apps to check

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "files",
            type=Path,
            nargs="+",
            metavar="FIL.json",
            help="Business casen som JSON-fil (UTF-8); med --overview: alle porteføljens cases",
        )
        parser.add_argument("--format", dest="output_format", metavar="json|table", help="json eller table")
        parser.add_argument(
            "--overview",
            type=Path,
            metavar="OVERSIGT.json",
            help="Afstem en porteføljeoversigt (years, areas med proposals, net_total, investment_total) mod casene",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        output_format: str | None = options["output_format"]
        if output_format is None:
            raise CommandError("Angiv et format med --format json eller table.")
        if output_format not in FORMATS:
            raise CommandError(f"Formatet skal være json eller table, ikke '{output_format}'.")
        files: list[Path] = options["files"]
        overview_path: Path | None = options["overview"]
        if overview_path is not None:
            self._reconcile(overview_path, files, output_format)
            return
        if len(files) != 1:
            raise CommandError(
                "Angiv én business case ad gangen, eller afstem flere mod en oversigt med --overview OVERSIGT.json."
            )
        path = files[0]
        data = self._read_json(path)
        try:
            result = compute_case(parse_case(data))
        except BusinessCaseInputError as error:
            raise CommandError(f"{path}: {error}") from None
        if output_format == "json":
            self.stdout.write(json.dumps(to_json_dict(result), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(case_table(result))

    def _reconcile(self, overview_path: Path, files: list[Path], output_format: str) -> None:
        cases = []
        for path in files:
            try:
                cases.append(parse_case(self._read_json(path)))
            except BusinessCaseInputError as error:
                raise CommandError(f"{path}: {error}") from None
        try:
            overview = parse_overview(self._read_json(overview_path))
            reconciliation = reconcile_portfolio(overview, cases)
        except BusinessCaseInputError as error:
            raise CommandError(f"{overview_path}: {error}") from None
        if output_format == "json":
            data = {
                "years": list(overview.years),
                "cases": [case.title for case in cases],
                **reconciliation_to_json_dict(reconciliation),
                "renamed_proposals": renamed_proposals(overview),
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(overview_table(overview, cases, reconciliation))

    @staticmethod
    def _read_json(path: Path) -> Any:
        text = read_text_file(path)
        try:
            return load_bounded_json(text, parse_float=Decimal)
        except JsonInputError as error:
            raise CommandError(f"{path}: {error}") from None
        except json.JSONDecodeError as error:
            raise CommandError(
                f"{path}: ikke gyldig JSON i linje {error.lineno}, kolonne {error.colno}: "
                f"{JSON_ERRORS_DA.get(error.msg, error.msg)}."
            ) from None
