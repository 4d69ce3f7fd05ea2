"""samvirke hotline-economy — the members' operations fees and shift hours (docs/models/hotline-economy.md).

    samvirke hotline-economy --members FILE.csv (--price-per-citizen P | --budget B) [--hours-per-1000 8]
        [--weeks 48] [--band 0.7 1.3] [--hourly-rate 343] --format json|table|xlsx [--output F]
        [--compare-price P2]

Pure computation: reads the CSV, never the database. On bad input nothing is written.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.core.cli import aligned_table, read_text_file
from samvirke.core.lib.formatting import exact_da, number_da, thousands
from samvirke.economy.exports import economy_workbook
from samvirke.economy.lib.fees import (
    DEFAULT_BAND,
    DEFAULT_HOURLY_RATE,
    DEFAULT_HOURS_PER_1000,
    DEFAULT_WEEKS,
    EconomyInputError,
    EconomyParams,
    EconomyResult,
    Member,
    ScenarioComparison,
    compare_scenarios,
    comparison_to_json_dict,
    compute_economy,
    parse_decimal,
    parse_members_csv,
    to_json_dict,
)

FORMATS = ("json", "table", "xlsx")


# --- Danish number formatting (samvirke.core.lib.formatting) ------------------------------------------


def da_money(value: Decimal) -> str:
    """Kroner with two decimals, Danish style: Decimal('1064835') → '1.064.835,00'."""
    return number_da(value, 2, grouped=True)


def da_decimal(value: Decimal, min_places: int = 0) -> str:
    """A decimal as given, at least `min_places` decimals, no trailing zeros beyond: 1.7375 → '1,7375'."""
    return exact_da(value.normalize(), min_places)


# --- tables ---------------------------------------------------------------------------------------


def _aligned(header: list[str], rows: list[list[str]], left: int) -> list[str]:
    # The last row is the total, set off by a rule.
    return aligned_table([header, None, *rows[:-1], None, rows[-1]], left)


def _settings_lines(result: EconomyResult) -> list[str]:
    params = result.params
    if params.budget is not None:
        price_line = (
            f"Budget: {da_money(params.budget)} kr. fordelt efter indbyggertal "
            f"(svarer til en pris pr. borger på {da_decimal(result.price_per_citizen, 2)} kr.)"
        )
    else:
        price_line = f"Pris pr. borger: {da_decimal(result.price_per_citizen, 2)} kr."
    return [
        price_line,
        f"Timepris: {da_money(params.hourly_rate)} kr. pr. time · "
        f"{da_decimal(params.hours_per_1000)} timer pr. 1.000 indbyggere pr. år · "
        f"{params.weeks} arbejdsuger · bånd {da_decimal(params.band[0])}–{da_decimal(params.band[1])} "
        "× timer pr. uge",
    ]


def economy_table(result: EconomyResult) -> str:
    """The economy as an aligned Danish text table with a totals row and the settings used."""
    header = ["Kommune", "Kode", "Indbyggere", "Bidrag (kr.)", "Timer/år", "Timer/uge", "Bånd", "Værdi (kr.)"]
    rows = [
        [
            row.name,
            str(row.kommunekode),
            thousands(row.population),
            da_money(row.fee),
            thousands(row.hours_per_year),
            thousands(row.hours_per_week),
            f"{row.band_min}–{row.band_max}",
            da_money(row.hours_value),
        ]
        for row in result.rows
    ]
    total = result.total
    rows.append(
        [
            "I alt",
            "",
            thousands(total.population),
            da_money(total.fee),
            thousands(total.hours_per_year),
            thousands(total.hours_per_week),
            "",
            da_money(total.hours_value),
        ]
    )
    lines = [f"Hotlinens økonomi for {len(result.rows)} medlemskommuner", *_settings_lines(result), ""]
    lines += _aligned(header, rows, left=2)
    notes = []
    if total.fee != total.fee_sum_of_rows:
        notes.append(f"bidragene summer til {da_money(total.fee_sum_of_rows)} kr.")
    if total.hours_per_year != total.hours_per_year_sum_of_rows:
        notes.append(f"timerne pr. år summer til {thousands(total.hours_per_year_sum_of_rows)}")
    rounded_weekly_sum = sum(row.hours_per_week for row in result.rows)
    if total.hours_per_week != rounded_weekly_sum:
        notes.append(f"timerne pr. uge summer til {thousands(rounded_weekly_sum)}")
    lines.append("")
    lines.append("I alt-rækken er beregnet ud fra det samlede indbyggertal, ikke som summen af de afrundede rækker.")
    if notes:
        lines.append("Rækkerne: " + "; ".join(notes) + ".")
    return "\n".join(lines)


def comparison_table(a: EconomyResult, b: EconomyResult, comparison: ScenarioComparison) -> str:
    """Two scenarios side by side as an aligned Danish text table (fees; b − a)."""
    header = ["Kommune", "Kode", "Bidrag A (kr.)", "Bidrag B (kr.)", "Forskel B − A (kr.)"]
    rows = [
        [
            row.name,
            "" if row.kommunekode is None else str(row.kommunekode),
            "" if row.fee_a is None else da_money(row.fee_a),
            "" if row.fee_b is None else da_money(row.fee_b),
            da_money(row.fee_difference),
        ]
        for row in (*comparison.rows, comparison.total)
    ]
    rows[-1][1] = ""
    lines = ["To scenarier side om side", ""]
    lines += ["Scenarie A:", *("  " + line for line in _settings_lines(a))]
    lines += ["Scenarie B:", *("  " + line for line in _settings_lines(b)), ""]
    lines += _aligned(header, rows, left=2)
    lines += [
        "",
        f"Vagttimer pr. år i alt: A {thousands(a.total.hours_per_year)}, B {thousands(b.total.hours_per_year)}.",
    ]
    return "\n".join(lines)


# --- the command ----------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Beregner medlemskommunernes driftsbidrag (efter indbyggertal) og vagttimer for hotline-fællesskabet. "
        "Medlemsfilen er en CSV-fil med kolonnerne name,kommunekode,population. Angiv enten en pris pr. borger "
        "eller et samlet budget. Ved fejl i input skrives intet."
    )
    requires_system_checks: list[str] = []  # pure computation; no database, no apps to check

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--members", type=Path, metavar="FIL.csv", help="CSV-fil med kolonnerne name,kommunekode,population (UTF-8)"
        )
        parser.add_argument("--price-per-citizen", metavar="KR", help="Pris pr. borger pr. år i kr., fx 1.25")
        parser.add_argument(
            "--budget", metavar="KR", help="Samlet budget pr. år i kr.; fordeles efter indbyggertal til øre"
        )
        parser.add_argument(
            "--hours-per-1000",
            metavar="TIMER",
            default=str(DEFAULT_HOURS_PER_1000),
            help="Vagttimer pr. 1.000 indbyggere pr. år",
        )
        parser.add_argument(
            "--weeks", metavar="UGER", default=str(DEFAULT_WEEKS), help="Arbejdsuger pr. år (standard 48)"
        )
        parser.add_argument(
            "--band",
            nargs=2,
            metavar=("MIN", "MAX"),
            default=[str(DEFAULT_BAND[0]), str(DEFAULT_BAND[1])],
            help="Ugebåndets faktorer (standard 0.7 1.3)",
        )
        parser.add_argument(
            "--hourly-rate", metavar="KR", default=str(DEFAULT_HOURLY_RATE), help="Timepris i kr. (standard 343)"
        )
        parser.add_argument("--format", dest="output_format", metavar="json|table|xlsx", help="json, table eller xlsx")
        parser.add_argument(
            "--output", type=Path, metavar="FIL", help="Skriv resultatet til denne fil (krævet ved xlsx)"
        )
        parser.add_argument(
            "--compare-price",
            metavar="KR",
            help="Et scenarie B med denne pris pr. borger og de samme medlemmer, vist ved siden af (json eller table)",
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
        if options["compare_price"] is not None and output_format == "xlsx":
            raise CommandError("--compare-price kan kun bruges med --format json eller table.")
        if options["price_per_citizen"] is None and options["budget"] is None:
            raise CommandError("Angiv enten en pris pr. borger (--price-per-citizen) eller et budget (--budget).")
        if options["price_per_citizen"] is not None and options["budget"] is not None:
            raise CommandError("Angiv enten --price-per-citizen eller --budget, ikke begge.")

        members = self._read_members(options["members"])
        result_b: EconomyResult | None = None
        try:
            params = self._params(options, price=options["price_per_citizen"], budget=options["budget"])
            result = compute_economy(members, params)
        except EconomyInputError as error:
            raise CommandError(self._problems(error)) from None
        if options["compare_price"] is not None:
            try:
                result_b = compute_economy(members, self._params(options, price=options["compare_price"], budget=None))
            except EconomyInputError as error:
                raise CommandError(f"Scenarie B (--compare-price): {self._problems(error)}") from None

        content: str | bytes
        if result_b is not None:
            comparison = compare_scenarios(result, result_b)
            if output_format == "json":
                content = _json_text(
                    {
                        "a": to_json_dict(result),
                        "b": to_json_dict(result_b),
                        "comparison": comparison_to_json_dict(comparison),
                    }
                )
            else:
                content = comparison_table(result, result_b, comparison)
        elif output_format == "json":
            content = _json_text(to_json_dict(result))
        elif output_format == "table":
            content = economy_table(result)
        else:
            title = f"Hotlinens økonomi, {len(members)} medlemskommuner"
            content = economy_workbook(result, title)

        if output is None:
            assert isinstance(content, str)
            self.stdout.write(content)
            return
        self._write(output, content)
        self.stdout.write(f"Skrev {output} ({len(members)} kommuner).")

    @staticmethod
    def _problems(error: EconomyInputError) -> str:
        return "\n".join(error.problems)

    def _read_members(self, path: Path | None) -> list[Member]:
        if path is None:
            raise CommandError("Angiv medlemsfilen med --members FIL.csv (kolonnerne name,kommunekode,population).")
        text = read_text_file(path, utf8_hint="Gem den som CSV (UTF-8).")
        try:
            return parse_members_csv(text)
        except EconomyInputError as error:
            raise CommandError(
                f"{path}: {len(error.problems)} fejl; intet er beregnet.\n{self._problems(error)}"
            ) from None

    @staticmethod
    def _params(options: dict[str, Any], price: str | None, budget: str | None) -> EconomyParams:
        weeks_text = str(options["weeks"]).strip()
        if not weeks_text.lstrip("-").isdigit():
            raise EconomyInputError(f"Antal arbejdsuger (--weeks) skal være et helt tal, ikke '{options['weeks']}'.")
        band_min, band_max = options["band"]
        return EconomyParams(
            price_per_citizen=None if price is None else parse_decimal(price, "Prisen pr. borger"),
            budget=None if budget is None else parse_decimal(budget, "Budgettet"),
            hours_per_1000=parse_decimal(str(options["hours_per_1000"]), "Timer pr. 1.000 indbyggere"),
            weeks=int(weeks_text),
            band=(
                parse_decimal(str(band_min), "Båndets nedre faktor"),
                parse_decimal(str(band_max), "Båndets øvre faktor"),
            ),
            hourly_rate=parse_decimal(str(options["hourly_rate"]), "Timeprisen"),
        )

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


def _json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
