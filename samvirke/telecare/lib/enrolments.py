"""Enrolments from a CSV file: citizens in the telemedicine programme, by a pseudonymous reference, never a CPR
number. Checked whole before anything is written (all or nothing)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from samvirke.core.lib.masking import looks_like_cpr
from samvirke.directory.lib.csvtext import read_rows

ENROLMENT_COLUMNS = ("kommunekode", "citizen_ref", "enrolled_from", "enrolled_to")
REQUIRED_COLUMNS = ("kommunekode", "citizen_ref", "enrolled_from")
CITIZEN_REF_MAX_LENGTH = 64
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DANISH_DATE = re.compile(r"([0-9]{1,2})[.\-/]([0-9]{1,2})[.\-/]([0-9]{4})")
_CODE = re.compile(r"[0-9]{1,4}")


@dataclass(frozen=True)
class EnrolmentRow:
    line: int
    kommunekode: int
    citizen_ref: str
    enrolled_from: dt.date
    enrolled_to: dt.date | None


class EnrolmentImportError(ValueError):
    """`problems`: one Danish sentence per problem, naming the line."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def parse_date(text: str) -> dt.date | None:
    """2025-03-01 or 1.3.2025 / 01-03-2025; None if it is no date."""
    iso = _ISO_DATE.fullmatch(text)
    danish = _DANISH_DATE.fullmatch(text)
    try:
        if iso:
            return dt.date(int(iso[1]), int(iso[2]), int(iso[3]))
        if danish:
            return dt.date(int(danish[3]), int(danish[2]), int(danish[1]))
    except ValueError:
        return None
    return None


def _date_problem(value: str, what: str) -> tuple[dt.date | None, str | None]:
    day = parse_date(value)
    if day is None:
        return None, f"{what} '{value}' er ikke en dato (skriv fx 2025-03-01)"
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        return None, f"{what} {day.isoformat()} ligger ikke mellem {EARLIEST_DATE.year} og {LATEST_DATE.year}"
    return day, None


def parse_enrolment_file(text: str, allowed_codes: set[int]) -> list[EnrolmentRow]:
    """Parse `kommunekode,citizen_ref,enrolled_from[,enrolled_to]`; `allowed_codes` are the landsdel's
    municipalities. Raise EnrolmentImportError listing every problem."""
    header, rows = read_rows(text)
    if not header:
        raise EnrolmentImportError(["Filen er tom. Første linje skal være: " + ",".join(ENROLMENT_COLUMNS)])
    if (
        not set(REQUIRED_COLUMNS) <= set(header)
        or not set(header) <= set(ENROLMENT_COLUMNS)
        or len(set(header)) != len(header)
    ):
        raise EnrolmentImportError(
            [
                "Linje 1: kolonnerne skal være "
                + ",".join(ENROLMENT_COLUMNS)
                + f" (enrolled_to må udelades), men filen har {','.join(header)}."
            ]
        )
    problems: list[str] = []
    parsed: list[EnrolmentRow] = []
    first_line: dict[tuple[str, dt.date], int] = {}
    for line, row in rows:
        if "__extra__" in row:
            problems.append(f"Linje {line}: der er flere felter end kolonnerne.")
            continue
        line_problems: list[str] = []
        code = int(row["kommunekode"]) if _CODE.fullmatch(row["kommunekode"]) else None
        if code is None:
            line_problems.append(f"kommunekoden '{row['kommunekode']}' er ikke et tal")
        elif code not in allowed_codes:
            line_problems.append(f"kommunekoden {code} er ikke en kommune i landsdelen")
        ref = row["citizen_ref"]
        if not ref:
            line_problems.append("borgerreferencen mangler")
        elif len(ref) > CITIZEN_REF_MAX_LENGTH:
            line_problems.append(f"borgerreferencen er længere end {CITIZEN_REF_MAX_LENGTH} tegn")
        elif looks_like_cpr(ref):
            # Never repeat the number itself in the message: it would end in a log.
            line_problems.append("borgerreferencen ligner et CPR-nummer – brug et pseudonym")
        start, problem = _date_problem(row["enrolled_from"], "startdatoen")
        if problem:
            line_problems.append(problem)
        end: dt.date | None = None
        if row.get("enrolled_to", ""):
            end, problem = _date_problem(row["enrolled_to"], "slutdatoen")
            if problem:
                line_problems.append(problem)
            elif start is not None and end is not None and end < start:
                line_problems.append(f"slutdatoen {end.isoformat()} ligger før startdatoen {start.isoformat()}")
        if start is not None and ref and not line_problems and (ref, start) in first_line:
            line_problems.append(f"samme borger og startdato står også i linje {first_line[(ref, start)]}")
        if line_problems:
            problems.append(f"Linje {line}: " + "; ".join(line_problems) + ".")
            continue
        assert code is not None and start is not None
        first_line[(ref, start)] = line
        parsed.append(EnrolmentRow(line, code, ref, start, end))
    if problems:
        raise EnrolmentImportError(problems)
    if not parsed:
        raise EnrolmentImportError(["Filen har ingen rækker under overskriften."])
    return parsed
