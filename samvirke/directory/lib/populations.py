"""Population figures: parsing an import file and checking it before anything is written."""

from __future__ import annotations

from dataclasses import dataclass

from samvirke.directory.lib.csvtext import read_rows

POPULATION_COLUMNS = ("kommunekode", "population", "year", "source")
EARLIEST_YEAR = 1970  # the municipal reform of 1970 created the kommunekoder still partly in use
LATEST_YEAR = 2100


@dataclass(frozen=True)
class PopulationUpdate:
    line: int
    kommunekode: int
    population: int
    year: int
    source: str


class PopulationImportError(ValueError):
    """The file cannot be imported. `problems` holds one Danish sentence per problem, naming the line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _whole_number(value: str) -> int | None:
    # Accept "73767" and the Danish thousands separator "73.767"; refuse decimals and text.
    cleaned = value.replace(".", "").replace(" ", "").replace("\u00a0", "")
    if cleaned.startswith("-") and cleaned[1:].isdigit():
        return -int(cleaned[1:])
    return int(cleaned) if cleaned.isdigit() else None


def parse_population_file(text: str, known_codes: set[int]) -> list[PopulationUpdate]:
    """Parse `kommunekode,population,year,source` rows; raise PopulationImportError listing every problem.

    All or nothing: the caller writes only when this returns, so one bad line stops the whole file.
    """
    header, rows = read_rows(text)
    if not header:
        raise PopulationImportError(["Filen er tom. Første linje skal være: " + ",".join(POPULATION_COLUMNS)])
    if sorted(header) != sorted(POPULATION_COLUMNS):
        raise PopulationImportError(
            ["Linje 1: kolonnerne skal være " + ",".join(POPULATION_COLUMNS) + f", men filen har {','.join(header)}."]
        )

    problems: list[str] = []
    updates: list[PopulationUpdate] = []
    first_line_of_code: dict[int, int] = {}
    for line, row in rows:
        if "__extra__" in row:
            problems.append(f"Linje {line}: der er flere felter end de fire kolonner.")
            continue
        code = _whole_number(row["kommunekode"])
        population = _whole_number(row["population"])
        year = _whole_number(row["year"])
        source = row["source"]
        line_problems: list[str] = []
        if code is None:
            line_problems.append(f"kommunekoden '{row['kommunekode']}' er ikke et tal")
        elif code not in known_codes:
            line_problems.append(f"kommunekoden {code} findes ikke")
        elif code in first_line_of_code:
            line_problems.append(f"kommunekode {code} står også i linje {first_line_of_code[code]}")
        if population is None:
            line_problems.append(f"indbyggertallet '{row['population']}' er ikke et helt tal")
        elif population <= 0:
            line_problems.append(f"indbyggertallet skal være større end 0, ikke {population}")
        if year is None:
            line_problems.append(f"året '{row['year']}' er ikke et tal")
        elif not EARLIEST_YEAR <= year <= LATEST_YEAR:
            line_problems.append(f"året {year} ligger ikke mellem {EARLIEST_YEAR} og {LATEST_YEAR}")
        if not source:
            line_problems.append("kilden mangler")
        if line_problems:
            problems.append(f"Linje {line}: " + "; ".join(line_problems) + ".")
            continue
        assert code is not None and population is not None and year is not None
        first_line_of_code[code] = line
        updates.append(PopulationUpdate(line, code, population, year, source))

    if problems:
        raise PopulationImportError(problems)
    if not updates:
        raise PopulationImportError(["Filen har ingen rækker under overskriften."])
    return updates
