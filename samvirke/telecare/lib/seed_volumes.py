"""Seed 003's printed volume tables as data (samvirke/telecare/data/volumes.json), and where our model differs.

The data file holds the citizens series N of each landsdel, the whole country and the average municipality
(chapter 2, Tabel 1–2, l. 758–774) and every printed cell of the volume tables: chapter 2's Tabel 1–9
(l. 729–1107) and each landsdel's Bilag B tables "Antal borgere …" and "Modelberegning for aktivitet ifm.
supportopgaver/logistikopgaver", udbredelsesperiode and driftssituation (l. 7955–9867). Each table carries its
number in the seed (the appendix numbers its tables on its own) and the line of its title; each row the line
of its cells. docs/sources.md#seed-003.

`seed_anomalies()` recomputes every printed cell from the N series alone and lists those our model does not
reproduce, with the explanation: the whole country's trips (Tabel 7, l. 1028) match only with the new citizens
per month rounded to the nearest 10.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

from samvirke.telecare.lib.volumes import VolumeRates, YearVolume, doubled_volumes, year_volumes

__all__ = [
    "DATA_FILE",
    "LANDSDEL_KEYS",
    "NEAREST_10",
    "UNEXPLAINED",
    "Anomaly",
    "PrintedRow",
    "SeedSeries",
    "computed_cells",
    "printed_rows",
    "region_codes",
    "seed_anomalies",
    "seed_series",
    "series_info",
]

_SEED_RATES = VolumeRates()  # the seed's 0.083 calls and 0.04 trips per citizen per month
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "volumes.json"
LANDSDEL_KEYS = ("hovedstaden", "sjaelland", "syddanmark", "midtjylland", "nordjylland")
Quantity = Literal["citizens", "new_per_month", "calls_per_month", "trips_per_month"]
Scenario = Literal["base", "doubled"]


@dataclass(frozen=True)
class SeedSeries:
    key: str
    name: str
    region_code: int | None
    citizens: tuple[int, ...]
    table: str
    line: int


@dataclass(frozen=True)
class PrintedRow:
    """One printed row of a seed table: `values[i]` is the cell for `years[i]` (1-based)."""

    part: Literal["main", "bilag_b"]
    table: int
    title: str
    table_line: int
    line: int
    series: str
    quantity: Quantity
    scenario: Scenario
    years: tuple[int, ...]
    values: tuple[int, ...]

    @property
    def label(self) -> str:
        where = "Bilag B, " if self.part == "bilag_b" else ""
        return f"seed 003, {where}Tabel {self.table} (l. {self.line})"


@dataclass(frozen=True)
class Anomaly:
    """A printed cell our formula does not reproduce; `alternative` is what reproduces it, and how."""

    label: str
    series: str
    quantity: str
    scenario: str
    year: int
    printed: int
    computed: int
    alternative: int
    explanation: str


@cache
def _data() -> dict[str, Any]:
    with DATA_FILE.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


def series_info() -> dict[str, SeedSeries]:
    """The seed's N series with name, region code (landsdele only) and where they are printed."""
    return {
        item["key"]: SeedSeries(
            key=item["key"],
            name=item["name"],
            region_code=item.get("region_code"),
            citizens=tuple(item["citizens"]),
            table=item["table"],
            line=item["line"],
        )
        for item in _data()["series"]
    }


def seed_series() -> dict[str, list[int]]:
    """Citizens in the programme at +12 … +60 months: the five landsdele, 'landet', 'gennemsnitskommune'."""
    return {key: list(info.citizens) for key, info in series_info().items()}


def region_codes() -> dict[str, int]:
    """Each landsdel's region code (1081 Nordjylland … 1085 Sjælland)."""
    return {key: info.region_code for key, info in series_info().items() if info.region_code is not None}


def printed_rows() -> list[PrintedRow]:
    """Every printed row of the volume tables, in the seed's order."""
    rows = []
    for table in _data()["tables"]:
        for row in table["rows"]:
            rows.append(
                PrintedRow(
                    part=table["part"],
                    table=table["table"],
                    title=table["title"],
                    table_line=table["line"],
                    line=row["line"],
                    series=row["series"],
                    quantity=row["quantity"],
                    scenario=row["scenario"],
                    years=tuple(row["years"]),
                    values=tuple(row["values"]),
                )
            )
    return rows


def _volumes(series: str, scenario: str, rates: VolumeRates, new_step: int = 1) -> list[YearVolume]:
    citizens = seed_series()[series]
    if scenario == "doubled":
        return doubled_volumes(citizens, rates)
    return year_volumes(citizens, rates, new_step=new_step)


def computed_cells(row: PrintedRow, rates: VolumeRates = _SEED_RATES, new_step: int = 1) -> tuple[int, ...]:
    """The row's cells as our model computes them from its series' N alone."""
    volumes = _volumes(row.series, row.scenario, rates, new_step)
    return tuple(getattr(volumes[year - 1], row.quantity) for year in row.years)


# Shown by `samvirke telecare-volumes --seed-anomalies`, so in Danish like the command's other output.
NEAREST_10 = (
    "rækken passer kun, hvis nye borgere pr. måned rundes til nærmeste 10 (ikke til helt tal), før udkørslerne beregnes"
)
UNEXPLAINED = "uforklaret"


def seed_anomalies() -> list[Anomaly]:
    """Every printed cell our model does not reproduce from the N series, with what does reproduce it.

    Expected: the five whole-country trip cells of chapter 2's Tabel 7 (l. 1028), 134 534 708 692 500 against
    our 136 537 710 689 497, reproduced with new citizens rounded to the nearest 10. A cell that differs and is
    not explained so is listed with alternative = computed and the explanation UNEXPLAINED.
    """
    anomalies = []
    for row in printed_rows():
        ours = computed_cells(row)
        if ours == row.values:
            continue
        nearest_10 = computed_cells(row, new_step=10)
        for year, printed, computed, alternative in zip(row.years, row.values, ours, nearest_10, strict=True):
            if printed == computed:
                continue
            explained = alternative == printed
            anomalies.append(
                Anomaly(
                    label=row.label,
                    series=row.series,
                    quantity=row.quantity,
                    scenario=row.scenario,
                    year=year,
                    printed=printed,
                    computed=computed,
                    alternative=alternative if explained else computed,
                    explanation=NEAREST_10 if explained else UNEXPLAINED,
                )
            )
    return anomalies
