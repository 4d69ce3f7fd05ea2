"""Economy pages: the model per year with a chart, scenarios, invoices, cost per contact (the shift-hour balance,
which also reads staffing's rotas, is in samvirke/reports).

Thin: access checks from economy/access.py, numbers from lib/ (via selectors), writes via actions.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from samvirke.contact.models import Channel
from samvirke.contact.selectors import (
    handled_contacts_by_channel,
    handled_contacts_span,
)
from samvirke.core.lib import clock
from samvirke.core.lib.clock import local_year_bounds
from samvirke.directory.models import Actor, Municipality
from samvirke.directory.selectors import the_fellesskab_or_404
from samvirke.economy import access
from samvirke.economy.actions.invoicing import (
    EconomySettingsMissing,
    InvoicingChanged,
    InvoicingNotConfirmed,
    do_run_invoicing,
    do_save_economy_settings,
    do_set_contact_volume,
    prepare_invoicing,
    year_is_over,
)
from samvirke.economy.forms import ContactVolumeForm, EconomySettingsForm, ScenarioForm, year_asked
from samvirke.economy.invoice_exports import invoices_workbook
from samvirke.economy.lib.balance import (
    CONTACT_CENTRE,
    VOLUME_SOURCE_DA,
    annualised,
    contact_volumes,
    cost_per_contact,
)
from samvirke.economy.lib.chart import bar_chart
from samvirke.economy.lib.fees import (
    EconomyInputError,
    EconomyParams,
    EconomyResult,
    EconomyRow,
    Member,
    compare_scenarios,
    compute_economy,
)
from samvirke.economy.lib.invoicing import PRORATION_RULE
from samvirke.economy.models import VOLUME_CHANNELS, ContactVolume, EconomySettings, Invoice, InvoiceKind
from samvirke.economy.selectors import billing_for, economy_for_year, model_years, pilot_grant_account

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FELLESSKAB_TOTAL = "Fællesskabet i alt"  # the totals row's label on the page and in its export
HUMAN_CHANNELS = {Channel.PHONE.value, Channel.CHAT.value}


def _visible_rows(user: Actor, result: EconomyResult) -> list[EconomyRow]:
    """The computed rows the user may see: every member's for the secretariat, else the own municipality's.

    The page and its Excel export both show these, so a budget's largest-remainder fees are never recomputed.
    """
    if access.sees_all_members(user):
        return list(result.rows)
    visible = access.visible_member_codes(user)
    return [row for row in result.rows if row.kommunekode in visible]


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    access.require_economy(request.user)
    fellesskab = the_fellesskab_or_404()
    year = year_asked(request)
    economy = economy_for_year(fellesskab, year)
    rows = _visible_rows(request.user, economy.result) if economy else []
    chart = bar_chart(rows)
    sees_all = access.sees_all_members(request.user)
    # The fællesskab's invoiced total for the totals row; the note explains the rows the user sees.
    billing_all = billing_for(economy) if economy else None
    billing = (
        billing_all if sees_all or economy is None else billing_for(economy, access.visible_member_codes(request.user))
    )
    billed = {member.kommunekode: member for member in billing.members} if billing else {}
    return render(
        request,
        "economy/overview.html",
        {
            "year": year,
            "billing": billing,
            "billing_all": billing_all,
            "billed_rows": [(row, billed.get(row.kommunekode)) for row in rows],
            "proration_rule": PRORATION_RULE,
            "years": sorted(set(model_years(fellesskab)) | {year}),
            "economy": economy,
            "rows": rows,
            "sees_all": sees_all,
            "can_manage": access.can_manage_economy(request.user),
            "chart": chart,
        },
    )


@login_required
def economy_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    """The overview page's table as .xlsx: the same computed rows (a coordinator's own), the fællesskab's total."""
    access.require_economy(request.user)
    from samvirke.economy.exports import economy_workbook

    economy = economy_for_year(the_fellesskab_or_404(), year)
    if economy is None:
        raise Http404(f"Der er ingen økonomimodel med medlemmer for {year}.")
    rows = _visible_rows(request.user, economy.result)
    if not rows:
        raise Http404("Din kommune er ikke medlem i det valgte år.")
    body = economy_workbook(economy.result, f"Økonomi {year}", rows=rows, total_label=FELLESSKAB_TOTAL)
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="samvirke-oekonomi-{year}.xlsx"'
    return response


@login_required
def settings_edit(request: HttpRequest, year: int) -> HttpResponse:
    access.require_manage_economy(request.user)
    fellesskab = the_fellesskab_or_404()
    existing = EconomySettings.objects.filter(fellesskab=fellesskab, year=year).first()
    if request.method == "POST":
        form = EconomySettingsForm(request.POST)
        if form.is_valid():
            try:
                do_save_economy_settings(request.user, fellesskab, year, **form.cleaned_data)
            except EconomyInputError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Økonomimodellen for {year} er gemt.")
                return redirect(f"/oekonomi/?aar={year}")
    else:
        initial = {}
        if existing is not None:
            initial = {
                field: getattr(existing, field)
                for field in ("price_per_citizen", "budget", "hours_per_1000", "weeks", "band_min", "band_max",
                              "hourly_rate")
            }  # fmt: skip
        form = EconomySettingsForm(initial=initial)
    return render(request, "economy/settings_form.html", {"form": form, "year": year, "existing": existing})


@login_required
def scenarios(request: HttpRequest) -> HttpResponse:
    """Two scenarios side by side (seed 000: all 17 at 1.25 kr. against the 2025 price 1.7375 kr.)."""
    access.require_economy(request.user)
    if not access.sees_all_members(request.user):
        access.require_manage_economy(request.user)
    fellesskab = the_fellesskab_or_404()
    candidates = Municipality.objects.filter(memberships__fellesskab=fellesskab).order_by("name").distinct()
    choices = [(str(m.code), m.name) for m in candidates]
    comparison = None
    results = None
    if "a_members" in request.GET:
        form = ScenarioForm(request.GET, municipality_choices=choices)
        if form.is_valid():
            data = form.cleaned_data
            by_code = {m.code: m for m in candidates}
            try:
                results = []
                for side in ("a", "b"):
                    members = [
                        Member(by_code[int(c)].name, int(c), by_code[int(c)].population)
                        for c in data[f"{side}_members"]
                    ]
                    params = EconomyParams(price_per_citizen=data[f"{side}_price"], budget=data[f"{side}_budget"])
                    results.append(compute_economy(members, params))
                comparison = compare_scenarios(results[0], results[1])
            except EconomyInputError as error:
                form.add_error(None, str(error))
    else:
        all_codes = [code for code, _ in choices]
        form = ScenarioForm(
            initial={"a_members": all_codes, "a_price": Decimal("1.25"), "b_members": all_codes,
                     "b_price": Decimal("1.7375")},
            municipality_choices=choices,
        )  # fmt: skip
    return render(request, "economy/scenarios.html", {"form": form, "comparison": comparison, "results": results})


@login_required
def invoices(request: HttpRequest) -> HttpResponse:
    access.require_economy(request.user)
    fellesskab = the_fellesskab_or_404()
    year = year_asked(request)
    visible = access.visible_municipalities(request.user)
    rows = (
        Invoice.objects.filter(fellesskab=fellesskab, year=year, municipality__in=visible)
        .select_related("municipality", "credits")
        .order_by("number")
    )
    total = rows.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    by_payer: dict[str, Decimal] = {}
    for invoice in rows:
        by_payer[invoice.payer_name] = by_payer.get(invoice.payer_name, Decimal("0.00")) + invoice.amount
    economy = economy_for_year(fellesskab, year)
    sees_all = access.sees_all_members(request.user)
    billing = billing_for(economy, None if sees_all else access.visible_member_codes(request.user)) if economy else None
    return render(
        request,
        "economy/invoices.html",
        {
            "year": year,
            "billing": billing,
            "sees_all": sees_all,
            "proration_rule": PRORATION_RULE,
            # The invoices issued against what a run would bill now (they differ until a change is invoiced).
            "out_of_date": billing is not None and bool(rows) and billing.billed_total != total,
            "years": sorted(set(model_years(fellesskab)) | {year}),
            "invoices": rows,
            "total": total,
            "by_payer": sorted(by_payer.items()),
            "can_manage": access.can_manage_economy(request.user),
            "has_model": EconomySettings.objects.filter(fellesskab=fellesskab, year=year).exists(),
        },
    )


def _requested_year(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else None


@login_required
@require_http_methods(["GET", "POST"])
def run_invoicing(request: HttpRequest) -> HttpResponse:
    """GET: what a run would issue and credit, with the year's status, to confirm. POST: the confirmed run.

    The confirmation carries the plan's token; a run whose plan has changed since (the second click of a double
    click, a colleague's run) issues nothing and says so."""
    access.require_manage_economy(request.user)
    fellesskab = the_fellesskab_or_404()
    year = _requested_year(request.POST.get("year", "") if request.method == "POST" else request.GET.get("aar", ""))
    if year is None:
        messages.error(request, "Året skal være et årstal mellem 2000 og 2100.")
        return redirect("economy:invoices")
    invoices_url = f"/oekonomi/fakturaer/?aar={year}"
    confirm_url = f"{reverse('economy:run_invoicing')}?aar={year}"
    today = timezone.localdate()
    if request.method == "POST":
        token = request.POST.get("token", "")
        if not token:
            messages.error(request, "Faktureringen skal bekræftes her, før noget udstedes.")
            return redirect(confirm_url)
        try:
            run = do_run_invoicing(
                request.user,
                fellesskab,
                year,
                confirmed_token=token,
                today=today,
                early_confirmed=request.POST.get("early") == "ja",
            )
        except InvoicingNotConfirmed as error:
            messages.error(request, str(error))
            return redirect(confirm_url)
        except InvoicingChanged as error:
            messages.warning(request, str(error))
            return redirect(invoices_url)
        except (EconomySettingsMissing, EconomyInputError) as error:
            messages.error(request, str(error))
            return redirect(invoices_url)
        messages.success(request, run.summary())
        return redirect(invoices_url)
    try:
        preview = prepare_invoicing(fellesskab, year)
    except (EconomySettingsMissing, EconomyInputError) as error:
        messages.error(request, str(error))
        return redirect(invoices_url)
    economy = economy_for_year(fellesskab, year)
    return render(
        request,
        "economy/invoicing_confirm.html",
        {
            "year": year,
            "preview": preview,
            "to_issue": preview.plan.to_issue,
            "to_credit": preview.plan.to_credit,
            "year_over": year_is_over(year, today),
            "year_started": today >= dt.date(year, 1, 1),
            "today": today,
            "billing": billing_for(economy) if economy else None,
            "proration_rule": PRORATION_RULE,
        },
    )


@login_required
def invoice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invoice = access.access_invoice(request.user, pk)
    return render(
        request,
        "economy/invoice_detail.html",
        {"invoice": invoice, "is_credit": invoice.kind == InvoiceKind.CREDIT_NOTE},
    )


@login_required
def invoices_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    access.require_economy(request.user)
    rows = list(
        Invoice.objects.filter(
            fellesskab=the_fellesskab_or_404(), year=year, municipality__in=access.visible_municipalities(request.user)
        )
        .select_related("municipality", "credits")
        .order_by("number")
    )
    response = HttpResponse(invoices_workbook(rows, year), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="samvirke-fakturaer-{year}.xlsx"'
    return response


@login_required
def contact_cost(request: HttpRequest) -> HttpResponse:
    """Cost per contact: the year's operations fees plus the value of the shift hours, over the contacts."""
    access.require_economy(request.user)
    fellesskab = the_fellesskab_or_404()
    year = year_asked(request)
    form = ContactVolumeForm()
    if request.method == "POST":
        access.require_manage_economy(request.user)
        form = ContactVolumeForm(request.POST)
        if form.is_valid():
            do_set_contact_volume(request.user, fellesskab, year, **form.cleaned_data)
            messages.success(request, "Antal henvendelser er gemt.")
            return redirect(f"/oekonomi/kontaktpris/?aar={year}")
    economy = economy_for_year(fellesskab, year)
    volumes = list(ContactVolume.objects.filter(fellesskab=fellesskab, year=year))
    year_start, year_end = local_year_bounds(year)
    counted_raw = handled_contacts_by_channel(year_start, year_end)
    # The contact centre's counts cover only the days it has run; scaled to the year they compare with its costs.
    span = handled_contacts_span(year_start, year_end)
    counted_days = (span[1] - span[0]).days + 1 if span else 0
    days_in_year = clock.days_in_year(year)
    counted = {channel: annualised(n, counted_days, days_in_year) for channel, n in counted_raw.items()}
    chosen = contact_volumes(
        {v.channel: v.contacts for v in volumes}, counted, [value for value, _label in VOLUME_CHANNELS]
    )
    result = None
    if economy is not None and chosen:
        result = cost_per_contact(
            economy.result.total.fee,
            economy.result.total.hours_value,
            {channel: contacts for channel, (contacts, _source) in chosen.items()},
            HUMAN_CHANNELS,
        )
    sources = {channel: VOLUME_SOURCE_DA[source] for channel, (_contacts, source) in chosen.items()}
    labels = dict(VOLUME_CHANNELS)
    return render(
        request,
        "economy/contact_cost.html",
        {
            "year": year,
            "years": sorted(set(model_years(fellesskab)) | {year}),
            "economy": economy,
            "volumes": volumes,
            "result": result,
            "labels": labels,
            "sources": sources,
            "counted_span": span if CONTACT_CENTRE in {source for _n, source in chosen.values()} else None,
            "counted_days": counted_days,
            "days_in_year": days_in_year,
            "counted_raw": [(labels[channel], n) for channel, n in counted_raw.items() if channel in labels],
            "form": form,
            "can_manage": access.can_manage_economy(request.user),
        },
    )


@login_required
def pilot_grants(request: HttpRequest) -> HttpResponse:
    """The region's pilot grant: spent by year and payer against its budget (economy/lib/grant.py)."""
    access.require_grants(request.user)
    fellesskab = the_fellesskab_or_404()
    accounts = [pilot_grant_account(fellesskab, grant) for grant in access.visible_grants(request.user)]
    return render(
        request,
        "economy/grants.html",
        {"accounts": accounts, "sees_all": access.sees_all_members(request.user), "tab": "grants"},
    )
