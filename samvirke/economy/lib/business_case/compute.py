"""The formulas of a business case: derived rows, payback period, discrepancies, scenarios (seed 004,
docs/models/business-case.md). Amounts are in 1,000 kr.; negative is a saving."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from samvirke.economy.lib.business_case.case import (
    DERIVED_ROWS,
    PAYBACK_CAP_YEARS,
    ROUNDING_TOLERANCE,
    ROW_TOTAL,
    BusinessCase,
    CaseLine,
    CaseResult,
    Discrepancy,
    Number,
    PrintedRowTotal,
    amount_as_stored,
    parse_case,
    tidy,
)


def _row_sum(lines: Sequence[CaseLine], count: int) -> tuple[Number, ...]:
    return tuple(tidy(sum((Decimal(line.values[i] or 0) for line in lines), Decimal(0))) for i in range(count))


def derived_rows(case: BusinessCase) -> tuple[tuple[Number, ...], tuple[Number, ...], tuple[Number, ...]]:
    """(varig, implementering, impact) per year in 1,000 kr. (seed 004 Tabel 1, docs/models/business-case.md).

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

    docs/models/business-case.md [I], reproduces all five cases of seed 004: after the last year the last
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
    (docs/models/business-case.md, "The seed's own errors").

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
    return tidy(sum(amounts, Decimal(0)))


def compute_case(case: BusinessCase, cap: int = PAYBACK_CAP_YEARS) -> CaseResult:
    """Derived rows, payback period and discrepancies of one business case (seed 004, docs/models/business-case.md)."""
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


def apply_scenario(case: BusinessCase, adjustments: Mapping[str, Sequence[Number]]) -> BusinessCase:
    """The case with a scenario's adjustments added to its lines, without printed totals.

    docs/models/business-case.md, scenarios (e.g. case 1 with 150 instead of 115 citizens ≈ −100 t.kr. a year):
    each adjustment (1,000 kr. per year) is added to the first line with that label; an empty cell is 0.
    Raises BusinessCaseInputError when a sum is beyond the amounts a case may hold.
    """
    lines = list(case.lines)
    for label, amounts in adjustments.items():
        index = next((i for i, line in enumerate(lines) if line.label == label), None)
        if index is None:
            continue
        line = lines[index]
        values = tuple(
            amount_as_stored(Decimal(str(value or 0)) + Decimal(str(amount or 0)), f"Linjen '{label}', {year}")
            for year, value, amount in zip(case.years, line.values, amounts, strict=True)
        )
        lines[index] = replace(line, values=values)
    return replace(case, lines=tuple(lines), printed={}, row_totals=())


def scenario_result(case: BusinessCase | Mapping[str, Any], adjustments: Mapping[str, Sequence[Number]]) -> CaseResult:
    """compute_case of the case with the scenario's adjustments applied (see apply_scenario).

    `case` is a parsed case, or FILE.json data (parsed here; its printed totals play no part in a scenario).
    """
    if not isinstance(case, BusinessCase):
        case = parse_case({**case, "printed": {}})
    return compute_case(apply_scenario(case, adjustments))
