"""A municipality's portfolio of business cases: the overview (rounded to 100), summing cases into it, and
reconciling a printed overview against its cases (seed 004 l.1–82, docs/models/business-case.md). 1,000 kr."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Generic, TypeVar

from samvirke.economy.lib.business_case.case import (
    OVERVIEW_ROUNDING,
    BusinessCase,
    BusinessCaseInputError,
    CaseResult,
    Number,
    parse_values,
    parse_years,
    tidy,
)
from samvirke.economy.lib.business_case.compute import derived_rows

T = TypeVar("T")  # what a caller keeps with each case of a portfolio (e.g. its stored row)


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
    values = parse_values(raw, years, what)
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
    "investment_total"} (seed 004 l.1–82, docs/models/business-case.md). Sums are optional; null cells are 0."""
    if not isinstance(data, dict):
        raise BusinessCaseInputError("Oversigten skal være et JSON-objekt med years og areas.")
    years = parse_years(data.get("years"))
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


@dataclass(frozen=True)
class PortfolioCase(Generic[T]):
    """One case in a portfolio: the caller's `item`, its result, and its net (varig) and investment
    (implementering) rows laid over the portfolio's years (1,000 kr., exact)."""

    item: T
    result: CaseResult
    net: tuple[Number, ...]
    investment: tuple[Number, ...]


@dataclass(frozen=True)
class PortfolioArea(Generic[T]):
    """An area of the portfolio (e.g. Hjemmeplejen) with its cases and their summed net and investment rows."""

    name: str
    cases: tuple[PortfolioCase[T], ...]
    net: tuple[Number, ...]
    investment: tuple[Number, ...]


@dataclass(frozen=True)
class PortfolioSum(Generic[T]):
    """A portfolio summed: its years (from the first case's first year to the last case's last), its areas in
    the order their first case came, and the grand totals (Nettoeffektivisering and Investeringsbehov, I alt)."""

    years: tuple[int, ...]
    areas: tuple[PortfolioArea[T], ...]
    net: tuple[Number, ...]
    investment: tuple[Number, ...]


def _add_rows(rows: Sequence[Sequence[Number]], count: int) -> tuple[Number, ...]:
    return tuple(tidy(sum((Decimal(row[i]) for row in rows), Decimal(0))) for i in range(count))


def sum_portfolio(entries: Sequence[tuple[T, str, CaseResult]]) -> PortfolioSum[T]:
    """Sum a portfolio's cases, given as (item, area name, result), per area and in all (seed 004 l.1–82: the
    overview's Nettoeffektivisering and Investeringsbehov, exact; round with round_to_hundred to show them).

    A case's row is laid over the portfolio's years as case_row_for_years does: 0 before its first year, its
    last year carried forward after its last.
    """
    years: tuple[int, ...] = ()
    if entries:
        first = min(result.case.years[0] for _item, _area, result in entries)
        last = max(result.case.years[-1] for _item, _area, result in entries)
        years = tuple(range(first, last + 1))
    placed: list[PortfolioCase[T]] = []
    by_area: dict[str, list[PortfolioCase[T]]] = {}
    for item, area, result in entries:
        case = PortfolioCase(
            item=item,
            result=result,
            net=tuple(case_row_for_years(result.case.years, result.varig, years)),
            investment=tuple(case_row_for_years(result.case.years, result.implementering, years)),
        )
        placed.append(case)
        by_area.setdefault(area, []).append(case)
    count = len(years)
    areas = tuple(
        PortfolioArea(
            name=name,
            cases=tuple(cases),
            net=_add_rows([case.net for case in cases], count),
            investment=_add_rows([case.investment for case in cases], count),
        )
        for name, cases in by_area.items()
    )
    return PortfolioSum(
        years=years,
        areas=areas,
        net=_add_rows([case.net for case in placed], count),
        investment=_add_rows([case.investment for case in placed], count),
    )


def _column_sums(rows: Sequence[tuple[int, ...]]) -> tuple[int, ...]:
    return tuple(sum(column) for column in zip(*rows, strict=True))


def reconcile_portfolio(overview: PortfolioOverview, cases: Sequence[BusinessCase]) -> PortfolioReconciliation:
    """Compare an overview's per-proposal rows with its business cases, and check the overview's sums.

    docs/models/business-case.md: a proposal's net row is the case's varig row and its investment row the
    case's implementering row (incl. the innovation pool), each rounded to 100 half away from zero,
    with a shorter case's last year carried forward. Area sums (Nettoeffektivisering, Investeringsbehov)
    and the grand total (I alt) are checked against the proposals' rows they add up.
    """
    by_title = {_normal_title(case.title): case for case in cases}
    years = overview.years
    proposal_differences: list[ProposalDifference] = []
    sum_differences: list[SumDifference] = []

    def check_sum(area: str | None, row: str, printed: tuple[int, ...] | None, parts: list[tuple[int, ...]]) -> None:
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
                                case_value=tidy(case_value),
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
