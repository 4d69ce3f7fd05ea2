"""samvirke telecare-volumes — a landsdel's telecare volumes per month and the staffing they need.

    samvirke telecare-volumes (--citizens N1,N2,… | --landsdel hovedstaden|sjaelland|…) [--doubled]
        [--calls-per-citizen-month 0.083] [--trips-per-citizen-month 0.04]
        [--staffing [--opening-hours-per-month 168] [--aht-seconds 180] [--target-sl 0.8] [--target-seconds 60]
                    [--working-days-per-month 21]]
        --format json|table
    samvirke telecare-volumes --seed-anomalies --format json|table

JSON (the stable contract of docs/cli.md; keys are only ever added): {"years": [{"year", "citizens",
"new_per_month", "calls_per_month", "trips_per_month"}]}, and "staffing" only with --staffing. The model:
docs/models/telecare.md (seed 003, Bilag B). Pure computation: no database.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from samvirke.core.cli import aligned_table
from samvirke.core.lib.formatting import exact_da, number_da, percent_da, thousands
from samvirke.telecare.lib.seed_volumes import Anomaly, seed_anomalies, seed_series, series_info
from samvirke.telecare.lib.support_staffing import (
    DEFAULT_AHT_SECONDS,
    DEFAULT_OPENING_HOURS_PER_MONTH,
    DEFAULT_TARGET_SECONDS,
    DEFAULT_TARGET_SERVICE_LEVEL,
    DEFAULT_WORKING_DAYS_PER_MONTH,
    StaffingParams,
    SupportStaffing,
    logistics_visits_per_working_day,
    support_staffing,
)
from samvirke.telecare.lib.volumes import (
    DEFAULT_CALLS_PER_CITIZEN_MONTH,
    DEFAULT_TRIPS_PER_CITIZEN_MONTH,
    VolumeInputError,
    VolumeRates,
    YearVolume,
    doubled_volumes,
    parse_citizens,
    parse_rate,
    year_volumes,
)

FORMATS = ("json", "table")
QUANTITY_DA = {
    "citizens": "borgere",
    "new_per_month": "nye borgere pr. md.",
    "calls_per_month": "supportkald pr. md.",
    "trips_per_month": "udkørsler pr. md.",
}


# --- JSON ----------------------------------------------------------------------------------------------------------


def volumes_json(volumes: list[YearVolume]) -> list[dict[str, int]]:
    return [
        {
            "year": v.year,
            "citizens": v.citizens,
            "new_per_month": v.new_per_month,
            "calls_per_month": v.calls_per_month,
            "trips_per_month": v.trips_per_month,
        }
        for v in volumes
    ]


def staffing_json(
    volumes: list[YearVolume], staffing: list[SupportStaffing], visits: list[Decimal], params: StaffingParams
) -> dict[str, Any]:
    return {
        "parameters": {
            "opening_hours_per_month": str(params.opening_hours_per_month),
            "aht_seconds": params.aht_seconds,
            "target_service_level": str(params.target_service_level),
            "target_seconds": params.target_seconds,
            "working_days_per_month": params.working_days_per_month,
        },
        "years": [
            {
                "year": s.year,
                "calls_per_opening_hour": str(s.calls_per_opening_hour),
                "intensity": s.intensity,
                "support_agents": s.agents,
                "service_level": s.service_level,
                "occupancy": s.occupancy,
                "trips_per_month": v.trips_per_month,
                "logistics_visits_per_working_day": str(visit),
            }
            for v, s, visit in zip(volumes, staffing, visits, strict=True)
        ],
    }


def anomalies_json(anomalies: list[Anomaly]) -> dict[str, Any]:
    return {"anomalies": [asdict(a) for a in anomalies]}


# --- tables --------------------------------------------------------------------------------------------------------


def volumes_table(volumes: list[YearVolume], title: str, rates: VolumeRates) -> list[str]:
    header = ["År", "Måneder", "Borgere", "Nye pr. md.", "Supportkald pr. md.", "Udkørsler pr. md."]
    rows = [
        [
            str(v.year),
            f"+{12 * v.year}",
            thousands(v.citizens),
            thousands(v.new_per_month),
            thousands(v.calls_per_month),
            thousands(v.trips_per_month),
        ]
        for v in volumes
    ]
    return [
        title,
        f"Supportkald pr. borger pr. måned: {exact_da(rates.calls_per_citizen_month)} · "
        f"udkørsler pr. borger pr. måned: {exact_da(rates.trips_per_citizen_month)} · afrundet halvt op",
        "",
        *aligned_table([header, None, *rows], left=1),
    ]


def staffing_table(staffing: list[SupportStaffing], visits: list[Decimal], params: StaffingParams) -> list[str]:
    header = ["År", "Kald pr. åbningstime", "Belastning (Erlang)", "Agenter", "Serviceniveau", "Belægning"]
    header += ["Besøg pr. arbejdsdag"]
    rows = [
        [
            str(s.year),
            exact_da(s.calls_per_opening_hour),
            number_da(s.intensity, 2),
            str(s.agents),
            percent_da(s.service_level),
            percent_da(s.occupancy),
            exact_da(visit),
        ]
        for s, visit in zip(staffing, visits, strict=True)
    ]
    return [
        "Bemanding (support: Erlang C, kaldene jævnt fordelt over åbningstiden; logistik: udkørsler pr. arbejdsdag)",
        f"Åbningstid {exact_da(Decimal(params.opening_hours_per_month))} timer pr. måned · behandlingstid "
        f"{params.aht_seconds} s · mål {percent_da(params.target_service_level, 0)} besvaret inden for "
        f"{params.target_seconds} s · {params.working_days_per_month} arbejdsdage pr. måned",
        "",
        *aligned_table([header, None, *rows], left=1),
    ]


def anomalies_table(anomalies: list[Anomaly]) -> str:
    lines = [
        "Trykte celler i seed 003, som modellen ikke genskaber ud fra antal borgere alene",
        "",
    ]
    if not anomalies:
        return "\n".join([*lines, "Ingen."])
    names = {key: info.name for key, info in series_info().items()}
    header = ["Kilde", "Række", "Størrelse", "År", "Trykt", "Beregnet", "Genskabes med"]
    rows = [
        [
            a.label,
            names.get(a.series, a.series) + (" (fordoblet)" if a.scenario == "doubled" else ""),
            QUANTITY_DA.get(a.quantity, a.quantity),
            str(a.year),
            thousands(a.printed),
            thousands(a.computed),
            thousands(a.alternative),
        ]
        for a in anomalies
    ]
    explanations = sorted({a.explanation for a in anomalies})
    return "\n".join(
        [*lines, *aligned_table([header, None, *rows], left=3), "", *(f"Forklaring: {e}." for e in explanations)]
    )


# --- the command ---------------------------------------------------------------------------------------------------


class Command(BaseCommand):
    help = (
        "Beregner telemedicinens volumen pr. måned (nye borgere, supportkald, udkørsler) år for år ud fra antal "
        "borgere i forløb (seed 003, bilag B), og med --staffing den bemanding, det kræver. Beregningen bruger "
        "ikke databasen."
    )
    requires_system_checks: list[str] = []  # pure computation; no database, no apps to check

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--citizens", metavar="N1,N2,…", help="Antal borgere i forløb ved udgangen af hvert år, fx 310,1420,2580"
        )
        parser.add_argument(
            "--landsdel",
            metavar="NAVN",
            help="Brug seedets række i stedet for --citizens: " + ", ".join(seed_series()),
        )
        parser.add_argument("--doubled", action="store_true", help="Fordoblet målgruppe (seed 003, tabel 3, 6 og 9)")
        parser.add_argument(
            "--calls-per-citizen-month",
            metavar="RATE",
            default=str(DEFAULT_CALLS_PER_CITIZEN_MONTH),
            help=f"Supportkald pr. borger pr. måned (standard {DEFAULT_CALLS_PER_CITIZEN_MONTH})",
        )
        parser.add_argument(
            "--trips-per-citizen-month",
            metavar="RATE",
            default=str(DEFAULT_TRIPS_PER_CITIZEN_MONTH),
            help=f"Udkørsler til udskiftning og nedtagning pr. borger pr. måned (standard "
            f"{DEFAULT_TRIPS_PER_CITIZEN_MONTH})",
        )
        parser.add_argument("--staffing", action="store_true", help="Vis også bemandingen (support og logistik)")
        parser.add_argument(
            "--opening-hours-per-month",
            metavar="TIMER",
            default=str(DEFAULT_OPENING_HOURS_PER_MONTH),
            help=f"Supportens åbningstimer pr. måned (standard {DEFAULT_OPENING_HOURS_PER_MONTH}: 8 timer × 21 dage)",
        )
        parser.add_argument(
            "--aht-seconds",
            metavar="SEK",
            default=str(DEFAULT_AHT_SECONDS),
            help=f"Gennemsnitlig behandlingstid pr. kald (standard {DEFAULT_AHT_SECONDS})",
        )
        parser.add_argument(
            "--target-sl",
            metavar="ANDEL",
            default=str(DEFAULT_TARGET_SERVICE_LEVEL),
            help=f"Servicemål som andel (standard {DEFAULT_TARGET_SERVICE_LEVEL})",
        )
        parser.add_argument(
            "--target-seconds",
            metavar="SEK",
            default=str(DEFAULT_TARGET_SECONDS),
            help=f"Svartidsmålet i sekunder (standard {DEFAULT_TARGET_SECONDS})",
        )
        parser.add_argument(
            "--working-days-per-month",
            metavar="DAGE",
            default=str(DEFAULT_WORKING_DAYS_PER_MONTH),
            help=f"Arbejdsdage pr. måned for logistikken (standard {DEFAULT_WORKING_DAYS_PER_MONTH})",
        )
        parser.add_argument(
            "--seed-anomalies",
            action="store_true",
            help="Vis de trykte celler i seed 003, som modellen ikke genskaber (alene; uden --citizens)",
        )
        parser.add_argument("--format", dest="output_format", metavar="json|table", help="json eller table")

    def handle(self, *args: Any, **options: Any) -> None:
        output_format: str | None = options["output_format"]
        if output_format is None:
            raise CommandError("Angiv et format med --format json eller table.")
        if output_format not in FORMATS:
            raise CommandError(f"Formatet skal være json eller table, ikke '{output_format}'.")
        if options["seed_anomalies"]:
            if options["citizens"] is not None or options["landsdel"] is not None or options["staffing"]:
                raise CommandError("--seed-anomalies bruges alene (uden --citizens, --landsdel og --staffing).")
            anomalies = seed_anomalies()
            if output_format == "json":
                self.stdout.write(_json_text(anomalies_json(anomalies)))
            else:
                self.stdout.write(anomalies_table(anomalies))
            return

        try:
            citizens, name = self._citizens(options)
            rates = VolumeRates(
                calls_per_citizen_month=parse_rate(
                    options["calls_per_citizen_month"], "Supportkald pr. borger pr. måned (--calls-per-citizen-month)"
                ),
                trips_per_citizen_month=parse_rate(
                    options["trips_per_citizen_month"], "Udkørsler pr. borger pr. måned (--trips-per-citizen-month)"
                ),
            )
            volumes = doubled_volumes(citizens, rates) if options["doubled"] else year_volumes(citizens, rates)
            params = self._staffing_params(options) if options["staffing"] else None
        except VolumeInputError as error:
            raise CommandError(str(error)) from None

        staffing = [] if params is None else [support_staffing(v, params) for v in volumes]
        visits = (
            []
            if params is None
            else [logistics_visits_per_working_day(v, params.working_days_per_month) for v in volumes]
        )
        if output_format == "json":
            data: dict[str, Any] = {"years": volumes_json(volumes)}
            if params is not None:
                data["staffing"] = staffing_json(volumes, staffing, visits, params)
            self.stdout.write(_json_text(data))
            return
        title = "Telemedicin: volumen pr. måned" + (f", {name}" if name else "")
        if options["doubled"]:
            title += " – fordoblet målgruppe"
        lines = volumes_table(volumes, title, rates)
        if params is not None:
            lines += ["", *staffing_table(staffing, visits, params)]
        self.stdout.write("\n".join(lines))

    @staticmethod
    def _citizens(options: dict[str, Any]) -> tuple[list[int], str]:
        text, landsdel = options["citizens"], options["landsdel"]
        if text is not None and landsdel is not None:
            raise VolumeInputError("Angiv enten --citizens eller --landsdel, ikke begge.")
        if landsdel is not None:
            info = series_info()
            key = landsdel.strip().lower().replace("æ", "ae")
            if key not in info:
                raise VolumeInputError(f"Ukendt landsdel '{landsdel}'; vælg en af {', '.join(info)}.")
            return list(info[key].citizens), info[key].name
        if text is None:
            raise VolumeInputError("Angiv antal borgere med --citizens N1,N2,… (ét tal pr. år) eller --landsdel.")
        return parse_citizens(text), ""

    @staticmethod
    def _staffing_params(options: dict[str, Any]) -> StaffingParams:
        return StaffingParams(
            opening_hours_per_month=parse_rate_like(
                options["opening_hours_per_month"], "Åbningstiden pr. måned (--opening-hours-per-month)"
            ),
            aht_seconds=parse_whole(options["aht_seconds"], "Behandlingstiden (--aht-seconds)"),
            target_service_level=parse_rate_like(options["target_sl"], "Servicemålet (--target-sl)"),
            target_seconds=parse_whole(options["target_seconds"], "Svartidsmålet (--target-seconds)"),
            working_days_per_month=parse_whole(
                options["working_days_per_month"], "Arbejdsdage pr. måned (--working-days-per-month)"
            ),
        )


def parse_whole(text: str, what: str) -> int:
    cleaned = str(text).strip()
    digits = cleaned[1:] if cleaned.startswith("-") else cleaned
    if not digits.isascii() or not digits.isdigit():
        raise VolumeInputError(f"{what} skal være et helt tal, ikke '{text}'.")
    return int(cleaned)


def parse_rate_like(text: str, what: str) -> Decimal:
    """A non-negative decimal ('168', '0.8' or '0,8') as an exact Decimal; the range is checked by the caller."""
    cleaned = str(text).strip().replace(",", ".")
    whole, _, fraction = cleaned.partition(".")
    if not whole or not (whole + fraction).isascii() or not (whole + fraction).isdigit():
        raise VolumeInputError(f"{what} skal være et tal som fx 0.8 eller 0,8, ikke '{text}'.")
    return Decimal(cleaned)


def _json_text(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
