"""Telemedicine's pages: the landsdele one may see, and a landsdel's year (volumes with a chart, costs, the split
with its explanation and scenarios, invoices and true-up, the Excel export) and the secretariat's forms. Thin:
access decides, selectors read, forms check input, actions write."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from samvirke.core.lib.formatting import kr
from samvirke.directory.models import Municipality
from samvirke.telecare import access, actions, exports, forms, selectors
from samvirke.telecare.lib.enrolments import EnrolmentImportError, parse_enrolment_file
from samvirke.telecare.models import AddOnMode, Landsdel


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = access.require_telecare(request.user)
    landsdele = list(access.visible_landsdele(user))
    if len(landsdele) == 1:
        return redirect("telecare:landsdel", slug=landsdele[0].slug)
    return render(request, "telecare/index.html", {"landsdele": landsdele})


def _year(raw: str, default: int) -> int:
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


def _quarter(raw: str) -> int:
    return int(raw) if raw in ("1", "2", "3", "4") else 1


@login_required
@require_GET
def landsdel(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = access.access_landsdel(request.user, slug)
    today = timezone.localdate()
    year = _year(request.GET.get("aar", ""), today.year)
    codes = access.visible_codes(request.user, landsdel)
    budget = selectors.budget_for(landsdel, year)
    volume_rows = selectors.volume_rows(landsdel)
    owner_totals = selectors.owner_totals(landsdel, year, codes)
    manage = access.can_manage_telecare(request.user)
    context = {
        "landsdel": landsdel,
        "year": year,
        "programme_year": landsdel.programme_year(year),
        "budget": budget,
        "region_amount": budget.basis["amounts"].get("region") if budget and codes is None else None,
        "rows": selectors.municipal_rows(landsdel, codes, year, today),
        "invoices": selectors.invoices_for(landsdel, year, codes),
        "sees_all": codes is None,
        "volume_rows": volume_rows,
        "chart": selectors.chart_for(volume_rows),
        "costs": selectors.cost_section(landsdel, codes),
        "scenarios": selectors.scenario_table(landsdel, year, codes),
        "owner_totals": owner_totals,
        "owner_sums": {
            "forecast": selectors.sum_or_none([row.forecast for row in owner_totals]),
            "invoiced": selectors.sum_or_none([row.invoiced for row in owner_totals]),
            "actual": selectors.sum_or_none([row.actual for row in owner_totals]),
            "difference": selectors.sum_or_none([row.difference for row in owner_totals]),
            "addons": selectors.sum_or_none([row.addons for row in owner_totals]),
        },
        "manage": manage,
    }
    if manage:
        context.update(
            {
                "settings_form": forms.SettingsForm(
                    initial={
                        "weight": landsdel.weight,
                        "region_share": landsdel.region_share,
                        "first_year": landsdel.first_year,
                    }
                ),
                "upload_form": forms.EnrolmentUploadForm(),
                "forecast_form": forms.ForecastForm(initial={"year": year}),
                "quarter_form": forms.QuarterForm(initial={"year": year}),
                "close_form": forms.CloseYearForm(initial={"year": year}),
                "usage_form": forms.AddOnUsageForm(landsdel=landsdel, initial={"year": year}),
                "addon_invoice_form": forms.AddOnInvoiceForm(initial={"year": year}),
                "addons": (addons := selectors.addon_services(landsdel)),
                "has_tariff_addons": any(addon.mode == AddOnMode.TARIFF for addon in addons),
                "enrolment_count": landsdel.enrolments.count(),
            }
        )
    return render(request, "telecare/landsdel.html", context)


def _managed(request: HttpRequest, slug: str) -> Landsdel:
    landsdel = access.access_landsdel(request.user, slug)
    if not access.can_manage_telecare(request.user):
        raise PermissionDenied("Kun sekretariatet ændrer telemedicinens indstillinger, prognoser og fakturaer.")
    return landsdel


def _back(landsdel: Landsdel, year: int | None, anchor: str) -> HttpResponse:
    url = reverse("telecare:landsdel", kwargs={"slug": landsdel.slug})
    return redirect(f"{url}?aar={year}#{anchor}" if year else f"{url}#{anchor}")


def _posted_year(request: HttpRequest, name: str = "year") -> int | None:
    raw = request.POST.get(name, "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


def _run(request: HttpRequest, write: Callable[[], str]) -> None:
    try:
        messages.success(request, write())
    except actions.TelecareActionError as error:
        messages.error(request, f"{error} Intet er ændret." if "Intet er ændret" not in str(error) else str(error))


@login_required
@require_POST
def save_settings(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = _managed(request, slug)
    form = forms.SettingsForm(request.POST)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return _back(landsdel, _posted_year(request, "aar"), "indstillinger")
    data = form.cleaned_data

    def write() -> str:
        changed = actions.do_save_landsdel_settings(
            request.user, landsdel, weight=data["weight"], region_share=data["region_share"],
            first_year=data["first_year"],
        )  # fmt: skip
        return "Indstillingerne er gemt." if changed else "Indstillingerne er uændrede."

    _run(request, write)
    return _back(landsdel, _posted_year(request, "aar"), "indstillinger")


@login_required
@require_POST
def upload_enrolments(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = _managed(request, slug)
    form = forms.EnrolmentUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return _back(landsdel, _posted_year(request, "aar"), "indskrivninger")
    try:
        text = form.text()
        codes = set(Municipality.objects.filter(region=landsdel.region_id).values_list("code", flat=True))
        rows = parse_enrolment_file(text, codes)
    except forms.forms.ValidationError as error:
        messages.error(request, f"{' '.join(error.messages)} Intet er ændret.")
        return _back(landsdel, _posted_year(request, "aar"), "indskrivninger")
    except EnrolmentImportError as error:
        shown = error.problems[:5]
        more = f" … og {len(error.problems) - 5} fejl mere." if len(error.problems) > 5 else ""
        messages.error(request, f"Filen har {len(error.problems)} fejl; intet er ændret. {' '.join(shown)}{more}")
        return _back(landsdel, _posted_year(request, "aar"), "indskrivninger")
    result = actions.do_import_enrolments(request.user, landsdel, rows)
    messages.success(request, f"{len(rows)} linjer læst. {result.summary()}")
    return _back(landsdel, _posted_year(request, "aar"), "indskrivninger")


@login_required
@require_POST
def make_forecast(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = _managed(request, slug)
    form = forms.ForecastForm(request.POST)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return _back(landsdel, _posted_year(request), "prognose")
    year, total = form.cleaned_data["year"], form.cleaned_data["total"]

    def write() -> str:
        budget = actions.do_make_forecast(request.user, landsdel, year, total=total)
        return f"Prognosen for {year} er lavet: {kr(budget.forecast_total)} kr."

    _run(request, write)
    return _back(landsdel, year, "prognose")


@login_required
@require_http_methods(["GET", "POST"])
def issue_quarter(request: HttpRequest, slug: str) -> HttpResponse:
    """GET: what issuing the quarter would do (the confirmation step); POST: issue it. A second run issues
    nothing and says so."""
    landsdel = _managed(request, slug)
    if request.method == "GET":
        year = _year(request.GET.get("aar", ""), timezone.localdate().year)
        quarter = _quarter(request.GET.get("kvartal", ""))
        plan = selectors.quarter_plan(landsdel, year, quarter)
        form = forms.QuarterForm(initial={"year": year, "quarter": quarter})
        return render(request, "telecare/issue_quarter.html", {"landsdel": landsdel, "plan": plan, "form": form})
    form = forms.QuarterForm(request.POST)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return _back(landsdel, _posted_year(request), "fakturaer")
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]

    def write() -> str:
        run = actions.do_issue_quarter(request.user, landsdel, year, quarter)
        if not run.issued:
            return (
                f"Intet udstedt: {quarter}. kvartal {year} er allerede faktureret "
                f"({run.unchanged} fakturaer fandtes i forvejen)."
            )
        return f"{quarter}. kvartal {year}: {run.summary()}"

    _run(request, write)
    return _back(landsdel, year, "fakturaer")


@login_required
@require_POST
def close_year(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = _managed(request, slug)
    form = forms.CloseYearForm(request.POST)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return _back(landsdel, _posted_year(request), "efterregulering")
    year, actual = form.cleaned_data["year"], form.cleaned_data["actual_total"]

    def write() -> str:
        run = actions.do_close_year(request.user, landsdel, year, actual)
        if not run.issued:
            return f"Året {year} er afsluttet; ingen efterregulering (alle ejere har betalt deres faktiske andel)."
        return f"Året {year} er afsluttet med et faktisk forbrug på {kr(actual)} kr.: {run.summary()}"

    _run(request, write)
    return _back(landsdel, year, "efterregulering")


@login_required
@require_POST
def record_addon_usage(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = _managed(request, slug)
    form = forms.AddOnUsageForm(request.POST, landsdel=landsdel)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return _back(landsdel, _posted_year(request), "tilkoeb")
    data = form.cleaned_data

    def write() -> str:
        usage = actions.do_record_addon_usage(
            request.user, data["service"], data["municipality"], data["year"], data["quarter"], data["quantity"]
        )
        return f"Forbruget af «{usage.service.name}» for {usage.municipality.name}, {usage.quarter}. kvartal er gemt."

    _run(request, write)
    return _back(landsdel, data["year"], "tilkoeb")


@login_required
@require_POST
def invoice_addons(request: HttpRequest, slug: str) -> HttpResponse:
    landsdel = _managed(request, slug)
    form = forms.AddOnInvoiceForm(request.POST)
    if not form.is_valid():
        messages.error(request, forms.first_error(form))
        return _back(landsdel, _posted_year(request), "tilkoeb")
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]

    def write() -> str:
        run = actions.do_invoice_addons(request.user, landsdel, year, quarter)
        if not run.issued:
            return f"Intet udstedt: intet ufaktureret forbrug af tilkøb i {quarter}. kvartal {year}."
        return f"Tilkøb, {quarter}. kvartal {year}: {run.summary()}"

    _run(request, write)
    return _back(landsdel, year, "tilkoeb")


@login_required
@require_GET
def export(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    landsdel = access.access_landsdel(request.user, slug)
    if not 2000 <= year <= 2100:
        raise PermissionDenied("Året skal ligge mellem 2000 og 2100.")
    codes = access.visible_codes(request.user, landsdel)
    data = exports.landsdel_workbook(landsdel, year, codes)
    suffix = "" if codes is None else "-" + "-".join(str(code) for code in sorted(codes))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="telemedicin-{landsdel.slug}-{year}{suffix}.xlsx"'
    return response
