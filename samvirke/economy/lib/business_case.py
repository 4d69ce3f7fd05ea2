"""Business cases for welfare-technology investments (seed 004, spec business-case.md).

Amounts are in 1,000 kr. at a fixed price level; negative is a saving, positive a cost. A case's
Tabel 1 has line items in two blocks, varige ændringer and implementeringsomkostninger; the totals,
the total impact and the payback period are derived from the lines, and totals typed in from a
document ("printed") are checked against them. A portfolio overview, rounded to 100, is reconciled
against its cases.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

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
        return _tidy(Decimal(self.printed) - Decimal(self.computed))

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


def _tidy(value: Number) -> Number:
    # Integral amounts as int, others as Decimal.
    if isinstance(value, int):
        return value
    return int(value) if value == value.to_integral_value() else value


def check_amount_size(value: int | float | Decimal, where: str) -> None:
    """Refuse an amount beyond ±MAX_AMOUNT (1,000 kr.), before anything computes with it."""
    if abs(Decimal(value)) > MAX_AMOUNT:
        raise BusinessCaseInputError(
            f"{where}: beløbet er for stort; højst {MAX_AMOUNT:,} (1.000 kr.) i hver retning.".replace(",", ".")
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
        return _tidy(Decimal(repr(value)))  # the shortest text that gives this float: what was typed
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise BusinessCaseInputError(f"{where}: beløbet skal være et endeligt tal, ikke {value}.")
        check_amount_size(value, where)
        return _tidy(value)
    raise BusinessCaseInputError(f"{where}: beløbet skal være et tal eller null, ikke {value!r}.")


def _years_text(years: Sequence[int]) -> str:
    return f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])


def _parse_years(raw: Any) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw:
        raise BusinessCaseInputError("'years' skal være en liste af årstal, fx [2016, 2017, 2018, 2019, 2020].")
    for year in raw:
        if isinstance(year, bool) or not isinstance(year, int):
            raise BusinessCaseInputError(f"'years' må kun indeholde hele årstal, ikke {year!r}.")
    for previous, year in zip(raw, raw[1:], strict=False):
        if year != previous + 1:
            raise BusinessCaseInputError(f"Årene skal være fortløbende, men {year} følger efter {previous} i 'years'.")
    return tuple(raw)


def _parse_values(raw: Any, years: tuple[int, ...], what: str) -> tuple[Number | None, ...]:
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
    values = _parse_values(raw["values"], years, what)
    excluded = raw.get("excluded_from_payback", area == INNOVATION_POOL)
    if not isinstance(excluded, bool):
        raise BusinessCaseInputError(f"{what}: 'excluded_from_payback' skal være true eller false, ikke {excluded!r}.")
    return CaseLine(label=label.strip(), block=block, area=area, values=values, excluded_from_payback=excluded)


def parse_case(data: Any) -> BusinessCase:
    """Build a BusinessCase from DESIGN.md's FILE.json data (a dict), checking every field.

    Spec business-case.md. Innovation-pool lines default to excluded_from_payback; `printed` is optional
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
    years = _parse_years(data.get("years"))
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
        printed[row] = _parse_values(raw, years, f"Den trykte række '{row}' ({ROW_NAMES_DA[row]})")
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


def row_total_to_json(total: PrintedRowTotal) -> dict[str, Any]:
    """A parsed row total back as FILE.json's printed.row_totals item, as it was given (lines or group)."""
    data: dict[str, Any] = {"label": total.label}
    if total.block is None and total.area is None:
        data["lines"] = list(total.lines)
    else:
        data.update({key: value for key, value in (("block", total.block), ("area", total.area)) if value})
    data["printed"] = _json_number(total.printed)
    return data


# --- computing ------------------------------------------------------------------------------------


def _row_sum(lines: Sequence[CaseLine], count: int) -> tuple[Number, ...]:
    return tuple(_tidy(sum((Decimal(line.values[i] or 0) for line in lines), Decimal(0))) for i in range(count))


def derived_rows(case: BusinessCase) -> tuple[tuple[Number, ...], tuple[Number, ...], tuple[Number, ...]]:
    """(varig, implementering, impact) per year in 1,000 kr. (seed 004 Tabel 1, spec business-case.md).

    varig = Σ varig lines; implementering = Σ implementation lines including the innovation pool;
    impact = Σ all lines not excluded_from_payback. Empty cells count as 0.
    """
    count = len(case.years)
    varig = _row_sum([line for line in case.lines if line.block == "varig"], count)
    implementering = _row_sum([line for line in case.lines if line.block == "implementering"], count)
    impact = _row_sum([line for line in case.lines if not line.excluded_from_payback], count)
    return varig, implementering, impact


def payback_years(impact: Sequence[Number], cap: int = PAYBACK_CAP_YEARS) -> int | None:
    """Payback period in years: the first 1-based year whose cumulative impact is ≤ 0.

    Spec business-case.md [I], reproduces all five cases of seed 004: after the last year the last
    year's impact repeats (steady state). None if not reached within `cap` years (or no years).
    """
    if not impact:
        return None
    cumulative = Decimal(0)
    for year in range(1, cap + 1):
        cumulative += Decimal(impact[min(year, len(impact)) - 1])
        if cumulative <= 0:
            return year
    return None


def find_discrepancies(case: BusinessCase, computed: Mapping[str, Sequence[Number]]) -> list[Discrepancy]:
    """Printed totals that differ from the computed ones, per row and year, then the printed row totals
    (spec business-case.md, "The seed's own errors").

    |printed − computed| ≤ 1 (1,000 kr.) is "rounding", more is "error"; null printed cells are skipped.
    """
    found = []

    def kind_of(printed: Number, value: Number) -> str:
        return "rounding" if abs(Decimal(printed) - Decimal(value)) <= ROUNDING_TOLERANCE else "error"

    for row in DERIVED_ROWS:
        printed_row = case.printed.get(row)
        if printed_row is None:
            continue
        for year, printed, value in zip(case.years, printed_row, computed[row], strict=True):
            if printed is None or Decimal(printed) == Decimal(value):
                continue
            found.append(Discrepancy(row=row, year=year, printed=printed, computed=value, kind=kind_of(printed, value)))
    for total in case.row_totals:
        value = row_total(case, total)
        if Decimal(total.printed) != Decimal(value):
            found.append(
                Discrepancy(
                    row=ROW_TOTAL,
                    year=None,
                    printed=total.printed,
                    computed=value,
                    kind=kind_of(total.printed, value),
                    label=total.label,
                )
            )
    return found


def row_total(case: BusinessCase, total: PrintedRowTotal) -> Number:
    """The computed "I alt" of a printed row total: its lines summed over every year (1,000 kr.; seed 004
    Tabel 3/4, e.g. case 4's "Implementering og udvikling" 6,800 + 6,200 = 13,000). Empty cells count as 0."""
    chosen = set(total.lines)
    amounts = (Decimal(value or 0) for line in case.lines if line.label in chosen for value in line.values)
    return _tidy(sum(amounts, Decimal(0)))


def compute_case(case: BusinessCase, cap: int = PAYBACK_CAP_YEARS) -> CaseResult:
    """Derived rows, payback period and discrepancies of one business case (seed 004, spec business-case.md)."""
    varig, implementering, impact = derived_rows(case)
    computed = {"varig": varig, "implementering": implementering, "impact": impact}
    return CaseResult(
        case=case,
        varig=varig,
        implementering=implementering,
        impact=impact,
        payback_years=payback_years(impact, cap),
        discrepancies=tuple(find_discrepancies(case, computed)),
    )


def _json_number(value: Number) -> int | float:
    # JSON has no decimal type: integral amounts become ints, others a float at this boundary only.
    tidy = _tidy(value)
    return tidy if isinstance(tidy, int) else float(tidy)


def apply_scenario(case_dict: Mapping[str, Any], adjustments: Mapping[str, Sequence[Number]]) -> dict[str, Any]:
    """The case (FILE.json shape) with a scenario's adjustments added to its lines, without printed totals.

    Spec business-case.md, scenarios (e.g. case 1 with 150 instead of 115 citizens ≈ −100 t.kr. a year):
    each adjustment (1,000 kr. per year) is added to the first line with that label; an empty cell is 0.
    """
    result = copy.deepcopy(dict(case_dict))
    result["printed"] = {}
    for label, amounts in adjustments.items():
        line = next((line for line in result["lines"] if line["label"] == label), None)
        if line is None:
            continue
        line["values"] = [
            _json_number(Decimal(str(value or 0)) + Decimal(str(amount or 0)))
            for value, amount in zip(line["values"], amounts, strict=True)
        ]
    return result


def scenario_result(case_dict: Mapping[str, Any], adjustments: Mapping[str, Sequence[Number]]) -> CaseResult:
    """compute_case of the case with the scenario's adjustments applied (see apply_scenario)."""
    return compute_case(parse_case(apply_scenario(case_dict, adjustments)))


def to_json_dict(result: CaseResult) -> dict[str, Any]:
    """The `samvirke business-case FILE.json --format json` shape of DESIGN.md (1,000 kr., ints when integral).

    Extra keys: "title", "years", and "difference" (printed − computed) in each discrepancy. A printed
    row total's discrepancy has "row": "row_total", "year": null and its "label".
    """
    return {
        "title": result.case.title,
        "years": list(result.case.years),
        "varig": [_json_number(value) for value in result.varig],
        "implementering": [_json_number(value) for value in result.implementering],
        "impact": [_json_number(value) for value in result.impact],
        "payback_years": result.payback_years,
        "discrepancies": [_discrepancy_json(item) for item in result.discrepancies],
    }


def _discrepancy_json(item: Discrepancy) -> dict[str, Any]:
    data: dict[str, Any] = {
        "row": item.row,
        "year": item.year,
        "printed": _json_number(item.printed),
        "computed": _json_number(item.computed),
        "kind": item.kind,
        "difference": _json_number(item.difference),
    }
    if item.label is not None:
        data["label"] = item.label
    return data


# --- portfolio overview ---------------------------------------------------------------------------


def round_to_hundred(value: Number) -> int:
    """Round an amount (1,000 kr.) to the nearest 100, half away from zero, as seed 004's overview does."""
    scaled = Fraction(Decimal(value)) / OVERVIEW_ROUNDING
    whole = math.floor(abs(scaled) + Fraction(1, 2))
    return (whole if scaled >= 0 else -whole) * OVERVIEW_ROUNDING


@dataclass(frozen=True)
class OverviewProposal:
    """One proposal in the overview: its net row and investment row (1,000 kr., rounded to 100).

    `case_title` names the business case it comes from (the overview may word the title differently).
    """

    label: str
    case_title: str
    net: tuple[int, ...]
    investment: tuple[int, ...]


@dataclass(frozen=True)
class OverviewArea:
    """An area of the overview (e.g. Hjemmeplejen) with its proposals and printed sums (None = not printed)."""

    name: str
    proposals: tuple[OverviewProposal, ...]
    net_total: tuple[int, ...] | None = None
    investment_total: tuple[int, ...] | None = None


@dataclass(frozen=True)
class PortfolioOverview:
    """The portfolio overview: years, areas, and the printed grand totals (I alt)."""

    years: tuple[int, ...]
    areas: tuple[OverviewArea, ...]
    net_total: tuple[int, ...] | None = None
    investment_total: tuple[int, ...] | None = None


@dataclass(frozen=True)
class ProposalDifference:
    """An overview figure that differs from its case's figure rounded to 100 (row "net" or "investment")."""

    area: str
    proposal: str
    row: str
    year: int
    overview: int
    case_value: Number
    case_rounded: int

    @property
    def difference(self) -> int:
        return self.overview - self.case_rounded


@dataclass(frozen=True)
class SumDifference:
    """A printed sum in the overview (area "Nettoeffektivisering"/"Investeringsbehov" or I alt) that is
    not the sum of what it adds up."""

    area: str | None
    row: str
    year: int
    printed: int
    computed: int


@dataclass(frozen=True)
class PortfolioReconciliation:
    """Differences between an overview and its cases, and the overview's own sums that do not add up."""

    proposal_differences: tuple[ProposalDifference, ...]
    sum_differences: tuple[SumDifference, ...]
    cases_not_in_overview: tuple[str, ...] = ()  # titles of given cases that no proposal names


def _whole_numbers(raw: Any, years: tuple[int, ...], what: str) -> tuple[int, ...]:
    values = _parse_values(raw, years, what)
    result = []
    for year, value in zip(years, values, strict=True):
        if value is None:
            result.append(0)
        elif isinstance(value, int):
            result.append(value)
        else:
            raise BusinessCaseInputError(f"{what}, {year}: oversigtens tal skal være hele tal, ikke {value}.")
    return tuple(result)


def parse_overview(data: Any) -> PortfolioOverview:
    """Build a PortfolioOverview from a dict: {"years", "areas": [{"name", "proposals": [{"label",
    "case_title", "net", "investment"}], "net_total", "investment_total"}], "net_total",
    "investment_total"} (seed 004 l.1–82, spec business-case.md). Sums are optional; null cells are 0."""
    if not isinstance(data, dict):
        raise BusinessCaseInputError("Oversigten skal være et JSON-objekt med years og areas.")
    years = _parse_years(data.get("years"))
    raw_areas = data.get("areas")
    if not isinstance(raw_areas, list) or not raw_areas:
        raise BusinessCaseInputError("Oversigten skal have mindst ét område i 'areas'.")

    def optional(raw: Any, what: str) -> tuple[int, ...] | None:
        return None if raw is None else _whole_numbers(raw, years, what)

    areas = []
    for number, raw_area in enumerate(raw_areas, start=1):
        if not isinstance(raw_area, dict) or not isinstance(raw_area.get("name"), str):
            raise BusinessCaseInputError(f"Område nr. {number} i oversigten skal have et navn ('name').")
        name = raw_area["name"]
        raw_proposals = raw_area.get("proposals")
        if not isinstance(raw_proposals, list) or not raw_proposals:
            raise BusinessCaseInputError(f"Området '{name}' har ingen forslag ('proposals').")
        proposals = []
        for raw in raw_proposals:
            if not isinstance(raw, dict) or not isinstance(raw.get("label"), str) or not raw["label"].strip():
                raise BusinessCaseInputError(f"Et forslag i området '{name}' mangler en tekst ('label').")
            label = raw["label"].strip()
            case_title = raw.get("case_title", label)
            if not isinstance(case_title, str) or not case_title.strip():
                raise BusinessCaseInputError(f"Forslaget '{label}': 'case_title' skal være en tekst.")
            proposals.append(
                OverviewProposal(
                    label=label,
                    case_title=case_title.strip(),
                    net=_whole_numbers(raw.get("net"), years, f"Forslaget '{label}', nettorækken"),
                    investment=_whole_numbers(raw.get("investment"), years, f"Forslaget '{label}', investeringsrækken"),
                )
            )
        areas.append(
            OverviewArea(
                name=name,
                proposals=tuple(proposals),
                net_total=optional(raw_area.get("net_total"), f"Området '{name}', Nettoeffektivisering"),
                investment_total=optional(raw_area.get("investment_total"), f"Området '{name}', Investeringsbehov"),
            )
        )
    return PortfolioOverview(
        years=years,
        areas=tuple(areas),
        net_total=optional(data.get("net_total"), "I alt, Nettoeffektivisering"),
        investment_total=optional(data.get("investment_total"), "I alt, Investeringsbehov"),
    )


def _normal_title(title: str) -> str:
    return " ".join(title.split()).casefold()


def case_row_for_years(case_years: Sequence[int], row: Sequence[Number], years: Sequence[int]) -> list[Number]:
    """A case's row (1,000 kr.) laid over other years: 0 before the case's first year, its last year's
    value carried forward after its last year (seed 004's overview does so for 4-year cases)."""
    first, last = case_years[0], case_years[-1]
    return [0 if year < first else row[min(year, last) - first] for year in years]


def _column_sums(rows: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
    return tuple(sum(column) for column in zip(*rows, strict=True))


def reconcile_portfolio(overview: PortfolioOverview, cases: Sequence[BusinessCase]) -> PortfolioReconciliation:
    """Compare an overview's per-proposal rows with its business cases, and check the overview's sums.

    Spec business-case.md: a proposal's net row is the case's varig row and its investment row the
    case's implementering row (incl. the innovation pool), each rounded to 100 half away from zero,
    with a shorter case's last year carried forward. Area sums (Nettoeffektivisering, Investeringsbehov)
    and the grand total (I alt) are checked against the proposals' rows they add up.
    """
    by_title = {_normal_title(case.title): case for case in cases}
    years = overview.years
    proposal_differences: list[ProposalDifference] = []
    sum_differences: list[SumDifference] = []

    def check_sum(area: str | None, row: str, printed: tuple[int, ...] | None, parts: list[tuple[int, ...]]):
        if printed is None:
            return
        for i, year in enumerate(years):
            computed = sum(part[i] for part in parts)
            if printed[i] != computed:
                sum_differences.append(SumDifference(area, row, year, printed[i], computed))

    area_nets: list[tuple[int, ...]] = []
    area_investments: list[tuple[int, ...]] = []
    for area in overview.areas:
        for proposal in area.proposals:
            case = by_title.get(_normal_title(proposal.case_title))
            if case is None:
                raise BusinessCaseInputError(
                    f"Forslaget '{proposal.label}' i oversigten har ingen business case med titlen "
                    f"'{proposal.case_title}'."
                )
            varig, implementering, _impact = derived_rows(case)
            for row, shown, computed in (
                ("net", proposal.net, varig),
                ("investment", proposal.investment, implementering),
            ):
                laid_over = case_row_for_years(case.years, computed, years)
                for year, shown_value, case_value in zip(years, shown, laid_over, strict=True):
                    rounded = round_to_hundred(case_value)
                    if shown_value != rounded:
                        proposal_differences.append(
                            ProposalDifference(
                                area=area.name,
                                proposal=proposal.label,
                                row=row,
                                year=year,
                                overview=shown_value,
                                case_value=_tidy(case_value),
                                case_rounded=rounded,
                            )
                        )
        nets = [proposal.net for proposal in area.proposals]
        investments = [proposal.investment for proposal in area.proposals]
        check_sum(area.name, "Nettoeffektivisering", area.net_total, nets)
        check_sum(area.name, "Investeringsbehov", area.investment_total, investments)
        # I alt is checked against the proposals' rows, so a wrong area sum is reported only once.
        area_nets.append(_column_sums(nets))
        area_investments.append(_column_sums(investments))
    check_sum(None, "Nettoeffektivisering", overview.net_total, area_nets)
    check_sum(None, "Investeringsbehov", overview.investment_total, area_investments)
    named = {_normal_title(proposal.case_title) for area in overview.areas for proposal in area.proposals}
    missing = tuple(case.title for case in cases if _normal_title(case.title) not in named)
    return PortfolioReconciliation(tuple(proposal_differences), tuple(sum_differences), missing)


def renamed_proposals(overview: PortfolioOverview) -> list[dict[str, str]]:
    """Proposals whose label in the overview differs from their case's title (seed 004 renames case 1)."""
    return [
        {"proposal": proposal.label, "case_title": proposal.case_title}
        for area in overview.areas
        for proposal in area.proposals
        if _normal_title(proposal.label) != _normal_title(proposal.case_title)
    ]


def reconciliation_to_json_dict(reconciliation: PortfolioReconciliation) -> dict[str, Any]:
    """A portfolio reconciliation as JSON-ready data (1,000 kr., ints when integral; spec business-case.md)."""
    return {
        "proposal_differences": [
            {
                "area": item.area,
                "proposal": item.proposal,
                "row": item.row,
                "year": item.year,
                "overview": item.overview,
                "case_value": _json_number(item.case_value),
                "case_rounded": item.case_rounded,
                "difference": item.difference,
            }
            for item in reconciliation.proposal_differences
        ],
        "sum_differences": [
            {"area": item.area, "row": item.row, "year": item.year, "printed": item.printed, "computed": item.computed}
            for item in reconciliation.sum_differences
        ],
        "cases_not_in_overview": list(reconciliation.cases_not_in_overview),
    }
