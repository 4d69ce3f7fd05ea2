"""Reference data shipped with Samvirke: the five regions and the 98 municipalities."""

from __future__ import annotations

from dataclasses import dataclass

from samvirke.directory.lib.csvtext import read_rows

# Danmarks Statistik's region codes (the first digit of a 4-digit code, 1081–1085).
REGIONS: dict[int, str] = {
    1081: "Region Nordjylland",
    1082: "Region Midtjylland",
    1083: "Region Syddanmark",
    1084: "Region Hovedstaden",
    1085: "Region Sjælland",
}


@dataclass(frozen=True)
class MunicipalityRecord:
    code: int
    name: str
    region_code: int
    population: int
    population_year: int
    population_source: str


def parse_municipalities(text: str) -> list[MunicipalityRecord]:
    """Parse data/municipalities.csv (kommunekode,name,region_code,population,population_year,population_source)."""
    _header, rows = read_rows(text)
    records = []
    for line, row in rows:
        try:
            record = MunicipalityRecord(
                code=int(row["kommunekode"]),
                name=row["name"],
                region_code=int(row["region_code"]),
                population=int(row["population"]),
                population_year=int(row["population_year"]),
                population_source=row["population_source"],
            )
        except (KeyError, ValueError) as error:
            raise ValueError(f"municipalities.csv line {line}: {error}") from error
        if record.region_code not in REGIONS:
            raise ValueError(f"municipalities.csv line {line}: unknown region {record.region_code}")
        records.append(record)
    return records
