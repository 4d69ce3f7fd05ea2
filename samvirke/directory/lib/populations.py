"""Population figures: parsing an import file and checking it before anything is written."""

from __future__ import annotations

import re
from dataclasses import dataclass

from samvirke.core.lib.formatting import thousands
from samvirke.directory.lib.csvtext import read_rows

POPULATION_COLUMNS = ("kommunekode", "population", "year", "source")
EARLIEST_YEAR = 1970  # the municipal reform of 1970 created the kommunekoder still partly in use
LATEST_YEAR = 2100
# Copenhagen, the largest municipality, has about 670,000 inhabitants and all of Denmark about 6 million;
# a figure above this is a typo (an extra digit, a decimal read as thousands), not a municipality.
MAX_POPULATION = 2_000_000


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


# A population may use the Danish thousands separator ("73.767", "1.234.567", or a space); a dot in any
# other place is a decimal point or a typo ("52157.5", "1.5"), and dropping it would misread the figure
# tenfold, so such values are refused rather than guessed at.
_PLAIN_DIGITS = re.compile(r"[0-9]+")
_DANISH_THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+|[0-9]{1,3}( [0-9]{3})+|[0-9]{1,3}(\u00a0[0-9]{3})+")


def _plain_number(value: str) -> int | None:
    """A kommunekode or a year: digits only ("316", "2025"); anything else ("3.16", "2025.0") is None."""
    return int(value) if _PLAIN_DIGITS.fullmatch(value) else None


def _population_number(value: str) -> int | None:
    """A head count: "73767" or "73.767" (Danish thousands), optionally negative so the caller can say why
    it is refused; decimals ("52157.5") and text are None."""
    digits = value[1:] if value.startswith("-") else value
    if _PLAIN_DIGITS.fullmatch(digits) or _DANISH_THOUSANDS.fullmatch(digits):
        number = int(re.sub(r"[^0-9]", "", digits))
        return -number if value.startswith("-") else number
    return None


SOURCE_MAX_LENGTH = 200  # Municipality.population_source
EXAMPLE_SOURCE = "Danmarks Statistik, FOLK1A, 1. kvartal 2025"
# A file name, or an internal document reference, where a source belongs. Anchored, no nested repetition.
_NOT_A_SOURCE = re.compile(r"(\.(csv|xlsx?|json|txt)$)|(^seed\s*\d+)", re.IGNORECASE)


def _code_problems(raw: str, code: int | None, known_codes: set[int], first_line_of_code: dict[int, int]) -> list[str]:
    """What is wrong with a row's kommunekode (`raw` as typed, `code` parsed): not a number, unknown, repeated."""
    if code is None:
        return [f"kommunekoden '{raw}' er ikke et tal"]
    if code not in known_codes:
        return [f"kommunekoden {code} findes ikke"]
    if code in first_line_of_code:
        return [f"kommunekode {code} står også i linje {first_line_of_code[code]}"]
    return []


def _count_problems(raw: str, count: int | None, what: str) -> list[str]:
    """What is wrong with a count of inhabitants (`what`: "indbyggertallet", "antallet"): not a whole number, not
    positive, larger than any Danish municipality."""
    if count is None:
        return [f"{what} '{raw}' er ikke et helt tal"]
    if count <= 0:
        return [f"{what} skal være større end 0, ikke {count}"]
    if count > MAX_POPULATION:
        return [f"{what} {thousands(count)} er større end {thousands(MAX_POPULATION)} – ingen dansk kommune er så stor"]
    return []


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
        code = _plain_number(row["kommunekode"])
        population = _population_number(row["population"])
        year = _plain_number(row["year"])
        source = row["source"]
        line_problems = _code_problems(row["kommunekode"], code, known_codes, first_line_of_code)
        line_problems += _count_problems(row["population"], population, "indbyggertallet")
        if year is None:
            line_problems.append(f"året '{row['year']}' er ikke et tal")
        elif not EARLIEST_YEAR <= year <= LATEST_YEAR:
            line_problems.append(f"året {year} ligger ikke mellem {EARLIEST_YEAR} og {LATEST_YEAR}")
        if not source:
            line_problems.append("kilden mangler")
        elif len(source) > SOURCE_MAX_LENGTH:
            line_problems.append(f"kilden er længere end {SOURCE_MAX_LENGTH} tegn")
        elif _NOT_A_SOURCE.search(source):
            # The source is printed on invoices: it must say where the figure comes from, not which file held it.
            line_problems.append(
                f"kilden '{source}' er et filnavn eller en henvisning til et dokument, ikke en kilde – "
                f"skriv hvor tallet kommer fra, fx «{EXAMPLE_SOURCE}»"
            )
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


# --- inhabitants aged 40+ (telemedicine's split, seed 003 ch. 5) ---------------------------------------------

POPULATION_40PLUS_COLUMNS = ("kommunekode", "population_40plus")


@dataclass(frozen=True)
class Population40PlusRow:
    line: int
    kommunekode: int
    count: int


def check_year_and_source(year: int, source: str) -> list[str]:
    """What is wrong with a year and a source given for a whole file (empty: nothing)."""
    problems: list[str] = []
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        problems.append(f"Året {year} ligger ikke mellem {EARLIEST_YEAR} og {LATEST_YEAR}.")
    source = source.strip()
    if not source:
        problems.append(f"Kilden mangler: skriv hvor tallene kommer fra, fx «{EXAMPLE_SOURCE}».")
    elif len(source) > SOURCE_MAX_LENGTH:
        problems.append(f"Kilden er længere end {SOURCE_MAX_LENGTH} tegn.")
    elif _NOT_A_SOURCE.search(source):
        problems.append(
            f"Kilden '{source}' er et filnavn eller en henvisning til et dokument, ikke en kilde – "
            f"skriv hvor tallet kommer fra, fx «{EXAMPLE_SOURCE}»."
        )
    return problems


def parse_population_40plus_file(text: str, known_codes: set[int]) -> list[Population40PlusRow]:
    """Parse `kommunekode,population_40plus` rows; raise PopulationImportError listing every problem (all or
    nothing, like parse_population_file)."""
    header, rows = read_rows(text)
    if not header:
        raise PopulationImportError(["Filen er tom. Første linje skal være: " + ",".join(POPULATION_40PLUS_COLUMNS)])
    if sorted(header) != sorted(POPULATION_40PLUS_COLUMNS):
        raise PopulationImportError(
            [
                "Linje 1: kolonnerne skal være "
                + ",".join(POPULATION_40PLUS_COLUMNS)
                + f", men filen har {','.join(header)}."
            ]
        )
    problems: list[str] = []
    parsed: list[Population40PlusRow] = []
    first_line_of_code: dict[int, int] = {}
    for line, row in rows:
        if "__extra__" in row:
            problems.append(f"Linje {line}: der er flere felter end de to kolonner.")
            continue
        code = _plain_number(row["kommunekode"])
        count = _population_number(row["population_40plus"])
        line_problems = _code_problems(row["kommunekode"], code, known_codes, first_line_of_code)
        line_problems += _count_problems(row["population_40plus"], count, "antallet")
        if line_problems:
            problems.append(f"Linje {line}: " + "; ".join(line_problems) + ".")
            continue
        assert code is not None and count is not None
        first_line_of_code[code] = line
        parsed.append(Population40PlusRow(line, code, count))
    if problems:
        raise PopulationImportError(problems)
    if not parsed:
        raise PopulationImportError(["Filen har ingen rækker under overskriften."])
    return parsed
