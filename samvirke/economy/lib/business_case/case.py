"""A business case's typed data and its validation (seed 004, docs/models/business-case.md).

Amounts are in 1,000 kr. at a fixed price level; negative is a saving, positive a cost. A case's
Tabel 1 has line items in two blocks, varige ændringer and implementeringsomkostninger; totals typed
in from a document ("printed") are kept beside them to be checked (see compute.py). `parse_case`
builds a BusinessCase from docs/business-case-format.md's FILE.json data, checking every field.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from samvirke.core.lib.formatting import thousands

Number = int | Decimal

BLOCKS = ("varig", "implementering")
AREAS = ("Service", "Anlæg", "Innovationspuljen")
INNOVATION_POOL = "Innovationspuljen"
DERIVED_ROWS = ("varig", "implementering", "impact")
ROW_NAMES_DA = {
    "varig": "Samlet varig ændring",
    "implementering": "Samlede implementeringsomkostninger",
    "impact": "Samlet økonomisk påvirkning",
}
PAYBACK_CAP_YEARS = 50
ROUNDING_TOLERANCE = 1  # a printed total within 1 (1,000 kr.) of the computed one is a rounding difference
OVERVIEW_ROUNDING = 100  # the portfolio overview is rounded to 100 (1,000 kr.)
# No line of a municipal business case comes near 1,000 billion kr.; a number beyond it is a typo or an attack
# (a 4,000-digit amount would be stored, summed and printed on every page).
MAX_AMOUNT = 10**9  # 1,000 kr.
_CASE_KEYS = {"title", "years", "lines", "printed", "source", "notes"}
_LINE_KEYS = {"label", "block", "area", "values", "excluded_from_payback"}
ROW_TOTALS = "row_totals"  # printed.row_totals: the "I alt" column of Tabel 3/4, one printed sum per row
ROW_TOTAL = "row_total"  # a discrepancy's row for a printed row total
_ROW_TOTAL_KEYS = {"label", "lines", "block", "area", "printed"}
KIND_DA = {"rounding": "afrunding", "error": "fejl"}  # a discrepancy's kind in Danish


class BusinessCaseInputError(ValueError):
    """A business case or portfolio overview that cannot be used; the message is Danish and names the place."""


# --- data -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLine:
    """One line of Tabel 1: amounts per year in 1,000 kr. (None = empty cell, counted as 0).

    Lines financed by the innovation pool are excluded from the payback period by default (seed 004:
    "Beløb i kursiv er ikke indregnet i tilbagebetalingstid").
    """

    label: str
    block: str
    area: str
    values: tuple[Number | None, ...]
    excluded_from_payback: bool = False


@dataclass(frozen=True)
class PrintedRowTotal:
    """A row total as printed in the document (the "I alt" column of seed 004's Tabel 3 and 4).

    It sums every year of `lines` (line labels) — a single line such as "Implementering og udvikling", or
    a group such as "Investeringer totalt, anlæg", which is all lines of one block and styringsområde.
    `printed` is in 1,000 kr.
    """

    label: str
    lines: tuple[str, ...]
    printed: Number
    block: str | None = None  # set when the row total was given as a group, not as named lines
    area: str | None = None


@dataclass(frozen=True)
class BusinessCase:
    """A business case: title, consecutive years, line items and optionally the totals as printed."""

    title: str
    years: tuple[int, ...]
    lines: tuple[CaseLine, ...]
    printed: Mapping[str, tuple[Number | None, ...]] = field(default_factory=dict)
    row_totals: tuple[PrintedRowTotal, ...] = ()

    @property
    def has_printed_totals(self) -> bool:
        """Whether the case has any printed total to check (a derived row or a row total)."""
        return bool(self.printed) or bool(self.row_totals)


@dataclass(frozen=True)
class Discrepancy:
    """A printed total that differs from the computed one: kind "rounding" (|diff| ≤ 1) or "error".

    `row` is a derived row (varig, implementering, impact) with its `year`, or "row_total" for a printed
    row total over all years, named by `label` (year None).
    """

    row: str
    year: int | None
    printed: Number
    computed: Number
    kind: str
    label: str | None = None

    @property
    def difference(self) -> Number:
        return tidy(Decimal(self.printed) - Decimal(self.computed))

    @property
    def row_name_da(self) -> str:
        """The row's Danish name: "Samlet varig ændring", or "I alt: <label>" for a row total."""
        if self.row == ROW_TOTAL:
            return f"I alt: {self.label}"
        return ROW_NAMES_DA[self.row]


@dataclass(frozen=True)
class CaseResult:
    """The derived rows (1,000 kr. per year), payback period in years (None = not within the cap)."""

    case: BusinessCase
    varig: tuple[Number, ...]
    implementering: tuple[Number, ...]
    impact: tuple[Number, ...]
    payback_years: int | None
    discrepancies: tuple[Discrepancy, ...]


# --- parsing --------------------------------------------------------------------------------------


def tidy(value: Number) -> Number:
    # Integral amounts as int, others as Decimal.
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else value


def json_number(value: Number) -> int | float:
    """An amount as JSON holds it: JSON has no decimal type, so integral amounts become ints and others a
    float, at this boundary only."""
    tidied = tidy(value)
    return tidied if isinstance(tidied, int) else float(tidied)


def check_amount_size(value: int | float | Decimal, where: str) -> None:
    """Refuse an amount beyond ±MAX_AMOUNT (1,000 kr.), before anything computes with it."""
    if abs(Decimal(value)) > MAX_AMOUNT:
        raise BusinessCaseInputError(
            f"{where}: beløbet er for stort; højst {thousands(MAX_AMOUNT)} (1.000 kr.) i hver retning."
        )


def _amount(value: Any, where: str) -> Number | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise BusinessCaseInputError(f"{where}: beløbet skal være et tal eller null, ikke {value!r}.")
    if isinstance(value, int):
        check_amount_size(value, where)
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise BusinessCaseInputError(f"{where}: beløbet skal være et endeligt tal, ikke {value!r}.")
        check_amount_size(value, where)
        return tidy(Decimal(repr(value)))  # the shortest text that gives this float: what was typed
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise BusinessCaseInputError(f"{where}: beløbet skal være et endeligt tal, ikke {value}.")
        check_amount_size(value, where)
        return tidy(value)
    raise BusinessCaseInputError(f"{where}: beløbet skal være et tal eller null, ikke {value!r}.")


def amount_as_stored(value: Decimal, where: str) -> Number:
    """A computed amount (1,000 kr.) as FILE.json would hold it and parse_case read it back: the same size
    check, and a non-integral amount through a float, so a scenario's line equals the stored case's."""
    amount = _amount(json_number(value), where)
    assert amount is not None  # json_number never gives None
    return amount


def _years_text(years: Sequence[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def parse_years(raw: Any) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw:
        raise BusinessCaseInputError("'years' skal være en liste af årstal, fx [2016, 2017, 2018, 2019, 2020].")
    for year in raw:
        if isinstance(year, bool) or not isinstance(year, int):
            raise BusinessCaseInputError(f"'years' må kun indeholde hele årstal, ikke {year!r}.")
    for previous, year in zip(raw, raw[1:], strict=False):
        if year != previous + 1:
            raise BusinessCaseInputError(f"Årene skal være fortløbende, men {year} følger efter {previous} i 'years'.")
    return tuple(raw)


def parse_values(raw: Any, years: tuple[int, ...], what: str) -> tuple[Number | None, ...]:
    if not isinstance(raw, list):
        raise BusinessCaseInputError(f"{what}: beløbene skal være en liste med ét tal (eller null) pr. år.")
    if len(raw) != len(years):
        raise BusinessCaseInputError(
            f"{what} har {len(raw)} beløb, men casen har {len(years)} år ({_years_text(years)})."
        )
    return tuple(_amount(value, f"{what}, {year}") for year, value in zip(years, raw, strict=True))


def _parse_line(raw: Any, number: int, years: tuple[int, ...]) -> CaseLine:
    if not isinstance(raw, dict):
        raise BusinessCaseInputError(
            f"Linje nr. {number} i 'lines' skal være et objekt med label, block, area og values."
        )
    label = raw.get("label")
    if not isinstance(label, str) or not label.strip():
        raise BusinessCaseInputError(f"Linje nr. {number} i 'lines' mangler en tekst ('label').")
    what = f"Linjen '{label}'"
    unknown = sorted(set(raw) - _LINE_KEYS)
    if unknown:
        raise BusinessCaseInputError(
            f"{what} har ukendte felter: {', '.join(unknown)}. Tilladt: {', '.join(sorted(_LINE_KEYS))}."
        )
    block = raw.get("block")
    if block not in BLOCKS:
        raise BusinessCaseInputError(f"{what}: blokken skal være 'varig' eller 'implementering', ikke {block!r}.")
    area = raw.get("area")
    if area not in AREAS:
        raise BusinessCaseInputError(
            f"{what}: styringsområdet skal være Service, Anlæg eller Innovationspuljen, ikke {area!r}."
        )
    if "values" not in raw:
        raise BusinessCaseInputError(f"{what} mangler sine beløb ('values').")
    values = parse_values(raw["values"], years, what)
    excluded = raw.get("excluded_from_payback", area == INNOVATION_POOL)
    if not isinstance(excluded, bool):
        raise BusinessCaseInputError(f"{what}: 'excluded_from_payback' skal være true eller false, ikke {excluded!r}.")
    return CaseLine(label=label.strip(), block=block, area=area, values=values, excluded_from_payback=excluded)


def parse_case(data: Any) -> BusinessCase:
    """Build a BusinessCase from docs/business-case-format.md's FILE.json data (a dict), checking every field.

    docs/models/business-case.md. Innovation-pool lines default to excluded_from_payback; `printed` is optional
    and may hold any of varig, implementering, impact, each with one number or null per year.
    Raises BusinessCaseInputError with a Danish message naming the line.
    """
    if not isinstance(data, dict):
        raise BusinessCaseInputError("En business case skal være et JSON-objekt med title, years og lines.")
    unknown = sorted(set(data) - _CASE_KEYS)
    if unknown:
        raise BusinessCaseInputError(
            f"Business casen har ukendte felter: {', '.join(unknown)}. Tilladt: {', '.join(sorted(_CASE_KEYS))}."
        )
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise BusinessCaseInputError("Business casen mangler en titel ('title').")
    years = parse_years(data.get("years"))
    raw_lines = data.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        raise BusinessCaseInputError("'lines' skal være en liste med mindst én linje.")
    lines = tuple(_parse_line(raw, number, years) for number, raw in enumerate(raw_lines, start=1))
    raw_printed = data.get("printed") or {}
    if not isinstance(raw_printed, dict):
        raise BusinessCaseInputError("'printed' skal være et objekt med rækkerne varig, implementering og impact.")
    printed: dict[str, tuple[Number | None, ...]] = {}
    row_totals: tuple[PrintedRowTotal, ...] = ()
    for row, raw in raw_printed.items():
        if row == ROW_TOTALS:
            row_totals = _parse_row_totals(raw, lines)
            continue
        if row not in DERIVED_ROWS:
            raise BusinessCaseInputError(
                f"'printed' kan kun indeholde varig, implementering, impact og row_totals, ikke '{row}'."
            )
        if raw is None:
            continue
        printed[row] = parse_values(raw, years, f"Den trykte række '{row}' ({ROW_NAMES_DA[row]})")
    return BusinessCase(title=title.strip(), years=years, lines=lines, printed=printed, row_totals=row_totals)


def _parse_row_totals(raw: Any, lines: tuple[CaseLine, ...]) -> tuple[PrintedRowTotal, ...]:
    """printed.row_totals: [{"label", "printed", and "lines": [line labels] or "block" and/or "area"}]."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise BusinessCaseInputError("'printed.row_totals' skal være en liste af rækketotaler.")
    totals = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("label"), str) or not item["label"].strip():
            raise BusinessCaseInputError(f"Rækketotal nr. {number} i 'printed.row_totals' mangler en tekst ('label').")
        label = item["label"].strip()
        what = f"Rækketotalen '{label}'"
        unknown = sorted(set(item) - _ROW_TOTAL_KEYS)
        if unknown:
            raise BusinessCaseInputError(
                f"{what} har ukendte felter: {', '.join(unknown)}. Tilladt: {', '.join(sorted(_ROW_TOTAL_KEYS))}."
            )
        printed = _amount(item.get("printed"), what)
        if printed is None:
            raise BusinessCaseInputError(f"{what} mangler det trykte beløb ('printed').")
        has_lines = "lines" in item
        has_group = "block" in item or "area" in item
        if has_lines == has_group:
            raise BusinessCaseInputError(
                f"{what}: angiv enten de linjer, den summerer ('lines'), eller en gruppe ('block' og/eller 'area')."
            )
        if has_lines:
            names = item["lines"]
            if not isinstance(names, list) or not names or not all(isinstance(name, str) for name in names):
                raise BusinessCaseInputError(f"{what}: 'lines' skal være en liste med linjernes tekster.")
            known = {line.label for line in lines}
            for name in names:
                if name.strip() not in known:
                    raise BusinessCaseInputError(f"{what}: casen har ingen linje med teksten '{name}'.")
            chosen = tuple(line.label for line in lines if line.label in {name.strip() for name in names})
        else:
            block, area = item.get("block"), item.get("area")
            if block is not None and block not in BLOCKS:
                raise BusinessCaseInputError(
                    f"{what}: blokken skal være 'varig' eller 'implementering', ikke {block!r}."
                )
            if area is not None and area not in AREAS:
                raise BusinessCaseInputError(
                    f"{what}: styringsområdet skal være Service, Anlæg eller Innovationspuljen, ikke {area!r}."
                )
            chosen = tuple(
                line.label
                for line in lines
                if (block is None or line.block == block) and (area is None or line.area == area)
            )
            if not chosen:
                raise BusinessCaseInputError(f"{what}: casen har ingen linjer i den gruppe.")
        totals.append(
            PrintedRowTotal(
                label=label,
                lines=chosen,
                printed=printed,
                block=None if has_lines else item.get("block"),
                area=None if has_lines else item.get("area"),
            )
        )
    return tuple(totals)
