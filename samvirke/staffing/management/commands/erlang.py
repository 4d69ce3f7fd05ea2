"""samvirke erlang — agents needed in one interval (Erlang C, or Erlang A when callers hang up).

    samvirke erlang --calls N --interval-minutes M --aht-seconds S --target-sl 0.8 --target-seconds T
        [--shrinkage 0.3] [--max-occupancy 0.85] [--patience-seconds P] --format json|table

JSON (the stable contract of docs/cli.md, keys are only ever added): {"raw_agents", "agents", "service_level",
"occupancy", "waiting_probability"} plus "model" ("erlang_c" | "erlang_a"), "intensity" (Erlang),
"asa_seconds" (mean wait of all offered contacts) and "abandonment" (Erlang A; null under Erlang C).
Pure computation: no database.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.core.lib.erlang import StaffingResult, agents_required, agents_required_erlang_a
from samvirke.core.lib.formatting import number_da, percent_da

FORMATS = ("json", "table")
DEFAULT_SHRINKAGE = "0.3"
DEFAULT_MAX_OCCUPANCY = "0.85"
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def parse_number(text: str, what: str, option: str) -> float:
    """A number typed by a user ("0.8" or "0,8"), or a CommandError with a Danish sentence."""
    cleaned = str(text).strip()
    if not _NUMBER.match(cleaned):
        raise CommandError(f"{what} ({option}) skal være et tal som fx 0.8 eller 0,8, ikke '{text}'.")
    return float(cleaned.replace(",", "."))


def to_json_dict(result: StaffingResult, model: str) -> dict[str, Any]:
    return {
        "raw_agents": result.raw_agents,
        "agents": result.agents,
        "service_level": result.service_level,
        "occupancy": result.occupancy,
        "waiting_probability": result.waiting_probability,
        "model": model,
        "intensity": result.intensity,
        "asa_seconds": result.asa_seconds,
        "abandonment": result.abandonment,
    }


def staffing_table(result: StaffingResult, model: str, options: dict[str, float | None]) -> str:
    """The result as Danish text lines, label and value aligned."""
    name = "Erlang A (opgivelser med)" if model == "erlang_a" else "Erlang C"
    rows = [
        ("Model", name),
        ("Belastning", f"{number_da(result.intensity, 2)} Erlang"),
        ("Medarbejdere på telefonen", str(result.raw_agents)),
        (f"Medarbejdere i vagtplanen (shrinkage {percent_da(options['shrinkage'] or 0.0)})", str(result.agents)),
        (f"Serviceniveau (besvaret inden for {options['target_seconds']:g} s)", percent_da(result.service_level)),
        ("Belægning", percent_da(result.occupancy)),
        ("Sandsynlighed for at vente", percent_da(result.waiting_probability)),
        ("Gennemsnitlig ventetid", f"{number_da(result.asa_seconds, 1)} s"),
    ]
    if result.abandonment is not None:
        rows.append(("Andel der lægger på", percent_da(result.abandonment)))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label.ljust(width)}  {value}" for label, value in rows)


class Command(BaseCommand):
    help = (
        "Beregner, hvor mange medarbejdere et interval kræver for at nå et serviceniveau (Erlang C; Erlang A "
        "med --patience-seconds, når borgere lægger på). Beregningen bruger ikke databasen."
    )
    requires_system_checks: list[str] = []  # pure computation; no database, no apps to check

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--calls", metavar="ANTAL", help="Henvendelser i intervallet, fx 100")
        parser.add_argument("--interval-minutes", metavar="MIN", help="Intervallets længde i minutter, fx 30")
        parser.add_argument("--aht-seconds", metavar="SEK", help="Gennemsnitlig behandlingstid (AHT) i sekunder")
        parser.add_argument("--target-sl", metavar="ANDEL", help="Mål for serviceniveau som andel, fx 0.8")
        parser.add_argument("--target-seconds", metavar="SEK", help="Svartidsmålet i sekunder, fx 20")
        parser.add_argument(
            "--shrinkage",
            metavar="ANDEL",
            default=DEFAULT_SHRINKAGE,
            help=f"Andel af vagttiden uden for telefonen (standard {DEFAULT_SHRINKAGE})",
        )
        parser.add_argument(
            "--max-occupancy",
            metavar="ANDEL",
            default=DEFAULT_MAX_OCCUPANCY,
            help=f"Højeste belægning (standard {DEFAULT_MAX_OCCUPANCY})",
        )
        parser.add_argument(
            "--patience-seconds",
            metavar="SEK",
            help="Borgernes gennemsnitlige tålmodighed i sekunder; giver Erlang A med andelen, der lægger på",
        )
        parser.add_argument("--format", dest="output_format", metavar="json|table", help="json eller table")

    def handle(self, *args: Any, **options: Any) -> None:
        output_format: str | None = options["output_format"]
        if output_format is None:
            raise CommandError("Angiv et format med --format json eller table.")
        if output_format not in FORMATS:
            raise CommandError(f"Formatet skal være json eller table, ikke '{output_format}'.")
        required = (
            ("calls", "--calls", "Antal henvendelser"),
            ("interval_minutes", "--interval-minutes", "Intervallets længde"),
            ("aht_seconds", "--aht-seconds", "Behandlingstiden"),
            ("target_sl", "--target-sl", "Målet for serviceniveau"),
            ("target_seconds", "--target-seconds", "Svartidsmålet"),
        )
        missing = [option for key, option, _ in required if options[key] is None]
        if missing:
            raise CommandError(f"Mangler {', '.join(missing)}.")
        values: dict[str, float | None] = {
            key: parse_number(options[key], what, option) for key, option, what in required
        }
        values["shrinkage"] = parse_number(options["shrinkage"], "Shrinkage", "--shrinkage")
        values["max_occupancy"] = parse_number(options["max_occupancy"], "Den maksimale belægning", "--max-occupancy")
        patience = options["patience_seconds"]
        values["patience_seconds"] = (
            None if patience is None else parse_number(patience, "Tålmodigheden", "--patience-seconds")
        )
        result, model = self._compute(values)
        if output_format == "json":
            self.stdout.write(json.dumps(to_json_dict(result, model), ensure_ascii=False, indent=2))
        else:
            self.stdout.write(staffing_table(result, model, values))

    @staticmethod
    def _compute(values: dict[str, Any]) -> tuple[StaffingResult, str]:
        common = {
            "calls": values["calls"],
            "interval_minutes": values["interval_minutes"],
            "aht_seconds": values["aht_seconds"],
            "target_service_level": values["target_sl"],
            "target_seconds": values["target_seconds"],
            "shrinkage": values["shrinkage"],
            "max_occupancy": values["max_occupancy"],
        }
        try:
            if values["patience_seconds"] is None:
                return agents_required(**common), "erlang_c"
            return agents_required_erlang_a(**common, patience_seconds=values["patience_seconds"]), "erlang_a"
        except ValueError as error:
            raise CommandError(str(error)) from None
