"""Business-case pages (seed 004): the list, a municipality's portfolio overview, a case's Tabel 1 with its
discrepancies, sections and scenarios, import from .xlsx/.json, editing, and export as Excel and JSON.

Thin: check access (economy.access), parse the form (economy.forms), read through economy.selectors (a stored
case as the lib's typed case, computed once per page), write through the actions, render. Amounts are in
1,000 kr.; negative is a saving.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.core.lib.formatting import thousands
from samvirke.economy import access, selectors
from samvirke.economy.actions import business_cases as actions
from samvirke.economy.forms import (
    BusinessCaseDeleteForm,
    BusinessCaseImportForm,
    BusinessCaseKpiForm,
    BusinessCaseLinesForm,
    BusinessCaseMilestoneForm,
    BusinessCaseRiskForm,
    BusinessCaseScenarioForm,
    BusinessCaseSectionsForm,
    BusinessCaseStatusForm,
)
from samvirke.economy.lib.business_case import (
    INNOVATION_POOL,
    KIND_DA,
    MAX_UPLOAD_BYTES,
    PAYBACK_CAP_YEARS,
    ROW_NAMES_DA,
    BusinessCaseInputError,
    CaseResult,
    Number,
    PortfolioOverview,
    read_overview,
    reconcile_portfolio,
    renamed_proposals,
    round_to_hundred,
    scenario_result,
    sum_portfolio,
    tidy,
)
from samvirke.economy.lib.business_case import BusinessCase as CaseData
from samvirke.economy.lib.business_case.excel import (
    DESCRIPTION_FIELDS,
    case_workbook,
    read_case_file,
    template_workbook,
)
from samvirke.economy.models import BusinessCase, BusinessCaseStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_AREA = "Uden område"
TEMPLATE = "economy/business_cases/"


# --- formatting ---------------------------------------------------------------------------------------


def fmt(value: Number | None) -> str:
    """An amount the Danish way: 1.022, -3.166, 12,5 (1,000 kr.); empty cell → ""."""
    if value is None:
        return ""
    number = Decimal(value)
    sign = "-" if number < 0 else ""
    number = abs(number)
    whole = int(number)
    text = thousands(whole)
    fraction = number - whole
    if fraction:
        text += "," + format(fraction.normalize(), "f").split(".")[1]
    return sign + text


def payback_text(years: int | None) -> str:
    if years is None:
        return f"Ikke inden for {PAYBACK_CAP_YEARS} år"
    return f"{years} år"


def _total(values: Sequence[Number]) -> Number:
    return tidy(sum((Decimal(value) for value in values), Decimal(0)))


# --- lookups ------------------------------------------------------------------------------------------


def _item(queryset: QuerySet[Any], pk: int, what: str) -> Any:
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404(f"Der findes ingen {what} med det nummer på denne business case.") from None


# --- list and portfolio -------------------------------------------------------------------------------


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require_business_cases(user)
    cases = selectors.business_cases_with_lines(access.visible_business_cases(user))
    municipalities = sorted({case.municipality for case in cases}, key=lambda m: m.name)
    chosen = request.GET.get("kommune", "")
    if chosen.isdigit():
        cases = cases.filter(municipality__code=int(chosen))
    portfolio_links = list(municipalities)
    own = getattr(user, "municipality", None)
    if own is not None and own not in portfolio_links and access.can_create_business_case_for(user, own):
        portfolio_links.append(own)
    rows = []
    for case in cases:
        result = selectors.case_result(case)
        errors = sum(1 for item in result.discrepancies if item.kind == "error")
        rows.append(
            {
                "case": case,
                "years": f"{case.years[0]}–{case.years[-1]}" if case.years else "",
                "payback": payback_text(result.payback_years),
                "impact_total": fmt(_total(result.impact)),
                "impact_negative": _total(result.impact) < 0,
                "errors": errors,
                "roundings": len(result.discrepancies) - errors,
            }
        )
    return render(
        request,
        TEMPLATE + "list.html",
        {
            "rows": rows,
            "municipalities": municipalities,
            "chosen": chosen,
            "portfolio_links": portfolio_links,
        },
    )


def _portfolio_row(values: Sequence[Number]) -> list[dict[str, str]]:
    """Each amount rounded to 100 (half away from zero), with the exact amount where it differs."""
    cells = []
    for value in values:
        rounded = round_to_hundred(value)
        cells.append({"rounded": fmt(rounded), "exact": "" if Decimal(value) == rounded else fmt(value)})
    return cells


OVERVIEW_ROWS_DA = {"net": "Netto", "investment": "Investering"}


def _read_overview(uploaded: Any) -> PortfolioOverview:
    """An uploaded portfolio overview (JSON, docs/business-case-format.md), or a Danish BusinessCaseInputError."""
    if uploaded is None:
        raise BusinessCaseInputError("Vælg en JSON-fil med porteføljeoversigten.")
    return read_overview(uploaded.read(MAX_UPLOAD_BYTES + 1))


def _reconciliation_context(overview: PortfolioOverview, cases: Sequence[CaseData]) -> dict[str, Any]:
    """The overview reconciled against the municipality's cases (the same lib as `business-case --overview`)."""
    reconciliation = reconcile_portfolio(overview, cases)
    return {
        "proposal_differences": [
            {
                "area": item.area,
                "proposal": item.proposal,
                "row": OVERVIEW_ROWS_DA[item.row],
                "year": item.year,
                "overview": fmt(item.overview),
                "case_value": fmt(item.case_value),
                "case_rounded": fmt(item.case_rounded),
                "difference": fmt(item.difference),
            }
            for item in reconciliation.proposal_differences
        ],
        "sum_differences": [
            {
                "area": item.area or "I alt",
                "row": item.row,
                "year": item.year,
                "printed": fmt(item.printed),
                "computed": fmt(item.computed),
                "difference": fmt(item.printed - item.computed),
            }
            for item in reconciliation.sum_differences
        ],
        "cases_not_in_overview": reconciliation.cases_not_in_overview,
        "renamed": renamed_proposals(overview),
        "proposals": sum(len(area.proposals) for area in overview.areas),
    }


@login_required
@require_http_methods(["GET", "POST"])
def portfolio(request: HttpRequest, code: int) -> HttpResponse:
    """The portfolio overview (seed 004 l.1–82): per area each case's net and investment row, the area sums
    Nettoeffektivisering and Investeringsbehov and I alt, rounded to 100 with the exact sums beside them.

    A POST with an overview file (JSON) reconciles it against the cases and shows the differences; it
    changes nothing."""
    municipality = access.access_business_case_portfolio(request.user, code)
    cases = selectors.portfolio_cases(access.visible_business_cases(request.user).filter(municipality=municipality))
    results = [selectors.case_result(case) for case in cases]
    summed = sum_portfolio(
        [(case, case.portfolio_area or NO_AREA, result) for case, result in zip(cases, results, strict=True)]
    )
    area_list = [
        {
            "name": area.name,
            "cases": [
                {
                    "case": entry.item,
                    "net": _portfolio_row(entry.net),
                    "investment": _portfolio_row(entry.investment),
                    "payback": payback_text(entry.result.payback_years),
                }
                for entry in area.cases
            ],
            "net": _portfolio_row(area.net),
            "investment": _portfolio_row(area.investment),
        }
        for area in summed.areas
    ]
    reconciliation = None
    overview_error = ""
    if request.method == "POST":
        try:
            overview = _read_overview(request.FILES.get("oversigt"))
            reconciliation = _reconciliation_context(overview, [result.case for result in results])
        except BusinessCaseInputError as error:
            overview_error = str(error)
    return render(
        request,
        TEMPLATE + "portfolio.html",
        {
            "reconciliation": reconciliation,
            "overview_error": overview_error,
            "municipality": municipality,
            "years": list(summed.years),
            "areas": area_list,
            "net_total": _portfolio_row(summed.net),
            "investment_total": _portfolio_row(summed.investment),
            "span": len(summed.years) + 1,
        },
    )


# --- detail -------------------------------------------------------------------------------------------


def _table_rows(result: CaseResult) -> list[dict[str, Any]]:
    """Tabel 1 as rows for the template: block headings, lines, derived rows with their discrepancies."""
    flagged = {(item.row, item.year): item for item in result.discrepancies}
    computed = {"varig": result.varig, "implementering": result.implementering, "impact": result.impact}

    def derived(key: str) -> dict[str, Any]:
        cells = []
        for year, value in zip(result.case.years, computed[key], strict=True):
            item = flagged.get((key, year))
            cells.append(
                {
                    "value": fmt(value),
                    "kind": item.kind if item else "",
                    "kind_da": KIND_DA[item.kind] if item else "",
                    "printed": fmt(item.printed) if item else "",
                }
            )
        return {"type": "total", "key": key, "label": ROW_NAMES_DA[key], "cells": cells}

    rows: list[dict[str, Any]] = []
    for block, heading in (("varig", "Varige ændringer"), ("implementering", "Implementeringsomkostninger")):
        rows.append({"type": "heading", "label": heading})
        for line in result.case.lines:
            if line.block == block:
                rows.append(
                    {
                        "type": "line",
                        "label": line.label,
                        "area": line.area,
                        "excluded": line.excluded_from_payback,
                        "cells": [{"value": fmt(value)} for value in line.values],
                    }
                )
        rows.append(derived(block))
    rows.append(derived("impact"))
    return rows


def _scenario_rows(base: CaseResult, case: BusinessCase) -> list[dict[str, Any]]:
    base_total = _total(base.impact)
    rows: list[dict[str, Any]] = [
        {
            "name": "Grundscenarie",
            "description": "Business casen som beregnet ovenfor.",
            "adjustments": [],
            "impact": [fmt(value) for value in base.impact],
            "total": fmt(base_total),
            "difference": "",
            "difference_class": "",
            "payback": payback_text(base.payback_years),
            "scenario": None,
        }
    ]
    years = list(case.years)
    for scenario in case.scenarios.all():
        result = scenario_result(base.case, scenario.adjustments)
        total = _total(result.impact)
        difference = _total([total, -Decimal(base_total)])
        rows.append(
            {
                "name": scenario.name,
                "description": scenario.description,
                "adjustments": [
                    {
                        "label": label,
                        "amounts": ", ".join(
                            f"{year}: {fmt(amount)}" for year, amount in zip(years, amounts, strict=False) if amount
                        )
                        or "0",
                    }
                    for label, amounts in scenario.adjustments.items()
                ],
                "impact": [fmt(value) for value in result.impact],
                "total": fmt(total),
                "difference": fmt(difference),
                "difference_class": "better" if difference < 0 else "worse" if difference > 0 else "",
                "payback": payback_text(result.payback_years),
                "scenario": scenario,
            }
        )
    return rows


@login_required
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_business_case(request.user, pk)
    result = selectors.case_result(case)
    errors = [item for item in result.discrepancies if item.kind == "error"]
    discrepancies = [
        {
            "row": item.row_name_da,
            "year": item.year if item.year is not None else f"{case.years[0]}–{case.years[-1]} i alt",
            "printed": fmt(item.printed),
            "computed": fmt(item.computed),
            "difference": fmt(item.difference),
            "kind": item.kind,
            "kind_da": KIND_DA[item.kind],
        }
        for item in result.discrepancies
    ]
    sections = [
        (label, getattr(case, key))
        for key, label in DESCRIPTION_FIELDS
        if key in ("purpose", "content", "implementation", "involvement")
    ]
    return render(
        request,
        TEMPLATE + "detail.html",
        {
            "case": case,
            "years": list(case.years),
            "table": _table_rows(result),
            "payback": payback_text(result.payback_years),
            "impact_total": fmt(_total(result.impact)),
            "has_excluded": any(line.excluded_from_payback for line in result.case.lines),
            "has_printed": result.case.has_printed_totals,
            "discrepancies": discrepancies,
            "error_count": len(errors),
            "rounding_count": len(discrepancies) - len(errors),
            "sections": sections,
            "risks": case.risks.all(),
            "kpis": case.kpis.all(),
            "milestones": case.milestones.all(),
            "scenarios": _scenario_rows(result, case),
            "can_edit": access.can_edit_business_case(request.user, case),
            "innovation_pool": INNOVATION_POOL,
        },
    )


# --- import -------------------------------------------------------------------------------------------


def _read_upload(uploaded: Any) -> dict[str, Any]:
    return read_case_file(uploaded.name or "", uploaded.read())


@login_required
def case_import(request: HttpRequest) -> HttpResponse:
    user = request.user
    access.require_business_cases(user)
    municipalities = access.creatable_business_case_municipalities(user)
    if not municipalities:
        raise PermissionDenied("Du kan ikke oprette business cases for nogen medlemskommune.")
    status = 200
    if request.method == "POST":
        form = BusinessCaseImportForm(request.POST, request.FILES, municipalities=municipalities)
        if form.is_valid():
            municipality = form.cleaned_data["municipality"]
            if not access.can_create_business_case_for(user, municipality):
                raise PermissionDenied("Du kan ikke oprette business cases for denne kommune.")
            try:
                data = _read_upload(form.cleaned_data["file"])
                title = form.cleaned_data["title"].strip()
                if title:
                    data["title"] = title
                if not str(data.get("title") or "").strip():
                    raise BusinessCaseInputError(
                        "Filen har ingen titel. Skriv titlen i celle A1 over overskriftsrækken, eller udfyld feltet "
                        "Titel herunder."
                    )
                extra = {}
                if form.cleaned_data["portfolio_area"].strip():
                    extra["portfolio_area"] = form.cleaned_data["portfolio_area"]
                case = actions.do_create_business_case_from_dict(user, municipality, data, **extra)
            except BusinessCaseInputError as error:
                form.add_error("file", str(error))
            else:
                messages.success(request, f"Business casen '{case.title}' er oprettet for {municipality.name}.")
                return redirect("economy:business_case", pk=case.pk)
        status = 400
    else:
        form = BusinessCaseImportForm(municipalities=municipalities)
    return render(
        request,
        TEMPLATE + "import.html",
        {"form": form, "single_municipality": municipalities[0] if len(municipalities) == 1 else None},
        status=status,
    )


@login_required
@require_GET
def excel_template(request: HttpRequest) -> HttpResponse:
    access.require_business_cases(request.user)
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="business-case-skabelon.xlsx"'
    return response


# --- edit ---------------------------------------------------------------------------------------------


def _sections_initial(case: BusinessCase) -> dict[str, Any]:
    return {"title": case.title, **{key: getattr(case, key) for key, _label in DESCRIPTION_FIELDS}}


def _edit_page(request: HttpRequest, case: BusinessCase, status: int = 200, **bound: forms.Form) -> HttpResponse:
    forms_by_name: dict[str, forms.Form] = {
        "sections_form": BusinessCaseSectionsForm(initial=_sections_initial(case)),
        "risk_form": BusinessCaseRiskForm(),
        "kpi_form": BusinessCaseKpiForm(),
        "milestone_form": BusinessCaseMilestoneForm(),
        "scenario_form": BusinessCaseScenarioForm(case=case),
        "lines_form": BusinessCaseLinesForm(),
        "status_form": BusinessCaseStatusForm(initial={"status": case.status}),
        "delete_form": BusinessCaseDeleteForm(),
    }
    forms_by_name.update(bound)
    return render(
        request,
        TEMPLATE + "edit.html",
        {
            "case": case,
            "risks": case.risks.all(),
            "kpis": case.kpis.all(),
            "milestones": case.milestones.all(),
            "scenarios": case.scenarios.all(),
            **forms_by_name,
        },
        status=status,
    )


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_business_case(request.user, pk, for_edit=True)
    if request.method != "POST":
        return _edit_page(request, case)
    form = BusinessCaseSectionsForm(request.POST)
    if form.is_valid():
        try:
            actions.do_update_business_case_sections(request.user, case, **form.cleaned_data)
        except BusinessCaseInputError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Beskrivelsen er gemt.")
            return redirect("economy:business_case", pk=case.pk)
    return _edit_page(request, case, 400, sections_form=form)


def _add_item(
    request: HttpRequest, pk: int, form_class: type[forms.Form], form_name: str, anchor: str, add: Any, done: str
) -> HttpResponse:
    case = access.access_business_case(request.user, pk, for_edit=True)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            add(request.user, case, **form.cleaned_data)
        except BusinessCaseInputError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect(f"{_edit_url(case)}#{anchor}")
    return _edit_page(request, case, 400, **{form_name: form})


def _edit_url(case: BusinessCase) -> str:
    return reverse("economy:business_case_edit", args=[case.pk])


@login_required
@require_POST
def add_risk(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_item(
        request,
        pk,
        BusinessCaseRiskForm,
        "risk_form",
        "risici",
        actions.do_add_business_case_risk,
        "Risikoen er tilføjet.",
    )


@login_required
@require_POST
def add_kpi(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_item(
        request,
        pk,
        BusinessCaseKpiForm,
        "kpi_form",
        "opfoelgning",
        actions.do_add_business_case_kpi,
        "Succeskriteriet er tilføjet.",
    )


@login_required
@require_POST
def add_milestone(request: HttpRequest, pk: int) -> HttpResponse:
    return _add_item(
        request,
        pk,
        BusinessCaseMilestoneForm,
        "milestone_form",
        "tidsplan",
        actions.do_add_business_case_milestone,
        "Milepælen er tilføjet.",
    )


def _delete_item(
    request: HttpRequest, pk: int, item_pk: int, related: str, what: str, delete: Any, done: str
) -> HttpResponse:
    case = access.access_business_case(request.user, pk, for_edit=True)
    item = _item(getattr(case, related).all(), item_pk, what)
    delete(request.user, item)
    messages.success(request, done)
    return redirect(_edit_url(case))


@login_required
@require_POST
def delete_risk(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return _delete_item(
        request, pk, item_pk, "risks", "risiko", actions.do_delete_business_case_risk, "Risikoen er slettet."
    )


@login_required
@require_POST
def delete_kpi(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return _delete_item(
        request,
        pk,
        item_pk,
        "kpis",
        "succeskriterie",
        actions.do_delete_business_case_kpi,
        "Succeskriteriet er slettet.",
    )


@login_required
@require_POST
def delete_milestone(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return _delete_item(
        request,
        pk,
        item_pk,
        "milestones",
        "milepæl",
        actions.do_delete_business_case_milestone,
        "Milepælen er slettet.",
    )


@login_required
@require_POST
def delete_scenario(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    return _delete_item(
        request, pk, item_pk, "scenarios", "scenarie", actions.do_delete_business_case_scenario, "Scenariet er slettet."
    )


@login_required
@require_POST
def save_scenario(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_business_case(request.user, pk, for_edit=True)
    form = BusinessCaseScenarioForm(request.POST, case=case)
    if form.is_valid():
        data = form.cleaned_data
        try:
            scenario = actions.do_set_business_case_scenario_line(
                request.user, case, data["name"], data["line"], data["amounts"], data["description"]
            )
        except BusinessCaseInputError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Scenariet '{scenario.name}' er gemt.")
            return redirect(f"{_detail_url(case)}#scenarier")
    return _edit_page(request, case, 400, scenario_form=form)


def _detail_url(case: BusinessCase) -> str:
    return reverse("economy:business_case", args=[case.pk])


@login_required
@require_POST
def replace_lines(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_business_case(request.user, pk, for_edit=True)
    form = BusinessCaseLinesForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            data = _read_upload(form.cleaned_data["file"])
            actions.do_replace_business_case_lines(request.user, case, data)
        except BusinessCaseInputError as error:
            form.add_error("file", str(error))
        else:
            messages.success(request, "Tabel 1 er erstattet.")
            return redirect("economy:business_case", pk=case.pk)
    return _edit_page(request, case, 400, lines_form=form)


@login_required
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_business_case(request.user, pk, for_edit=True)
    form = BusinessCaseStatusForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, case, 400, status_form=form)
    actions.do_set_business_case_status(request.user, case, form.cleaned_data["status"])
    messages.success(request, f"Status er nu '{BusinessCaseStatus(form.cleaned_data['status']).label}'.")
    return redirect("economy:business_case", pk=case.pk)


@login_required
@require_POST
def delete_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_business_case(request.user, pk, for_edit=True)
    form = BusinessCaseDeleteForm(request.POST)
    if not form.is_valid():
        return _edit_page(request, case, 400, delete_form=form)
    title = case.title
    actions.do_delete_business_case(request.user, case)
    messages.success(request, f"Business casen '{title}' er slettet.")
    return redirect("economy:business_cases")


# --- exports ------------------------------------------------------------------------------------------


def _filename(case: BusinessCase, extension: str) -> str:
    return f"{slugify(case.title)[:60] or 'business-case'}.{extension}"


@login_required
@require_GET
def export_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_business_case(request.user, pk)
    data = selectors.case_export_dict(case)
    response = HttpResponse(case_workbook(data, selectors.case_result(case)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(case, "xlsx")}"'
    return response


@login_required
@require_GET
def export_json(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.access_business_case(request.user, pk)
    body = json.dumps(selectors.case_export_dict(case), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(case, "json")}"'
    return response
