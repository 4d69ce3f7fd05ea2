"""Business cases in and out of JSON: the `samvirke business-case --format json` shapes of docs/cli.md (1,000 kr.,
ints when integral), a parsed row total back as FILE.json, and the bounded reader of uploaded JSON."""

from __future__ import annotations

import json
from typing import Any

from samvirke.core.lib.bounded_json import JsonInputError, load_bounded_json
from samvirke.economy.lib.business_case.case import (
    BusinessCaseInputError,
    CaseResult,
    Discrepancy,
    PrintedRowTotal,
    json_number,
)
from samvirke.economy.lib.business_case.portfolio import PortfolioOverview, PortfolioReconciliation, parse_overview

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
FILE_TOO_LARGE_DA = f"Filen er for stor: højst {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."


# --- reading uploads ----------------------------------------------------------------------------------


def load_uploaded_json(data: bytes) -> Any:
    """An uploaded JSON file (bytes) read within the bounds of core.lib.bounded_json (size, nesting, number
    length). Raises BusinessCaseInputError with a Danish message naming the line and column of a syntax error."""
    try:
        return load_bounded_json(data)
    except JsonInputError as error:
        raise BusinessCaseInputError(str(error)) from None
    except json.JSONDecodeError as error:
        raise BusinessCaseInputError(
            f"JSON-filen kan ikke læses: fejl i linje {error.lineno}, kolonne {error.colno}."
        ) from None


def read_overview(data: bytes) -> PortfolioOverview:
    """An uploaded portfolio overview (JSON bytes, docs/business-case-format.md) parsed and checked; a file over
    MAX_UPLOAD_BYTES is refused. Raises BusinessCaseInputError with a Danish message."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise BusinessCaseInputError(FILE_TOO_LARGE_DA)
    return parse_overview(load_uploaded_json(data))


# --- writing JSON -------------------------------------------------------------------------------------


def row_total_to_json(total: PrintedRowTotal) -> dict[str, Any]:
    """A parsed row total back as FILE.json's printed.row_totals item, as it was given (lines or group)."""
    data: dict[str, Any] = {"label": total.label}
    if total.block is None and total.area is None:
        data["lines"] = list(total.lines)
    else:
        data.update({key: value for key, value in (("block", total.block), ("area", total.area)) if value})
    data["printed"] = json_number(total.printed)
    return data


def to_json_dict(result: CaseResult) -> dict[str, Any]:
    """The `samvirke business-case FILE.json --format json` shape of docs/cli.md (1,000 kr., ints when integral).

    Extra keys: "title", "years", and "difference" (printed − computed) in each discrepancy. A printed
    row total's discrepancy has "row": "row_total", "year": null and its "label".
    """
    return {
        "title": result.case.title,
        "years": list(result.case.years),
        "varig": [json_number(value) for value in result.varig],
        "implementering": [json_number(value) for value in result.implementering],
        "impact": [json_number(value) for value in result.impact],
        "payback_years": result.payback_years,
        "discrepancies": [_discrepancy_json(item) for item in result.discrepancies],
    }


def _discrepancy_json(item: Discrepancy) -> dict[str, Any]:
    data: dict[str, Any] = {
        "row": item.row,
        "year": item.year,
        "printed": json_number(item.printed),
        "computed": json_number(item.computed),
        "kind": item.kind,
        "difference": json_number(item.difference),
    }
    if item.label is not None:
        data["label"] = item.label
    return data


def reconciliation_to_json_dict(reconciliation: PortfolioReconciliation) -> dict[str, Any]:
    """A portfolio reconciliation as JSON-ready data (1,000 kr., ints when integral; docs/models/business-case.md)."""
    return {
        "proposal_differences": [
            {
                "area": item.area,
                "proposal": item.proposal,
                "row": item.row,
                "year": item.year,
                "overview": item.overview,
                "case_value": json_number(item.case_value),
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
