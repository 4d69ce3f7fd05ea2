"""samvirke forecast — the contacts forecast for one week, as the rota builder makes it, and its held-out error.

    samvirke forecast [--week YYYY-MM-DD] [--calls-per-year N] [--today YYYY-MM-DD] --format json|table

The week is the ISO week of --week (default: next week). The forecast comes from the contact history before
min(the week, today) when there are two weeks of it, else from --calls-per-year (default: 266,000 calls a year ×
the fællesskab's share of the population), within the default queue's opening hours.

JSON (keys are only ever added): {"week_start", "source", "total", "history_end": str|null,
"days": [{"date", "weekday", "total", "peak_time": str|null, "peak"}],
"intervals": [{"date", "time", "contacts"}] (the week's half-hours with a forecast above zero),
"holdout": {"holdout_weeks", "wape_interval", "wape_day", "bias"}|null}. Contacts are floats rounded to two
decimals; error ratios are shares (0.12 = 12 %).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from samvirke.core.lib.formatting import number_da, percent_da
from samvirke.directory.selectors import the_fellesskab
from samvirke.staffing.builder import (
    StaffingError,
    WeekForecast,
    active_members,
    forecast_week,
    opening_intervals,
    population_share,
)
from samvirke.staffing.lib.planning import monday_of

FORMATS = ("json", "table")
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def _date(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{option} skal være en dato som 2026-11-30, ikke '{text}'.") from None


def to_json_dict(week: WeekForecast) -> dict[str, Any]:
    counts = week.forecast.counts
    days = []
    intervals = []
    for index in range(counts.shape[0]):
        day = week.week_start + dt.timedelta(days=index)
        row = counts[index]
        peak_slot = int(row.argmax())
        days.append(
            {
                "date": day.isoformat(),
                "weekday": WEEKDAYS[day.weekday()],
                "total": round(float(row.sum()), 2),
                "peak_time": f"{peak_slot // 2:02d}:{(peak_slot % 2) * 30:02d}" if row.sum() > 0 else None,
                "peak": round(float(row.max()), 2),
            }
        )
        for slot in range(len(row)):
            if row[slot] > 0:
                intervals.append(
                    {
                        "date": day.isoformat(),
                        "time": f"{slot // 2:02d}:{(slot % 2) * 30:02d}",
                        "contacts": round(float(row[slot]), 2),
                    }
                )
    return {
        "week_start": week.week_start.isoformat(),
        "source": week.source,
        "total": round(week.forecast.total(), 2),
        "history_end": week.history_end.isoformat() if week.history_end else None,
        "days": days,
        "intervals": intervals,
        "holdout": week.error,
    }


def _percent(value: float | None) -> str:
    return "–" if value is None else percent_da(value)


def forecast_table(data: dict[str, Any]) -> str:
    """Danish text: per day the total and the busiest half-hour, then the held-out error."""
    year, number, _ = dt.date.fromisoformat(data["week_start"]).isocalendar()
    lines = [f"Prognose for uge {number} {year} (fra {data['source']})", ""]
    lines.append(f"{'Dag':<22}{'Henvendelser':>14}  Travleste halve time")
    for day in data["days"]:
        label = f"{day['weekday']} {dt.date.fromisoformat(day['date']):%d.%m.}"
        peak = f"{day['peak_time'].replace(':', '.')} ({number_da(day['peak'], 1)})" if day["peak_time"] else "–"
        lines.append(f"{label:<22}{number_da(day['total'], 1):>14}  {peak}")
    lines.append(f"{'I alt':<22}{number_da(data['total'], 1):>14}")
    lines.append("")
    error = data["holdout"]
    if error is None:
        lines.append("Fejl på tilbageholdte uger: – (for lidt historik, eller prognosen bygger på et årsvolumen).")
    else:
        lines.append(
            f"Fejl på de sidste {error['holdout_weeks']} uger af historikken, forudsagt ud fra ugerne før: "
            f"WAPE {_percent(error['wape_interval'])} pr. halve time, {_percent(error['wape_day'])} pr. dag; "
            f"skævhed {_percent(error['bias'])}."
        )
    return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Viser prognosen for henvendelser i en uge pr. dag og halve time, som vagtplanen bygges på, og hvor "
        "meget samme metode ramte ved siden af på tilbageholdte uger af historikken."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--week", metavar="DATO", help="En dag i ugen, fx 2026-11-30 (standard: næste uge)")
        parser.add_argument(
            "--calls-per-year",
            metavar="ANTAL",
            help="Opkald om året, når prognosen ikke skal bygge på historikken",
        )
        parser.add_argument(
            "--today", metavar="DATO", help="Dagen i dag (standard: dags dato); historikken slutter før"
        )
        parser.add_argument("--format", dest="output_format", metavar="json|table", help="json eller table")

    def handle(self, *args: Any, **options: Any) -> None:
        output_format: str | None = options["output_format"]
        if output_format is None:
            raise CommandError("Angiv et format med --format json eller table.")
        if output_format not in FORMATS:
            raise CommandError(f"Formatet skal være json eller table, ikke '{output_format}'.")
        today = _date(options["today"], "--today") if options["today"] else timezone.localdate()
        day = _date(options["week"], "--week") if options["week"] else today + dt.timedelta(days=7)
        week_start = monday_of(day)
        calls_per_year = 0
        if options["calls_per_year"] is not None:
            text = str(options["calls_per_year"]).strip().replace(".", "")
            if not text.isdigit() or int(text) <= 0:
                raise CommandError(
                    f"--calls-per-year skal være et positivt helt antal opkald, ikke '{options['calls_per_year']}'."
                )
            calls_per_year = int(text)
        share = 0.0
        fellesskab = the_fellesskab()
        if fellesskab is not None:
            share = population_share(active_members(fellesskab, week_start))
        try:
            hours, _intervals = opening_intervals(week_start)
            week = forecast_week(week_start, hours, calls_per_year, share, today)
        except (StaffingError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if week.history_end is None and calls_per_year == 0 and share == 0:
            raise CommandError(
                "Der er ikke to ugers historik og intet fællesskab med medlemmer at skalere fra; "
                "angiv --calls-per-year."
            )
        data = to_json_dict(week)
        if output_format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(forecast_table(data))
